"""Grading helpers for lecturers and tests: nbgrader's own pipeline in a scratch course.

Everything here drives nbgrader through its Python API (:class:`nbgrader.apps.NbGraderAPI`,
:class:`nbgrader.api.Gradebook`) and its ``export`` command; it re-implements no grading.
Work happens in a scratch copy of the course, so the repository's own tree (``source/``,
``release/``) is never written to, and no ``gradebook.db`` appears in it.

Command line (also through ``make``; see the README's "For lecturers")::

    python -m welfarelab.grading release [ID ...]       # regenerate release/ from source/
    python -m welfarelab.grading release-zips [ID ...]  # build/release-zips/<id>.zip
    python -m welfarelab.grading collect ID [--platform canvas|moodle|blackboard]
    python -m welfarelab.grading autograde ID [--workers N] [--due "..."] [--force]
    python -m welfarelab.grading summary|feedback|export ID
    python -m welfarelab.grading grade ID [--platform P]  # collect, autograde, feedback, export
    python -m welfarelab.grading demo [--assignment m06] [--out DIR] [--timeout S]

All but ``release`` and ``demo`` take ``--course DIR`` (default: this repository).
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
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

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


def api_for(course: Path, config=None):
    """An :class:`nbgrader.apps.NbGraderAPI` configured from ``course/nbgrader_config.py``
    (or from ``config``, a Config made by :func:`course_config`)."""
    _venv_on_path()
    from nbgrader.apps import NbGraderAPI

    return NbGraderAPI(config=config if config is not None else course_config(course))


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


SAMPLE_WRITTEN = ("The ratio adds up value for everyone, so it hides who gains least, and it "
                  "leaves out what the households value most: being treated with dignity. "
                  "(A made-up answer for a demonstration.)")


def class_submissions(release_dir: Path, source_dir: Path, n: int = 60) -> list[Sample]:
    """A made-up class of ``n`` plausible submissions, for the benchmark and the lecturer guide:
    in every 20, 12 full solutions, 5 with some wrong answers and 3 blank. Each written answer
    is a short made-up text. Student ids are ``student-01``, ``student-02``, ..."""
    kinds = {s.student.split("-")[1]: s for s in sample_submissions(release_dir, source_dir)}
    pattern = ["full"] * 12 + ["wrong"] * 5 + ["blank"] * 3
    order = [pattern[(i * 7) % 20] for i in range(20)]  # spread the kinds through the class
    samples = []
    for i in range(n):
        kind = order[i % 20]
        nb = copy.deepcopy(kinds[kind].notebook)
        if kind != "blank":
            for cell in nb.cells:
                if _nbgrader(cell).get("grade") and _nbgrader(cell).get("solution") \
                        and cell.cell_type == "markdown":
                    cell.source = SAMPLE_WRITTEN
        samples.append(Sample(f"student-{i + 1:02d}", kinds[kind].description, nb))
    return samples


def submit(course: Path, assignment: str, student: str, notebook, name: str,
           when: dt.datetime | None = None) -> Path:
    """Place a notebook as ``submitted/<student>/<assignment>/<name>`` with a timestamp."""
    folder = Path(course) / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / name)
    when = when or dt.datetime.now(dt.UTC)
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
    done = subprocess.run(cmd, cwd=course, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader export failed:\n{done.stderr[-2000:]}")
    return Path(path)


class CellScore(NamedTuple):
    """A grade cell's result: points scored, points possible, and whether nbgrader graded it."""

    score: float
    max_score: float
    auto: bool
    needs_manual_grade: bool = False


def cell_scores(course: Path, assignment: str, student: str, gb=None) -> dict[str, CellScore]:
    """Per grade cell id: its :class:`CellScore`, read from the gradebook (``gb``: an open
    :class:`nbgrader.api.Gradebook` to reuse, e.g. for a whole class).

    ``auto`` is True for a test cell (graded by running code) and False for a written or
    code answer that the lecturer marks by hand.
    """
    from nbgrader.api import Gradebook

    if gb is None:
        with Gradebook(f"sqlite:///{Path(course) / 'gradebook.db'}") as own:
            return cell_scores(course, assignment, student, own)
    result = {}
    submission = gb.find_submission(assignment, student)
    for notebook in submission.notebooks:
        answers = {cell.name for cell in notebook.notebook.solution_cells}
        for grade in notebook.grades:
            auto = grade.cell.cell_type == "code" and grade.name not in answers
            result[grade.name] = CellScore(grade.score, grade.max_score, auto,
                                           bool(grade.needs_manual_grade))
    return result


def lost_points(course: Path, assignment: str, student: str,
                scores: dict[str, CellScore] | None = None) -> list[str]:
    """Why a graded submission lost points, one line per grade cell, from the autograded notebook.

    For an auto-graded cell it is the error the test raised (its message), or "timed out"; a
    cell nbgrader had to put back is flagged; a manually graded answer is "to be marked".
    ``scores`` (from :func:`cell_scores`) saves reading the gradebook again.
    """
    scores = scores if scores is not None else cell_scores(course, assignment, student)
    reasons = []
    folder = Path(course) / "autograded" / student / assignment
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            meta = _nbgrader(cell)
            gid = meta.get("grade_id")
            if cell.metadata.get(GRADER_NOTE, {}).get("output_truncated"):
                reasons.append(f"{gid or 'a cell'}: its output was cut to keep the notebook and "
                               "feedback small")
            if meta.get("solution") and not meta.get("grade") and cell.cell_type == "code":
                names = {o.get("ename") for o in cell.get("outputs", [])
                         if o.get("output_type") == "error"}
                if names & {"KeyboardInterrupt", "CellTimeoutError"}:
                    reasons.append(f"{gid}: the answer was stopped at the time limit "
                                   "(code that never ends); its variables were never made")
                elif "MemoryError" in names:
                    reasons.append(f"{gid}: the answer ran out of memory (MemoryError: over the "
                                   "grading kernel's memory limit); its variables were never made")
                elif "StdinNotImplementedError" in names:
                    reasons.append(f"{gid}: the answer calls input(), which nobody can answer "
                                   "while grading; its variables were never made")
                elif "DeadKernelError" in names:
                    reasons.append(f"{gid}: the kernel died while running this answer; the "
                                   "cells after it were not run")
                elif names & SANDBOX_ERRORS:
                    err = next(o for o in cell.outputs if o.get("output_type") == "error"
                               and o.get("ename") in SANDBOX_ERRORS)
                    reasons.append(f"{gid}: the answer stopped with {err.get('ename')}: "
                                   f"{str(err.get('evalue'))[:200]} (while grading, code may "
                                   "use only its own folder and the course data, without "
                                   "network); its variables were never made")
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


