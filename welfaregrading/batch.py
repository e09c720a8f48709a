"""Autograding a whole class: nbgrader's autograde on every new or changed submission, in
worker processes that each have a scratch course, with results recorded in the course's
gradebook by this process alone. The entry point is :func:`autograde_all`.

One bad submission costs only itself: whatever goes wrong while checking, executing, merging or
saving one student's work (a link, a named pipe or a hard link in a folder, too many files, a
notebook nested 100 000 levels deep, a worker process that crashes) is that student's failure
with a reason, and the batch goes on. Folders a student's code could have touched are looked at
with ``os.lstat`` and copied without following links (:mod:`welfaregrading.fs`); lateness comes
only from the collector's ``submitted/<student>/<id>/timestamp.txt``; the gradebook is backed
up before the run and checked after it (:func:`backup_gradebook`, :func:`check_gradebook`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import tempfile
import time
import traceback
from pathlib import Path

import nbformat

from welfaregrading import fs
from welfaregrading.course import (
    REPO,
    api_for,
    check_result,
    course_config,
    db_url,
    scratch_course,
    setting,
    venv_on_path,
)
from welfaregrading.intake import (
    SubmissionLimits,
    check_submission,
    read_timestamp,
    submission_hash,
    submitted_students,
)
from welfaregrading.report import BatchResult, failure_reason, log_notes, summarize
from welfaregrading.runfiles import (
    FLAGGED,
    WORK,
    Progress,
    RunLog,
    load_json,
    quiet_known_warnings,
    save_json,
    without_noise,
    work_dir,
)

#: Start of the message when a folder is refused (as CheckGradingFolder logs it).
REFUSED = "Grading folder refused"
#: A line GuardedExecute logs per sign of tampering: ``Grading flag: <reason>``.
FLAG_LINE = re.compile(r"Grading flag: (.+)")
#: How many gradebook backups each assignment's build/grading/<id>/ keeps.
BACKUPS_KEPT = 5


class GradingStopped(SystemExit):
    """The run stopped before or after grading for a reason that concerns the whole class (the
    preflight check failed, the gradebook was damaged); the message says what to do. As a
    SystemExit it ends ``python -m welfaregrading`` with that message and exit code 1."""


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

    from welfaregrading.editions import apply_stubs

    config = course_config(course)
    apply_stubs(config, assignment)  # a Dutch edition (m06-nl): its own answer stubs
    with tempfile.TemporaryDirectory(prefix="welfarelab-gradebook-") as tmp:
        config.CourseDirectory.release_directory = tmp
        venv_on_path()
        check_result(NbGraderAPI(config=config).generate_assignment(assignment, force=True, create=True),
               f"generate_assignment {assignment} (into the gradebook)")
        generated = {p.name: nbformat.read(p, as_version=4)
                     for p in (Path(tmp) / assignment).glob("*.ipynb")}
    due = due or setting(config, "due_dates", {}).get(assignment)
    if due:
        when = parse_due(due, setting(config, "timezone", "Europe/Brussels"))
        with Gradebook(db_url(course)) as gb:
            gb.update_or_create_assignment(assignment, duedate=when)
    return generated



def _remove_generated(course: Path, assignment: str, student: str) -> None:
    """Remove a student's autograded/ and feedback/ folders (generated, never student work),
    never following a link (a link in their place is removed itself)."""
    for step in ("autograded", "feedback"):
        fs.remove(Path(course) / step / student / assignment)


def _record_submission(course: Path, assignment: str, student: str, stamp=None) -> None:
    """Make sure the gradebook has a row for this submission (with ``stamp``, the collector's
    time read by :func:`read_timestamp`), as nbgrader itself leaves one for a submission it
    could not grade."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url(course)) as gb:
        gb.update_or_create_student(student)
        gb.update_or_create_submission(assignment, student,
                                       **({"timestamp": stamp} if stamp else {}))


def _resolve_workers(workers: int | None, config, jobs: int) -> int:
    if workers is None or workers <= 0:
        workers = int(setting(config, "workers", 0) or 0)
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
    quiet_known_warnings()  # a spawned process starts with Python's default filters
    import nbgrader.apps
    import nbgrader.converters  # noqa: F401

    import welfaregrading.preprocessors.guarded_execute  # noqa: F401


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
                   api=api_for(wcourse, config), limits=SubmissionLimits.of(config))


def _refused(what: str, problem: str, log: str = "") -> dict:
    """The result of a submission whose folder is not safe to grade."""
    return {"success": False, "log": log, "error": f"{REFUSED}: {what}: {problem}",
            "reason": f"{what} is not safe to grade: {problem}"}


