"""The runtime environment alone runs the course: issue 13, "a runtime environment".

What a student installs is environment.yml's pip: section (Binder, the student edition), never
requirements-dev.txt. This module builds exactly that, once: a fresh venv with the pins that
tools/requirements_from_env.sh reads from environment.yml (installed once per test run and
copied here, tests/conftest.py, pinned_venv: tests/test_binder.py copies the same one), then
the course package installed the way a hub's image or the student edition does it,
non-editable, from a copy of the repository outside it. The copy's ``welfarelab/`` and
``data/`` folders are deleted after the install, so the package and its datasets can only come
from the venv's site-packages (``importlib.resources``, not the repository's layout).

Then every module notebook in ``notebooks/`` (index and m00-m08) runs in that venv with nbclient,
with no ``MPLBACKEND`` set and Jupyter's folders empty, as on a student's machine; every
notebook must run without an error and draw its figures as images (never the
``<Figure size ...>`` text that a forced backend leaves).

The notebooks run in two processes (one per core) that each take the next notebook no one has
taken, the longest first, and the notebooks' test comes first in this file (see tests/conftest.py
on scheduling). Run time on the 2-core machine: in `make test` 45 s for the venv and pins (pip's
cache warm) and 57 s for the ten notebooks; alone while other test runs kept the load average
near 9: 215 s and 160 s (134 s of CPU in all).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import nbformat
import pytest
import yaml
from conftest import REPO, copy_venv, runtime_pins
from packaging.utils import canonicalize_name

pytestmark = pytest.mark.slow

MODULE_NOTEBOOKS = ["index.ipynb"] + sorted(
    p.name for p in (REPO / "notebooks").glob("m[0-9][0-9]-*.ipynb"))
# The notebooks beyond the modules (course.yml extras: interviews, teamwork, the open slot) are
# students' notebooks too: they run here, in the students' environment, not under nbval.
EXTRA_NOTEBOOKS = sorted(p.name for p in (REPO / "notebooks").glob("x-*.ipynb"))
FIGURE_TEXT = re.compile(r"<Figure size \d+(\.\d+)?x\d+(\.\d+)? with \d+ Axes>")
DEV_TOOLS = ["pytest", "pytest-xdist", "nbval", "hypothesis", "coverage", "playwright", "ruff"]

# Runs inside the runtime venv: execute notebooks with nbclient (a dependency of nbconvert, so
# part of the runtime) and save them with their outputs; report errors and the kernel used.
DRIVER = textwrap.dedent('''
    import json, os, sys, time, traceback
    from pathlib import Path
    import nbformat
    from nbclient import NotebookClient

    def execute(nb, folder):
        # 120 s per cell (each notebook runs in under a minute): in December 2026 nbclient
        # waited out the whole timeout, with no error, after m06's theory_of_change_builder()
        # cell in 3 runs of 4 (the kernel's reply and idle came within 1 s), 300 s a run
        NotebookClient(nb, timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": str(folder)}}).execute()

    out, claims = Path(sys.argv[1]), Path(sys.argv[2])
    # which Python the "python3" kernel runs, and which matplotlib backend it picks by itself
    probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import sys, matplotlib; print(sys.executable); print(matplotlib.get_backend())")])
    execute(probe, out)
    kernel, backend = probe.cells[0].outputs[0]["text"].split()
    report = {"kernel": kernel, "backend": backend, "errors": {}, "ran": [], "seconds": {}}
    for name in sys.argv[3:]:
        path = Path(name)
        try:  # the next notebook that no other driver has claimed (O_EXCL: one winner)
            os.close(os.open(claims / path.name, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            continue
        report["ran"].append(path.name)
        nb = nbformat.read(path, as_version=4)
        started = time.perf_counter()
        try:
            execute(nb, path.parent)
        except Exception:
            report["errors"][path.name] = traceback.format_exc()[-3000:]
        report["seconds"][path.name] = round(time.perf_counter() - started, 1)
        nbformat.write(nb, out / path.name)
    print(json.dumps(report))
''')


def run(cmd, **kwargs):
    done = subprocess.run([str(c) for c in cmd], check=False, capture_output=True, text=True,
                          **kwargs)
    assert done.returncode == 0, (f"{' '.join(map(str, cmd))} failed:\n"
                                  f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def student_env(root: Path, venv: Path) -> dict:
    """A student's shell: the venv first on PATH, no MPLBACKEND, empty Jupyter and IPython
    folders (no kernel or setting from this machine's user), no PYTHONPATH."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MPLBACKEND", "PYTHONPATH", "VIRTUAL_ENV", "JUPYTER_PATH")}
    home = root / "home"
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}", VIRTUAL_ENV=str(venv),
               JUPYTER_CONFIG_DIR=str(home / "jupyter-config"),
               JUPYTER_DATA_DIR=str(home / "jupyter-data"),
               JUPYTER_RUNTIME_DIR=str(home / "jupyter-runtime"), IPYTHONDIR=str(home / "ipython"))
    return env