#: Errors an answer gets when it reaches outside its sandbox (welfarelab/sandbox.py): a file
#: it cannot see or write, the network, another database.
SANDBOX_ERRORS = {"PermissionError", "FileNotFoundError", "OSError", "ConnectionRefusedError",
                  "ConnectionError", "TimeoutError", "gaierror", "OperationalError",
                  "IsADirectoryError", "NotADirectoryError"}


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
# Preprocessors that nbgrader_config.py plugs into nbgrader's own pipelines
# ---------------------------------------------------------------------------------------------
# They subclass nbgrader's classes, which are slow to import, so they are built on first use:
# nbgrader imports "welfarelab.grading.AddMarkScheme" by name and the module's __getattr__
# (at the end of this file) builds them then.

#: Cell metadata key of the notes that only graders see (removed from the feedback).
GRADER_NOTE = "welfarelab_grader_note"
MARK_SCHEME_TITLE = "Mark scheme for `{gid}` (shown to graders only; not in the feedback)"


_MARK_SCHEMES: dict = {}


def _build_preprocessors() -> dict:
    from nbformat.v4 import new_markdown_cell
    from nbgrader import utils as nbutils
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import LimitOutput, NbGraderPreprocessor
    from traitlets import Integer

    class LimitOutputSize(LimitOutput):
        """nbgrader's ``LimitOutput`` (lines per stream, traceback length) plus a limit on
        characters per output and on image size, so a huge output cannot bloat the autograded
        notebook or the feedback. Outputs are shortened, never removed: an error or a stderr
        stream still costs a test its points, exactly as before."""

        max_chars = Integer(20_000, help="Characters kept per text output (-1: no limit)."
                            ).tag(config=True)
        max_image_bytes = Integer(2_000_000, help="Largest image kept, in bytes (-1: no limit)."
                                  ).tag(config=True)

        def _cut(self, text):
            if self.max_chars < 0 or len(text) <= self.max_chars:
                return text, False
            return (text[: self.max_chars] + f"\n... Output truncated ({len(text):,} characters "
                    "in all) ...\n"), True

        def preprocess_cell(self, cell, resources, cell_index):
            cell, resources = super().preprocess_cell(cell, resources, cell_index)
            if cell.cell_type != "code":
                return cell, resources
            cut_any = False
            for out in cell.outputs:
                if out.output_type == "stream":
                    text = out.text if isinstance(out.text, str) else "".join(out.text)
                    out.text, cut = self._cut(text)
                    cut_any |= cut
                elif out.output_type in ("execute_result", "display_data"):
                    for mime in list(out.get("data", {})):
                        value = out.data[mime]
                        if mime.startswith("image/") and not mime.endswith("svg+xml"):
                            size = len(value) * 3 // 4 if isinstance(value, str) else 0
                            if 0 <= self.max_image_bytes < size:
                                del out.data[mime]
                                out.data.setdefault(
                                    "text/plain", f"[image of {size:,} bytes left out: too large]")
                                cut_any = True
                        elif isinstance(value, (str, list)):
                            text = value if isinstance(value, str) else "".join(value)
                            out.data[mime], cut = self._cut(text)
                            cut_any |= cut
                elif out.output_type == "error":
                    out.evalue, cut = self._cut(out.evalue)
                    out.traceback = [self._cut(line)[0] for line in out.traceback]
                    cut_any |= cut
            if cut_any:
                cell.metadata.setdefault(GRADER_NOTE, {})["output_truncated"] = True
            return cell, resources

    class RepairSubmission(NbGraderPreprocessor):
        """Runs right after nbgrader's ``DeduplicateIds``. That step empties the nbgrader
        metadata of a repeated grade cell (``{}``), and with ``add_missing_cells`` on,
        ``OverwriteCells`` then fails on the empty dict (KeyError 'grade_id', nbgrader 0.9.6):
        a student who copied or split a grade cell would get no grade. An empty nbgrader
        metadata dict is removed, so the copy is an ordinary cell and grading goes on."""

        def preprocess_cell(self, cell, resources, cell_index):
            if "nbgrader" in cell.metadata and not cell.metadata.nbgrader:
                del cell.metadata["nbgrader"]
            return cell, resources

    class AddMarkScheme(NbGraderPreprocessor):
        """Put the mark scheme under every manually graded answer, for formgrader.

        nbgrader shows graders the autograded notebook, where a written answer (a ``grade`` and
        ``solution`` cell) holds only what the student wrote; its model answer, the source
        cell's text, stays in ``source/``. This adds a read-only markdown cell with that text
        after the answer. The cell carries the ``welfarelab_grader_note`` metadata key, and
        :class:`ForStudents` (first in ``GenerateFeedback.preprocessors``) removes it, so it
        never reaches a student: the release has nbgrader's stub, the feedback has no note.
        """

        def preprocess(self, nb, resources):
            aid = resources["nbgrader"]["assignment"]
            nbid = resources["nbgrader"]["notebook"]
            coursedir = CourseDirectory(config=self.config)
            path = Path(coursedir.format_path(coursedir.source_directory, ".", aid)) / f"{nbid}.ipynb"
            if not path.exists():
                self.log.warning("No source notebook %s: no mark scheme shown", path)
                return nb, resources
            key = (str(path), path.stat().st_mtime_ns)
            if key not in _MARK_SCHEMES:  # read each source notebook once per process
                found = {}
                for cell in nbformat.read(path, as_version=4).cells:
                    if nbutils.is_grade(cell) and nbutils.is_solution(cell):
                        text = solution_code(cell.source) if cell.cell_type == "code" \
                            else cell.source
                        found[cell.metadata.nbgrader["grade_id"]] = (cell.cell_type, text)
                _MARK_SCHEMES[key] = found
            schemes = dict(_MARK_SCHEMES[key])
            cells = []
            for cell in nb.cells:
                if cell.metadata.get(GRADER_NOTE, {}).get("mark_scheme"):
                    continue  # a note from an earlier run: replaced below
                cells.append(cell)
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                if gid in schemes and nbutils.is_grade(cell) and nbutils.is_solution(cell):
                    kind, text = schemes.pop(gid)
                    body = f"```python\n{text}\n```" if kind == "code" else text
                    note = new_markdown_cell(
                        f"**{MARK_SCHEME_TITLE.format(gid=gid)}**\n\n{body}",
                        metadata={GRADER_NOTE: {"mark_scheme": gid}, "editable": False,
                                  "deletable": False})
                    cells.append(note)
            nb.cells = cells
            return nb, resources

    class ForStudents(NbGraderPreprocessor):
        """First step of the feedback: remove graders' notes (mark schemes) and show a failed
        test as its message only. A traceback would print the failing line of a hidden test,
        and with it the expected value; the message is written for students."""

        def preprocess_cell(self, cell, resources, cell_index):
            return cell, resources

        def preprocess(self, nb, resources):
            kept = []
            for cell in nb.cells:
                note = cell.metadata.get(GRADER_NOTE, {})
                if note.get("mark_scheme"):
                    continue
                if (cell.cell_type == "code" and nbutils.is_grade(cell)
                        and not nbutils.is_solution(cell)):
                    for out in cell.get("outputs", []):
                        if out.output_type == "error":
                            msg = f"{out.ename}: {out.evalue}" if out.evalue else out.ename
                            out.traceback = [msg]
                kept.append(cell)
            nb.cells = kept
            return nb, resources

    return {"LimitOutputSize": LimitOutputSize, "AddMarkScheme": AddMarkScheme,
            "ForStudents": ForStudents, "RepairSubmission": RepairSubmission}



