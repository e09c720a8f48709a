"""Reading the results: scores per grade cell, why points were lost, why a submission could
not be graded or was flagged for review, and the run's summary (``build/grading/<id>/summary.txt``
and ``.json``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import nbformat

from welfaregrading.course import course_config, db_url, venv_on_path
from welfaregrading.intake import SubmissionLimits, submitted_students
from welfaregrading.preprocessors import GRADER_NOTE
from welfaregrading.runfiles import (
    FLAGGED,
    STATUSES,
    load_json,
    save_json,
    work_dir,
)
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



#: The class list's statuses besides the run's (as :func:`welfaregrading.roster.class_rows`
#: names them): in submitted/ but not autograded yet, a download with nothing gradable, and a
#: student of the roster who handed in nothing.
NOT_GRADED_YET, NOTHING_TO_GRADE, NO_SUBMISSION = "not graded yet", "nothing to grade", \
    "no submission"


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



def cleared_mark_note(mark: dict, pending: bool) -> str:
    """The summary's note on a mark the last grading run cleared because the answer changed
    (``mark``: an entry of ``marks_cleared`` in state.json, from
    :func:`welfaregrading.batch.settle_marks`); ``pending``: the answer still waits for marking."""
    old = (f"{mark['manual_score']:g} of {mark['max_score']:g}"
           if mark.get("manual_score") is not None else "no score")
    comment = f", comment {mark['manual_comment']!r}" if mark.get("manual_comment") else ""
    return (f"{mark.get('cell')}: the answer changed since it was marked ({old}{comment}): "
            + ("the mark was cleared, mark it again" if pending else
               "the mark was cleared; marked again since"))


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
    holding a link, a damaged notebook) is "failed" with the reason; the others are listed.

    Every student has a row: besides ``submitted/``, each student of
    :func:`welfaregrading.roster.class_rows` (the platform's gradebook export, the collect
    report ``downloaded/<id>/collect-report.json``, the gradebook), so the summary lists the
    same students as the grades CSV and the platform exports, with their status ("nothing to
    grade", "no submission", ...) and reason. The chart and table of :func:`class_chart` are
    written beside the summary, which names them.

    A module with another edition (``source/<id>-nl``, graded as ``<id>-nl``): ONE line per
    student over both editions (:func:`module_rows`), as the grades file has it: the language
    (``lang``) and the score that counts (``score``, empty where the grades file has none),
    and for a student who handed in both, both editions' scores, which counts and why; a
    Blackboard earlier attempt in the other edition is named (it is not graded). Each
    edition's own summary (``build/grading/<id>-nl/``) stays per edition."""
    from nbgrader.api import Gradebook

    from welfaregrading import editions

    course = Path(course).resolve()
    venv_on_path()  # nbgrader runs `alembic` by name when it creates a new gradebook
    limits = SubmissionLimits.of(course_config(course))
    wd = work_dir(course, assignment)
    run_state = load_json(wd / "state.json")
    base, lang = editions.split_id(assignment)
    ids = editions.edition_ids(course, assignment) if lang == editions.DEFAULT_LANGUAGE \
        else [assignment]
    module = len(ids) > 1  # a module with another edition: one line per student over both
    # the platform's download is collected under the module's id (an edition has none)
    collected = load_json(Path(course) / "downloaded" / assignment / "collect-report.json")
    if not collected and lang != editions.DEFAULT_LANGUAGE:
        collected = load_json(Path(course) / "downloaded" / base / "collect-report.json")
    people = collected.get("students", {}) if isinstance(collected.get("students"), dict) else {}
    people = {sid: info for sid, info in people.items() if isinstance(info, dict)}
    states = {aid: run_state if aid == assignment else load_json(work_dir(course, aid) /
                                                                  "state.json")
              for aid in ids}
    with Gradebook(db_url(course)) as gb:
        by_id = {aid: _edition_rows(course, aid, states[aid].get("students", {}), people, gb,
                                    limits) for aid in ids}
    rows = by_id[assignment]
    # Every student of the class, as the grades CSV and the platform exports list them
    # (welfaregrading.roster.class_rows: the roster, the download, submitted/, the gradebook):
    # a student who handed in nothing gradable, or nothing at all, gets a row with the reason.
    problem = None
    try:
        everyone = _class_rows(course, assignment)
    except ValueError as err:  # (RosterError) the export step stops on it with the reason
        everyone, problem = [], f"the platform's gradebook export cannot be read: {err}"
    if module:
        rows = module_rows(assignment, by_id, everyone, collected)
    for extra in [] if module else everyone:
        sid = str(extra.get("student_id") or "")
        if not sid:
            continue
        if sid in rows:
            # the class list's names win over the download's (Canvas writes "duprézoë")
            rows[sid]["name"] = _empty_row(sid, extra)["name"] or rows[sid]["name"]
            if rows[sid].get("late") is None:
                rows[sid]["late"] = extra.get("late")
            continue
        rows[sid] = _empty_row(sid, people.get(sid, {}) | {
            k: v for k, v in extra.items() if v not in (None, "")}) | {
            "status": extra.get("status") or "failed", "reason": extra.get("reason") or "",
            "notes": list(people.get(sid, {}).get("notes", []))}
    result = BatchResult(assignment, rows, [], 0, 0.0, wd / "summary.txt")
    box = run_state.get("sandbox")
    for aid in ids:  # an edition graded without the sandbox is said at the top too
        other = states[aid].get("sandbox")
        if isinstance(other, dict) and not other.get("sandboxed"):
            box = other
            break
    _save_summary(course, assignment, result, box, problem)
    try:
        chart = class_chart(course, assignment, rows)
    except Exception as err:  # noqa: BLE001 - the summary matters more than its chart
        chart = {}
        echo(f"(The class chart could not be drawn: {type(err).__name__}: {err})")
    text = result.summary.read_text(encoding="utf-8").rstrip("\n")
    if chart:
        text += (f"\n\nWhat the class missed, per graded part: {chart['png']} "
                 f"(table: {chart['csv'].name}, {chart['md'].name})")
        result.summary.write_text(text + "\n", encoding="utf-8")
    echo(text)
    return result


