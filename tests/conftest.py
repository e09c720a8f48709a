"""Shared test fixtures: the repository root, its notebooks and its assignments."""

import datetime as dt
import functools
import json
import os
import subprocess
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

REPO = Path(__file__).resolve().parents[1]


def assignment_ids():
    from welfaregrading.course import assignment_ids as ids

    return ids(REPO)


def repo_notebooks():
    """Every committed notebook outside hidden folders and the virtual environment."""
    return sorted(p for p in REPO.rglob("*.ipynb")
                  if not any(part.startswith(".") for part in p.relative_to(REPO).parts))


@pytest.fixture(scope="session")
def repo():
    return REPO


@pytest.fixture(autouse=True)
def _welfarelab_speaks_english_after_each_test():
    """Every test starts in English: a test that switches welfarelab to Dutch (issue 17) and
    fails before switching back would otherwise turn the next tests of its worker Dutch."""
    yield
    import sys

    i18n = sys.modules.get("welfarelab.i18n")
    if i18n is not None and i18n.get_language() != i18n.DEFAULT_LANGUAGE:
        i18n.set_language(i18n.DEFAULT_LANGUAGE)


# ---- the editions in a run: every module, each in one language, the twins rotating -----------
#
# The Dutch assignments (source/<id>-nl) have the same code cells as their English twins
# (tests/test_edition_parity.py proves it); only their texts and the checks' messages differ.
# The slow per-assignment tests (test_assignments, test_mistakes) therefore run, in a normal run,
# every module in ONE of its two languages:
#
# - the pairs <id> / <id>-nl, in the order of their ids, alternate: pair i runs in Dutch when
#   (i + key) is even, in English otherwise. So every run has every module, both languages
#   (four or five modules each), and a key of the other parity runs the other half;
# - an assignment without a twin always runs; a test may add twins it needs (test_mistakes adds
#   Dutch twins until the Dutch messages of every mistake kind are tried);
# - the key: WELFARELAB_ROTATION if set, else the first 8 hex digits of `git rev-parse HEAD`
#   (each commit rotates; the same commit always runs the same half), else the day number. The
#   test header prints it: WELFARELAB_ROTATION=<key> repeats a run's choice;
# - WELFARELAB_FULL=1 runs every assignment in both languages (`make test-full`).
#
# The controller fixes the key before xdist starts its workers (they inherit the environment),
# so a commit made during a run cannot give the workers different tests.

ROTATION_ENV, FULL_ENV = "WELFARELAB_ROTATION", "WELFARELAB_FULL"
DUTCH_SUFFIX = "-nl"


def full_run() -> bool:
    """True when WELFARELAB_FULL=1: every assignment in both languages."""
    return os.environ.get(FULL_ENV, "").strip() in ("1", "yes", "true")


def rotation_key() -> tuple[int, str]:
    """(key, where it came from): WELFARELAB_ROTATION, git HEAD's first 8 hex digits, or the
    day number (days since 1 January of year 1)."""
    given = os.environ.get(ROTATION_ENV, "").strip()
    if given:
        return int(given), ROTATION_ENV
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, check=True, timeout=30).stdout.strip()
        return int(head[:8], 16), f"git HEAD {head[:12]}"
    except (OSError, subprocess.SubprocessError, ValueError):
        return dt.date.today().toordinal(), "the date"


def edition_twins(ids: list[str]) -> list[tuple[str, str]]:
    """(English id, Dutch id) for each assignment whose twin ``<id>-nl`` exists, by id."""
    return [(aid, aid + DUTCH_SUFFIX) for aid in sorted(ids) if aid + DUTCH_SUFFIX in ids]


def rotated_assignments(ids: list[str] | None = None, key: int | None = None) -> list[str]:
    """The assignments a run tests (see the rule above), sorted; all of them in a full run."""
    ids = sorted(assignment_ids() if ids is None else ids)
    if full_run():
        return ids
    key = rotation_key()[0] if key is None else key
    twins = edition_twins(ids)
    left_out = {en if (i + key) % 2 == 0 else nl for i, (en, nl) in enumerate(twins)}
    return [aid for aid in ids if aid not in left_out]