# ---------------------------------------------------------------------------------------------
# The lecturer's workflow on a real course: release zips, autograde everyone, feedback, CSV
# ---------------------------------------------------------------------------------------------
# The course root is the repository by default (``nbgrader_config.py`` beside ``source/``).
# nbgrader writes where it always does (submitted/, autograded/, feedback/, gradebook.db, all
# git-ignored); this module's own files (log, summary, state, grades CSV) go to
# build/grading/<id>/. Nothing here writes into source/ or release/.

WORK = Path("build") / "grading"
STATUSES = ("graded", "needs manual grading", "failed")


def work_dir(course: Path, assignment: str) -> Path:
    """``<course>/build/grading/<assignment>``: log, state, summary and grades CSV of a run."""
    path = Path(course) / WORK / assignment
    path.mkdir(parents=True, exist_ok=True)
    return path


def course_config(course: Path):
    """The traitlets Config of ``course/nbgrader_config.py`` with its root set to ``course``."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(CONFIG_FILE, path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    return config


def _setting(config, name: str, default):
    """A ``c.CourseGrading.<name>`` value from nbgrader_config.py (see the file for the list)."""
    section = config.get("CourseGrading", {})
    return section.get(name, default) if hasattr(section, "get") else default


def _db_url(course: Path) -> str:
    from nbgrader.coursedir import CourseDirectory

    return CourseDirectory(config=course_config(course)).db_url


class RunLog:
    """Writes every line to ``build/grading/<id>/grading.log`` (appended, timestamped) and,
    unless ``quiet``, to ``echo``."""

    def __init__(self, course: Path, assignment: str, echo=print):
        self.path = work_dir(course, assignment) / "grading.log"
        self.echo = echo

    def __call__(self, message: str = "", quiet: bool = False) -> None:
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        with self.path.open("a", encoding="utf-8") as fh:
            for line in (message.splitlines() or [""]):
                fh.write(f"{stamp} {line}\n")
        if not quiet:
            self.echo(message)


class Progress:
    """A one-line progress bar on stderr (a line per tenth when stderr is not a terminal)."""

    def __init__(self, total: int, label: str, stream=None, enabled: bool = True):
        self.total, self.label, self.done = total, label, 0
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.counts = dict.fromkeys(STATUSES, 0)
        self.start = time.perf_counter()
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._shown = -1

    def update(self, status: str) -> None:
        self.done += 1
        self.counts[status] = self.counts.get(status, 0) + 1
        if not self.enabled:
            return
        width = 30
        filled = int(width * self.done / self.total)
        elapsed = time.perf_counter() - self.start
        eta = elapsed / self.done * (self.total - self.done)
        line = (f"{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
                f"  graded {self.counts['graded']}  to mark {self.counts['needs manual grading']}"
                f"  failed {self.counts['failed']}  ({elapsed:.0f} s, about {eta:.0f} s left)")
        if self._tty:
            self.stream.write("\r" + line + ("\n" if self.done == self.total else ""))
        elif self.done == self.total or self.done * 10 // self.total > self._shown:
            self._shown = self.done * 10 // self.total
            self.stream.write(line + "\n")
        self.stream.flush()


def release_zips(assignments: list[str] | None = None, root: Path = REPO,
                 out: Path | None = None) -> list[Path]:
    """Zip each committed ``release/<id>/`` as ``build/release-zips/<id>.zip`` (for upload to a
    learning platform). The zips are reproducible: same files, same bytes."""
    import zipfile

    out = Path(out) if out else Path(root) / "build" / "release-zips"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for aid in assignments or assignment_ids(root):
        folder = Path(root) / "release" / aid
        if not folder.is_dir():
            raise FileNotFoundError(f"release/{aid} does not exist: run `make release` first")
        target = out / f"{aid}.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                if {".ipynb_checkpoints", "__pycache__"} & set(path.parts):
                    continue
                info = zipfile.ZipInfo(f"{aid}/{path.relative_to(folder).as_posix()}",
                                       date_time=(2020, 1, 1, 0, 0, 0))
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())
        written.append(target)
    return written


def parse_due(due: str, timezone: str = "Europe/Brussels") -> dt.datetime:
    """A due date as naive UTC (nbgrader's convention). Without a zone, ``timezone`` applies:
    "2025-03-30 23:59" is 23:59 in Brussels, i.e. 21:59 UTC in summer time."""
    import dateutil.parser
    from nbgrader.utils import parse_utc

    parsed = dateutil.parser.parse(due) if len(due.split()) < 3 else None
    if parsed is not None and parsed.tzinfo is None:
        from zoneinfo import ZoneInfo

        parsed = parsed.replace(tzinfo=ZoneInfo(timezone))
    return parse_utc(parsed if parsed is not None else due)


def ensure_assignment(course: Path, assignment: str, due: str | None = None) -> dict:
    """Make the course's gradebook hold ``assignment`` (cells, points, checksums) as nbgrader's
    ``generate_assignment`` records it, writing the generated copy to a temporary folder so
    ``release/`` is not touched; set its due date when one is given or configured.
    Returns the generated student notebooks, ``{file name: notebook}``."""
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI

    config = course_config(course)
    with tempfile.TemporaryDirectory(prefix="welfarelab-gradebook-") as tmp:
        config.CourseDirectory.release_directory = tmp
        _venv_on_path()
        _check(NbGraderAPI(config=config).generate_assignment(assignment, force=True, create=True),
               f"generate_assignment {assignment} (into the gradebook)")
        generated = {p.name: nbformat.read(p, as_version=4)
                     for p in (Path(tmp) / assignment).glob("*.ipynb")}
    due = due or _setting(config, "due_dates", {}).get(assignment)
    if due:
        when = parse_due(due, _setting(config, "timezone", "Europe/Brussels"))
        with Gradebook(_db_url(course)) as gb:
            gb.update_or_create_assignment(assignment, duedate=when)
    return generated


def submitted_students(course: Path, assignment: str) -> list[str]:
    """The students with a folder ``submitted/<student>/<assignment>``, sorted."""
    base = Path(course) / "submitted"
    if not base.is_dir():
        return []
    return sorted(p.parent.name for p in base.glob(f"*/{assignment}") if p.is_dir())


def _submission_hash(folder: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def check_submission(folder: Path, expected: list[str],
                     released: dict | None = None) -> tuple[str | None, list[str]]:
    """Look at a submission before grading it: ``(reason it cannot be graded or None, notes)``.

    Catches what would otherwise end in a bare traceback: a missing or renamed notebook, a file
    that is not JSON (truncated, empty, another file renamed to .ipynb). Notes say what was
    unusual but gradable (an old notebook format, no kernel recorded, a locked cell edited:
    compared with ``released``, the generated student notebooks, nbgrader restores it).
    """
    import json

    notes = []
    present = sorted(p.name for p in Path(folder).glob("*.ipynb"))
    missing = [name for name in expected if name not in present]
    if len(missing) == len(expected):
        held = ", ".join(present) if present else "no notebook at all"
        return (f"no notebook named {' or '.join(expected)} in the submission (it holds "
                f"{held}); rename the file and grade again"), notes
    notes += [f"{name} is missing from the submission: its tests score 0" for name in missing]
    for name in expected:
        if name in missing:
            continue
        raw = (Path(folder) / name).read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return f"{name} is not a notebook (not text: another file renamed to .ipynb?)", notes
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            what = "empty" if not text.strip() else "damaged or incomplete (cut off?)"
            return (f"{name} is not a readable notebook: the file is {what} "
                    f"(JSON error at line {err.lineno}, column {err.colno})"), notes
        if not isinstance(data, dict) or not ("cells" in data or "worksheets" in data):
            return f"{name} is JSON but not a notebook", notes
        major = data.get("nbformat")
        if isinstance(major, int) and major < 4:
            notes.append(f"{name} was saved in an old notebook format (version {major}); "
                         "it was upgraded for grading")
        if not (data.get("metadata") or {}).get("kernelspec"):
            notes.append(f"{name} records no kernel; it was graded with the course's kernel")
        try:
            nb = nbformat.reads(text, as_version=4)
        except Exception as err:  # noqa: BLE001 - any reader error is the student's file
            return f"{name} cannot be read as a notebook: {err}", notes
        if released and name in released:
            notes += _edited_locked_cells(nb, released[name])
    return None, notes


def _edited_locked_cells(nb, release_nb) -> list[str]:
    """Notes for locked cells whose text differs from the release (nbgrader restores them)."""
    original = {_nbgrader(c).get("grade_id"): c for c in release_nb.cells
                if _nbgrader(c).get("locked") and _nbgrader(c).get("grade_id")}
    last = {}
    for cell in nb.cells:  # nbgrader keeps the last cell of a repeated id
        gid = _nbgrader(cell).get("grade_id") if isinstance(_nbgrader(cell), dict) else None
        if gid in original:
            last[gid] = cell
    notes = []
    for gid, cell in last.items():
        before = original[gid]
        if cell.cell_type == before.cell_type and cell.source.strip() != before.source.strip():
            notes.append(f"{gid}: the locked cell was edited; nbgrader restored the original")
    return notes


#: nbgrader's own log lines that tell a lecturer what happened to a submission, in words.
_LOG_NOTES = [
    (r"Attribute 'cell_type' for cell (\S+) has changed",
     "{0}: its cell type was changed (e.g. to markdown); nbgrader restored it"),
    # (a changed checksum is logged for every test with hidden tests: nbgrader puts the hidden
    # tests back that way, so edits are found by comparing with the release instead)
    (r"Attribute 'points' for cell (\S+) has changed",
     "{0}: its points were changed; nbgrader restored them"),
    (r"Attribute 'locked' for cell (\S+) has changed",
     "{0}: it was unlocked; nbgrader locked it again"),
    (r"Cell with id '(\S+)' exists multiple times",
     "{0}: the cell appears more than once (copied or split); the last copy was graded"),
    (r"Grading guard: (.*)", "{0}: the cells after it were not run and score 0"),
    (r"No submitted file: .*/([^/]+\.ipynb)", "{0} is missing from the submission: its tests score 0"),
    (r"Skipping unknown notebook: .*/([^/]+\.ipynb)", "{0} is not part of the assignment: not graded"),
]


def log_notes(log_text: str) -> list[str]:
    """What nbgrader (and the grading guard) repaired or noticed, from its log, in words."""
    import re

    notes = []
    for line in (log_text or "").splitlines():
        for pattern, template in _LOG_NOTES:
            match = re.search(pattern, line)
            if match:
                note = template.format(*match.groups())
                if note not in notes:
                    notes.append(note)
    return notes


def failure_reason(result: dict) -> str:
    """One line saying why nbgrader could not grade a submission, from its result dict."""
    text = (result.get("error") or "") + "\n" + (result.get("log") or "")
    known = [
        ("NotJSONError", "the notebook is not readable JSON (damaged or incomplete file)"),
        ("Notebook does not appear to be JSON", "the notebook is not readable JSON"),
        ("No notebooks found", "no notebook of the assignment in the submission"),
        ("nbgrader metadata may be corrupted",
         "the notebook's grading data (cell metadata) is damaged beyond repair"),
        ("SchemaTooOldError", "the notebook uses an old nbgrader format (run `nbgrader update`)"),
        ("SchemaTooNewError", "the notebook was made with a newer nbgrader"),
        ("Timeout waiting for IOPub output",
         "the grading machine was too busy to collect a cell's output: grade again"),
        ("DeadKernelError", "the kernel died and could not be recovered"),
        ("Kernel didn't respond", "the kernel did not start: grade again"),
        ("merging into the gradebook failed", "the result could not be saved in the gradebook"),
        ("grading worker stopped", "the grading worker stopped: grade again"),
        ("The grading sandbox is required",
         "the grading sandbox is required but cannot run here (c.GradingSandbox.mode)"),
    ]
    for marker, reason in known:
        if marker in text:
            return reason
    lines = [line for line in (result.get("error") or result.get("log") or "").splitlines()
             if line.strip()]
    return ("nbgrader could not grade it: " + lines[-1].strip()[:300]) if lines else \
        "nbgrader could not grade it (no message)"


def _load_state(path: Path) -> dict:
    import json

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def _save_json(path: Path, data) -> None:
    """Write JSON atomically (a run stopped half-way never leaves a broken file)."""
    import json

    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)


def _remove_generated(course: Path, assignment: str, student: str) -> None:
    """Remove a student's autograded/ and feedback/ folders (generated, never student work)."""
    for step in ("autograded", "feedback"):
        folder = Path(course) / step / student / assignment
        if folder.exists():
            shutil.rmtree(folder)


def _record_submission(course: Path, assignment: str, student: str) -> None:
    """Make sure the gradebook has a row for this submission (with its timestamp), as nbgrader
    itself leaves one for a submission it could not grade."""
    from nbgrader.api import Gradebook
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=course_config(course))
    stamp = coursedir.get_existing_timestamp(
        coursedir.format_path(coursedir.submitted_directory, student, assignment))
    with Gradebook(coursedir.db_url) as gb:
        gb.update_or_create_student(student)
        gb.update_or_create_submission(assignment, student,
                                       **({"timestamp": stamp} if stamp else {}))