def _edition_rows(course: Path, assignment: str, entries: dict, people: dict, gb,
                  limits: SubmissionLimits) -> dict[str, dict]:
    """The summary rows of the students in ``submitted/*/<assignment>`` (one edition), from
    the run state's ``entries``, the collect report's ``people`` and the gradebook ``gb``."""
    rows = {}
    for sid in submitted_students(course, assignment):
        entry = entries.get(sid, {})
        row = _empty_row(sid, people.get(sid, {}))
        row.update(reason=entry.get("reason") or "",
                   notes=list(people.get(sid, {}).get("notes", [])) + entry.get("notes", []),
                   flags=entry.get("flags", []))
        if people.get(sid, {}).get("gradable") is False:
            row["notes"].append("the latest download has nothing gradable ("
                                + (people[sid].get("reason") or "see collect-report.json")
                                + "): this is an earlier submission")
        try:
            _summary_row(course, assignment, sid, entry, row, gb, limits)
        except Exception as err:  # noqa: BLE001 - one unreadable result never stops the summary
            gb.db.rollback()
            row.update(status="failed", score=None, lost=[], cells={},
                       reason=f"its result cannot be read ({type(err).__name__}: "
                              f"{str(err)[:200]}): grade it again")
        if row["late_seconds"]:
            row["notes"].append(f"late by {late_words(row['late_seconds'])}")
        rows[sid] = row
    return rows