def _crashed(where: str, err: BaseException, log: str = "") -> dict:
    """The result of a submission on which the grader itself stopped with ``err``."""
    return {"success": False, "log": log,
            "error": f"the grader stopped {where}:\n" + "".join(
                traceback.format_exception(type(err), err, err.__traceback__)),
            "reason": f"the grader stopped {where} ({type(err).__name__}: "
                      f"{str(err)[:200] or 'no message'}); the rest of the class was graded"}


def _worker_grade(course: str, assignment: str, scratch: str, student: str) -> dict:
    """Run nbgrader's autograde (sanitize, execute, limit output) on one submission in the
    worker's scratch course; stage the executed notebook for the main process.

    Never raises: a folder that is not safe (checked before the copy in and before the copy
    out, nothing followed) or any error is this student's failure, with a reason."""
    started = time.perf_counter()
    try:
        result = _worker_grade_one(Path(course), assignment, Path(scratch), student)
    except Exception as err:  # noqa: BLE001 - MemoryError, RecursionError, OSError ...
        result = _crashed("while grading this submission", err)
    result["seconds"] = time.perf_counter() - started
    return result


def _worker_grade_one(course: Path, assignment: str, scratch: Path, student: str) -> dict:
    if _WORKER.get("key") != (course, assignment, scratch):
        _worker_setup(course, assignment, scratch)
    wcourse, limits = _WORKER["wcourse"], _WORKER["limits"]
    src, dst = course / "submitted" / student / assignment, wcourse / "submitted" / student / assignment
    out = wcourse / "autograded" / student / assignment
    staged = course / WORK / assignment / "staged" / student / assignment
    for folder in (dst, out, staged):
        fs.remove(folder)
    try:
        limits.copy(src, dst)
    except fs.UnsafeTree as err:
        return _refused(f"submitted/{student}/{assignment}", str(err))
    result = _WORKER["api"].autograde(assignment, student, force=True, create=True)
    log, error = result.get("log") or "", result.get("error") or ""
    try:
        if not result.get("success") or not os.path.lexists(out):
            return {"success": False, "log": log, "error": error}
        problem = limits.scan(out)
        if problem:  # checked before anything of it is copied
            return _refused(f"autograded/{student}/{assignment}", problem, log)
        limits.copy(out, staged)
        fs.remove(staged / "timestamp.txt")  # lateness comes from the collector's file only
        return {"success": True, "log": log, "error": error}
    finally:
        fs.remove(out)
        fs.remove(dst)


def _merge_api(course: Path, assignment: str):
    """nbgrader's Autograde, configured to record an already executed notebook: it reads the
    staged notebook instead of submitted/, runs no sanitizing and no execution, only
    SaveAutoGrades and AssignLatePenalties, into the course's gradebook."""
    check = "welfaregrading.preprocessors.check_folder.CheckGradingFolder"
    config = course_config(course)
    config.CourseDirectory.submitted_directory = (WORK / assignment / "staged").as_posix()
    config.Autograde.sanitize_preprocessors = [check]
    config.Autograde.autograde_preprocessors = ["nbgrader.preprocessors.SaveAutoGrades",
                                                "nbgrader.preprocessors.AssignLatePenalties",
                                                check]
    return api_for(course, config)