def _resolve_workers(workers: int | None, config, jobs: int) -> int:
    if workers is None or workers <= 0:
        workers = int(_setting(config, "workers", 0) or 0)
    if workers <= 0:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
            else (os.cpu_count() or 1)
    return max(1, min(workers, jobs))


# -- parallel grading: each worker process has its own scratch course and gradebook -------------

_WORKER: dict = {}
#: Steps the workers leave to the main process, which records results in the course gradebook.
_MAIN_ONLY = ("SaveAutoGrades", "AssignLatePenalties")


def _worker_boot() -> None:
    """Start of a worker process: import the heavy modules while the main process prepares."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    import nbgrader.apps
    import nbgrader.converters  # noqa: F401

    import welfarelab.kernel  # noqa: F401


def _worker_setup(course: Path, assignment: str, scratch: Path) -> None:
    """On a worker's first task: a scratch copy of the course with its own gradebook (a
    snapshot of the course's), so no two processes ever write the same sqlite file. Its
    autograde leaves out SaveAutoGrades and AssignLatePenalties (the main process runs them)."""
    wcourse = scratch_course(scratch / f"worker-{os.getpid()}", [assignment], root=course)
    shutil.copy(scratch / "gradebook.db", wcourse / "gradebook.db")
    config = course_config(wcourse)
    steps = config.Autograde.autograde_preprocessors
    config.Autograde.autograde_preprocessors = [
        step for step in steps
        if (step if isinstance(step, str) else step.__name__).rsplit(".", 1)[-1] not in _MAIN_ONLY]
    _WORKER.update(key=(course, assignment, scratch), wcourse=wcourse,
                   api=api_for(wcourse, config))


def _worker_grade(course: str, assignment: str, scratch: str, student: str) -> dict:
    """Run nbgrader's autograde (sanitize, execute, limit output) on one submission in the
    worker's scratch course; stage the executed notebook for the main process."""
    course, scratch = Path(course), Path(scratch)
    if _WORKER.get("key") != (course, assignment, scratch):
        _worker_setup(course, assignment, scratch)
    wcourse = _WORKER["wcourse"]
    src, dst = course / "submitted" / student / assignment, wcourse / "submitted" / student / assignment
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
    started = time.perf_counter()
    result = _WORKER["api"].autograde(assignment, student, force=True, create=True)
    out = wcourse / "autograded" / student / assignment
    staged = course / WORK / assignment / "staged" / student / assignment
    if staged.exists():
        shutil.rmtree(staged)
    ok = bool(result.get("success")) and out.is_dir()
    if ok:
        shutil.copytree(out, staged)
    return {"success": ok, "log": result.get("log") or "", "error": result.get("error") or "",
            "seconds": time.perf_counter() - started}


