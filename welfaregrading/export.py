"""Grades out of nbgrader: the generic grades CSV (``nbgrader export`` with
:class:`GradesCsvExportPlugin`), nbgrader's own CSV for the demo, and (re-exported from
:mod:`welfaregrading.platform_export`) :func:`export_platform`, each platform's own import
format."""

from __future__ import annotations

import subprocess
from pathlib import Path

from nbgrader.plugins import ExportPlugin

from welfaregrading.course import REPO, venv_on_path
from welfaregrading.platform_export import (  # noqa: F401 - export_platform: the entry point
    FORMULA_START,
    export_platform,
    safe_cell,
)
from welfaregrading.report import summarize
from welfaregrading.roster import NO_SCORE as ROSTER_NO_SCORE
from welfaregrading.runfiles import RunLog, work_dir

#: Statuses whose score is left empty in every grades file (welfaregrading/roster.py).
NO_SCORE = ROSTER_NO_SCORE


def _export_failed(stderr: str) -> RuntimeError:
    """The error to raise when ``nbgrader export`` failed: a class list that cannot be read
    (:class:`~welfaregrading.roster.RosterError`, raised inside nbgrader's process) comes back
    as that error with its own plain message, not as nbgrader's traceback."""
    from welfaregrading.roster import RosterError

    for line in reversed(stderr.splitlines()):
        marker = "RosterError: "
        if marker in line:
            return RosterError(line.split(marker, 1)[1].strip())
    return RuntimeError(f"nbgrader export failed:\n{stderr[-2000:]}")


def export_csv(course: Path, path: Path) -> Path:
    """Write nbgrader's grades CSV (``nbgrader export``) for the whole course to ``path``."""
    venv_on_path()
    cmd = ["nbgrader", "export", "--to", str(path)]
    done = subprocess.run(cmd, cwd=course, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise _export_failed(done.stderr)
    return Path(path)



class GradesCsvExportPlugin(ExportPlugin):
    """``nbgrader export`` plugin: ``student_id,assignment,score,max_score,status,late,reason,
    language``, one row per student of the class (a module with a Dutch edition ``<id>-nl``:
    one row per student from both, :func:`welfaregrading.editions.merge_rows`; ``assignment``
    names the edition graded) (:func:`welfaregrading.roster.merge_rows`: the platform's
    gradebook export in ``downloaded/<id>/gradebook/``, the download's collect report,
    ``submitted/`` and the gradebook), UTF-8. The score is nbgrader's (minus a late penalty if
    one is configured); it is left empty, with the reason, for a student who handed in nothing
    gradable, whose submission could not be graded or was flagged for review, so no false score
    is imported. ``late`` is yes/no, empty when nobody says. A cell that a spreadsheet would read
    as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return first) is written with a
    leading ``'``. The platforms' own import formats are written by
    :func:`welfaregrading.platform_export.export_platform`."""

    def export(self, gradebook) -> None:
        """Write the CSV for the gradebook's assignments (the hook ``nbgrader export`` calls)."""
        import csv

        from nbgrader.coursedir import CourseDirectory

        from welfaregrading import editions
        from welfaregrading.platform_export import late_text, points
        from welfaregrading.roster import _load as _load_report
        from welfaregrading.roster import gradebook_facts, load_roster, merge_rows

        coursedir = getattr(self.parent, "coursedir", None) or CourseDirectory(config=self.config)
        root = Path(coursedir.root)
        dest = self.to or "grades.csv"
        assignments = [str(a) for a in self.assignment]
        students = [str(s) for s in self.student]
        rows = [["student_id", "assignment", "score", "max_score", "status", "late", "reason",
                 "language"]]
        by_name = {a.name: a for a in gradebook.assignments}
        names = list(by_name)
        for assignment in by_name.values():
            if assignments and assignment.name not in assignments:
                continue
            base, lang = editions.split_id(assignment.name)
            if lang != editions.DEFAULT_LANGUAGE and base in names and \
                    (not assignments or base in assignments):
                continue  # a language edition: its students are in the module's rows
            ids = [assignment.name] if lang != editions.DEFAULT_LANGUAGE else \
                [a for a in (editions.edition_id(base, x) for x in
                             (editions.DEFAULT_LANGUAGE, *sorted(editions.STUBS))) if a in names]
            roster, by_id = load_roster(root, assignment.name), {}
            for aid in ids:
                facts, max_score = gradebook_facts(by_name[aid])
                by_id[aid] = merge_rows(root, aid, facts, max_score, roster)
            report = _load_report(root / "downloaded" / assignment.name / "collect-report.json")
            for row in editions.merge_rows(base, by_id, report):
                if students and row["student_id"] not in students:
                    continue
                rows.append([row["student_id"], row["assignment"], points(row["score"]),
                             points(row["max_score"]), row["status"], late_text(row),
                             row["reason"], row["language"]])
        with open(dest, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([[safe_cell(cell) for cell in row] for row in rows])
        self.log.info("Wrote %d rows to %s", len(rows) - 1, dest)


def export_grades(course: Path = REPO, assignment: str = "m06", to: Path | None = None,
                  echo=print) -> Path:
    """``nbgrader export`` with :class:`welfaregrading.export.GradesCsvExportPlugin`: a CSV with
    ``student_id,assignment,score,max_score,status,late,reason,language``, one row per student of the
    class (score empty, with the reason, when there is nothing to grade or it could not be
    graded). Default: build/grading/<id>/grades-<id>.csv. Raises RuntimeError with nbgrader's
    error when the export fails (e.g. an unreadable gradebook export in
    downloaded/<id>/gradebook/). The platforms' own formats: :func:`export_platform`."""
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
        raise _export_failed(done.stderr)
    pending = [s for s, r in summarize(course, assignment, echo=lambda *_: None).students.items()
               if r["status"] == "needs manual grading"]
    log(f"Grades CSV: {to}")
    if pending:
        log(f"Note: {len(pending)} submission(s) still have written answers to mark in "
            f"formgrader ({', '.join(pending[:8])}{' ...' if len(pending) > 8 else ''}); "
            "their score counts those answers as 0 until then.")
    return to