@pytest.fixture(scope="module")
def runtime(tmp_path_factory, pinned_venv):
    """(copy of the repository, venv, environment) with the runtime pins and the package."""
    root = tmp_path_factory.mktemp("runtime")
    copy = root / "course"
    for name in filter(None, run(["git", "ls-files", "-z"], cwd=REPO).split("\0")):
        if (REPO / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, copy / name)

    # the pins, installed once per run (tests/conftest.py, pinned_venv), copied here
    venv = copy_venv(pinned_venv, root / "venv")
    env = student_env(root, venv)
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-compile"]
    run(pip + [copy], env=env)  # non-editable, its declared dependencies resolved against pins
    for folder in ["welfarelab", "welfaregrading", "data"]:
        shutil.rmtree(copy / folder)
    return copy, venv, env


# The notebooks first: xdist hands this worker its next file when two tests are left, and those
# two then take seconds, not minutes (tests/conftest.py, scheduling).
def test_every_module_notebook_runs_and_draws_images(runtime, tmp_path):
    copy, venv, env = runtime
    assert len(MODULE_NOTEBOOKS) == 10, MODULE_NOTEBOOKS  # index and m00-m08
    assert EXTRA_NOTEBOOKS, "no x- notebooks found"
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    out = tmp_path / "executed"
    out.mkdir()
    claims = tmp_path / "claims"
    claims.mkdir()
    # two processes, one per core, each taking the next notebook nobody has taken yet, the
    # longest (most code cells) first, so neither waits long for the other at the end
    paths = sorted((copy / "notebooks" / name for name in MODULE_NOTEBOOKS + EXTRA_NOTEBOOKS),
                   key=lambda p: -sum(c.cell_type == "code"
                                      for c in nbformat.read(p, as_version=4).cells))
    procs = [subprocess.Popen([venv / "bin" / "python", driver, out, claims, *paths],
                              cwd=copy / "notebooks", env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in (0, 1)]
    reports = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=900)
        assert proc.returncode == 0, stderr[-3000:]
        reports.append(json.loads(stdout.strip().splitlines()[-1]))
    ran = [name for report in reports for name in report["ran"]]
    print("seconds per notebook, per process:", [r["seconds"] for r in reports])
    # each notebook ran, and only once
    assert sorted(ran) == sorted(MODULE_NOTEBOOKS + EXTRA_NOTEBOOKS), ran
    for report in reports:
        assert Path(report["kernel"]).parent == venv / "bin", report["kernel"]
        assert "inline" in report["backend"], report["backend"]  # matplotlib_inline, not Agg
        assert not report["errors"], "\n\n".join(f"{k}:\n{v}" for k, v in report["errors"].items())

    for name in MODULE_NOTEBOOKS + EXTRA_NOTEBOOKS:
        nb = nbformat.read(out / name, as_version=4)
        images, as_text = 0, []
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                images += "image/png" in data
                text = "".join(data.get("text/plain", "")) + "".join(output.get("text", ""))
                if FIGURE_TEXT.search(text) and "image/png" not in data:
                    as_text.append(text.strip()[:80])
        assert not as_text, f"{name}: figures shown as text, not images: {as_text}"
        if name in MODULE_NOTEBOOKS and name != "index.ipynb":  # the index draws nothing
            assert images >= 1, f"{name} drew no image"


def test_the_runtime_holds_the_pins_and_the_package_and_no_dev_tool(runtime):
    _, venv, env = runtime
    listed = json.loads(run([venv / "bin" / "python", "-m", "pip", "list", "--format=json"],
                            env=env))
    installed = {canonicalize_name(d["name"]): d["version"] for d in listed}
    assert "welfarelab" in installed
    pins = {canonicalize_name(p.split("==")[0]): p.split("==")[1] for p in runtime_pins()}
    for name, pinned in pins.items():
        assert installed.get(name) == pinned, (name, installed.get(name), pinned)
    extra = set(installed) - set(pins) - {"pip", "setuptools", "welfarelab"}
    assert not extra, f"installed beyond environment.yml's pins: {sorted(extra)}"
    assert not {canonicalize_name(t) for t in DEV_TOOLS} & set(installed)
    run([venv / "bin" / "python", "-m", "pip", "check"], env=env)


def test_the_package_and_its_datasets_come_from_site_packages(runtime):
    copy, venv, env = runtime
    probe = textwrap.dedent('''
        import json, welfarelab, welfarelab.data as d
        print(json.dumps({"package": welfarelab.__file__, "data": str(d.DATA),
                          "rows": {n: len(d.load(n)) for n in sorted(d.descriptors())}}))
    ''')
    seen = json.loads(run([venv / "bin" / "python", "-c", probe], cwd=copy / "notebooks",
                          env=env))
    (site,) = venv.glob("lib/python3*/site-packages")
    assert Path(seen["package"]) == site / "welfarelab" / "__init__.py", seen["package"]
    assert Path(seen["data"]) == site / "welfarelab" / "_data", seen["data"]
    # the same datasets, with the same number of rows, as the repository's data/ folder
    described = yaml.safe_load((REPO / "data" / "datasets.yml").read_text(encoding="utf-8"))
    assert sorted(seen["rows"]) == sorted(described["datasets"])
    for name, spec in described["datasets"].items():
        with open(REPO / "data" / spec["file"], encoding="utf-8", newline="") as f:
            records = [row for row in csv.reader(f) if row]
        assert seen["rows"][name] == len(records) - 1, name  # less the header