def _merge_api(course: Path, assignment: str):
    """nbgrader's Autograde, configured to record an already executed notebook: it reads the
    staged notebook instead of submitted/, runs no sanitizing and no execution, only
    SaveAutoGrades and AssignLatePenalties, into the course's gradebook."""
    config = course_config(course)
    config.CourseDirectory.submitted_directory = (WORK / assignment / "staged").as_posix()
    config.Autograde.sanitize_preprocessors = []
    config.Autograde.autograde_preprocessors = ["nbgrader.preprocessors.SaveAutoGrades",
                                                "nbgrader.preprocessors.AssignLatePenalties"]
    return api_for(course, config)


def _sqlite_copy(src: Path, dst: Path) -> None:
    import sqlite3

    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        a.backup(b)
    finally:
        b.close()
        a.close()


def _start_pool(workers: int):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_boot,
                               mp_context=multiprocessing.get_context("spawn"))
    for _ in range(workers):  # processes start on demand: ask for all of them now
        pool.submit(os.getpid)
    return pool


def _grade_parallel(pool, course: Path, assignment: str, students: list[str], on_done,
                    log) -> list[str]:
    """Grade in the pool's worker processes; record each result in the course's gradebook as
    soon as it arrives (only this process writes it). Returns the students left over if a
    worker process itself died (they are then graded one by one)."""
    import traceback
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    scratch = Path(tempfile.mkdtemp(prefix="welfarelab-workers-"))
    staged_root = Path(course) / WORK / assignment / "staged"
    leftovers = []
    try:
        _sqlite_copy(Path(course) / "gradebook.db", scratch / "gradebook.db")
        merge = _merge_api(course, assignment)
        futures = {pool.submit(_worker_grade, str(course), assignment, str(scratch), sid): sid
                   for sid in students}
        for future in as_completed(futures):
            sid = futures[future]
            try:
                result = future.result()
            except BrokenProcessPool:
                leftovers.append(sid)
                continue
            except Exception:  # noqa: BLE001 - reported for this student; the batch goes on
                result = {"success": False, "log": "",
                          "error": "grading worker stopped:\n" + traceback.format_exc()}
            if result["success"]:
                merged = merge.autograde(assignment, sid, force=True, create=True)
                if not merged.get("success"):
                    result = {"success": False, "log": result["log"],
                              "error": "merging into the gradebook failed:\n"
                              + (merged.get("error") or merged.get("log") or "")}
            on_done(sid, result)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(staged_root, ignore_errors=True)
    if leftovers:
        log(f"A grading worker process stopped; grading {len(leftovers)} submission(s) "
            "one by one.")
    return leftovers


