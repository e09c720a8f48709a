"""Binder readiness: a fresh environment built from exactly environment.yml works.

Binder (repo2docker) installs environment.yml with the Python it names, then runs postBuild.
No Docker engine runs here, so this test does the same in a plain virtual environment, in a
fresh copy of the repository's tracked files, and checks that the widget and nbgrader
JupyterLab extensions are enabled, that `import welfarelab` works from every notebook folder,
that postBuild's editable install reads the datasets from the copy's data/, and that a module
notebook and its assignment's solution execute there. Every module notebook runs in the
runtime environment (installed non-editable) in tests/test_runtime_env.py; every notebook runs
in the development environment under nbval (make test).
"""

import os
import re
import shutil
import subprocess

import pytest
import yaml
from conftest import REPO

pytestmark = pytest.mark.slow


def run(cmd, **kwargs):
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, (f"{' '.join(map(str, cmd))} failed:\n"
                                  f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory):
    env_yml = yaml.safe_load((REPO / "environment.yml").read_text())
    version = next(d.split("=")[1] for d in env_yml["dependencies"]
                   if isinstance(d, str) and d.startswith("python="))
    python = shutil.which(f"python{version}")
    assert python, f"environment.yml names python={version}, which this machine lacks"

    root = tmp_path_factory.mktemp("binder")
    repo = root / "repo"
    files = run(["git", "ls-files", "-z"], cwd=REPO).split("\0")
    for name in filter(None, files):
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)

    venv = root / "venv"
    run([python, "-m", "venv", str(venv)])
    pins = env_yml["dependencies"][-1]["pip"]
    (root / "requirements.txt").write_text("\n".join(pins) + "\n")
    # --no-compile: no .pyc files ahead of time (a minute on 2 cores); Python writes them on import
    run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-compile", "-r",
         root / "requirements.txt"])
    env = dict(os.environ, PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
               VIRTUAL_ENV=str(venv))
    for name in ["PYTHONPATH", "MPLBACKEND"]:  # Binder sets neither
        env.pop(name, None)
    run(["bash", "postBuild"], cwd=repo, env=env)
    return repo, venv, env


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


def test_import_welfarelab_from_every_notebook_folder(binder_env):
    repo, venv, env = binder_env
    folders = sorted({p.parent for p in repo.rglob("*.ipynb")})
    assert len(folders) >= 3
    for folder in folders:
        out = run([venv / "bin" / "python", "-c",
                   "import welfarelab, welfarelab.impact; print(welfarelab.__file__)"],
                  cwd=folder, env=env)
        assert str(repo / "welfarelab") in out, (folder, out)


def test_the_editable_install_reads_the_datasets_from_the_copy(binder_env):
    repo, venv, env = binder_env
    out = run([venv / "bin" / "python", "-c",
               "import welfarelab.data as d; print(d.DATA); print(len(d.load('funding_mix')))"],
              cwd=repo / "notebooks", env=env).split()
    assert out[0] == str(repo / "data"), out
    rows = (repo / "data" / "funding_mix.csv").read_text(encoding="utf-8").strip().splitlines()
    assert int(out[1]) == len(rows) - 1


def test_a_module_notebook_and_its_solution_execute(binder_env, tmp_path):
    repo, venv, env = binder_env
    notebooks = [repo / "notebooks" / "m06-measuring-social-impact.ipynb",
                 *sorted((repo / "source" / "m06").glob("*.ipynb"))]
    assert len(notebooks) >= 2 and all(nb.is_file() for nb in notebooks)
    for nb in notebooks:
        run([venv / "bin" / "jupyter", "nbconvert", "--to", "notebook", "--execute",
             "--ExecutePreprocessor.timeout=300", "--output-dir", str(tmp_path), str(nb)],
            cwd=nb.parent, env=env)