def _cache_alembic_head() -> None:
    """nbgrader stamps each new gradebook with its alembic head, which it learns by running
    ``alembic heads`` in a subprocess (nbgrader.api.get_alembic_version, 3-6 s on the loaded
    2-core machine) for every gradebook a test creates. The head is fixed by the installed
    nbgrader: the first call in each test process runs it, the later ones reuse its answer
    (a failed call is not remembered). Subprocesses (``python -m nbgrader``, make) still run it."""
    try:
        from nbgrader import api
    except ImportError:
        return
    if not hasattr(api.get_alembic_version, "cache_info"):
        api.get_alembic_version = functools.cache(api.get_alembic_version)


def pytest_configure(config):
    """Cache nbgrader's alembic head (above); in the controller (or a run without xdist): fix
    the rotation key for the whole run."""
    global _KEY_SOURCE
    _cache_alembic_head()
    if not hasattr(config, "workerinput") and not full_run():
        key, _KEY_SOURCE = rotation_key()
        os.environ.setdefault(ROTATION_ENV, str(key))


_KEY_SOURCE = ""


def pytest_report_header(config):
    ids = assignment_ids()
    if full_run():
        return [f"assignments: all {len(ids)}, both languages ({FULL_ENV}=1)"]
    chosen = rotated_assignments(ids)
    key, source = rotation_key()
    source = _KEY_SOURCE or source
    line = (f"assignments: {len(chosen)} of {len(ids)}, each module in one language; rotation "
            f"key {key} ({source}); repeat with {ROTATION_ENV}={key}, all with {FULL_ENV}=1")
    return [line, "  " + " ".join(chosen)]


# ---- the students' runtime: one venv with environment.yml's pins per run -------------------
#
# tests/test_runtime_env.py (the package installed non-editable, the course's notebooks) and
# tests/test_binder.py (Binder's postBuild: an editable install, the JupyterLab extensions) each
# need a fresh venv with exactly the pins of environment.yml's pip: section (the same list:
# tools/requirements_from_env.sh reads it). The pins are installed once per run, into a venv
# in the run's shared temporary folder, under a file lock (xdist's workers are processes: the
# second waits for the first and then uses its venv); each test file then gets its own copy
# (`cp -a`, 3 s for the 457 MB, against 85 s for pip at load average 8) with the copy's path
# in its scripts' first lines and pyvenv.cfg, and installs the course package its own way.


def environment_python() -> str:
    """The python executable of the version environment.yml names (e.g. ``python3.11``)."""
    import shutil

    import yaml

    env_yml = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    version = next(d.split("=", 1)[1] for d in env_yml["dependencies"]
                   if isinstance(d, str) and d.startswith("python="))
    python = shutil.which(f"python{version}")
    assert python, f"environment.yml names python={version}, which this machine lacks"
    return python


def runtime_pins() -> list[str]:
    """environment.yml's pip: pins, as tools/requirements_from_env.sh writes them."""
    done = subprocess.run(["bash", str(REPO / "tools" / "requirements_from_env.sh"),
                           str(REPO / "environment.yml")], capture_output=True, text=True,
                          check=True)
    return done.stdout.split()


def _run(cmd, **kwargs) -> str:
    done = subprocess.run([str(c) for c in cmd], check=False, capture_output=True, text=True,
                          **kwargs)
    assert done.returncode == 0, (f"{' '.join(map(str, cmd))} failed:\n"
                                  f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


@pytest.fixture(scope="session")
def pinned_venv(tmp_path_factory) -> Path:
    """A venv holding exactly environment.yml's pins (pip, setuptools and nothing else), built
    once per run and shared by the xdist workers. Do not install into it: copy it
    (:func:`copy_venv`)."""
    import fcntl

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    venv, done = shared / "pinned-venv", shared / "pinned-venv.done"
    with open(shared / "pinned-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            import shutil

            shutil.rmtree(venv, ignore_errors=True)  # a build that failed half-way
            env = {k: v for k, v in os.environ.items()
                   if k not in ("PYTHONPATH", "VIRTUAL_ENV", "MPLBACKEND")}
            _run([environment_python(), "-m", "venv", venv], env=env)
            (shared / "pinned-requirements.txt").write_text("\n".join(runtime_pins()) + "\n")
            # --no-compile: no .pyc files ahead of time (a minute on 2 cores); Python writes
            # them on import
            _run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-compile",
                  "-r", shared / "pinned-requirements.txt"], env=env)
            done.write_text(str(venv))
    return venv


