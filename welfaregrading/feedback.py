"""Feedback pages for students: nbgrader's ``generate_feedback`` per student, each page checked
for hidden tests, solutions and mark schemes before it is kept."""

from __future__ import annotations

from pathlib import Path

from welfaregrading.course import REPO, api_for
from welfaregrading.intake import submitted_students
from welfaregrading.preprocessors import GRADER_NOTE
from welfaregrading.report import failure_reason
from welfaregrading.runfiles import RunLog


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
