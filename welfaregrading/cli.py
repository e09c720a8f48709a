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
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

from welfaregrading.course import CONFIG_FILE, REPO, release_zips, update_release
from welfaregrading.runfiles import FLAGGED


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
                       ("export", "grades CSV for the platform's import"),
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
    args = parser.parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    # nbgrader 0.9.6's gradebook emits SQLAlchemy "not in session" warnings on a first run:
    # harmless, and alarming to a lecturer
    warnings.filterwarnings("ignore", message=r".*not in session.*")
    if args.command == "release":
        for path in update_release(args.assignments or None):
            print(f"wrote {path.relative_to(REPO)}")
        return 0
    if args.command == "release-zips":
        for path in release_zips(args.assignments or None, out=args.out):
            print(f"wrote {path}")
        return 0
    if args.command == "demo":
        from welfaregrading.demo import run_demo

        run_demo(args.assignment, args.out, args.timeout)
        return 0
    course, aid = args.course.resolve(), args.assignment
    if not (course / CONFIG_FILE).exists():
        parser.error(f"{course} holds no {CONFIG_FILE}: is it a course folder?")
    try:
        return _run(args.command, course, aid, args)
    except (RuntimeError, FileNotFoundError) as err:
        # a step that cannot go on says why in words (the log has the details), no traceback
        print(f"\nStopped: {err}", file=sys.stderr)
        return 1


def _run(command: str, course: Path, aid: str, args) -> int:
    """One course step of the command line; returns the exit code."""
    from welfaregrading import batch, collect, export, feedback, report, workflow

    if command == "collect":
        collect.collect(course, aid, args.platform)
    elif command == "autograde":
        result = batch.autograde_all(course, aid, workers=args.workers, force=args.force,
                                     due=args.due, progress=not args.quiet)
        return 1 if result.count("failed") or result.count(FLAGGED) else 0
    elif command == "accept":
        refused = {s: why for s, why in batch.accept_flagged(course, aid, args.students).items()
                   if why}
        return 1 if refused else 0
    elif command == "summary":
        report.summarize(course, aid)
    elif command == "feedback":
        failed = feedback.feedback_all(course, aid)
        return 1 if any(failed.values()) else 0
    elif command == "export":
        export.export_grades(course, aid)
    elif command == "grade":
        workflow.grade(course, aid, platform=args.platform, workers=args.workers, due=args.due,
                       force=args.force, progress=not args.quiet)
    return 0
