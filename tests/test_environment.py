"""environment.yml is the one dependency list, in the shape Binder needs."""

import re
import subprocess

import yaml

from conftest import REPO


def load_env():
    return yaml.safe_load((REPO / "environment.yml").read_text())


def test_environment_is_what_binder_needs():
    env = load_env()
    deps = env["dependencies"]
    assert env["name"] and env["channels"] == ["conda-forge"]
    assert "python=3.11" in deps
    pip_index = deps.index("pip")
    pip_section = [d for d in deps if isinstance(d, dict)]
    assert len(pip_section) == 1 and deps.index(pip_section[0]) > pip_index
    for pin in pip_section[0]["pip"]:
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[A-Za-z0-9_.\-+]+", pin), pin


def test_key_packages_are_pinned_to_supported_versions():
    pins = dict(p.split("==") for p in load_env()["dependencies"][-1]["pip"])
    assert pins["nbgrader"] == "0.9.6"
    assert pins["jupyterlab"].startswith("4.") and int(pins["jupyterlab"].split(".")[1]) >= 2
    assert pins["notebook"].startswith("7.")
    assert pins["ipywidgets"].startswith("8.")
    for name in ["pandas", "matplotlib", "numpy-financial", "nbval", "pytest", "hypothesis"]:
        assert name in pins


def test_make_reads_exactly_the_pip_section():
    out = subprocess.run(["bash", "tools/requirements_from_env.sh", "environment.yml"], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == load_env()["dependencies"][-1]["pip"]


def test_nothing_makes_binder_ignore_environment_yml():
    for name in ["binder", ".binder", "Dockerfile"]:
        assert not (REPO / name).exists(), f"{name} would make Binder ignore environment.yml"
    post_build = (REPO / "postBuild").read_text().splitlines()
    assert post_build[0].startswith("#!") and "set -e" in post_build[:4]