# -- one run over every submission ----------------------------------------------------------------

@dataclass
class BatchResult:
    """The outcome of :func:`autograde_all`: per student a dict (status, scores, notes...)."""

    assignment: str
    students: dict
    graded_now: list
    workers: int
    seconds: float
    summary: Path

    def count(self, status: str) -> int:
        return sum(1 for s in self.students.values() if s["status"] == status)


def autograde_all(course: Path = REPO, assignment: str = "m06", workers: int | None = None,
                  force: bool = False, due: str | None = None, students: list[str] | None = None,
                  echo=print, progress: bool = True) -> BatchResult:
    """Autograde every submission in ``submitted/*/<assignment>`` with nbgrader.

    - The gradebook learns the assignment from ``source/`` (``release/`` is not written).
    - Each submission is checked first (a notebook that is not JSON, a missing notebook);
      those fail with a reason, and the batch goes on.
    - New or changed submissions are graded (all with ``force``): in ``workers`` processes
      (default: one per core) that each have a scratch course and gradebook; this process
      alone writes the course's gradebook, through nbgrader's ``SaveAutoGrades``.
    - A progress bar on stderr; ``build/grading/<id>/`` gets the log, per-student nbgrader
      logs, ``state.json`` (what was graded from which file) and ``summary.txt``/``.json``.

    Re-running is safe: unchanged submissions that were graded are left as they are (manual
    grades stay), failed or changed ones are graded again.
    """
    course = Path(course).resolve()
    started = time.perf_counter()
    log = RunLog(course, assignment, echo)
    wd = work_dir(course, assignment)
    (wd / "logs").mkdir(exist_ok=True)
    log(f"== autograde {assignment} in {course}")
    _venv_on_path()
    config = course_config(course)
    everyone = submitted_students(course, assignment)
    chosen = [s for s in everyone if students is None or s in students]
    n = _resolve_workers(workers, config, len(chosen))
    pool = _start_pool(n) if n > 1 else None  # workers import nbgrader meanwhile
    try:
        released = ensure_assignment(course, assignment, due)
    except BaseException:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        raise
    expected = sorted(p.name for p in (course / "source" / assignment).glob("*.ipynb"))
    state_path = wd / "state.json"
    state = _load_state(state_path)
    entries = state.setdefault("students", {})
    from welfarelab import sandbox

    state["sandbox"] = box = sandbox.status(config)
    if box["sandboxed"]:
        log("Students' code runs in the grading sandbox (bubblewrap; welfarelab/sandbox.py)")
    else:
        log("!" * 78 + "\n!! " + box["warning"] + "\n" + "!" * 78)

    todo, intake = [], {}
    for sid in chosen:
        folder = course / "submitted" / sid / assignment
        digest = _submission_hash(folder)
        before = entries.get(sid, {})
        graded_before = (before.get("status") == "graded" and before.get("hash") == digest
                         and all((course / "autograded" / sid / assignment / name).exists()
                                 for name in expected if (folder / name).exists()))
        if graded_before and not force:
            continue
        problem, notes = check_submission(folder, expected, released)
        if problem:
            _remove_generated(course, assignment, sid)
            _record_submission(course, assignment, sid)
            entries[sid] = {"hash": digest, "status": "failed", "reason": problem,
                            "notes": notes, "when": dt.datetime.now().isoformat()}
            log(f"{sid}: cannot be graded: {problem}", quiet=True)
            continue
        todo.append(sid)
        intake[sid] = notes
    _save_json(state_path, state)

    n = min(n, max(1, len(todo)))
    log(f"{len(chosen)} submissions: {len(todo)} to grade, "
        f"{sum(1 for s in chosen if entries.get(s, {}).get('status') == 'failed' and s not in todo)}"
        f" that cannot be graded, the rest unchanged since they were graded"
        + (f"; {n} worker process(es)" if todo else ""))
    bar = Progress(len(todo), f"autograde {assignment}", enabled=progress)
    needs_manual = _needs_manual_lookup(course, assignment)

    def on_done(sid: str, result: dict) -> None:
        (wd / "logs" / f"{sid}.log").write_text(
            (result.get("log") or "") + "\n" + (result.get("error") or ""), encoding="utf-8")
        notes = intake.get(sid, []) + log_notes(result.get("log", ""))
        folder = course / "submitted" / sid / assignment
        entry = {"hash": _submission_hash(folder), "notes": notes,
                 "seconds": round(result.get("seconds", 0), 2),
                 "when": dt.datetime.now().isoformat()}
        if result.get("success") and (course / "autograded" / sid / assignment).is_dir():
            entry["status"] = "graded"
            status = "needs manual grading" if needs_manual(sid) else "graded"
        else:
            entry.update(status="failed", reason=failure_reason(result))
            _remove_generated(course, assignment, sid)
            _record_submission(course, assignment, sid)
            status = "failed"
            log(f"{sid}: could not be graded: {entry['reason']}", quiet=True)
        entries[sid] = entry
        _save_json(state_path, state)
        bar.update(status)

    def serial(sids):
        api = api_for(course)
        for sid in sids:
            t0 = time.perf_counter()
            result = api.autograde(assignment, sid, force=True, create=True)
            result["seconds"] = time.perf_counter() - t0
            on_done(sid, result)

    try:
        if pool is not None and n > 1:
            serial(_grade_parallel(pool, course, assignment, todo, on_done, log))
        else:
            serial(todo)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        needs_manual.close()
    outcome = summarize(course, assignment, echo=log)
    outcome.graded_now, outcome.workers = todo, n
    outcome.seconds = time.perf_counter() - started
    log(f"Done in {outcome.seconds:.0f} s. Log: {log.path}")
    return outcome


