"""Grades out of nbgrader: the platform-import CSV (``nbgrader export`` with
:class:`GradesCsvExportPlugin`) and nbgrader's own CSV for the demo."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from nbgrader.plugins import ExportPlugin

from welfaregrading.course import REPO, venv_on_path
from welfaregrading.report import summarize
from welfaregrading.runfiles import RunLog, work_dir

#: State statuses whose score is left empty in the grades CSV: the grading failed, or the
#: grading run flagged the submission for review (signs of tampering; ``FLAGGED`` in
#: welfaregrading/runfiles.py) and a grader has to look at it before a score goes out.
NO_SCORE = ("failed", "flagged for review")
#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection",
#: owasp.org/www-community/attacks/CSV_Injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text: a value starting with ``= + - @``, a tab or a
    carriage return gets a leading ``'`` (OWASP's advice against CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def export_csv(course: Path, path: Path) -> Path:
    """Write nbgrader's grades CSV (``nbgrader export``) for the whole course to ``path``."""
    venv_on_path()
    cmd = ["nbgrader", "export", "--to", str(path)]
    done = subprocess.run(cmd, cwd=course, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader export failed:\n{done.stderr[-2000:]}")
    return Path(path)



class GradesCsvExportPlugin(ExportPlugin):
    """``nbgrader export`` plugin: ``student_id,assignment,score,max_score``, one row per
    submission, UTF-8, for a learning platform's grade import. The score is nbgrader's (minus a
    late penalty if one is configured); it is left empty for a submission that could not be
    graded or was flagged for review (see build/grading/<id>/summary.txt for why), so no false
    score is imported. A cell that a spreadsheet would read as a formula (``=``, ``+``, ``-``,
    ``@``, tab, carriage return first) is written with a leading ``'``."""

    def export(self, gradebook) -> None:
        """Write the CSV for the gradebook's submissions (the hook ``nbgrader export`` calls)."""
        import csv

        from nbgrader.coursedir import CourseDirectory

        coursedir = getattr(self.parent, "coursedir", None) or CourseDirectory(config=self.config)
        dest = self.to or "grades.csv"
        assignments = [str(a) for a in self.assignment]
        students = [str(s) for s in self.student]
        rows = [["student_id", "assignment", "score", "max_score"]]
        for assignment in gradebook.assignments:
            if assignments and assignment.name not in assignments:
                continue
            state_file = Path(coursedir.root) / "build" / "grading" / assignment.name / "state.json"
            try:
                state = json.loads(state_file.read_text(encoding="utf-8")).get("students", {})
            except (FileNotFoundError, ValueError):
                state = {}
            for sub in sorted(assignment.submissions, key=lambda s: s.student.id):
                sid = sub.student.id
                if students and sid not in students:
                    continue
                folder = Path(coursedir.format_path(coursedir.autograded_directory, sid,
                                                    assignment.name))
                graded = folder.is_dir() and state.get(sid, {}).get("status") not in NO_SCORE
                score = max(0.0, sub.score - (sub.late_submission_penalty or 0)) if graded else None
                rows.append([sid, assignment.name, "" if score is None else f"{score:g}",
                             f"{assignment.max_score:g}"])
        with open(dest, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([[safe_cell(cell) for cell in row] for row in rows])
        self.log.info("Wrote %d rows to %s", len(rows) - 1, dest)


def export_grades(course: Path = REPO, assignment: str = "m06", to: Path | None = None,
                  echo=print) -> Path:
    """``nbgrader export`` with :class:`welfaregrading.export.GradesCsvExportPlugin`: a CSV with
    ``student_id,assignment,score,max_score`` per submission (score empty when it could not be
    graded) for the learning platform's grade import. Default: build/grading/<id>/grades-<id>.csv.
    """
    course = Path(course).resolve()
    log = RunLog(course, assignment, echo)
    to = Path(to) if to else work_dir(course, assignment) / f"grades-{assignment}.csv"
    venv_on_path()
    cmd = ["nbgrader", "export", "--exporter=welfaregrading.export.GradesCsvExportPlugin",
           f"--to={to}", f"--ExportPlugin.assignment=['{assignment}']"]
    done = subprocess.run(cmd, cwd=course, capture_output=True, text=True, check=False)
    log(f"== export {assignment}: {' '.join(cmd[1:])}", quiet=True)
    log(done.stdout + done.stderr, quiet=True)
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader export failed:\n{done.stderr[-2000:]}")
    pending = [s for s, r in summarize(course, assignment, echo=lambda *_: None).students.items()
               if r["status"] == "needs manual grading"]
    log(f"Grades CSV: {to}")
    if pending:
        log(f"Note: {len(pending)} submission(s) still have written answers to mark in "
            f"formgrader ({', '.join(pending[:8])}{' ...' if len(pending) > 8 else ''}); "
            "their score counts those answers as 0 until then.")
    return to
