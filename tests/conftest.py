"""Shared test fixtures: the repository root, its notebooks and its assignments."""

import json
import os
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
FILE_SECONDS = {  # measured: fresh-clone .ci/run of 6 December 2026 (2,303 tests, 32 min 43 s)
    "tests/test_runtime_env.py": 535,
    "tests/test_browser.py": 423,
    "tests/test_assignments.py": 365,
    "tests/test_student_edition.py": 320,
    "tests/grading/test_hostile_corpus.py": 273,
    "tests/grading/test_platform_roundtrip.py": 239,
    "tests/test_binder.py": 192,
    "tests/grading/test_batch.py": 185,
    "tests/hub/test_hub_e2e.py": 161,
    "tests/test_mistakes.py": 141,
    "tests/grading/test_batch_corpus.py": 111,
    "notebooks/lecturer-guide.ipynb": 88,
    "tests/grading/test_collect_hostile.py": 75,
    "tests/grading/test_formgrader.py": 70,
    "tests/grading/test_export_platforms.py": 54,
    # below the fifteen slowest in that run (under 54 s each): estimates
    "tests/hub/test_hub_load.py": 50,
    "tests/hub/test_hub_isolation.py": 50,
    "tests/grading/test_mixed_language.py": 50,
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
