"""Reading the results: scores per grade cell, why points were lost, why a submission could
not be graded or was flagged for review, and the run's summary (``build/grading/<id>/summary.txt``
and ``.json``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import nbformat

from welfaregrading.course import course_config, db_url
from welfaregrading.intake import SubmissionLimits, submitted_students
from welfaregrading.preprocessors import GRADER_NOTE
from welfaregrading.runfiles import FLAGGED, STATUSES, load_json, save_json, work_dir
from welfaregrading.samples import nbgrader_meta


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
            meta = nbgrader_meta(cell)
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

    notes = []
    for line in (log_text or "").splitlines():
        for pattern, template in _LOG_NOTES:
            match = re.search(pattern, line)
            if match:
                note = template.format(*match.groups())
                if note not in notes:
                    notes.append(note)
    return notes


_REFUSED_LINE = re.compile(r"Grading folder refused: (.+?): (.+)")


def failure_reason(result: dict) -> str:
    """One line saying why nbgrader could not grade a submission, from its result dict (its
    ``reason`` when the grading tools already said it in words)."""
    if result.get("reason"):
        return result["reason"]
    text = (result.get("error") or "") + "\n" + (result.get("log") or "")
    refused = _REFUSED_LINE.search(text)
    if refused:
        return f"{refused.group(1)} is not safe to grade: {refused.group(2).strip()}"
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
        ("RecursionError", "the notebook is nested too deeply to be read (a nesting bomb?)"),
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
        """How many students ended with ``status`` (one of ``STATUSES``)."""
        return sum(1 for s in self.students.values() if s["status"] == status)



def late_words(seconds: float) -> str:
    """Lateness in words: "12 min", "3 h 05 min", "10 days 8 h"."""
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
    manual grading / flagged for review (with the reasons) / failed, the scores, lateness,
    and why points were lost. A student whose result cannot be read (an autograded folder
    holding a link, a damaged notebook) is "failed" with the reason; the others are listed."""
    from nbgrader.api import Gradebook

    course = Path(course).resolve()
    limits = SubmissionLimits.of(course_config(course))
    wd = work_dir(course, assignment)
    run_state = load_json(wd / "state.json")
    entries = run_state.get("students", {})
    collected = load_json(Path(course) / "downloaded" / assignment / "collect-report.json")
    collect_notes = {sid: info.get("notes", []) for sid, info in
                     collected.get("students", {}).items()}
    rows = {}
    with Gradebook(db_url(course)) as gb:
        for sid in submitted_students(course, assignment):
            entry = entries.get(sid, {})
            row = {"student": sid, "status": "failed", "score": None, "max_score": None,
                   "auto_score": None, "auto_max": None, "manual_max": None,
                   "manual_pending": None, "late_seconds": 0, "timestamp": None,
                   "reason": entry.get("reason") or "", "notes": collect_notes.get(sid, [])
                   + entry.get("notes", []), "lost": [], "flags": entry.get("flags", [])}
            try:
                _summary_row(course, assignment, sid, entry, row, gb, limits)
            except Exception as err:  # noqa: BLE001 - one unreadable result never stops the summary
                gb.db.rollback()
                row.update(status="failed", score=None, lost=[],
                           reason=f"its result cannot be read ({type(err).__name__}: "
                                  f"{str(err)[:200]}): grade it again")
            if row["late_seconds"]:
                row["notes"].append(f"late by {late_words(row['late_seconds'])}")
            rows[sid] = row
    result = BatchResult(assignment, rows, [], 0, 0.0, wd / "summary.txt")
    text = _summary_text(result)
    box = run_state.get("sandbox")
    if box and not box.get("sandboxed"):
        text = f"!! {box.get('warning') or 'GRADING WAS NOT SANDBOXED'}\n" + text
    result.summary.write_text(text + "\n", encoding="utf-8")
    save_json(wd / "summary.json", {"assignment": assignment, "students": rows,
                                     "sandbox": box})
    echo(text)
    return result


def _summary_row(course: Path, assignment: str, sid: str, entry: dict, row: dict, gb,
                 limits: SubmissionLimits) -> None:
    """Fill one student's summary row from the gradebook and the autograded folder (looked at
    with ``os.lstat`` first: a folder holding a link is not read)."""
    from nbgrader.api import MissingEntry

    try:
        sub = gb.find_submission(assignment, sid)
    except MissingEntry:
        sub = None
        unsafe = limits.scan(course / "submitted" / sid / assignment)
        row["reason"] = row["reason"] or (
            f"the submission folder is not safe to grade: {unsafe}" if unsafe
            else "not graded yet: run the autograde step")
    if sub is not None:
        row["late_seconds"] = sub.total_seconds_late
        row["timestamp"] = sub.timestamp.isoformat() if sub.timestamp else None
        row["max_score"] = sub.max_score
    folder = course / "autograded" / sid / assignment
    problem = limits.scan(folder) if folder.is_dir() and not folder.is_symlink() else \
        "no autograded notebook (run the autograde step)"
    if sub is not None and entry.get("status") != "failed" and not problem:
        scores = cell_scores(course, assignment, sid, gb)
        auto = [c for c in scores.values() if c.auto]
        manual = [c for c in scores.values() if not c.auto]
        status = "needs manual grading" if sub.needs_manual_grade else "graded"
        row.update(auto_score=sum(c.score or 0 for c in auto),
                   auto_max=sum(c.max_score for c in auto),
                   manual_max=sum(c.max_score for c in manual),
                   manual_pending=sum(c.max_score for c in manual if c.needs_manual_grade),
                   score=max(0.0, sub.score - (sub.late_submission_penalty or 0)),
                   status=FLAGGED if entry.get("status") == FLAGGED else status,
                   reason="")
        row["lost"] = lost_points(course, assignment, sid, scores)
    elif sub is not None and entry.get("status") != "failed" and folder.is_dir():
        row["reason"] = f"the autograded folder is not safe to read: {problem}"
    elif not row["reason"]:
        row["reason"] = f"not graded: {problem}"


def _summary_text(result: BatchResult) -> str:
    """The summary as text: counts per status, a table, then per student why."""
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
        late = late_words(r["late_seconds"]) if r["late_seconds"] else ""
        lines.append(f"{sid:<{width}}  {r['status']:<21} {auto:>9} {written:>9}  {late}")
    details = [(sid, r) for sid, r in rows.items() if r["reason"] or r["notes"]
               or r["status"] == FLAGGED or
               [x for x in r["lost"] if "to be marked" not in x]]
    if details:
        lines.append("")
        lines.append("Why (per student):")
        for sid, r in details:
            lines.append(f"{sid}:")
            if r["reason"]:
                lines.append(f"  ! not graded: {r['reason']}")
            if r["status"] == FLAGGED:
                lines += [f"  ! flagged for review: {flag}" for flag in r.get("flags")
                          or ["signs of tampering while grading (see the log)"]]
            lines += [f"  * {note}" for note in r["notes"]]
            lines += [f"  - {x}" for x in r["lost"] if "to be marked" not in x]
    return "\n".join(lines)
