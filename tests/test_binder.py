"""Binder readiness: a fresh environment built from exactly environment.yml works.

Binder (repo2docker) installs environment.yml with the Python it names, then runs postBuild.
No Docker engine runs here, so this test does the same in a plain virtual environment (the pins
installed once per test run and copied here, tests/conftest.py, pinned_venv; they are the list
Binder reads, checked below), in a fresh copy of the repository's tracked files, and checks
that the widget and nbgrader JupyterLab extensions are enabled, that `import welfarelab` works from every notebook folder,
that postBuild's editable install reads the datasets from the copy's data/, and that an
assignment's solution executes there. Every module notebook runs in the same pins (the package
installed non-editable) in tests/test_runtime_env.py; every other notebook runs in the
development environment under nbval (make test).
"""

import json
import os
import re
import shutil
import subprocess

import pytest
import yaml
from conftest import REPO, copy_venv, runtime_pins

pytestmark = pytest.mark.slow


def run(cmd, **kwargs):
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, (f"{' '.join(map(str, cmd))} failed:\n"
                                  f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory, pinned_venv):
    root = tmp_path_factory.mktemp("binder")
    repo = root / "repo"
    files = run(["git", "ls-files", "-z"], cwd=REPO).split("\0")
    for name in filter(None, files):
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)

    # environment.yml's python and pins, installed once per run (tests/conftest.py,
    # pinned_venv: the same list test_runtime_env installs), copied here
    venv = copy_venv(pinned_venv, root / "venv")
    env = dict(os.environ, PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
               VIRTUAL_ENV=str(venv))
    for name in ["PYTHONPATH", "MPLBACKEND"]:  # Binder sets neither
        env.pop(name, None)
    run(["bash", "postBuild"], cwd=repo, env=env)
    return repo, venv, env


def test_the_pins_are_exactly_environment_yml_pip_section():
    """What pinned_venv installs (tools/requirements_from_env.sh) is the list Binder reads."""
    env_yml = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    assert runtime_pins() == env_yml["dependencies"][-1]["pip"]


def test_python_is_the_one_environment_yml_names(binder_env):
    _, venv, env = binder_env
    out = run([venv / "bin" / "python", "--version"], env=env)
    assert out.startswith("Python 3.11")


def test_widget_and_nbgrader_extensions_are_enabled(binder_env):
    _, venv, env = binder_env
    listing = re.sub(r"\x1b\[[0-9;]*m", "", run([venv / "bin" / "jupyter", "labextension", "list"],
                                                env=env))
    assert re.search(r"@jupyter-widgets/jupyterlab-manager v\S+ enabled OK", listing), listing
    assert re.search(r"@jupyter/nbgrader v0\.9\.6 enabled OK", listing), listing


#: Folders where a student's kernel imports the package for real (a Python process each).
IMPORT_FOLDERS = ["notebooks", "notebooks/nl", "source/m06", "release/m06-nl"]

# In ONE process of the venv: import the package as a notebook does, then, for every notebook
# folder, ask Python's path finder whether the folder holds a module or package of the name of
# any top-level module that import loaded (a `pandas.py` or a `welfarelab/` beside a notebook
# would be imported instead of the real one: a kernel's sys.path starts with its folder).
SHADOW_PROBE = """
import importlib.machinery, json, sys
import welfarelab, welfarelab.impact
tops = sorted({name.split(".")[0] for name in sys.modules} - set(sys.builtin_module_names))
shadowed = {}
for folder in sys.argv[1:]:
    specs = {t: importlib.machinery.PathFinder.find_spec(t, [folder]) for t in tops}
    # a folder without __init__.py (a namespace portion, loader None) hides nothing
    hits = [t for t, spec in specs.items() if spec is not None and spec.loader is not None]
    if hits:
        shadowed[folder] = hits
print(json.dumps({"package": welfarelab.__file__, "modules": len(tops), "shadowed": shadowed}))
"""


def test_import_welfarelab_from_every_notebook_folder(binder_env):
    """`import welfarelab, welfarelab.impact` works in a kernel started in any notebook folder:
    for real in IMPORT_FOLDERS (one process each, 3 s at load average 6), and for every folder
    no file or folder beside the notebooks takes the place of a module that import loads (one
    process for the 38 folders: a process per folder took 130 s)."""
    repo, venv, env = binder_env
    folders = sorted({p.parent for p in repo.rglob("*.ipynb")})
    assert len(folders) >= 3
    assert {repo / f for f in IMPORT_FOLDERS} <= set(folders), IMPORT_FOLDERS
    for folder in IMPORT_FOLDERS:
        out = run([venv / "bin" / "python", "-c",
                   "import welfarelab, welfarelab.impact; print(welfarelab.__file__)"],
                  cwd=repo / folder, env=env)
        assert str(repo / "welfarelab") in out, (folder, out)
    seen = json.loads(run([venv / "bin" / "python", "-c", SHADOW_PROBE, *map(str, folders)],
                          cwd=repo / "notebooks", env=env).strip().splitlines()[-1])
    assert seen["package"].startswith(str(repo / "welfarelab")), seen["package"]
    assert seen["modules"] > 20, seen  # pandas, numpy, matplotlib, ... were imported
    assert not seen["shadowed"], f"folders that hide a module from a kernel: {seen['shadowed']}"


def test_the_editable_install_reads_the_datasets_from_the_copy(binder_env):
    repo, venv, env = binder_env
    out = run([venv / "bin" / "python", "-c",
               "import welfarelab.data as d; print(d.DATA); print(len(d.load('funding_mix')))"],
              cwd=repo / "notebooks", env=env).split()
    assert out[0] == str(repo / "data"), out
    rows = (repo / "data" / "funding_mix.csv").read_text(encoding="utf-8").strip().splitlines()
    assert int(out[1]) == len(rows) - 1


def test_an_assignment_solution_executes(binder_env, tmp_path):
    """m06's solution (welfarelab's checks, its datasets) runs in the Binder environment. The
    module notebooks themselves run in the same pins in tests/test_runtime_env.py (all of
    them, m06 included), so they are not run a second time here."""
    repo, venv, env = binder_env
    notebooks = sorted((repo / "source" / "m06").glob("*.ipynb"))
    assert notebooks and all(nb.is_file() for nb in notebooks)
    for nb in notebooks:
        run([venv / "bin" / "jupyter", "nbconvert", "--to", "notebook", "--execute",
             "--ExecutePreprocessor.timeout=300", "--output-dir", str(tmp_path), str(nb)],
            cwd=nb.parent, env=env)
