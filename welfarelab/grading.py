"""Grading helpers for lecturers and tests: nbgrader's own pipeline in a scratch course.

Everything here drives nbgrader through its Python API (:class:`nbgrader.apps.NbGraderAPI`,
:class:`nbgrader.api.Gradebook`) and its ``export`` command; it re-implements no grading.
Work happens in a scratch copy of the course, so the repository's own tree (``source/``,
``release/``) is never written to, and no ``gradebook.db`` appears in it.

Command line (also through ``make``)::

    python -m welfarelab.grading release [ID ...]       # regenerate release/ from source/
    python -m welfarelab.grading demo [--assignment m06] [--out DIR] [--timeout S]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import NamedTuple
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
CONFIG_FILE = "nbgrader_config.py"
SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"


# ---------------------------------------------------------------------------------------------
# The course and its scratch copies
# ---------------------------------------------------------------------------------------------

def assignment_ids(root: Path = REPO) -> list[str]:
    """The ids of the assignments in ``root/source`` (folders holding a notebook), sorted."""
    return sorted(p.name for p in (Path(root) / "source").iterdir()
                  if p.is_dir() and any(p.glob("*.ipynb")))


def scratch_course(dest: Path, assignments: list[str] | None = None, root: Path = REPO,
                   config_lines: list[str] | None = None) -> Path:
    """Copy what grading needs (config, ``source/<id>``, ``data/``) into ``dest`` and return it.

    ``config_lines`` are appended to the copied ``nbgrader_config.py`` (e.g. a shorter timeout).
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    config = (Path(root) / CONFIG_FILE).read_text(encoding="utf-8")
    if config_lines:
        config += "\n# Added for this scratch course\n" + "\n".join(config_lines) + "\n"
    (dest / CONFIG_FILE).write_text(config, encoding="utf-8")
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    for aid in assignments or assignment_ids(root):
        shutil.copytree(Path(root) / "source" / aid, dest / "source" / aid, ignore=ignore,
                        dirs_exist_ok=True)
    if (Path(root) / "data").is_dir():
        shutil.copytree(Path(root) / "data", dest / "data", ignore=ignore, dirs_exist_ok=True)
    return dest