def copy_venv(venv: Path, dest: Path) -> Path:
    """A copy of ``venv`` at ``dest`` that works there: the copy's path replaces the original's
    in pyvenv.cfg and in bin/ (the scripts' ``#!`` lines, activate). Symbolic links (bin/python
    to the system's Python, lib64) stay links. Returns ``dest``."""
    import shutil

    shutil.copytree(venv, dest, symlinks=True)
    old, new = str(venv).encode(), str(dest).encode()
    for path in [dest / "pyvenv.cfg", *(dest / "bin").iterdir()]:
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            if old in data:
                path.write_bytes(data.replace(old, new))
    return dest


# ---- scheduling (make test: pytest-xdist, -n 2 --dist loadfile --no-loadscope-reorder) ---------
#
# --dist loadfile hands each file as a whole to one of the workers, in the order the workers
# collected them; a worker asks for the next file when it has two tests or fewer left
# (xdist/scheduler/loadscope.py, _reschedule). xdist's default reorder (files with the most tests
# first) put the minutes-long files with few tests last (test_runtime_env: 3 tests, 2 to 6
# minutes; test_binder: 5), so a run could end with one worker idle while the other built a
# venv. Sorting the files by their measured run time, slowest first, is the longest-processing-
# time-first rule for parallel machines (Graham 1969): the short files fill in at the end. Files
# not listed keep their collection order, after these.
#
#: Seconds per file (setup + call + teardown of its tests) in `make test` on the 2-core machine
#: (the full run of 6 December 2026, 17:46 UTC, three workers); refresh
#: from the "slowest 15 files" table that make test prints (WELFARELAB_DURATIONS=file.json writes
#: every file's). Only the order matters, not the exact numbers.
FILE_SECONDS = {  # measured: fresh-clone .ci/run of 7 December 2026, 00:16 UTC (2,551 tests
    # with the EN/NL rotation, pytest 15 min 50 s, wall 16 min 30 s), the slowest 15 files
    "tests/test_browser.py": 343,
    "tests/test_runtime_env.py": 213,
    "tests/grading/test_platform_roundtrip.py": 152,
    "tests/grading/test_hostile_corpus.py": 138,
    "tests/test_student_edition.py": 90,
    "tests/grading/test_batch.py": 86,
    "tests/hub/test_hub_e2e.py": 81,
    "tests/test_assignments.py": 71,
    "tests/grading/test_batch_corpus.py": 70,
    "notebooks/lecturer-guide.ipynb": 44,
    "tests/test_i18n_pseudo.py": 41,
    "tests/test_mistakes.py": 41,
    "tests/grading/test_formgrader.py": 36,
    "tests/grading/test_cli.py": 33,
    "tests/grading/test_mixed_language.py": 30,
    # below the fifteen slowest (under 30 s each in that run): estimates, kept early because
    # each builds a venv or starts servers
    "tests/test_binder.py": 30,
    "tests/hub/test_hub_load.py": 30,
    "tests/hub/test_hub_isolation.py": 30,
    "tests/grading/test_mixed_summary.py": 30,
}


def _file_of(nodeid: str) -> str:
    """The file part of a node id: the scope --dist loadfile distributes."""
    return nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(config, items):
    """Under xdist (a worker's collection is the order the controller hands files out in), put
    the slowest files first; a stable sort keeps the order of tests inside a file."""
    if hasattr(config, "workerinput"):
        items.sort(key=lambda item: -FILE_SECONDS.get(_file_of(item.nodeid), 0))


_seconds_per_file: dict = {}


def pytest_runtest_logreport(report):
    """Sum each file's test durations (in the controller, which gets every worker's reports)."""
    _seconds_per_file[_file_of(report.nodeid)] = \
        _seconds_per_file.get(_file_of(report.nodeid), 0.0) + report.duration


def pytest_terminal_summary(terminalreporter, config):
    """After a distributed run: the 15 slowest files (what FILE_SECONDS orders), and all of them
    as JSON to the file named by WELFARELAB_DURATIONS."""
    if hasattr(config, "workerinput") or not config.pluginmanager.has_plugin("dsession"):
        return
    ranked = sorted(_seconds_per_file.items(), key=lambda kv: -kv[1])
    terminalreporter.write_sep("=", "slowest 15 files (sum of their tests' durations)")
    for name, seconds in ranked[:15]:
        terminalreporter.write_line(f"{seconds:8.1f}s  {name}")
    out = os.environ.get("WELFARELAB_DURATIONS")
    if out:
        Path(out).write_text(json.dumps({n: round(s, 1) for n, s in ranked}, indent=1) + "\n")