def module_rows(assignment: str, by_id: dict[str, dict], everyone: list[dict],
                collected: dict | None = None) -> dict[str, dict]:
    """The summary rows of module ``assignment`` graded in several editions: ONE row per
    student, the edition that counts as the grades file says it (``everyone``: the rows of
    :func:`welfaregrading.roster.class_rows`, merged by
    :func:`welfaregrading.editions.merge_rows`: each names its ``assignment`` and
    ``language``; a student who handed in both has ``both_editions``). ``by_id``:
    ``{assignment id: summary rows}`` of each edition. Each row gets ``assignment``,
    ``language``, ``grade`` (the score that counts, points, None where the grades file has
    none) and ``grade_max``; a both-editions row gets ``editions`` (``{id: [status, score,
    max_score]}``) and a note with both scores and which counts and why. Without class rows
    (an unreadable gradebook export) the editions' rows are merged the same way here. A
    student whose rows cannot be combined keeps a row with the reason (never dropped)."""
    from welfaregrading import editions

    base = editions.split_id(assignment)[0]
    if not everyone:  # the same rule on the summary rows themselves
        shaped = {aid: [{"student_id": sid, "status": r["status"], "reason": r["reason"],
                         "score": r["score"] if r["status"] in COUNTED else None,
                         "max_score": r["max_score"]} for sid, r in rows.items()]
                  for aid, rows in by_id.items()}
        everyone = editions.merge_rows(base, shaped, collected or {})
    merged = {}
    for extra in everyone:
        sid = str(extra.get("student_id") or "")
        if not sid:
            continue
        aid = extra.get("assignment") or assignment
        try:
            merged[sid] = _module_row(assignment, sid, aid, extra, by_id)
        except Exception as err:  # noqa: BLE001 - a broken case is reported, the rest goes on
            row = dict((by_id.get(aid) or by_id[assignment]).get(sid) or _empty_row(sid, extra))
            row.update(assignment=aid, language=editions.split_id(aid)[1], grade=None,
                       grade_max=None, notes=list(row.get("notes") or []))
            row["notes"].append(f"!! its editions could not be combined ({type(err).__name__}: "
                                f"{str(err)[:200]}): see each edition's summary")
            merged[sid] = row
    for aid, rows in by_id.items():  # in submitted/ but not in the class list: still listed
        for sid, row in rows.items():
            if sid not in merged:
                merged[sid] = dict(row, assignment=aid, language=editions.split_id(aid)[1],
                                   grade=row["score"] if row["status"] in COUNTED else None,
                                   grade_max=row["max_score"])
    return merged


def _module_row(assignment: str, sid: str, aid: str, extra: dict, by_id: dict) -> dict:
    from welfaregrading import editions

    own = (by_id.get(aid) or {}).get(sid)
    if own is None:  # nothing of this edition in submitted/: the class list's status
        row = _empty_row(sid, extra) | {"status": extra.get("status") or "failed",
                                        "reason": extra.get("reason") or "", "notes": []}
    else:
        row = dict(own, notes=list(own["notes"]), lost=list(own["lost"]))
        row["name"] = _empty_row(sid, extra)["name"] or row["name"]
        if row.get("late") is None:
            row["late"] = extra.get("late")
    row.update(assignment=aid, language=editions.split_id(aid)[1], grade=extra.get("score"),
               grade_max=extra.get("max_score"))
    if extra.get("both_editions"):
        row["editions"] = {}
        for other, facts in (extra.get("editions") or {}).items():
            seen = (by_id.get(other) or {}).get(sid) or {}
            row["editions"][other] = [facts.get("status"), facts.get("score"),
                                      facts.get("max_score")]
            if other != aid and seen.get("status") not in COUNTED:
                row["notes"].append(f"!! {other} (not counted) was not graded: "
                                    + (seen.get("reason") or facts.get("status") or "?"))
        # (the collect's shorter note, without the scores, is left out: this one says it all)
        row["notes"] = [n for n in row["notes"] if not n.startswith("handed in both editions (")]
        row["notes"].append(extra.get("both_editions_text") or "handed in both editions")
        if row["status"] == NOT_GRADED_YET:
            row["notes"].append(f"{aid}, the one that counts, is not graded yet (the autograde "
                                f"step grades every edition of {assignment})")
        elif row["status"] not in COUNTED:
            row["notes"].append(f"!! {aid}, the one that counts, has no score yet "
                                f"({row['status']}): grade it again or look at it; the "
                                "other edition's score is above")
    if extra.get("earlier_editions_text") and extra["earlier_editions_text"] not in row["notes"]:
        row["notes"].append(extra["earlier_editions_text"])
    return row


def _empty_row(sid: str, info: dict) -> dict:
    """A summary row with nothing graded yet; names and lateness from ``info`` (a collect
    report entry or a roster row)."""
    first, last = info.get("first_name") or "", info.get("last_name") or ""
    name = " ".join(p for p in (first, last) if p) or info.get("name") or ""
    return {"student": sid, "name": name,
            "status": "failed", "score": None, "max_score": None, "auto_score": None,
            "auto_max": None, "manual_max": None, "manual_pending": None, "late_seconds": 0,
            "timestamp": None, "late": info.get("late"), "submitted_utc": info.get("submitted_utc"),
            "reason": "", "notes": [], "lost": [], "flags": [], "cells": {}}


def _save_summary(course: Path, assignment: str, result: BatchResult, box,
                  problem: str | None = None) -> None:
    text = _summary_text(result)
    if problem:
        text += f"\n\n!! {problem}"
    if box and not box.get("sandboxed"):
        text = f"!! {box.get('warning') or 'GRADING WAS NOT SANDBOXED'}\n" + text
    result.summary.write_text(text + "\n", encoding="utf-8")
    save_json(work_dir(course, assignment) / "summary.json",
              {"assignment": assignment, "students": result.students, "sandbox": box})