def _needs_manual_lookup(course: Path, assignment: str):
    """A function student -> bool (needs manual grading) over one gradebook connection; each
    look-up ends its read transaction, so nbgrader's own writes are never held up."""
    from nbgrader.api import Gradebook, MissingEntry

    gb = Gradebook(_db_url(course))

    def needs_manual(student: str) -> bool:
        try:
            return bool(gb.find_submission(assignment, student).needs_manual_grade)
        except MissingEntry:
            return False
        finally:
            gb.db.rollback()
            gb.db.expire_all()
    needs_manual.close = gb.close
    return needs_manual


def _late_words(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{max(minutes, 1)} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    return f"{hours // 24} days {hours % 24} h"


def summarize(course: Path, assignment: str, echo=print) -> BatchResult:
    """Read the gradebook, the autograded notebooks and the run state; write and print
    ``build/grading/<id>/summary.txt`` and ``summary.json``: per student graded / needs
    manual grading / failed, the scores, lateness, and why points were lost."""
    from nbgrader.api import Gradebook, MissingEntry

    course = Path(course).resolve()
    wd = work_dir(course, assignment)
    run_state = _load_state(wd / "state.json")
    entries = run_state.get("students", {})
    collected = _load_state(Path(course) / "downloaded" / assignment / "collect-report.json")
    collect_notes = {sid: info.get("notes", []) for sid, info in
                     collected.get("students", {}).items()}
    rows = {}
    with Gradebook(_db_url(course)) as gb:
        for sid in submitted_students(course, assignment):
            entry = entries.get(sid, {})
            row = {"student": sid, "status": "failed", "score": None, "max_score": None,
                   "auto_score": None, "auto_max": None, "manual_max": None,
                   "manual_pending": None, "late_seconds": 0, "timestamp": None,
                   "reason": entry.get("reason") or "", "notes": collect_notes.get(sid, [])
                   + entry.get("notes", []), "lost": []}
            try:
                sub = gb.find_submission(assignment, sid)
            except MissingEntry:
                sub = None
                row["reason"] = row["reason"] or "not graded yet: run the autograde step"
            if sub is not None:
                row["late_seconds"] = sub.total_seconds_late
                row["timestamp"] = sub.timestamp.isoformat() if sub.timestamp else None
                row["max_score"] = sub.max_score
            autograded = (course / "autograded" / sid / assignment).is_dir()
            if sub is not None and entry.get("status") != "failed" and autograded:
                scores = cell_scores(course, assignment, sid, gb)
                auto = [c for c in scores.values() if c.auto]
                manual = [c for c in scores.values() if not c.auto]
                row.update(auto_score=sum(c.score or 0 for c in auto),
                           auto_max=sum(c.max_score for c in auto),
                           manual_max=sum(c.max_score for c in manual),
                           manual_pending=sum(c.max_score for c in manual
                                              if c.needs_manual_grade),
                           score=max(0.0, sub.score - (sub.late_submission_penalty or 0)),
                           status="needs manual grading" if sub.needs_manual_grade else "graded",
                           reason="")
                row["lost"] = lost_points(course, assignment, sid, scores)
            elif not row["reason"]:
                row["reason"] = "not graded: no autograded notebook (run the autograde step)"
            if row["late_seconds"]:
                row["notes"].append(f"late by {_late_words(row['late_seconds'])}")
            rows[sid] = row
    result = BatchResult(assignment, rows, [], 0, 0.0, wd / "summary.txt")
    text = _summary_text(result)
    box = run_state.get("sandbox")
    if box and not box.get("sandboxed"):
        text = f"!! {box.get('warning') or 'GRADING WAS NOT SANDBOXED'}\n" + text
    result.summary.write_text(text + "\n", encoding="utf-8")
    _save_json(wd / "summary.json", {"assignment": assignment, "students": rows,
                                     "sandbox": box})
    echo(text)
    return result


def _summary_text(result: BatchResult) -> str:
    rows = result.students
    lines = [f"{result.assignment}: {len(rows)} submissions: "
             + ", ".join(f"{result.count(s)} {s}" for s in STATUSES)]
    if not rows:
        return lines[0]
    width = max(12, *(len(s) for s in rows))
    lines.append(f"{'student':<{width}}  {'status':<21} {'auto':>9} {'written':>9}  late")
    for sid, r in rows.items():
        auto = f"{r['auto_score']:g}/{r['auto_max']:g}" if r["auto_max"] is not None else "-"
        if r["manual_max"]:
            written = (f"?/{r['manual_max']:g}" if r["manual_pending"]
                       else f"{(r['score'] or 0) - (r['auto_score'] or 0):g}/{r['manual_max']:g}")
        else:
            written = "-"
        late = _late_words(r["late_seconds"]) if r["late_seconds"] else ""
        lines.append(f"{sid:<{width}}  {r['status']:<21} {auto:>9} {written:>9}  {late}")
    details = [(sid, r) for sid, r in rows.items() if r["reason"] or r["notes"] or
               [x for x in r["lost"] if "to be marked" not in x]]
    if details:
        lines.append("")
        lines.append("Why (per student):")
        for sid, r in details:
            lines.append(f"{sid}:")
            if r["reason"]:
                lines.append(f"  ! not graded: {r['reason']}")
            lines += [f"  * {note}" for note in r["notes"]]
            lines += [f"  - {x}" for x in r["lost"] if "to be marked" not in x]
    return "\n".join(lines)


def feedback_all(course: Path = REPO, assignment: str = "m06", students: list[str] | None = None,
                 echo=print) -> dict:
    """nbgrader's ``generate_feedback`` for every autograded submission, one student at a time
    (a failure is reported and the rest go on). Each page is checked for hidden-test,
    solution and mark-scheme text before it is kept. Returns ``{student: None or reason}``."""
    course = Path(course).resolve()
    log = RunLog(course, assignment, echo)
    api = api_for(course)
    done = {}
    graded = [s for s in submitted_students(course, assignment)
              if (course / "autograded" / s / assignment).is_dir()
              and (students is None or s in students)]
    log(f"== feedback {assignment}: {len(graded)} autograded submissions")
    for sid in graded:
        result = api.generate_feedback(assignment, sid, force=True)
        reason = None if result.get("success") else failure_reason(result)
        if reason is None:
            for page in (course / "feedback" / sid / assignment).glob("*.html"):
                leak = _leak(page.read_text(encoding="utf-8", errors="replace"))
                if leak:
                    page.unlink()
                    reason = f"{page.name} was removed: it contained {leak!r}"
        done[sid] = reason
        if reason:
            log(f"{sid}: no feedback: {reason}")
    ok = sum(1 for r in done.values() if r is None)
    log(f"Feedback pages for {ok} of {len(graded)} students in {course / 'feedback'}")
    return done


def _leak(text: str) -> str | None:
    for marker in ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "BEGIN SOLUTION", "END SOLUTION",
                   "BEGIN MARK SCHEME", "shown to graders only", GRADER_NOTE):
        if marker in text:
            return marker
    return None


