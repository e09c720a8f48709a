"""Hostile submissions for the grading sandbox, made from an assignment's notebooks at run time.

    python tools/hostile_corpus.py COURSE [--assignment m06] [--canary-port N]

submits into ``COURSE/submitted/`` one notebook per attack plus honest ones, and writes
``COURSE/hostile-expected.json`` (what grading must make of each). COURSE needs ``source/<id>/``
and ``release/<id>/`` (a scratch course made by ``welfaregrading.course.scratch_course`` and
``generate``). Nothing here is stored student work: every notebook is the release, answered
from the source, with one answer replaced.

Each hostile submission answers every part correctly except the last code answer, whose cell
instead attempts one thing (with the real course's absolute paths, as an attacker who knows the
layout would):

- ``read-source``: read the source notebook and print it (solutions and hidden tests);
- ``write-root``: write a file at the course root;
- ``gradebook``: change every score in ``gradebook.db`` and add a table;
- ``other-student``: overwrite another student's submission and plant a file in their folder;
- ``network``: connect to a listener of the grader on 127.0.0.1 (``--canary-port``), then to
  an address on the internet;
- ``fork``: start a process that outlives the cell (it would outlive the kernel too);
- ``memory``: allocate 8 times the grading kernel's memory limit.

Sandboxed, each attempt fails (or, for ``fork``, is ended with the kernel), so the part it
replaced scores 0 and every other part full marks, exactly like the honest ``part-missing``
submission that leaves that part unanswered. tests/test_sandbox_corpus.py grades them.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import welfaregrading as wg
import welfaregrading.samples

#: Marker in the command line of the process the ``fork`` attack leaves running.
FORK_MARKER = "welfarelab-hostile-fork"
#: The victim of ``other-student`` (an honest submission in the same batch).
VICTIM = "honest-full"
PLANTED = "planted-by-hostile.txt"
ROOT_FILE = "written-by-hostile.txt"


def _nbg(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def attacks(course: Path, assignment: str, notebook: str, canary_port: int,
            memory_mb: int) -> dict[str, tuple[str, str]]:
    """``{name: (what it attempts, the code of the answer cell)}`` for a course at ``course``."""
    root = str(Path(course).resolve())
    return {
        "read-source": (
            "reads the source notebook (solutions, hidden tests) and prints it",
            ("import glob, json\n"
            f"paths = sorted(glob.glob({root!r} + '/source/*/*.ipynb'))\n"
            f"paths = paths or [{root!r} + '/source/{assignment}/{notebook}']\n"
            "for path in paths:\n"
            "    with open(path) as fh:\n"
            "        for cell in json.load(fh)['cells']:\n"
            "            print(''.join(cell['source']))\n")),
        "write-root": (
            "writes a file at the course root",
            (f"with open({root!r} + '/{ROOT_FILE}', 'w') as fh:\n"
            "    fh.write('a student was here')\n")),
        "gradebook": (
            "gives itself full marks in gradebook.db",
            ("import sqlite3\n"
            f"db = sqlite3.connect('file:' + {root!r} + '/gradebook.db?mode=rw', uri=True)\n"
            "db.execute('UPDATE grade SET manual_score = 100')\n"
            "db.execute('CREATE TABLE hostile (x)')\n"
            "db.commit()\n")),
        "other-student": (
            f"overwrites the submission of {VICTIM} and plants a file in its folder",
            (f"victim = {root!r} + '/submitted/{VICTIM}/{assignment}'\n"
            f"with open(victim + '/{notebook}', 'w') as fh:\n"
            "    fh.write('{}')\n"
            f"with open({root!r} + '/autograded/{VICTIM}/{assignment}/{PLANTED}', 'w') as fh:\n"
            "    fh.write('planted')\n")),
        "network": (
            "opens network connections (the grader's own machine, then the internet)",
            ("import socket\n"
            f"for host, port in [('127.0.0.1', {int(canary_port)}), ('1.1.1.1', 80)]:\n"
            "    with socket.create_connection((host, port), timeout=5) as conn:\n"
            "        conn.sendall(b'hostile submission calling')\n")),
        "fork": (
            "starts a process that outlives the cell",
            ("import subprocess, sys\n"
            "subprocess.Popen([sys.executable, '-c', 'import time\\nwhile True: time.sleep(0.2)',"
            f" {FORK_MARKER!r}], start_new_session=True, stdin=subprocess.DEVNULL,"
            " stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n")),
        "memory": (
            f"allocates {8 * memory_mb} MB, 8 times the kernel's memory limit",
            f"blob = bytearray({8 * memory_mb} * 1024 * 1024)\n"),
    }


def secrets(source_nb, release_nb, attacked: str | None = None) -> list[str]:
    """Text that must never reach an autograded notebook's outputs or any feedback: each hidden
    test's condition (it holds the expected value) and the model answers of written parts; with
    ``attacked``, that answer's solution lines instead (minus lines the release shows)."""
    release_text = "\n".join(c.source for c in release_nb.cells)
    found = []
    for cell in source_nb.cells:
        meta = _nbg(cell)
        lines = cell.source.splitlines()
        if "### BEGIN HIDDEN TESTS" in cell.source and not attacked:
            inside = False
            for line in lines:
                if line.strip() == "### BEGIN HIDDEN TESTS":
                    inside = True
                elif line.strip() == "### END HIDDEN TESTS":
                    inside = False
                elif inside and line.strip().startswith("assert "):
                    condition = line.strip()[len("assert "):].split(', "')[0].split(", '")[0]
                    found.append(condition.rstrip(", \\").strip())
        if meta.get("solution") and (meta.get("grade_id") == attacked if attacked
                                     else cell.cell_type == "markdown"):
            body = wg.samples.solution_code(cell.source)
            found += [line.strip() for line in body.splitlines()
                      if len(line.strip()) >= 20 and line.strip() not in release_text]
    return [s for s in found if len(s) >= 12]