def _class_rows(course: Path, assignment: str) -> list[dict]:
    """``welfaregrading.roster.class_rows`` (one row per student, as the platform exports list
    them), or [] where that does not exist yet."""
    try:
        from welfaregrading.roster import class_rows
    except ImportError:
        return []
    return list(class_rows(Path(course), assignment) or [])


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
        if not row["reason"] and not unsafe and entry.get("status") != "failed":
            row["status"] = NOT_GRADED_YET
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
        row["cells"] = {gid: [c.score, c.max_score, c.auto, c.needs_manual_grade]
                        for gid, c in scores.items()}
        for mark in entry.get("marks_cleared") or []:
            cell = scores.get(mark.get("cell"))
            row["notes"].append(cleared_mark_note(mark, cell is None or cell.needs_manual_grade))
    elif sub is not None and entry.get("status") != "failed" and folder.is_dir():
        row["reason"] = f"the autograded folder is not safe to read: {problem}"
    elif not row["reason"]:
        row["reason"] = f"not graded: {problem}"


def _summary_text(result: BatchResult) -> str:
    """The summary as text: counts per status, a table (every student, names where known),
    then per student why."""
    rows = result.students
    absent = result.count(NO_SUBMISSION)
    handed = len(rows) - absent
    lines = [f"{result.assignment}: {handed} submission{'' if handed == 1 else 's'}: "
             + ", ".join([f"{result.count(s)} {s}" for s in STATUSES]
                         + [f"{result.count(s)} {s}" for s in (NOT_GRADED_YET, NOTHING_TO_GRADE)
                            if result.count(s)])
             + (f"; {absent} student{'' if absent == 1 else 's'} with {NO_SUBMISSION}"
                if absent else "")]
    if not rows:
        return lines[0]
    width = max(12, *(len(s) for s in rows))
    names = {sid: (r.get("name") or "")[:28] for sid, r in rows.items()}
    name_width = max((len(n) for n in names.values()), default=0)
    name_col = (lambda text: f"{text:<{name_width}}  ") if name_width else (lambda text: "")
    # a module graded in several editions (m06 and m06-nl): each student's language and the
    # score that counts, as in the grades file, and both editions' scores where both came in
    module = any("language" in r for r in rows.values())
    if module:
        langs = {}
        for r in rows.values():
            if r["status"] != NO_SUBMISSION:
                langs[r["language"]] = langs.get(r["language"], 0) + 1
        both = sum(1 for r in rows.values() if r.get("editions"))
        lines[0] += ("; counted per language: " + ", ".join(f"{n} {k}" for k, n in
                                                             sorted(langs.items()))
                     + (f" ({both} handed in both editions)" if both else ""))
    lang_col = (lambda text: f"{text:<4}  ") if module else (lambda text: "")
    score_col = (lambda text: f"{text:>9}  ") if module else (lambda text: "")
    lines.append(f"{'student':<{width}}  {name_col('name')}{lang_col('lang')}{'status':<21} "
                 f"{score_col('score')}{'auto':>9} {'written':>9}  late")
    for sid, r in rows.items():
        auto = f"{r['auto_score']:g}/{r['auto_max']:g}" if r["auto_max"] is not None else "-"
        if r["manual_max"]:
            written = (f"?/{r['manual_max']:g}" if r["manual_pending"]
                       else f"{(r['score'] or 0) - (r['auto_score'] or 0):g}/{r['manual_max']:g}")
        else:
            written = "-"
        late = late_words(r["late_seconds"]) if r["late_seconds"] else \
            ("late (platform)" if r.get("late") else "")
        tail = ""
        if module and r.get("editions"):
            tail = ("both: " + ", ".join(
                f"{aid} {_points(score, top) if score is not None else '(' + str(status) + ')'}"
                for aid, (status, score, top) in r["editions"].items())
                + f"; {r['assignment']} counts")
        grade = _points(r.get("grade"), r.get("grade_max")) if r.get("grade") is not None \
            else "-"
        lines.append(f"{sid:<{width}}  {name_col(names[sid])}"
                     f"{lang_col(r.get('language') or '')}{r['status']:<21} {score_col(grade)}"
                     f"{auto:>9} {written:>9}  {late}".rstrip()
                     + (f"  {tail}" if tail else ""))
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
            lines += [f"  ! {note[3:]}" if note.startswith("!! ") else f"  * {note}"
                      for note in r["notes"]]
            lines += [f"  - {x}" for x in r["lost"] if "to be marked" not in x]
    return "\n".join(lines)


