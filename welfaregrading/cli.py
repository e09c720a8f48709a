"""Command line of the lecturer's tools (also through ``make``; see the README's "For
lecturers")::

    python -m welfaregrading release [ID ...]       # regenerate release/ from source/
    python -m welfaregrading release-zips [ID ...]  # build/release-zips/<id>.zip
    python -m welfaregrading collect ID [--platform canvas|moodle|blackboard]
    python -m welfaregrading autograde ID [--workers N] [--due "..."] [--force]
    python -m welfaregrading summary|feedback|export ID
    python -m welfaregrading accept ID STUDENT [STUDENT ...]  # a flagged score, after review
    python -m welfaregrading grade ID [--platform P]  # collect, autograde, feedback, export
    python -m welfaregrading demo [--assignment m06] [--out DIR] [--timeout S]

All but ``release`` and ``demo`` take ``--course DIR`` (default: this repository).
Exit codes: 0 every submission graded; 3 the run completed but some submissions were not
graded, were flagged or have no feedback (listed at the end); 1 could not run; 2 usage.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from pathlib import Path

from welfaregrading.course import CONFIG_FILE, REPO, release_zips, update_release
from welfaregrading.runfiles import FLAGGED, quiet_known_warnings

#: Exit codes. 0: every submission graded (written answers may still need marking);
#: 3: the run completed, but some submissions could not be graded, were flagged for review or
#: have no feedback (each is listed with the reason); 1: the step could not run at all (no
#: course folder, nothing collected, a wrong platform, a damaged gradebook, a failed preflight);
#: 2: usage error (argparse's own code).
OK, COULD_NOT_RUN, USAGE, INCOMPLETE = 0, 1, 2, 3
#: Errors that stop a step as a whole (exit code 1, the message without a traceback).
CANNOT_RUN = (RuntimeError, FileNotFoundError, NotADirectoryError, ValueError, sqlite3.DatabaseError)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m welfaregrading",
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
                       ("export", "grades CSV and the platform's own import files"),
                       ("grade", "collect (if a zip is there), autograde, feedback and export")]:
        sub.add_parser(name, parents=[common], help=text)

    accept = sub.add_parser("accept", parents=[common],
                            help="count flagged submissions as graded after reviewing them")
    accept.add_argument("students", nargs="+", help="student ids whose flags you reviewed")
    demo = sub.add_parser("demo", help="grade sample submissions in a scratch course")
    demo.add_argument("--assignment", default="m06")
    demo.add_argument("--out", type=Path, default=None,
                      help="folder for the scratch course, feedback and CSV (default: a new temp folder)")
    demo.add_argument("--timeout", type=int, default=None,
                      help="seconds per cell (default: the course's nbgrader_config.py)")
    args = parser.parse_args(argv)  # a usage error exits 2 (argparse)
    os.environ.setdefault("MPLBACKEND", "Agg")
    quiet_known_warnings()
    if args.command == "release":
        try:
            for path in update_release(args.assignments or None):
                print(f"wrote {path.relative_to(REPO)}")
        except ValueError as err:  # an id without source/<id>/ (or an unknown language)
            print(f"Stopped: {err}", file=sys.stderr)
            return COULD_NOT_RUN
        return OK
    if args.command == "release-zips":
        for path in release_zips(args.assignments or None, out=args.out):
            print(f"wrote {path}")
        return OK
    if args.command == "demo":
        from welfaregrading.demo import run_demo

        run_demo(args.assignment, args.out, args.timeout)
        return OK
    course, aid = args.course.resolve(), args.assignment
    if not (course / CONFIG_FILE).exists():
        print(f"Stopped: {course} holds no {CONFIG_FILE}: is it a course folder? "
              "(--course DIR, or COURSE=DIR with make)", file=sys.stderr)
        return COULD_NOT_RUN
    from sqlalchemy.exc import SQLAlchemyError  # (nbgrader's gradebook; a damaged file)

    from welfaregrading.collect import ArchiveRefused  # a download that cannot be read safely
    from welfaregrading.fs import UnsafeTree  # a course folder holding a link where none belongs

    try:
        return _run(args.command, course, aid, args)
    except (*CANNOT_RUN, SQLAlchemyError, ArchiveRefused, UnsafeTree) as err:
        # a step that cannot go on says why in words (the log has the details), no traceback
        print(f"\nStopped: {err}", file=sys.stderr)
        return COULD_NOT_RUN


def _run(command: str, course: Path, aid: str, args) -> int:
    """One course step of the command line; returns the exit code (:data:`OK`, or
    :data:`INCOMPLETE` with the students concerned listed)."""
    from welfaregrading import batch, collect, export, feedback, report, workflow

    if command == "collect":
        return _finish(_not_collected(collect.collect(course, aid, args.platform)))
    from welfaregrading.editions import edition_ids

    # a module id (m06) also covers its Dutch edition (m06-nl) where source/m06-nl exists
    ids = [a for a in edition_ids(course, aid)
           if a == aid or any((course / "submitted").glob(f"*/{a}"))]
    if command == "autograde":
        problems = {}
        for one in ids:
            result = batch.autograde_all(course, one, workers=args.workers, force=args.force,
                                         due=args.due, progress=not args.quiet,
                                         print_summary=len(ids) == 1)
            problems.update(_not_graded(result, one if one != aid else "", course, aid))
        if len(ids) > 1:  # every edition graded: the module's summary, one line per student
            report.summarize(course, aid)
        return _finish(problems)
    if command == "accept":
        refused = {s: f"not accepted: {why}" for s, why in
                   batch.accept_flagged(course, aid, args.students).items() if why}
        return _finish(refused, "Not accepted")
    if command == "summary":
        problems = {}
        for one in ids:
            problems.update(_not_graded(report.summarize(course, one), one if one != aid else "",
                                        course, aid))
        return _finish(problems)
    if command == "feedback":
        problems = {}
        for one in ids:
            problems.update({(f"{s} ({one})" if one != aid else s): f"no feedback: {why}"
                             for s, why in feedback.feedback_all(course, one).items() if why})
        return _finish(problems, "Without (full) feedback")
    if command == "export":
        export.export_grades(course, aid)
        _export_platform(course, aid, args.platform)
        return _finish(_not_graded(report.summarize(course, aid, echo=lambda *_: None), "", course, aid),
                       "Exported without a score")
    # grade: every step runs, whatever happened to single submissions; the list comes last
    done = workflow.grade(course, aid, platform=args.platform, workers=args.workers,
                          due=args.due, force=args.force, progress=not args.quiet)
    _export_platform(course, aid, args.platform)
    problems = _not_collected(done.get("collect"))
    problems.update(_not_graded(done["autograde"], "", course, aid))
    for one, result in (done.get("editions") or {}).items():
        problems.update(_not_graded(result, one))
    for sid, why in (done.get("feedback") or {}).items():
        if why and sid not in problems:
            problems[sid] = f"no feedback: {why}"
    return _finish(problems)


#: Summary statuses that make a run incomplete (exit code 3). "needs manual grading" is the
#: normal state before marking; "no submission" (on the roster, nothing handed in) is listed in
#: the summary but is no submission that failed.
INCOMPLETE_STATUSES = ("failed", FLAGGED, "not graded yet", "nothing to grade")


def _not_graded(result, edition: str = "", course: Path | None = None,
                aid: str = "") -> dict[str, str]:
    """``{student: why}`` for each summary row whose status is in
    :data:`INCOMPLETE_STATUSES` (``"student (m06-nl)"`` for another ``edition``). With
    ``course`` and the module id ``aid``: students whose notebooks all went to another edition
    are left out (they are graded there)."""
    from welfaregrading.editions import routed_away

    away = set() if edition or course is None else routed_away(course, aid)
    return {(f"{sid} ({edition})" if edition else sid): f"{row['status']}: " + (row.get("reason") or "; ".join(row.get("flags") or [])
                                         or "see the summary")
            for sid, row in result.students.items()
            if row["status"] in INCOMPLETE_STATUSES and sid not in away}


def _not_collected(collected: dict | None) -> dict[str, str]:
    """``{student: why}`` for each student of the collect report with nothing gradable."""
    students = (collected or {}).get("students") or {}
    return {sid: "nothing gradable: " + (info.get("reason") or "see collect-report.json")
            for sid, info in students.items()
            if isinstance(info, dict) and info.get("gradable") is False}


def _finish(problems: dict[str, str], title: str = "Not graded") -> int:
    """Print ``problems`` (each student with the reason) and return :data:`INCOMPLETE`, or
    return :data:`OK` when there are none."""
    if not problems:
        return OK
    print(f"\n{title} ({len(problems)}; the run itself completed: exit code {INCOMPLETE}):")
    for sid, why in sorted(problems.items()):
        print(f"  {sid}: {why}")
    return INCOMPLETE


def _export_platform(course: Path, aid: str, platform: str | None) -> None:
    """The platform's own import files (:func:`welfaregrading.platform_export.export_platform`)
    for ``platform``; without one, for the platform of the last collect, then the course's
    ``c.PlatformCollector.platform``."""
    from welfaregrading.platform_export import export_platform

    export_platform(course, aid, platform)
