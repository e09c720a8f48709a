"""Zero to JupyterHub values (deploy/z2jh/values.yaml) against the chart's own schema.

Nothing here runs Kubernetes or builds the image (no container engine or cluster on these
machines). What is checked:

- values.yaml parses as YAML, and every key in it exists in the chart's values schema. The
  chart's key paths are kept in deploy/z2jh/chart-keys-4.4.0.txt, one per line, made by
  ``chart_key_paths`` below from ``jupyterhub/values.schema.yaml`` of
  github.com/jupyterhub/zero-to-jupyterhub-k8s at tag 4.4.0 (commit
  5c5f5df751588a68a7781ead01d0f62e88e2e72f); a path ending in `` *`` is an object the schema
  leaves open (any key below it is accepted, e.g. ``hub.config.JupyterHub``, ``hub.extraConfig``).
  The schema itself (134 kB, the chart's documentation text) is not copied into this repository.
- the settings the course depends on hold the values it needs (LTI 1.3 authenticator, exchange
  volume mounted where the image's nbgrader config points, culling on, limits >= guarantees).
- with Z2JH_CHART_DIR set to a checkout's ``jupyterhub/`` folder (the chart at tag 4.4.0), the
  chart's default values.yaml merged with ours validates against the full schema with
  jsonschema, the way helm validates values (``helm lint``), and the key list equals the one
  made from that schema. Without it that test is skipped.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
Z2JH = ROOT / "deploy" / "z2jh"
VALUES = Z2JH / "values.yaml"
KEYS = Z2JH / "chart-keys-4.4.0.txt"


def chart_key_paths(schema: dict) -> list[str]:
    """Every key path the chart's values schema names, dotted, open objects marked `` *``.

    ``schema`` is the chart's values.schema.yaml as a dict (JSON Schema draft 7). A property is
    descended into when it has ``properties`` and ``additionalProperties`` is false; otherwise
    anything below it is accepted and its path is written with a trailing `` *``. A closed
    object's ``patternProperties`` are written as ``path.~REGEX *`` (e.g. ``hub.config`` takes
    any class name matching ``^[A-Z].*$``).
    Returns the sorted list of lines.
    """
    lines: list[str] = []

    def walk(node: dict, prefix: str) -> None:
        for key, sub in node.get("properties", {}).items():
            path = prefix + key
            if not isinstance(sub, dict):
                lines.append(path)
                continue
            closed = "properties" in sub and sub.get("additionalProperties", True) is False
            types = sub.get("type")
            types = types if isinstance(types, list) else [types]
            is_object = "object" in types or "properties" in sub
            if is_object and not closed:
                lines.append(path + " *")
            else:
                lines.append(path)
            if closed:
                for pattern in sub.get("patternProperties", {}):
                    lines.append(f"{path}.~{pattern} *")
                walk(sub, path + ".")

    walk(schema, "")
    return sorted(lines)


def _load_keys() -> tuple[set[str], set[str]]:
    """The key list as (closed paths, open paths); open paths may hold ``parent.~REGEX``."""
    closed, open_ = set(), set()
    for line in KEYS.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        if line.endswith(" *"):
            open_.add(line[:-2])
        else:
            closed.add(line)
    return closed, open_


def unknown_keys(values: dict, closed: set[str], open_: set[str]) -> list[str]:
    """Key paths of ``values`` that the chart's schema does not have (empty list: all known)."""
    bad: list[str] = []
    patterns = [p.split(".~", 1) for p in open_ if ".~" in p]

    def walk(node: dict, prefix: str) -> None:
        for key, sub in node.items():
            path = prefix + str(key)
            if path in open_ or any(prefix == parent + "." and re.search(rx, str(key))
                                    for parent, rx in patterns):
                continue  # the schema accepts anything below this object
            if path not in closed:
                bad.append(path)
                continue
            if isinstance(sub, dict):
                walk(sub, path + ".")

    walk(values, "")
    return bad


@pytest.fixture(scope="module")
def values() -> dict:
    data = yaml.safe_load(VALUES.read_text(encoding="utf-8"))
    assert isinstance(data, dict), "values.yaml must be a YAML mapping"
    return data


def test_every_key_exists_in_the_chart(values):
    closed, open_ = _load_keys()
    assert len(closed) > 300, "the key list looks truncated"
    assert unknown_keys(values, closed, open_) == []


def test_the_check_catches_a_misspelt_key(values):
    closed, open_ = _load_keys()
    broken = yaml.safe_load(VALUES.read_text(encoding="utf-8"))
    broken["singleuser"]["memory"]["guarantees"] = "1G"
    broken["hub"]["loadGroups"] = {}
    assert unknown_keys(broken, closed, open_) == ["hub.loadGroups",
                                                   "singleuser.memory.guarantees"]


def _bytes(size: str | int) -> float:
    """Kubernetes-style quantity (as z2jh takes it: 1G, 384M, 512Mi) in bytes."""
    if isinstance(size, (int, float)):
        return float(size)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([KMGT]i?)?", str(size))
    assert m, f"not a memory quantity: {size!r}"
    scale = {None: 1, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12,
             "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}[m.group(2)]
    return float(m.group(1)) * scale


def test_course_settings(values):
    hub = values["hub"]
    assert hub["config"]["JupyterHub"]["authenticator_class"] == (
        "ltiauthenticator.lti13.auth.LTI13Authenticator")
    lti = hub["config"]["LTI13Authenticator"]
    for key in ("issuer", "authorize_url", "jwks_endpoint", "client_id", "username_key"):
        assert lti.get(key), f"LTI13Authenticator.{key} is not set"
    # JupyterHub 5: without allow config nobody gets in.
    assert hub["config"]["Authenticator"]["allowed_users"]
    # formgrader only for the graders' group
    service = "welfare-social-innovation"
    assert service in hub["services"]
    roles = hub["loadRoles"]
    scopes = [s for role in roles.values() for s in role["scopes"]]
    assert f"access:services!service={service}" in scopes
    assert all(g.startswith("formgrade-") for role in roles.values() for g in role["groups"])
    su = values["singleuser"]
    assert _bytes(su["memory"]["limit"]) >= _bytes(su["memory"]["guarantee"]) > 0
    assert su["cpu"]["limit"] >= su["cpu"]["guarantee"] > 0
    assert su["storage"]["type"] == "dynamic"
    mounts = su["storage"]["extraVolumeMounts"]
    vols = su["storage"]["extraVolumes"]
    exchange = [m for m in mounts.values() if m["mountPath"] == "/srv/nbgrader/exchange"]
    assert len(exchange) == 1
    assert exchange[0]["name"] in {v["name"] for v in vols.values()}
    cull = values["cull"]
    assert cull["enabled"] is True and 0 < cull["every"] <= cull["timeout"]


def test_image_nbgrader_config_matches_values(values):
    """The exchange path and course id in the image's nbgrader config are the ones mounted."""
    text = (Z2JH / "nbgrader_config.py").read_text(encoding="utf-8")
    assert 'c.Exchange.root = "/srv/nbgrader/exchange"' in text
    course = re.search(r'c\.CourseDirectory\.course_id = "([^"]+)"', text).group(1)
    root_config = (ROOT / "nbgrader_config.py").read_text(encoding="utf-8")
    assert f'c.CourseDirectory.course_id = "{course}"' in root_config
    assert values["singleuser"]["extraEnv"]["NBGRADER_COURSE_ID"] == course
    assert course in values["hub"]["services"]


def test_dockerfile_installs_environment_pins():
    text = (Z2JH / "Dockerfile").read_text(encoding="utf-8")
    assert "COPY environment.yml" in text and "COPY tools/requirements_from_env.sh" in text
    assert re.search(r"requirements_from_env\.sh \S*environment\.yml > \S*requirements\.txt", text)
    assert re.search(r"^FROM python:3\.11", text, re.MULTILINE)
    # the hub's version: jupyterhub-singleuser must match JupyterHub 5.5.0 of chart 4.4.0
    assert "jupyterhub==5.5.0" in text
    # no solution or grading package in the students' image
    assert "build/student-edition" in text
    assert "COPY source" not in text and "welfaregrading" not in text


@pytest.mark.skipif(not os.environ.get("Z2JH_CHART_DIR"),
                    reason="set Z2JH_CHART_DIR to the chart's jupyterhub/ folder at tag 4.4.0")
def test_against_the_fetched_schema(values):
    jsonschema = pytest.importorskip("jsonschema")
    chart = Path(os.environ["Z2JH_CHART_DIR"])
    schema = yaml.safe_load((chart / "values.schema.yaml").read_text(encoding="utf-8"))
    assert chart_key_paths(schema) == sorted(
        line for line in KEYS.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#"))
    defaults = yaml.safe_load((chart / "values.yaml").read_text(encoding="utf-8"))

    def merge(base, over):
        if isinstance(base, dict) and isinstance(over, dict):
            out = dict(base)
            for k, v in over.items():
                out[k] = merge(base.get(k), v) if k in base else v
            return out
        return over

    merged = merge(defaults, values)
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(merged), key=str)
    assert [f"{'.'.join(map(str, e.path))}: {e.message}" for e in errors] == []