def _points(score, top) -> str:
    """``"7/10"``, or ``"7"`` without a maximum."""
    return f"{score:g}/{top:g}" if top else f"{score:g}"


# -- what the class missed, at a glance -----------------------------------------------------------

#: Okabe & Ito's colour-blind-safe palette ("Color Universal Design", jfly.uni-koeln.de/color/):
#: full marks, part of the marks, no marks, still to be marked; the histogram's bars.
PART_COLOURS = {"full marks": "#009E73", "part of the marks": "#E69F00", "no marks": "#D55E00",
                "to be marked": "#999999"}
HISTOGRAM_COLOUR = "#0072B2"
#: Statuses whose scores the chart and its table count (a flagged or failed submission's score
#: is not used until a lecturer looked at it).
COUNTED = ("graded", "needs manual grading")


def part_order(course: Path, assignment: str) -> list[str]:
    """The grade ids of ``source/<id>/*.ipynb`` in notebook order (the order students meet
    them)."""
    order = []
    for path in sorted((Path(course) / "source" / assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = nbgrader_meta(cell)
            if meta.get("grade") and meta.get("grade_id") not in order:
                order.append(meta["grade_id"])
    return order


def part_table(rows: dict, order: list[str] | None = None):
    """One row per graded part (grade cell) over the summary ``rows`` whose status is in
    :data:`COUNTED`: ``part``, ``kind`` ("test" or "written"), ``points`` (points possible),
    ``students`` (how many have a score or a pending mark for it), ``full marks``, ``part of
    the marks``, ``no marks``, ``to be marked`` (numbers of students), ``pass rate (%)`` (full
    marks among those scored, 0-100; empty when none is scored yet) and ``mean score
    (points)`` over those scored. Returns a pandas DataFrame, parts in ``order`` first."""
    import pandas as pd

    counts: dict[str, dict] = {}
    for row in rows.values():
        if row.get("status") not in COUNTED:
            continue
        for gid, (score, max_score, auto, pending) in (row.get("cells") or {}).items():
            part = counts.setdefault(gid, {"part": gid, "kind": "test" if auto else "written",
                                           "points": max_score, "students": 0, "full marks": 0,
                                           "part of the marks": 0, "no marks": 0,
                                           "to be marked": 0, "_scores": []})
            part["students"] += 1
            if pending:
                part["to be marked"] += 1
                continue
            score = score or 0.0
            part["_scores"].append(score)
            key = ("full marks" if score >= max_score else "no marks" if score <= 0
                   else "part of the marks")
            part[key] += 1
    ordered = [g for g in (order or []) if g in counts] + sorted(set(counts) - set(order or []))
    table = []
    for gid in ordered:
        part = counts[gid]
        scores = part.pop("_scores")
        part["pass rate (%)"] = round(100 * part["full marks"] / len(scores), 1) if scores else None
        part["mean score (points)"] = round(sum(scores) / len(scores), 2) if scores else None
        table.append(part)
    columns = ["part", "kind", "points", "students", "full marks", "part of the marks",
               "no marks", "to be marked", "pass rate (%)", "mean score (points)"]
    return pd.DataFrame(table, columns=columns)


def chart_alt_text(assignment: str, table, totals: list[float], max_total: float | None) -> str:
    """The chart's text alternative: what it shows and what stands out, in one paragraph."""
    if table.empty:
        return f"{assignment}: no graded submission yet, so the chart is empty."
    scored = table.dropna(subset=["pass rate (%)"])
    text = (f"{assignment}: bar chart of the {len(table)} graded parts; for each, the share of "
            f"students with full marks, part of the marks, no marks, or still to be marked.")
    # a part still to be marked by most students says nothing yet about who passed it
    scored = scored[scored["students"] - scored["to be marked"] > scored["to be marked"]]
    if not scored.empty:
        worst = scored.sort_values(["pass rate (%)", "part"]).iloc[0]
        marked = int(worst["students"] - worst["to be marked"])
        text += (f" Lowest pass rate: {worst['part']} ({worst['pass rate (%)']:g}% of "
                 f"{marked} student{'' if marked == 1 else 's'} with full marks).")
    if totals:
        text += (f" Histogram of the {len(totals)} total scores: from {min(totals):g} to "
                 f"{max(totals):g}" + (f" of {max_total:g}" if max_total else "") + " points.")
    return text


def class_chart(course: Path, assignment: str, rows: dict) -> dict[str, Path]:
    """What the class missed, at a glance: per graded part, how many students got full marks,
    part of them, none, or are still to be marked (stacked bars, % of students), and the
    distribution of total scores (histogram, points), from the summary ``rows``.

    Writes ``build/grading/<id>/class-summary-<id>.png`` (matplotlib's Agg canvas, used
    directly: no pyplot, no backend change for anything else in the process; the Okabe-Ito
    colours of :data:`PART_COLOURS`; the text alternative in the PNG's ``Description``),
    ``class-summary-<id>.csv`` (:func:`part_table`) and ``class-summary-<id>.md`` (the image
    with its alt text, and the table). Returns ``{"png": ..., "csv": ..., "md": ...}``."""
    import pandas as pd
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    wd = work_dir(course, assignment)
    table = part_table(rows, part_order(course, assignment))
    counted = [r for r in rows.values() if r.get("status") in COUNTED]
    totals = [float(r["score"]) for r in counted if r.get("score") is not None]
    max_total = next((float(r["max_score"]) for r in counted if r.get("max_score")), None)
    alt = chart_alt_text(assignment, table, totals, max_total)
    paths = {kind: wd / f"class-summary-{assignment}.{kind}" for kind in ("png", "csv", "md")}

    fig = Figure(figsize=(11, max(3.5, 1.2 + 0.45 * len(table))), layout="constrained")
    FigureCanvasAgg(fig)
    bars, hist = fig.subplots(1, 2, width_ratios=[3, 2])
    labels = [f"{r.part} ({r.points:g} pt)" for r in table.itertuples()]
    left = [0.0] * len(table)
    for key, colour in PART_COLOURS.items():
        share = [100 * n / s if s else 0.0 for n, s in zip(table[key], table["students"],
                                                            strict=True)]
        bars.barh(labels, share, left=left, color=colour, label=key, edgecolor="white")
        left = [a + b for a, b in zip(left, share, strict=True)]
    for y, part in enumerate(table.itertuples()):
        rate = part[table.columns.get_loc("pass rate (%)") + 1]
        scored = part.students - part[table.columns.get_loc("to be marked") + 1]
        if not pd.isna(rate):  # (empty when nobody is scored yet); "of n": of those scored
            bars.text(101, y, f"{rate:g}% of {scored}", va="center", fontsize=8)
    bars.set_xlim(0, 122)
    bars.set_xticks(range(0, 101, 20))
    bars.invert_yaxis()
    bars.set_xlabel("Students (% of submissions); right: pass rate (% with full marks, of "
                    "those scored)")
    bars.set_ylabel("Graded part (grade cell, points possible)")
    bars.set_title(f"{assignment}: each graded part ({len(counted)} submissions autograded)")
    bars.legend(loc="lower center", bbox_to_anchor=(0.5, 1.08), ncols=4, fontsize=8,
                frameon=False)
    if totals:
        top = max_total or max(totals) or 1.0
        hist.hist(totals, bins=min(20, max(5, int(top))), range=(0, top), color=HISTOGRAM_COLOUR,
                  edgecolor="white")
    hist.set_xlabel("Total score (points" + (f", of {max_total:g})" if max_total else ")"))
    hist.set_ylabel("Students (number)")
    pending = int(table["to be marked"].sum()) if not table.empty else 0
    hist.set_title("Total scores" + ("\n(answers still to mark count 0)" if pending else ""))
    hist.yaxis.get_major_locator().set_params(integer=True)
    fig.savefig(paths["png"], dpi=120,
                metadata={"Title": f"{assignment}: what the class missed", "Description": alt})

    table.to_csv(paths["csv"], index=False)
    header = "| " + " | ".join(table.columns) + " |"
    lines = [f"# {assignment}: what the class missed", "",
             f"![{alt}](class-summary-{assignment}.png)", "", alt, "", header,
             "|" + "---|" * len(table.columns)]
    for record in table.itertuples(index=False):
        lines.append("| " + " | ".join("" if pd.isna(v) else f"{v:g}" if isinstance(v, float)
                                        else str(v) for v in record) + " |")
    paths["md"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths
