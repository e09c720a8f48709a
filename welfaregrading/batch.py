"""Autograding a whole class: nbgrader's autograde on every new or changed submission, in
worker processes that each have a scratch course, with results recorded in the course's
gradebook by this process alone. The entry point is :func:`autograde_all`."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from pathlib import Path

import nbformat

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
from welfaregrading.intake import check_submission, submission_hash, submitted_students
from welfaregrading.report import BatchResult, failure_reason, log_notes, summarize
from welfaregrading.runfiles import WORK, Progress, RunLog, load_json, save_json, work_dir


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
    venv_on_path()
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
    state = load_json(state_path)
    entries = state.setdefault("students", {})
    from welfaregrading.execution import sandbox

    state["sandbox"] = box = sandbox.status(config)
    if box["sandboxed"]:
        log("Students' code runs in the grading sandbox (bubblewrap; welfaregrading/execution/sandbox.py)")
    else:
        log("!" * 78 + "\n!! " + box["warning"] + "\n" + "!" * 78)

    todo, intake = [], {}
    for sid in chosen:
        folder = course / "submitted" / sid / assignment
        digest = submission_hash(folder)
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
    save_json(state_path, state)

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
        entry = {"hash": submission_hash(folder), "notes": notes,
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
        save_json(state_path, state)
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
