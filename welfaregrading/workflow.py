"""The whole path in one call (``make grade``): collect, autograde, feedback, export."""

from __future__ import annotations

import shlex
from pathlib import Path

from welfaregrading.batch import autograde_all
from welfaregrading.course import REPO
from welfaregrading.editions import edition_ids
from welfaregrading.export import export_grades
from welfaregrading.feedback import feedback_all
from welfaregrading.report import summarize


def next_steps(course: Path, assignment: str, platform: str | None = None) -> str:
    """The commands to run after ``make grade``, naming this course folder (and the platform
    given for this run), so a command copied as printed marks and exports the same class."""
    course = Path(course).resolve()
    where = "" if course == REPO.resolve() else f" COURSE={shlex.quote(str(course))}"
    on = f" PLATFORM={platform}" if platform else ""
    return (f"mark the written answers in formgrader (`make formgrader{where}`), then run "
            f"`make feedback export ASSIGNMENT={assignment}{on}{where}` again for the final "
            "feedback and grade files.")


def grade(course: Path = REPO, assignment: str = "m06", platform: str | None = None,
          workers: int | None = None, due: str | None = None, force: bool = False,
          echo=print, progress: bool = True) -> dict:
    """The whole path: collect the platform's zip (if one is in downloaded/<id>/archive/),
    autograde, feedback, grades CSV. Manual grading happens in formgrader between runs."""
    from welfaregrading import collect

    course = Path(course).resolve()
    archive = course / "downloaded" / assignment / "archive"
    report = None
    if archive.is_dir() and any(p.is_file() for p in archive.rglob("*")):
        report = collect.collect(course, assignment, platform, echo=echo)
    else:
        echo(f"No platform download in {archive}: grading what is in submitted/ already.")
    # a module with a Dutch edition (source/<id>-nl): collect routed the Dutch notebooks to
    # submitted/*/<id>-nl/; each edition is autograded and gets feedback in its own language,
    # and export writes ONE grades file for the module (welfaregrading/editions.py)
    results, fb = {}, {}
    ids = [aid for aid in edition_ids(course, assignment)
           if aid == assignment or any((course / "submitted").glob(f"*/{aid}"))]
    for aid in ids:
        results[aid] = autograde_all(course, aid, workers=workers, force=force, due=due,
                                     echo=echo, progress=progress, print_summary=len(ids) == 1)
        for sid, why in (feedback_all(course, aid, echo=echo) or {}).items():
            fb[sid] = fb.get(sid) or why
    batch = results.pop(assignment)
    if results:  # every edition graded now: the module's summary, one line per student
        batch.students = summarize(course, assignment, echo=echo).students
    csv = export_grades(course, assignment, echo=echo)
    echo("")
    echo(f"Next: {next_steps(course, assignment, platform)}")
    return {"collect": report, "autograde": batch, "editions": results, "feedback": fb,
            "csv": csv}