def build(course: Path, assignment: str = "m06", canary_port: int = 9,
          memory_mb: int = 2048) -> dict:
    """Submit the honest and hostile notebooks into ``course``; return (and write to
    ``course/hostile-expected.json``) per student: ``kind``, ``attempt``, the expected score of
    every auto-graded cell, and the ``secrets`` list."""
    course = Path(course).resolve()
    release_dir, source_dir = course / "release" / assignment, course / "source" / assignment
    release_path = min(release_dir.glob("*.ipynb"))
    name = release_path.name
    release_nb = nbformat.read(release_path, as_version=4)
    source_nb = nbformat.read(source_dir / name, as_version=4)
    full = wg.samples.answered(release_nb, source_nb)
    for cell in full.cells:  # a written answer of the student's own, not the model answer
        if _nbg(cell).get("solution") and cell.cell_type == "markdown":
            cell.source = wg.samples.SAMPLE_WRITTEN

    answers = [i for i, c in enumerate(full.cells)
               if _nbg(c).get("solution") and c.cell_type == "code"]
    target = answers[-1]
    attacked = _nbg(full.cells[target])["grade_id"]
    tests = {_nbg(c)["grade_id"]: float(_nbg(c).get("points", 0))
             for c in full.cells if _nbg(c).get("grade") and not _nbg(c).get("solution")}
    # the tests after the attacked answer check it (it is the last code answer)
    broken = [_nbg(c)["grade_id"] for c in full.cells[target + 1:]
              if _nbg(c).get("grade") and not _nbg(c).get("solution")]
    full_marks = dict(tests)
    missing_part = {gid: (0.0 if gid in broken else pts) for gid, pts in tests.items()}

    def replaced(code: str):
        nb = copy.deepcopy(full)
        nb.cells[target].source = code
        return nb

    stub = release_nb.cells[next(i for i, c in enumerate(release_nb.cells)
                             if _nbg(c).get("grade_id") == attacked)].source
    plan = {
        "honest-full": ("honest", "the full solution", full, full_marks),
        "honest-blank": ("honest", "the blank release", copy.deepcopy(release_nb),
                         dict.fromkeys(tests, 0.0)),
        "honest-part-missing": ("honest", f"{attacked} left unanswered", replaced(stub),
                                missing_part),
    }
    for kind, (attempt, code) in attacks(course, assignment, name, canary_port,
                                         memory_mb).items():
        plan[f"hostile-{kind}"] = ("hostile", attempt, replaced(code), missing_part)

    expected = {"assignment": assignment, "notebook": name, "attacked": attacked,
                "broken_tests": broken, "secrets": secrets(source_nb, release_nb),
                # the attacked part's solution: only honest-full may show it (its own code)
                "answer_secrets": secrets(source_nb, release_nb, attacked),
                "fork_marker": FORK_MARKER, "victim": VICTIM, "planted": PLANTED,
                "root_file": ROOT_FILE, "students": {}}
    for student, (kind, attempt, nb, scores) in plan.items():
        wg.samples.submit(course, assignment, student, nb, name)
        expected["students"][student] = {"kind": kind, "attempt": attempt, "scores": scores}
    (course / "hostile-expected.json").write_text(json.dumps(expected, indent=1))
    return expected


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("course", type=Path)
    parser.add_argument("--assignment", default="m06")
    parser.add_argument("--canary-port", type=int, default=9)
    parser.add_argument("--memory-mb", type=int, default=2048)
    args = parser.parse_args(argv)
    expected = build(args.course, args.assignment, args.canary_port, args.memory_mb)
    for student, info in expected["students"].items():
        print(f"{student:<24} {info['attempt']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
