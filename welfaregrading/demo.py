"""The demo a lecturer runs (``make grade-demo``): five sample submissions graded with
nbgrader's real pipeline in a scratch course, every lost point explained."""

from __future__ import annotations

import tempfile
from pathlib import Path

from welfaregrading.course import api_for, generate, scratch_course
from welfaregrading.export import export_csv
from welfaregrading.report import lost_points, score_table
from welfaregrading.samples import sample_submissions, submit


def autograde(course: Path, assignment: str, student: str) -> dict:
    """Autograde one submission with nbgrader; returns nbgrader's result dict (never raises)."""
    return api_for(course).autograde(assignment, student, force=True, create=True)


def feedback(course: Path, assignment: str, student: str) -> dict:
    """Generate the feedback HTML of one graded submission; returns nbgrader's result dict."""
    return api_for(course).generate_feedback(assignment, student, force=True)



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
