"""Feedback pages for students: nbgrader's ``generate_feedback`` per student, each page checked
for hidden tests, expected values and mark schemes *by content*, in any encoding the course can
think of (:mod:`welfaregrading.leaks`), before it is kept."""

from __future__ import annotations

from pathlib import Path

from welfaregrading.course import REPO, api_for
from welfaregrading.intake import submitted_students
from welfaregrading.leaks import Secrets
from welfaregrading.report import failure_reason
from welfaregrading.runfiles import RunLog


def feedback_all(course: Path = REPO, assignment: str = "m06", students: list[str] | None = None,
                 echo=print) -> dict:
    """nbgrader's ``generate_feedback`` for every autograded submission, one student at a time
    (a failure, even an exception, is reported and the rest go on). Each page is checked by
    :func:`check_pages` for hidden-test code, expected values and mark-scheme text, in any
    encoding :mod:`welfaregrading.leaks` reads, before it is kept.
    Returns ``{student: None or the reason it has no (or less) feedback}``."""
    course = Path(course).resolve()
    log = RunLog(course, assignment, echo)
    api = api_for(course)
    done = {}
    graded = [s for s in submitted_students(course, assignment)
              if (course / "autograded" / s / assignment).is_dir()
              and (students is None or s in students)]
    log(f"== feedback {assignment}: {len(graded)} autograded submissions")
    secrets = Secrets.from_source(course / "source" / assignment)
    for sid in graded:
        try:
            result = api.generate_feedback(assignment, sid, force=True)
            reason = None if result.get("success") else failure_reason(result)
            if reason is None:
                reason = check_pages(course / "feedback" / sid / assignment, secrets)
            if reason is None:
                set_page_language(course / "feedback" / sid / assignment, assignment)
        except Exception as err:  # noqa: BLE001 - this student's feedback fails, the rest go on
            reason = f"feedback could not be made: {type(err).__name__}: {err}"
        done[sid] = reason
        if reason:
            log(f"{sid}: no feedback: {reason}")
    ok = sum(1 for r in done.values() if r is None)
    log(f"Feedback pages for {ok} of {len(graded)} students in {course / 'feedback'}")
    return done


def set_page_language(folder: Path, assignment: str) -> list[Path]:
    """Write the edition's language into each feedback page's ``<html>`` tag (``lang="nl"``
    for ``m06-nl``, ``lang="en"`` otherwise), which nbgrader's template leaves out: a screen
    reader then reads a Dutch page with a Dutch voice (WCAG 2.1, 3.1.1 Language of Page).
    A page whose tag already has a ``lang`` is left alone. Returns the pages changed."""
    import re

    from welfaregrading.editions import split_id

    language = split_id(assignment)[1]
    changed = []
    for page in sorted(folder.glob("*.html")):
        if page.is_symlink() or not page.is_file():
            continue
        text = page.read_text(encoding="utf-8", errors="surrogateescape")
        new, n = re.subn(r"<html(?![^>]*\blang=)([^>]*)>", f'<html lang="{language}"\\1>',
                         text, count=1, flags=re.IGNORECASE)
        if n:
            page.write_text(new, encoding="utf-8", errors="surrogateescape")
            changed.append(page)
    return changed


def check_pages(folder: Path, secrets: Secrets) -> str | None:
    """Check every file of one student's feedback ``folder``; remove any that is not a plain file
    (a link) or that holds a secret (:meth:`Secrets.find`). Returns the reason (what was removed
    and what it held) or None when every page is clean."""
    reasons = []
    if not folder.is_dir():
        return None
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or (path.exists() and not path.is_file() and not path.is_dir()):
            path.unlink()
            reasons.append(f"{path.name} was removed: not a plain file")
            continue
        if not path.is_file():
            continue
        leak = secrets.find(path.read_bytes().decode("utf-8", errors="replace"))
        if leak:
            path.unlink()
            reasons.append(f"{path.name} was removed: it contained {leak}")
    return "; ".join(reasons) or None