def _venv_on_path() -> None:
    """nbgrader runs ``alembic`` and kernels by name: make this Python's bin folder come first."""
    bin_dir = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bin_dir:
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def api_for(course: Path):
    """An :class:`nbgrader.apps.NbGraderAPI` configured from ``course/nbgrader_config.py``."""
    _venv_on_path()
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(CONFIG_FILE, path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    return NbGraderAPI(config=config)


def _check(result: dict, what: str) -> dict:
    if not result.get("success"):
        raise RuntimeError(f"nbgrader {what} failed:\n{result.get('error') or result.get('log')}")
    return result


def generate(course: Path, assignment: str) -> Path:
    """Run nbgrader's ``generate_assignment --force`` in ``course``; return the release folder."""
    _check(api_for(course).generate_assignment(assignment, force=True, create=True),
           f"generate_assignment {assignment}")
    return Path(course) / "release" / assignment


def fresh_release(assignment: str, dest: Path, root: Path = REPO) -> Path:
    """Generate ``assignment`` from ``root``'s source in a scratch course under ``dest``."""
    course = scratch_course(Path(dest) / "course", [assignment], root)
    return generate(course, assignment)


def update_release(assignments: list[str] | None = None, root: Path = REPO) -> list[Path]:
    """Regenerate ``root/release/<id>`` for each assignment (all by default); return the folders.

    nbgrader runs in a temporary copy, so no gradebook or log is left in the repository.
    """
    written = []
    for aid in assignments or assignment_ids(root):
        with tempfile.TemporaryDirectory(prefix="welfarelab-release-") as tmp:
            fresh = fresh_release(aid, Path(tmp), root)
            target = Path(root) / "release" / aid
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(fresh, target)
            written.append(target)
    return written


# ---------------------------------------------------------------------------------------------
# Sample submissions, made from the source at run time (never stored student data)
# ---------------------------------------------------------------------------------------------

def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def solution_code(source_cell_text: str) -> str:
    """The solution inside a source cell, without nbgrader's ``### BEGIN/END SOLUTION`` lines."""
    return "\n".join(line for line in source_cell_text.splitlines()
                     if line.strip() not in (SOLUTION_BEGIN, SOLUTION_END))


def answered(release_nb, source_nb):
    """A copy of the release notebook with every answer cell filled in from the source."""
    solutions = {_nbgrader(c).get("grade_id"): c for c in source_nb.cells
                 if _nbgrader(c).get("solution")}
    nb = copy.deepcopy(release_nb)
    for cell in nb.cells:
        meta = _nbgrader(cell)
        if meta.get("solution") and meta.get("grade_id") in solutions:
            src = solutions[meta["grade_id"]]
            cell.source = solution_code(src.source) if cell.cell_type == "code" else src.source
    return nb


#: Per assignment: answer cells replaced by a plausible mistake in the "some wrong" sample.
WRONG_ANSWERS = {
    "m06": {
        "m06-impact-year1-answer": "impact_year1_a = 40 * 2500  # forgot deadweight and attribution",
        "m06-present-value-answer": "present_value_a = sum(yearly_values_a)  # forgot to discount",
    },
}
ENDLESS_CODE = "while True:  # this loop never ends\n    pass"


@dataclass
class Sample:
    """A sample submission: the student id and what the demo expects of it, in words."""

    student: str
    description: str
    notebook: object


def sample_submissions(release_dir: Path, source_dir: Path) -> list[Sample]:
    """Five submissions per notebook: full solution, blank, some wrong, a deleted grade cell,
    and code that never ends. They are made from the source and release at run time.
    """
    samples = []
    notebooks = sorted(Path(release_dir).glob("*.ipynb"))
    for path in notebooks:
        release_nb = nbformat.read(path, as_version=4)
        source_nb = nbformat.read(Path(source_dir) / path.name, as_version=4)
        full = answered(release_nb, source_nb)
        answer_ids = [_nbgrader(c)["grade_id"] for c in full.cells
                      if _nbgrader(c).get("solution") and c.cell_type == "code"]
        test_ids = [_nbgrader(c)["grade_id"] for c in full.cells
                    if _nbgrader(c).get("grade") and not _nbgrader(c).get("solution")]

        wrong = copy.deepcopy(full)
        mistakes = WRONG_ANSWERS.get(path.parent.name) or {answer_ids[0]: "pass  # no answer"}
        for cell in wrong.cells:
            if _nbgrader(cell).get("grade_id") in mistakes:
                cell.source = mistakes[_nbgrader(cell)["grade_id"]]

        deleted = copy.deepcopy(full)
        deleted.cells = [c for c in deleted.cells if _nbgrader(c).get("grade_id") != test_ids[0]]

        endless = copy.deepcopy(full)
        stuck = answer_ids[min(2, len(answer_ids) - 1)]
        for cell in endless.cells:
            if _nbgrader(cell).get("grade_id") == stuck:
                cell.source = ENDLESS_CODE

        samples += [
            Sample("ada-full", "the full solution: every test passes", full),
            Sample("bo-blank", "the blank release, handed in unchanged", copy.deepcopy(release_nb)),
            Sample("chris-wrong", "some wrong answers: " + ", ".join(mistakes), wrong),
            Sample("dee-deleted", f"deleted the grade cell {test_ids[0]}", deleted),
            Sample("eli-endless", f"code that never ends in {stuck}", endless),
        ]
    return samples


def submit(course: Path, assignment: str, student: str, notebook, name: str,
           when: dt.datetime | None = None) -> Path:
    """Place a notebook as ``submitted/<student>/<assignment>/<name>`` with a timestamp."""
    folder = Path(course) / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / name)
    when = when or dt.datetime.now(dt.timezone.utc)
    (folder / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
    return folder / name


# ---------------------------------------------------------------------------------------------
# Grading and reading the results
# ---------------------------------------------------------------------------------------------

def autograde(course: Path, assignment: str, student: str) -> dict:
    """Autograde one submission with nbgrader; returns nbgrader's result dict (never raises)."""
    return api_for(course).autograde(assignment, student, force=True, create=True)


def feedback(course: Path, assignment: str, student: str) -> dict:
    """Generate the feedback HTML of one graded submission; returns nbgrader's result dict."""
    return api_for(course).generate_feedback(assignment, student, force=True)


def export_csv(course: Path, path: Path) -> Path:
    """Write nbgrader's grades CSV (``nbgrader export``) for the whole course to ``path``."""
    _venv_on_path()
    cmd = ["nbgrader", "export", "--to", str(path)]
    done = subprocess.run(cmd, cwd=course, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader export failed:\n{done.stderr[-2000:]}")
    return Path(path)


class CellScore(NamedTuple):
    """A grade cell's result: points scored, points possible, and whether nbgrader graded it."""

    score: float
    max_score: float
    auto: bool
    needs_manual_grade: bool = False


def cell_scores(course: Path, assignment: str, student: str) -> dict[str, CellScore]:
    """Per grade cell id: its :class:`CellScore`, read from the gradebook.

    ``auto`` is True for a test cell (graded by running code) and False for a written or
    code answer that the lecturer marks by hand.
    """
    from nbgrader.api import Gradebook

    result = {}
    with Gradebook(f"sqlite:///{Path(course) / 'gradebook.db'}") as gb:
        submission = gb.find_submission(assignment, student)
        for notebook in submission.notebooks:
            answers = {cell.name for cell in notebook.notebook.solution_cells}
            for grade in notebook.grades:
                auto = grade.cell.cell_type == "code" and grade.name not in answers
                result[grade.name] = CellScore(grade.score, grade.max_score, auto,
                                               bool(grade.needs_manual_grade))
    return result


def lost_points(course: Path, assignment: str, student: str) -> list[str]:
    """Why a graded submission lost points, one line per grade cell, from the autograded notebook.

    For an auto-graded cell it is the error the test raised (its message), or "timed out"; a
    cell nbgrader had to put back is flagged; a manually graded answer is "to be marked".
    """
    scores = cell_scores(course, assignment, student)
    reasons = []
    folder = Path(course) / "autograded" / student / assignment
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            meta = _nbgrader(cell)
            gid = meta.get("grade_id")
            if meta.get("solution") and not meta.get("grade") and cell.cell_type == "code":
                stopped = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"
                           and o.get("ename") in ("KeyboardInterrupt", "CellTimeoutError")]
                if stopped:
                    reasons.append(f"{gid}: the answer was stopped at the time limit "
                                   "(code that never ends); its variables were never made")
            if not meta.get("grade") or gid not in scores:
                continue
            score, max_score, _, needs_manual = scores[gid]
            if "was missing from the submission" in cell.source:
                reasons.append(f"{gid}: the cell was missing; nbgrader put it back and graded it")
            if meta.get("solution"):
                if needs_manual:
                    reasons.append(f"{gid}: written answer, to be marked by the lecturer "
                                   f"(0 of {max_score:g} until then)")
                else:
                    reasons.append(f"{gid}: left unanswered ({score:g} of {max_score:g})")
                continue
            if score is not None and score >= max_score:
                continue
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            if errors:
                err = errors[0]
                what = err.get("evalue") or err.get("ename")
                if err.get("ename") in ("KeyboardInterrupt", "CellTimeoutError"):
                    what = "stopped: the code ran past the time limit"
                reasons.append(f"{gid}: {score:g} of {max_score:g} ({err.get('ename')}: {what})")
            else:
                reasons.append(f"{gid}: {score:g} of {max_score:g}")
    return reasons


def score_table(course: Path, assignment: str, students: list[str]):
    """A pandas DataFrame: one row per student with auto score, manual points pending and total."""
    import pandas as pd

    rows = []
    for sid in students:
        try:
            scores = cell_scores(course, assignment, sid)
        except Exception as err:  # noqa: BLE001 - a missing submission is reported, not fatal
            rows.append({"student": sid, "auto score": None, "auto max": None,
                         "manual max": None, "note": f"not graded: {err}"})
            continue
        rows.append({"student": sid,
                     "auto score": sum(c.score or 0 for c in scores.values() if c.auto),
                     "auto max": sum(c.max_score for c in scores.values() if c.auto),
                     "manual max": sum(c.max_score for c in scores.values() if not c.auto),
                     "note": ""})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# The demo a lecturer runs: make grade-demo
# ---------------------------------------------------------------------------------------------

def run_demo(assignment: str = "m06", out: Path | None = None, timeout: int | None = None,
             echo=print) -> dict:
    """Grade five sample submissions with nbgrader's real pipeline in a scratch course.

    Steps: generate_assignment, submit the samples, autograde each, generate_feedback,
    ``nbgrader export`` to CSV. A submission that nbgrader cannot grade is reported and the
    batch goes on. Returns a dict with ``course``, ``csv``, ``table`` (DataFrame), ``reasons``
    (student → list of lines) and ``failures`` (student → error text).
    """
    out = Path(out) if out else Path(tempfile.mkdtemp(prefix="welfarelab-grade-demo-"))
    extra = [f"c.Execute.timeout = {int(timeout)}"] if timeout else None
    course = scratch_course(out / "course", [assignment], config_lines=extra)
    echo(f"Scratch course: {course}")
    echo(f"1/5 generate_assignment {assignment}")
    release_dir = generate(course, assignment)
    samples = sample_submissions(release_dir, course / "source" / assignment)
    echo(f"2/5 submitting {len(samples)} sample submissions (made from the source just now)")
    for s in samples:
        nb_name = next(release_dir.glob("*.ipynb")).name
        submit(course, assignment, s.student, s.notebook, nb_name)
    failures, reasons = {}, {}
    for i, s in enumerate(samples, start=1):
        echo(f"3/5 autograde {s.student} ({i}/{len(samples)}): {s.description}")
        result = autograde(course, assignment, s.student)
        if not result.get("success"):
            failures[s.student] = (result.get("error") or result.get("log") or "")[-1500:]
            echo(f"    could not grade {s.student}; the batch goes on")
            continue
        reasons[s.student] = lost_points(course, assignment, s.student)
    echo("4/5 generate_feedback")
    for s in samples:
        if s.student not in failures:
            fb = feedback(course, assignment, s.student)
            if not fb.get("success"):
                failures[s.student] = "feedback: " + (fb.get("error") or "")[-1500:]
    csv = export_csv(course, out / "grades.csv")
    echo(f"5/5 export: {csv}")
    table = score_table(course, assignment, [s.student for s in samples])
    echo("")
    echo(table.to_string(index=False))
    echo("")
    for s in samples:
        echo(f"{s.student} ({s.description}):")
        for line in reasons.get(s.student, []):
            echo(f"  - {line}")
        if s.student in failures:
            echo(f"  ! not graded: {failures[s.student].strip().splitlines()[-1]}")
        if not reasons.get(s.student) and s.student not in failures:
            echo("  - full marks on every auto-graded cell")
    echo("")
    echo(f"Feedback HTML: {course / 'feedback'}")
    echo(f"Grades CSV:    {csv}")
    return {"course": course, "csv": csv, "table": table, "reasons": reasons,
            "failures": failures}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m welfarelab.grading",
                                     description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rel = sub.add_parser("release", help="regenerate release/ from source/ with nbgrader")
    rel.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    demo = sub.add_parser("demo", help="grade sample submissions in a scratch course")
    demo.add_argument("--assignment", default="m06")
    demo.add_argument("--out", type=Path, default=None,
                      help="folder for the scratch course, feedback and CSV (default: a new temp folder)")
    demo.add_argument("--timeout", type=int, default=None,
                      help="seconds per cell (default: the course's nbgrader_config.py)")
    args = parser.parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    if args.command == "release":
        for path in update_release(args.assignments or None):
            print(f"wrote {path.relative_to(REPO)}")
        return 0
    run_demo(args.assignment, args.out, args.timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