def export_grades(course: Path = REPO, assignment: str = "m06", to: Path | None = None,
                  echo=print) -> Path:
    """``nbgrader export`` with :class:`welfarelab.collect.GradesCsvExportPlugin`: a CSV with
    ``student_id,assignment,score,max_score`` per submission (score empty when it could not be
    graded) for the learning platform's grade import. Default: build/grading/<id>/grades-<id>.csv.
    """
    course = Path(course).resolve()
    log = RunLog(course, assignment, echo)
    to = Path(to) if to else work_dir(course, assignment) / f"grades-{assignment}.csv"
    _venv_on_path()
    cmd = ["nbgrader", "export", "--exporter=welfarelab.collect.GradesCsvExportPlugin",
           f"--to={to}", f"--ExportPlugin.assignment=['{assignment}']"]
    done = subprocess.run(cmd, cwd=course, capture_output=True, text=True, check=False)
    log(f"== export {assignment}: {' '.join(cmd[1:])}", quiet=True)
    log(done.stdout + done.stderr, quiet=True)
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader export failed:\n{done.stderr[-2000:]}")
    pending = [s for s, r in summarize(course, assignment, echo=lambda *_: None).students.items()
               if r["status"] == "needs manual grading"]
    log(f"Grades CSV: {to}")
    if pending:
        log(f"Note: {len(pending)} submission(s) still have written answers to mark in "
            f"formgrader ({', '.join(pending[:8])}{' ...' if len(pending) > 8 else ''}); "
            "their score counts those answers as 0 until then.")
    return to


def grade(course: Path = REPO, assignment: str = "m06", platform: str | None = None,
          workers: int | None = None, due: str | None = None, force: bool = False,
          echo=print, progress: bool = True) -> dict:
    """The whole path: collect the platform's zip (if one is in downloaded/<id>/archive/),
    autograde, feedback, grades CSV. Manual grading happens in formgrader between runs."""
    from welfarelab import collect

    course = Path(course).resolve()
    archive = course / "downloaded" / assignment / "archive"
    report = None
    if archive.is_dir() and any(p.is_file() for p in archive.rglob("*")):
        report = collect.collect(course, assignment, platform, echo=echo)
    else:
        echo(f"No platform download in {archive}: grading what is in submitted/ already.")
    batch = autograde_all(course, assignment, workers=workers, force=force, due=due, echo=echo,
                          progress=progress)
    fb = feedback_all(course, assignment, echo=echo)
    csv = export_grades(course, assignment, echo=echo)
    echo("")
    echo("Next: mark the written answers in formgrader (`make formgrader`), then run "
         f"`make feedback export ASSIGNMENT={assignment}` again for the final feedback and CSV.")
    return {"collect": report, "autograde": batch, "feedback": fb, "csv": csv}


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
    zips = sub.add_parser("release-zips", help="zip each release/<id> into build/release-zips/")
    zips.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    zips.add_argument("--out", type=Path, default=None)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("assignment", help="assignment id, e.g. m06")
    common.add_argument("--course", type=Path, default=REPO,
                        help="course folder (nbgrader_config.py, source/; default: this repository)")
    common.add_argument("--platform", choices=["canvas", "moodle", "blackboard"], default=None,
                        help="learning platform of the download (default: nbgrader_config.py)")
    common.add_argument("--workers", type=int, default=None,
                        help="grading processes (default: nbgrader_config.py, 0 = one per core)")
    common.add_argument("--due", default=None,
                        help='due date, e.g. "2025-03-30 23:59" (in the configured time zone)')
    common.add_argument("--force", action="store_true",
                        help="grade every submission again, also unchanged ones")
    common.add_argument("--quiet", action="store_true", help="no progress bar")
    for name, text in [("collect", ("copy the latest attempts from the platform's zip in "
                                   "downloaded/<id>/archive/ to submitted/")),
                       ("autograde", "autograde every new or changed submission"),
                       ("summary", "print the grading summary (graded / to mark / failed)"),
                       ("feedback", "feedback HTML per student"),
                       ("export", "grades CSV for the platform's import"),
                       ("grade", "collect (if a zip is there), autograde, feedback and export")]:
        sub.add_parser(name, parents=[common], help=text)

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
    if args.command == "release-zips":
        for path in release_zips(args.assignments or None, out=args.out):
            print(f"wrote {path}")
        return 0
    if args.command == "demo":
        run_demo(args.assignment, args.out, args.timeout)
        return 0
    course, aid = args.course.resolve(), args.assignment
    if not (course / CONFIG_FILE).exists():
        parser.error(f"{course} holds no {CONFIG_FILE}: is it a course folder?")
    if args.command == "collect":
        from welfarelab import collect

        collect.collect(course, aid, args.platform)
    elif args.command == "autograde":
        batch = autograde_all(course, aid, workers=args.workers, force=args.force, due=args.due,
                              progress=not args.quiet)
        return 1 if batch.count("failed") else 0
    elif args.command == "summary":
        summarize(course, aid)
    elif args.command == "feedback":
        failed = feedback_all(course, aid)
        return 1 if any(failed.values()) else 0
    elif args.command == "export":
        export_grades(course, aid)
    elif args.command == "grade":
        grade(course, aid, platform=args.platform, workers=args.workers, due=args.due,
              force=args.force, progress=not args.quiet)
    return 0


_PREPROCESSORS: dict = {}


def __getattr__(name):  # PEP 562: nbgrader imports the preprocessors above by name
    if name in ("LimitOutputSize", "AddMarkScheme", "ForStudents", "RepairSubmission"):
        if not _PREPROCESSORS:
            _PREPROCESSORS.update(_build_preprocessors())
        return _PREPROCESSORS[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    sys.exit(main())
