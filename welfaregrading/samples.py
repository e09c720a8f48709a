"""Sample submissions made from an assignment's source and release at run time (never stored
student data): the five demo cases, a made-up class for the benchmark, and :func:`submit`."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import nbformat

from welfaregrading.course import SOLUTION_BEGIN, SOLUTION_END

# ---------------------------------------------------------------------------------------------
# Sample submissions, made from the source at run time (never stored student data)
# ---------------------------------------------------------------------------------------------

def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def solution_code(source_cell_text: str) -> str:
    """The solution inside a source cell, without nbgrader's ``### BEGIN/END SOLUTION`` lines."""
    return "\n".join(line for line in source_cell_text.splitlines()
                     if line.strip() not in (SOLUTION_BEGIN, SOLUTION_END))


def answered(release_nb, source_nb):
    """A copy of the release notebook with every answer cell filled in from the source."""
    solutions = {nbgrader_meta(c).get("grade_id"): c for c in source_nb.cells
                 if nbgrader_meta(c).get("solution")}
    nb = copy.deepcopy(release_nb)
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution") and meta.get("grade_id") in solutions:
            src = solutions[meta["grade_id"]]
            cell.source = solution_code(src.source) if cell.cell_type == "code" else src.source
    return nb


#: Per assignment: answer cells replaced by a plausible mistake in the "some wrong" sample.
WRONG_ANSWERS = {
    "m06": {
        "m06-impact-year1-answer": "impact_year1_a = 40 * 2500  # forgot deadweight and attribution",
        "m06-present-value-answer": "present_value_a = sum(yearly_values_a)  # forgot to discount",
    },
}
ENDLESS_CODE = "while True:  # this loop never ends\n    pass"


@dataclass
class Sample:
    """A sample submission: the student id and what the demo expects of it, in words."""

    student: str
    description: str
    notebook: object


def sample_submissions(release_dir: Path, source_dir: Path) -> list[Sample]:
    """Five submissions per notebook: full solution, blank, some wrong, a deleted grade cell,
    and code that never ends. They are made from the source and release at run time.
    """
    samples = []
    notebooks = sorted(Path(release_dir).glob("*.ipynb"))
    for path in notebooks:
        release_nb = nbformat.read(path, as_version=4)
        source_nb = nbformat.read(Path(source_dir) / path.name, as_version=4)
        full = answered(release_nb, source_nb)
        answer_ids = [nbgrader_meta(c)["grade_id"] for c in full.cells
                      if nbgrader_meta(c).get("solution") and c.cell_type == "code"]
        test_ids = [nbgrader_meta(c)["grade_id"] for c in full.cells
                    if nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution")]

        wrong = copy.deepcopy(full)
        mistakes = WRONG_ANSWERS.get(path.parent.name) or {answer_ids[0]: "pass  # no answer"}
        for cell in wrong.cells:
            if nbgrader_meta(cell).get("grade_id") in mistakes:
                cell.source = mistakes[nbgrader_meta(cell)["grade_id"]]

        deleted = copy.deepcopy(full)
        deleted.cells = [c for c in deleted.cells if nbgrader_meta(c).get("grade_id") != test_ids[0]]

        endless = copy.deepcopy(full)
        stuck = answer_ids[min(2, len(answer_ids) - 1)]
        for cell in endless.cells:
            if nbgrader_meta(cell).get("grade_id") == stuck:
                cell.source = ENDLESS_CODE

        samples += [
            Sample("ada-full", "the full solution: every test passes", full),
            Sample("bo-blank", "the blank release, handed in unchanged", copy.deepcopy(release_nb)),
            Sample("chris-wrong", "some wrong answers: " + ", ".join(mistakes), wrong),
            Sample("dee-deleted", f"deleted the grade cell {test_ids[0]}", deleted),
            Sample("eli-endless", f"code that never ends in {stuck}", endless),
        ]
    return samples


SAMPLE_WRITTEN = ("The ratio adds up value for everyone, so it hides who gains least, and it "
                  "leaves out what the households value most: being treated with dignity. "
                  "(A made-up answer for a demonstration.)")


def class_submissions(release_dir: Path, source_dir: Path, n: int = 60) -> list[Sample]:
    """A made-up class of ``n`` plausible submissions, for the benchmark and the lecturer guide:
    in every 20, 12 full solutions, 5 with some wrong answers and 3 blank. Each written answer
    is a short made-up text. Student ids are ``student-01``, ``student-02``, ..."""
    kinds = {s.student.split("-")[1]: s for s in sample_submissions(release_dir, source_dir)}
    pattern = ["full"] * 12 + ["wrong"] * 5 + ["blank"] * 3
    order = [pattern[(i * 7) % 20] for i in range(20)]  # spread the kinds through the class
    samples = []
    for i in range(n):
        kind = order[i % 20]
        nb = copy.deepcopy(kinds[kind].notebook)
        if kind != "blank":
            for cell in nb.cells:
                if nbgrader_meta(cell).get("grade") and nbgrader_meta(cell).get("solution") \
                        and cell.cell_type == "markdown":
                    cell.source = SAMPLE_WRITTEN
        samples.append(Sample(f"student-{i + 1:02d}", kinds[kind].description, nb))
    return samples


def submit(course: Path, assignment: str, student: str, notebook, name: str,
           when: dt.datetime | None = None) -> Path:
    """Place a notebook as ``submitted/<student>/<assignment>/<name>`` with a timestamp."""
    folder = Path(course) / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / name)
    when = when or dt.datetime.now(dt.UTC)
    (folder / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
    return folder / name