def _merge_one(merge, course: Path, assignment: str, student: str, result: dict, stamp,
               limits: SubmissionLimits) -> dict:
    """Record a worker's staged result in the course's gradebook (nbgrader's SaveAutoGrades and
    AssignLatePenalties, through ``merge``), after checking the staged folder; its
    ``timestamp.txt`` is the one the collector wrote (``stamp``, read before grading), never
    one from the graded folder. Then the course's autograded folder is checked again."""
    staged = Path(course) / WORK / assignment / "staged" / student / assignment
    problem = limits.scan(staged)
    if problem:
        return _refused(f"the grader's copy of autograded/{student}/{assignment}", problem,
                        result.get("log", ""))
    stamp_file = staged / "timestamp.txt"
    fs.remove(stamp_file)
    if stamp is not None:
        fd = os.open(stamp_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(stamp.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
    merged = merge.autograde(assignment, student, force=True, create=True)
    if not merged.get("success"):
        return {"success": False, "log": result.get("log", ""),
                "error": "merging into the gradebook failed:\n"
                + (merged.get("error") or merged.get("log") or "")}
    problem = limits.scan(Path(course) / "autograded" / student / assignment)
    if problem:
        return _refused(f"autograded/{student}/{assignment}", problem, result.get("log", ""))
    return result


def _sqlite_copy(src: Path, dst: Path) -> None:
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
                    log, stamps: dict, limits: SubmissionLimits) -> list[str]:
    """Grade in the pool's worker processes; record each result in the course's gradebook as
    soon as it arrives (only this process writes it). Returns the students left over if a
    worker process itself died (:func:`_grade_isolated` then grades each on its own)."""
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
            except Exception as err:  # noqa: BLE001 - reported for this student; the batch goes on
                result = _crashed("in the grading worker", err)
            if result.get("success"):
                try:
                    result = _merge_one(merge, course, assignment, sid, result, stamps.get(sid),
                                        limits)
                except Exception as err:  # noqa: BLE001 - this student's failure only
                    result = _crashed("while saving this result in the gradebook", err,
                                      result.get("log", ""))
            on_done(sid, result)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(scratch, ignore_errors=True)
        fs.remove(staged_root)
    if leftovers:
        log(f"A grading worker process stopped; grading {len(leftovers)} submission(s) "
            "one by one, each in a process of its own.")
    return leftovers


def _grade_isolated(course: Path, assignment: str, students: list[str], on_done, log,
                    stamps: dict, limits: SubmissionLimits) -> None:
    """Grade each student in a worker process of their own (after a worker crashed): a
    submission that crashes its process again fails with that reason, and only it."""
    for sid in students:
        left = _grade_parallel(_start_pool(1), course, assignment, [sid], on_done,
                               lambda *_: None, stamps, limits)
        if left:
            on_done(sid, {"success": False, "log": "",
                          "error": "grading worker stopped: the process grading this "
                                   "submission crashed twice",
                          "reason": "the grading process stopped while grading this "
                                    "submission, twice (it crashed or ran out of memory); "
                                    "the rest of the class was graded"})


# -- the gradebook: backed up before a run, checked after it ----------------------------------------

#: Tables nbgrader's gradebook must hold (nbgrader.api).
GRADEBOOK_TABLES = {"assignment", "notebook", "student", "submitted_assignment",
                    "submitted_notebook", "grade", "comment", "grade_cells", "solution_cells"}


def backup_gradebook(course: Path, assignment: str, keep: int = BACKUPS_KEPT) -> Path | None:
    """Copy ``gradebook.db`` with sqlite3's backup API (a consistent copy even while another
    program reads it) to ``build/grading/<id>/gradebook-before-<time>.db``; keep the last
    ``keep`` copies. Returns the copy, or None when the course has no gradebook yet. Raises
    :class:`GradingStopped` if ``gradebook.db`` is not an ordinary file (e.g. a link)."""
    db = Path(course) / "gradebook.db"
    if not os.path.lexists(db):
        return None
    if os.path.islink(db) or not db.is_file():
        raise GradingStopped(f"{db} is not an ordinary file (a link?): grading stops so that "
                             "nothing is written through it. Put the real gradebook there.")
    wd = work_dir(course, assignment)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = wd / f"gradebook-before-{stamp}.db"
    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    for old in sorted(wd.glob("gradebook-before-*.db"))[:-keep or None]:
        old.unlink()
    return target


def manual_grades(db: Path) -> dict[str, float]:
    """The manual scores in a gradebook file, ``{grade row id: score}`` (read-only)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return dict(con.execute(
            "SELECT id, manual_score FROM grade WHERE manual_score IS NOT NULL").fetchall())
    finally:
        con.close()


def check_gradebook(db: Path, assignment: str, manual_before: dict | None = None) -> str | None:
    """Why the gradebook file ``db`` is damaged, or None: sqlite's ``PRAGMA integrity_check``,
    nbgrader's tables, the assignment's row, and every manual score of ``manual_before``
    (from :func:`manual_grades` before the run) still there."""
    db = Path(db)
    if os.path.islink(db) or not db.is_file():
        return "gradebook.db is missing or not an ordinary file"
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            check = con.execute("PRAGMA integrity_check").fetchall()
            if check != [("ok",)]:
                return "sqlite's integrity check failed: " + "; ".join(
                    str(row[0]) for row in check[:3])
            tables = {row[0] for row in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if GRADEBOOK_TABLES - tables:
                return "tables are missing: " + ", ".join(sorted(GRADEBOOK_TABLES - tables))
            if not con.execute("SELECT 1 FROM assignment WHERE name = ?",
                               (assignment,)).fetchone():
                return f"the assignment {assignment} is missing from it"
            now = dict(con.execute(
                "SELECT id, manual_score FROM grade WHERE manual_score IS NOT NULL").fetchall())
        finally:
            con.close()
    except sqlite3.Error as err:
        return f"it cannot be read as a gradebook ({err})"
    lost = [gid for gid in (manual_before or {}) if now.get(gid) is None]
    if lost:  # (a changed value may be a grader's edit in formgrader during the run)
        return f"{len(lost)} manual grade(s) entered before this run are gone"
    return None


def restore_gradebook(course: Path, backup: Path) -> None:
    """Put the backup ``backup`` back as ``course/gradebook.db`` (sqlite3's backup API into a
    new file, then an atomic rename, so the damaged file is never written through)."""
    db = Path(course) / "gradebook.db"
    tmp = db.with_name("gradebook.db.restoring")
    fs.remove(tmp)
    src, dst = sqlite3.connect(f"file:{backup}?mode=ro", uri=True), sqlite3.connect(tmp)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    os.replace(tmp, db)


# -- manual marks: a changed answer reopens its mark ----------------------------------------------

#: ``build/grading/<id>/answers.json``: per student, the fingerprint of each manually graded
#: answer as it was last autograded (what formgrader showed when the lecturer marked it). The
#: course's build/ folder is the lecturer's: a student's code never runs with it in sight (the
#: grading sandbox shows a kernel only its own private copy of the submission).
ANSWERS_FILE = "answers.json"


def answer_fingerprint(source: str) -> str:
    """SHA-256 of a cell's source, line endings made ``\\n`` and trailing white space dropped
    (a notebook saved again on another system is the same answer; any other edit is not)."""
    import hashlib

    text = "\n".join(line.rstrip() for line in str(source).replace("\r\n", "\n")
                     .replace("\r", "\n").split("\n")).rstrip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def answer_fingerprints(folder: Path, limits: SubmissionLimits | None = None) -> dict:
    """``{notebook name without .ipynb: {grade_id: fingerprint}}`` of the manually graded
    answers (nbgrader's ``is_grade`` and ``is_solution`` cells, and task cells) in the notebooks
    of an autograded ``folder``. Empty when the folder is missing or not safe to read (it is
    looked at with ``os.lstat`` first, :meth:`SubmissionLimits.scan`); a notebook that is not
    readable JSON counts as one without answers."""
    from nbgrader import utils

    folder = Path(folder)
    if not _real_folder(folder) or (limits or SubmissionLimits()).scan(folder):
        return {}
    found = {}
    for path in sorted(folder.glob("*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:  # noqa: BLE001 - an unreadable notebook has no answers to compare
            nb = nbformat.v4.new_notebook()
        cells = {}
        for cell in nb.cells:
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if gid and ((utils.is_grade(cell) and utils.is_solution(cell)) or utils.is_task(cell)):
                cells[gid] = answer_fingerprint(cell.source)
        found[path.stem] = cells
    return found


def marks_in_gradebook(course: Path, assignment: str, students) -> dict:
    """What a grader entered, per student: ``{student: [mark, ...]}``, each mark a dict with
    ``notebook``, ``cell``, ``grade_row`` (nbgrader's Grade id), ``manual`` (a written or
    hand-graded answer, as :func:`welfaregrading.report.cell_scores` counts it),
    ``manual_score``, ``extra_credit``, ``manual_comment``, ``auto_score``, ``max_score`` and
    ``needs_manual_grade``. Only cells with a manual score, extra credit or a comment by a
    grader are listed. Read with nbgrader's :class:`~nbgrader.api.Gradebook`."""
    from nbgrader.api import Gradebook, MissingEntry

    marks = {}
    with Gradebook(db_url(course)) as gb:
        for sid in students:
            try:
                sub = gb.find_submission(assignment, sid)
            except MissingEntry:
                continue
            found = []
            for nb in sub.notebooks:
                answers = {cell.name for cell in nb.notebook.solution_cells}
                comments = {c.name: c.manual_comment for c in nb.comments}
                for grade in nb.grades:
                    comment = comments.get(grade.name)
                    if grade.manual_score is None and grade.extra_credit is None and not comment:
                        continue
                    found.append({
                        "notebook": nb.name, "cell": grade.name, "grade_row": grade.id,
                        "manual": not (grade.cell.cell_type == "code" and grade.name not in answers),
                        "manual_score": grade.manual_score, "extra_credit": grade.extra_credit,
                        "manual_comment": comment, "auto_score": grade.auto_score,
                        "max_score": grade.max_score,
                        "needs_manual_grade": bool(grade.needs_manual_grade)})
            if found:
                marks[sid] = found
    return marks


def settle_marks(course: Path, assignment: str, student: str, marks: list, then: dict | None,
                 now: dict) -> tuple[list[str], list[dict]]:
    """After ``student`` was autograded again, decide what becomes of the marks a grader had
    entered (``marks``, from :func:`marks_in_gradebook` before this run), in the gradebook.

    nbgrader's ``SaveAutoGrades`` keeps every manual score and sets ``needs_manual_grade``
    again on each of them (nbgrader/preprocessors/saveautogrades.py, ``_add_score``), whatever
    the answer became. Here, per written (hand-graded) answer, comparing its fingerprint
    (:func:`answer_fingerprint`) in the autograded notebook ``now`` with the one it had when it
    was last autograded, ``then`` (from ``answers.json``):

    - changed (or gone): the manual score, extra credit and the grader's comment are cleared
      and the cell needs manual grading again; the old mark is returned to be logged;
    - unchanged: the mark stays, and the cell needs grading only when formgrader's own rule
      says so (no manual and no automatic score: nbgrader's formgrader ``GradeHandler.put``);
    - unknown (``then`` is None: graded before fingerprints were kept): nbgrader's behaviour
      stays (mark kept, to be reviewed), with a note.

    A grader's score on a test cell (an override of the automatic score) stays; it needs review
    again only when the automatic score changed. Returns ``(notes, cleared)``: notes in words
    for the summary, and the cleared marks (old score and comment) for the run log and the
    summary (:func:`welfaregrading.report.cleared_mark_note`).
    """
    from nbgrader.api import Gradebook, MissingEntry

    notes, cleared = [], []
    with Gradebook(db_url(course)) as gb:
        for mark in marks:
            nb, gid = mark["notebook"], mark["cell"]
            try:
                grade = gb.find_grade(gid, nb, assignment, student)
            except MissingEntry:
                continue
            old = (f"{mark['manual_score']:g} of {mark['max_score']:g}"
                   if mark["manual_score"] is not None else "no score")
            if not mark["manual"]:
                if grade.manual_score is None:
                    continue
                if grade.auto_score == mark["auto_score"]:
                    grade.needs_manual_grade = mark["needs_manual_grade"]
                else:
                    notes.append(f"{gid}: its automatic score changed ({mark['auto_score']} -> "
                                 f"{grade.auto_score}); your score {old} was kept: review it")
                continue
            before = None if then is None else then.get(nb, {}).get(gid)
            after = now.get(nb, {}).get(gid)
            if before is None:
                notes.append(f"{gid}: marked ({old}) before answers were fingerprinted; "
                             "kept, review it in formgrader")
            elif after != before:
                grade.manual_score = None
                grade.extra_credit = None
                grade.needs_manual_grade = True
                try:
                    gb.find_comment(gid, nb, assignment, student).manual_comment = None
                except MissingEntry:
                    pass
                cleared.append(dict(mark, when=dt.datetime.now().isoformat(timespec="seconds")))
            elif grade.manual_score is not None or grade.auto_score is not None:
                grade.needs_manual_grade = False
        gb.db.commit()
    return notes, cleared


# -- one run over every submission ----------------------------------------------------------------


def flags_in(log_text: str) -> list[str]:
    """The reasons of the ``Grading flag: <reason>`` lines (signs of tampering that
    GuardedExecute noticed) in an nbgrader log, each once, in order."""
    flags = []
    for line in (log_text or "").splitlines():
        match = FLAG_LINE.search(line)
        if match and match.group(1).strip() not in flags:
            flags.append(match.group(1).strip())
    return flags


def _preflight(config):
    """The preflight check's function, or None while it does not exist yet."""
    try:
        from welfaregrading.execution.preflight import preflight
    except ImportError:
        preflight = None
    return preflight


def autograde_all(course: Path = REPO, assignment: str = "m06", workers: int | None = None,
                  force: bool = False, due: str | None = None, students: list[str] | None = None,
                  echo=print, progress: bool = True, print_summary: bool = True) -> BatchResult:
    """Autograde every submission in ``submitted/*/<assignment>`` with nbgrader.

    - A preflight check (one sandboxed kernel, if ``welfaregrading.execution.preflight``
      exists) must pass first, else :class:`GradingStopped` before any student is touched.
    - The gradebook is backed up to ``build/grading/<id>/`` and checked after the run; if it
      was damaged, the backup is put back and :class:`GradingStopped` is raised (exit code 1).
    - The gradebook learns the assignment from ``source/`` (``release/`` is not written).
    - Each submission is checked first (a link, a named pipe or a hard link in its folder, too
      many files or bytes, a notebook that is not JSON or nested too deeply, a missing
      notebook); those fail with a reason, and the batch goes on.
    - New or changed submissions are graded (all with ``force``): in ``workers`` processes
      (default: one per core) that each have a scratch course and gradebook; this process
      alone writes the course's gradebook, through nbgrader's ``SaveAutoGrades``, with the
      submission time the collector wrote (read before grading). Any error on one
      submission is that submission's failure; a graded folder holding a link is refused.
    - A submission GuardedExecute flagged (``Grading flag: ...`` in its log) is "flagged for
      review", with the reasons, never a plain "graded".
    - A progress bar on stderr; ``build/grading/<id>/`` gets the log, per-student nbgrader
      logs, ``state.json`` (what was graded from which file) and ``summary.txt``/``.json``.

    Re-running is safe: unchanged submissions that were graded are left as they are (manual
    grades stay), failed or changed ones are graded again. When a submission is graded again
    (changed, or ``force``), a written answer that a grader had marked keeps its mark only if
    the answer is unchanged (its fingerprint in ``build/grading/<id>/answers.json``); a changed
    one has its mark and comment cleared and needs manual grading again, the old mark in the
    log and the summary (:func:`settle_marks`). An unchanged, marked answer does not need
    manual grading again, also with ``force``.
    """
    course = Path(course).resolve()
    quiet_known_warnings()
    started = time.perf_counter()
    log = RunLog(course, assignment, echo)
    wd = work_dir(course, assignment)
    (wd / "logs").mkdir(exist_ok=True)
    log(f"== autograde {assignment} in {course}")
    venv_on_path()
    config = course_config(course)
    limits = SubmissionLimits.of(config)
    everyone = submitted_students(course, assignment)
    chosen = [s for s in everyone if students is None or s in students]

    # -- Preflight (welfaregrading/execution/preflight.py): one sandboxed kernel imports
    # -- welfarelab before any student is graded; a message means the set-up is broken.
    preflight = _preflight(config)
    if preflight is not None and chosen:
        try:
            message = preflight(config)
        except Exception as err:  # noqa: BLE001 - a broken check stops the run the same way
            message = f"the preflight check itself failed ({type(err).__name__}: {err})"
        if message:
            log("!" * 78 + f"\n!! Grading did not start: {message}\n" + "!" * 78)
            raise GradingStopped(f"Grading did not start: {message}")

    backup = backup_gradebook(course, assignment)
    manual_before = manual_grades(backup) if backup else {}
    if backup:
        log(f"Gradebook backed up to {backup.relative_to(course)}", quiet=True)
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
    state = load_json(state_path)
    entries = state.setdefault("students", {})
    from welfaregrading.execution import sandbox

    state["sandbox"] = box = sandbox.status(config)
    if box["sandboxed"]:
        log("Students' code runs in the grading sandbox (bubblewrap; welfaregrading/execution/sandbox.py)")
    else:
        log("!" * 78 + "\n!! " + box["warning"] + "\n" + "!" * 78)

    def fail(sid: str, reason: str, notes=(), digest: str = "", stamp=None) -> None:
        """Record ``sid`` as failed (never raises: the batch goes on)."""
        entries[sid] = {"hash": digest, "status": "failed", "reason": reason,
                        "notes": list(notes), "when": dt.datetime.now().isoformat()}
        for step in (lambda: _remove_generated(course, assignment, sid),
                     lambda: _record_submission(course, assignment, sid, stamp)):
            try:
                step()
            except Exception as err:  # noqa: BLE001 - the reason above is what counts
                log(f"{sid}: (while recording the failure: {type(err).__name__}: {err})",
                    quiet=True)
        log(f"{sid}: cannot be graded: {reason}", quiet=True)

    todo, intake, stamps = [], {}, {}
    for sid in chosen:
        folder = course / "submitted" / sid / assignment
        digest, stamp = "", None
        try:
            digest = submission_hash(folder, limits)
            before = entries.get(sid, {})
            autograded = course / "autograded" / sid / assignment
            graded_before = (before.get("status") in ("graded", FLAGGED)
                             and before.get("hash") == digest
                             and limits.scan(autograded) is None
                             and all((autograded / name).is_file() for name in expected
                                     if os.path.lexists(folder / name)))
            if graded_before and not force:
                continue
            if not _real_folder(course / "submitted" / sid):
                problem, notes = (f"submitted/{sid} is not an ordinary folder (a link?); the "
                                  "grader never follows links"), []
            else:
                problem, notes = check_submission(folder, expected, released, limits)
            if not problem:
                try:
                    stamp = read_timestamp(folder)
                except ValueError as err:
                    problem = str(err)
        except Exception as err:  # noqa: BLE001 - RecursionError, MemoryError, OSError ...
            problem, notes = (f"the grader stopped while checking this submission "
                              f"({type(err).__name__}: {str(err)[:200] or 'no message'})"), []
        if problem:
            fail(sid, problem, notes, digest, stamp)
            continue
        todo.append(sid)
        intake[sid], stamps[sid] = notes, stamp
    save_json(state_path, state)
    # What graders entered before this run, and the answers it was entered on (answers.json;
    # for a submission graded before fingerprints were kept, its last autograded notebook).
    answers_path = wd / ANSWERS_FILE
    answers = load_json(answers_path)
    marks = marks_in_gradebook(course, assignment, todo) if todo else {}
    for sid in marks:
        if sid not in answers:
            answers[sid] = answer_fingerprints(course / "autograded" / sid / assignment,
                                               limits) or None

    n = min(n, max(1, len(todo)))
    log(f"{len(chosen)} submissions: {len(todo)} to grade, "
        f"{sum(1 for s in chosen if entries.get(s, {}).get('status') == 'failed' and s not in todo)}"
        f" that cannot be graded, the rest unchanged since they were graded"
        + (f"; {n} worker process(es)" if todo else ""))
    bar = Progress(len(todo), f"autograde {assignment}", enabled=progress)
    needs_manual = _needs_manual_lookup(course, assignment)

    def on_done(sid: str, result: dict) -> None:
        """Record one student's result (never raises: a failure to save is theirs only)."""
        try:
            status = record(sid, result)
        except Exception as err:  # noqa: BLE001 - saving one result never stops the batch
            fail(sid, _crashed("while saving this result", err)["reason"], intake.get(sid, []),
                 stamp=stamps.get(sid))
            status = "failed"
        try:
            save_json(state_path, state)
        except OSError as err:
            log(f"state.json could not be saved: {err}")
        bar.update(status)

    def record(sid: str, result: dict) -> str:
        """Write the student's log and state entry; return the status for the progress bar."""
        (wd / "logs" / f"{sid}.log").write_text(
            without_noise(result.get("log") or "") + "\n" + (result.get("error") or ""),
            encoding="utf-8")
        notes = intake.get(sid, []) + log_notes(result.get("log", ""))
        folder = course / "submitted" / sid / assignment
        entry = {"hash": submission_hash(folder, limits), "notes": notes,
                 "seconds": round(result.get("seconds", 0), 2),
                 "when": dt.datetime.now().isoformat()}
        graded = course / "autograded" / sid / assignment
        flags = flags_in(result.get("log", ""))
        if result.get("success") and _real_folder(graded):
            now = answer_fingerprints(graded, limits)
            if marks.get(sid):
                settled, cleared = settle_marks(course, assignment, sid, marks[sid],
                                                answers.get(sid), now)
                entry["notes"] = notes = notes + settled
                for mark in cleared:  # (cleared on purpose: not a lost grade)
                    manual_before.pop(mark["grade_row"], None)
                    log(f"{sid}: {mark['notebook']}/{mark['cell']}: the answer changed since it "
                        f"was marked; mark cleared. It was: manual score "
                        f"{mark['manual_score']}, extra credit {mark['extra_credit']}, "
                        f"comment {mark['manual_comment']!r}", quiet=True)
                if cleared:
                    entry["marks_cleared"] = cleared
            answers[sid] = now
            save_json(answers_path, answers)
            if flags:
                entry.update(status=FLAGGED, flags=flags)
                status = FLAGGED
                log(f"{sid}: flagged for review: {'; '.join(flags)}", quiet=True)
            else:
                entry["status"] = "graded"
                status = "needs manual grading" if needs_manual(sid) else "graded"
            entries[sid] = entry
            return status
        reason = failure_reason(result)
        notes += [f"also flagged for review: {flag}" for flag in flags]
        fail(sid, reason, notes, entry["hash"], stamps.get(sid))
        entries[sid].update(seconds=entry["seconds"])
        return "failed"

    def serial(sids):
        """Grade in this process, one by one (nbgrader writes in the course itself)."""
        api = api_for(course)
        for sid in sids:
            t0 = time.perf_counter()
            graded = course / "autograded" / sid / assignment
            try:
                result = api.autograde(assignment, sid, force=True, create=True)
                problem = limits.scan(graded) if os.path.lexists(graded) else None
                if result.get("success") and problem:
                    result = _refused(f"autograded/{sid}/{assignment}", problem,
                                      result.get("log", ""))
            except Exception as err:  # noqa: BLE001 - this student's failure only
                result = _crashed("while grading this submission", err)
            result["seconds"] = time.perf_counter() - t0
            on_done(sid, result)

    try:
        if pool is not None and n > 1:
            left = _grade_parallel(pool, course, assignment, todo, on_done, log, stamps, limits)
            _grade_isolated(course, assignment, left, on_done, log, stamps, limits)
        else:
            serial(todo)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        needs_manual.close()
        damage = check_gradebook(course / "gradebook.db", assignment, manual_before)
        if damage:
            _gradebook_damaged(course, assignment, damage, backup, todo, entries, state_path, log)
    # with another edition still to grade, its summary would call that edition's students
    # "not graded yet": the caller prints the module's summary once every edition is graded
    outcome = summarize(course, assignment, echo=log if print_summary else (lambda *_: None))
    outcome.graded_now, outcome.workers = todo, n
    outcome.seconds = time.perf_counter() - started
    log(f"Done in {outcome.seconds:.0f} s. Log: {log.path}")
    return outcome


def _real_folder(path: Path) -> bool:
    """Whether ``path`` is a folder itself, not a link to one."""
    return os.path.isdir(path) and not os.path.islink(path)


def _gradebook_damaged(course: Path, assignment: str, damage: str, backup: Path | None,
                       todo: list[str], entries: dict, state_path: Path, log) -> None:
    """Put the backup back (if there is one), mark this run's students for grading again, say
    so loudly and raise :class:`GradingStopped`."""
    if backup is not None:
        restore_gradebook(course, backup)
        what = (f"it was restored from the backup taken before this run ({backup.name}); "
                "the students graded in this run will be graded again next time")
    else:
        what = "there was no backup to restore (the course had no gradebook before this run)"
    for sid in todo:
        entries[sid] = {"hash": "", "status": "failed", "when": dt.datetime.now().isoformat(),
                        "reason": "the gradebook was damaged during the run and restored: "
                                  "grade again", "notes": []}
    save_json(state_path, load_json(state_path) | {"students": entries})
    message = f"THE GRADEBOOK WAS DAMAGED DURING THIS RUN ({damage}); {what}."
    log("!" * 78 + "\n!! " + message + "\n" + "!" * 78)
    raise GradingStopped(message)


def _needs_manual_lookup(course: Path, assignment: str):
    """A function student -> bool (needs manual grading) over one gradebook connection; each
    look-up ends its read transaction, so nbgrader's own writes are never held up."""
    from nbgrader.api import Gradebook, MissingEntry

    gb = Gradebook(db_url(course))

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


def accept_flagged(course: Path, assignment: str, students: list[str], echo=print) -> dict:
    """After the lecturer reviewed them in formgrader, count flagged submissions as graded.

    Each student in ``students`` whose state (``build/grading/<id>/state.json``) says
    "flagged for review" becomes "graded"; the flags are kept under ``reviewed_flags`` with the
    date, and the summary and the grades CSV then show the score. A submission that changes
    or is graded again (``FORCE=1``) is checked, and flagged, anew. Returns
    ``{student: None when accepted, or why not}``; raises ``FileNotFoundError`` when the
    assignment was never autograded in ``course``.
    """
    course = Path(course).resolve()
    state_path = work_dir(course, assignment) / "state.json"
    if not state_path.is_file():
        raise FileNotFoundError(f"{assignment} was never autograded in {course} "
                                f"(no {state_path}); run the autograde step first")
    state = load_json(state_path)
    entries = state.setdefault("students", {})
    log = RunLog(course, assignment, echo)
    done = {}
    for sid in students:
        entry = entries.get(sid)
        if entry is None:
            done[sid] = "no such student in this assignment's grading run"
        elif entry.get("status") != FLAGGED:
            done[sid] = f"not flagged (its status is {entry.get('status') or 'unknown'!r})"
        else:
            entry["status"] = "graded"
            entry["reviewed_flags"] = {"flags": entry.pop("flags", []),
                                       "accepted": dt.datetime.now().isoformat(timespec="seconds")}
            entry.setdefault("notes", []).append(
                "flagged for review; the lecturer reviewed it and accepted the score")
            done[sid] = None
        log(f"{sid}: " + ("flag reviewed, score accepted" if done[sid] is None
                           else f"not accepted: {done[sid]}"))
    save_json(state_path, state)
    summarize(course, assignment, echo=lambda *_: None)
    return done
