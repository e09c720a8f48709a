"""Two pinned environments and one package: issue 13, points 3 and 4.

- environment.yml is the student runtime, in the shape Binder needs: exactly the nine packages a
  student needs (jupyterlab, nbgrader, ipywidgets, pandas, matplotlib, numpy-financial, pyyaml,
  babel, and jupyterlab-language-pack-nl-NL for the Dutch edition) and every dependency they pull
  in, nothing more, each pinned with ``==``.
- requirements-dev.txt holds the developers' tools (tests, browser, lint) and what only they pull
  in, also pinned; ``make venv`` installs both.
- pyproject.toml declares what the package imports as ranges that the pins satisfy, lists every
  package folder, and installs data/ as the package data of ``welfarelab._data``.

The dependency closures are computed from the installed distributions' own metadata
(``importlib.metadata``), i.e. from what the packages themselves declare.
"""

import ast
import importlib.metadata as md
import importlib.resources
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

RUNTIME_TOP = ["jupyterlab", "nbgrader", "ipywidgets", "pandas", "matplotlib", "numpy-financial",
               "pyyaml", "babel", "jupyterlab-language-pack-nl-nl"]
DEV_TOP = ["pytest", "pytest-xdist", "nbval", "hypothesis", "coverage", "playwright", "ruff"]
PIN = re.compile(r"[A-Za-z0-9_.\-]+==[A-Za-z0-9_.\-+]+")
# The installer's own packages: every venv (and Binder's conda environment) starts with them and
# `pip freeze` leaves them out, so neither file pins them (nbgrader asks for setuptools, unbounded).
INSTALLER = {"pip", "setuptools", "wheel"}


def load_env():
    return yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))


def runtime_pins() -> dict:
    return {canonicalize_name(p.split("==")[0]): p.split("==")[1]
            for p in load_env()["dependencies"][-1]["pip"]}


def dev_lines() -> list[str]:
    text = (REPO / "requirements-dev.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()
            and not line.lstrip().startswith("#")]


def dev_pins() -> dict:
    return {canonicalize_name(p.split("==")[0]): p.split("==")[1] for p in dev_lines()}


def pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def closure(names) -> set[str]:
    """Every distribution that ``names`` need, by the metadata of the installed distributions
    (requirements whose environment marker holds here, with the extras asked for)."""
    seen, todo = {}, [(canonicalize_name(n), frozenset()) for n in names]
    while todo:
        name, extras = todo.pop()
        if name in seen and extras <= seen[name]:
            continue
        seen[name] = seen.get(name, frozenset()) | extras
        for line in md.requires(name) or []:
            req = Requirement(line)
            if req.marker is None or any(req.marker.evaluate({"extra": e})
                                         for e in seen[name] | {""}):
                todo.append((canonicalize_name(req.name), frozenset(req.extras)))
    return set(seen)


def third_party_imports(package: Path) -> set[str]:
    """Top-level names imported anywhere in ``package`` that are neither the standard library
    nor the course's own packages."""
    names = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"__future__", "welfarelab", "welfaregrading"}


def distributions_of(imports: set[str]) -> set[str]:
    where = md.packages_distributions()
    missing = sorted(i for i in imports if i not in where)
    assert not missing, f"imported but installed by no distribution: {missing}"
    return {canonicalize_name(d) for i in imports for d in where[i]}


# ---- environment.yml: the student runtime ----------------------------------------------------


def test_environment_is_what_binder_needs():
    env = load_env()
    deps = env["dependencies"]
    assert env["name"] and env["channels"] == ["conda-forge"]
    assert "python=3.11" in deps
    pip_index = deps.index("pip")
    pip_section = [d for d in deps if isinstance(d, dict)]
    assert len(pip_section) == 1 and deps.index(pip_section[0]) > pip_index
    for pin in pip_section[0]["pip"]:
        assert PIN.fullmatch(pin), pin


def test_key_packages_are_pinned_to_supported_versions():
    pins = runtime_pins()
    assert pins["nbgrader"] == "0.9.6"
    assert pins["jupyterlab"].startswith("4.") and int(pins["jupyterlab"].split(".")[1]) >= 2
    assert pins["notebook"].startswith("7.")
    assert pins["ipywidgets"].startswith("8.")
    for name in RUNTIME_TOP:
        assert name in pins, name


def test_the_runtime_is_exactly_what_the_students_packages_need():
    pins = runtime_pins()
    needed = closure(RUNTIME_TOP) - INSTALLER
    assert sorted(needed - set(pins)) == [], "needed at run time but not pinned"
    assert sorted(set(pins) - needed) == [], "pinned but needed by no student package"
    for name in DEV_TOP:
        assert canonicalize_name(name) not in pins, f"{name} is a developer's tool"


def test_make_reads_exactly_the_pip_section():
    out = subprocess.run(["bash", "tools/requirements_from_env.sh", "environment.yml"], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == load_env()["dependencies"][-1]["pip"]


# ---- requirements-dev.txt: the developers' tools -----------------------------------------------


def test_dev_file_pins_exactly_what_only_the_dev_tools_add():
    for line in dev_lines():
        assert PIN.fullmatch(line), line
    dev, runtime = dev_pins(), runtime_pins()
    assert not set(dev) & set(runtime), "pinned in both files"
    added = closure(RUNTIME_TOP + DEV_TOP) - closure(RUNTIME_TOP) - INSTALLER
    assert sorted(added - set(dev)) == [], "a dev tool's dependency is not pinned"
    assert sorted(set(dev) - added) == [], "pinned in requirements-dev.txt but not needed"


def test_this_venv_has_the_pinned_versions():
    """The venv the tests run in was built from both files (make venv): same versions."""
    for name, version in {**runtime_pins(), **dev_pins()}.items():
        assert md.version(name) == version, name


def test_make_venv_installs_both_files(tmp_path):
    venv = tmp_path / "venv"
    shown = subprocess.run(["make", "-n", "venv", f"VENV={venv}"], cwd=REPO, capture_output=True,
                           text=True, check=True).stdout
    install = [line for line in shown.splitlines()
               if "pip install" in line and f"{venv}/requirements.txt" in line]
    assert len(install) == 1, shown
    assert "-r requirements-dev.txt" in install[0]
    assert f"requirements_from_env.sh environment.yml > {venv}/requirements.txt" in shown
    assert "--editable ." in shown


# ---- pyproject.toml: the package -----------------------------------------------------------------


def test_every_package_folder_is_listed_and_data_is_welfarelab_data():
    setuptools = pyproject()["tool"]["setuptools"]
    folders = {".".join(p.parent.relative_to(REPO).parts)
               for top in ["welfarelab", "welfaregrading"]
               for p in (REPO / top).rglob("__init__.py")}
    # the catalogs' folders (welfarelab/locale/<lang>/LC_MESSAGES) hold no code but are listed
    # so that setuptools does not warn at every install (tests/test_i18n.py checks them)
    catalogs = {".".join(p.relative_to(REPO).parts)
                for p in (REPO / "welfarelab" / "locale").rglob("*") if p.is_dir()}
    catalogs.add("welfarelab.locale")
    assert sorted(setuptools["packages"]) == sorted(folders | {"welfarelab._data"} | catalogs)
    assert setuptools["package-dir"] == {"welfarelab._data": "data"}
    assert (REPO / "data" / "__init__.py").is_file()


def test_package_data_covers_every_dataset_file():
    patterns = pyproject()["tool"]["setuptools"]["package-data"]["welfarelab._data"]
    datasets = yaml.safe_load((REPO / "data" / "datasets.yml").read_text(encoding="utf-8"))
    files = {"datasets.yml"} | {d["file"] for d in datasets["datasets"].values()}
    for name in sorted(files):
        assert any(Path(name).match(p) for p in patterns), f"data/{name} would not be installed"


def test_declared_dependencies_cover_the_imports_and_the_pins_satisfy_them():
    project = pyproject()["project"]
    declared = {canonicalize_name(Requirement(r).name): Requirement(r)
                for r in project["dependencies"]}
    needs = distributions_of(third_party_imports(REPO / "welfarelab"))
    assert sorted(needs - set(declared)) == [], "welfarelab imports these undeclared"
    grading = {canonicalize_name(Requirement(r).name): Requirement(r)
               for r in project["optional-dependencies"]["grading"]}
    needs = distributions_of(third_party_imports(REPO / "welfaregrading"))
    assert sorted(needs - set(declared) - set(grading)) == [], "welfaregrading imports these"
    pins = runtime_pins()
    for name, req in {**declared, **grading}.items():
        assert name in pins, f"{name} is declared but not in environment.yml"
        assert SpecifierSet(str(req.specifier)).contains(pins[name]), (name, pins[name])


def test_an_editable_install_reads_the_datasets_from_data():
    import welfarelab

    if Path(welfarelab.__file__).parent != REPO / "welfarelab":
        pytest.skip("welfarelab is not installed editable from this repository")
    assert Path(str(importlib.resources.files("welfarelab._data"))) == REPO / "data"
    from welfarelab import data

    assert Path(str(data.DATA)) == REPO / "data"


# ---- Binder and CI ------------------------------------------------------------------------------


def test_nothing_makes_binder_ignore_environment_yml():
    for name in ["binder", ".binder", "Dockerfile"]:
        assert not (REPO / name).exists(), f"{name} would make Binder ignore environment.yml"
    post_build = (REPO / "postBuild").read_text().splitlines()
    assert post_build[0].startswith("#!") and "set -e" in post_build[:4]
    commands = [line for line in post_build if line.strip() and not line.startswith("#")]
    assert any("pip install" in line and "--no-deps" in line for line in commands)
    assert not any("requirements-dev" in line for line in commands)


def test_ci_runs_make_test_which_builds_from_both_files():
    ci = (REPO / ".ci" / "run").read_text()
    assert re.search(r"^make test\b", ci, re.MULTILINE)
    makefile = (REPO / "Makefile").read_text()
    stamp = re.search(r"^\$\(STAMP\):(.*)$", makefile, re.MULTILINE).group(1).split()
    assert {"environment.yml", "requirements-dev.txt", "pyproject.toml"} <= set(stamp)
    assert re.search(r"^test: \$\(STAMP\)", makefile, re.MULTILINE)
