"""The grading summary lists every student and shows what the class missed (issue 12;
welfaregrading/report.py, cli.py, the Makefile's grading targets).

No notebook is executed (the two tests that start nbgrader are marked slow). The class chart's table is checked on made-up summary rows; the
"every student" rows on a scratch course whose download (collect report) holds one student with
only a PDF, and whose Canvas gradebook export (downloaded/<id>/gradebook/, the columns Canvas's
gradebook export writes: Student, ID, SIS User ID, SIS Login ID, Section, then one column per
assignment) lists one more student who handed in nothing.
"""

import json
import subprocess
import sys

import pytest
from conftest import REPO
from PIL import Image

import welfaregrading as wg
import welfaregrading.course
import welfaregrading.report

AID = "m06"


def _row(status, cells, score=None, max_score=14.0):
    return {"status": status, "score": score, "max_score": max_score,
            "cells": {gid: list(c) for gid, c in cells.items()}}


# (score, max_score, auto, needs manual grade) per grade cell, as report.cell_scores gives them
ROWS = {
    "a": _row("graded", {"t1": (2, 2, True, False), "t2": (0, 2, True, False),
                         "w": (3, 4, False, False)}, score=5),
    "b": _row("needs manual grading", {"t1": (2, 2, True, False), "t2": (1, 2, True, False),
                                       "w": (None, 4, False, True)}, score=3),
    "c": _row("graded", {"t1": (0, 2, True, False), "t2": (2, 2, True, False),
                         "w": (4, 4, False, False)}, score=6),
    # not counted: the run failed or flagged them
    "d": _row("failed", {"t1": (2, 2, True, False)}),
    "e": _row("flagged for review", {"t1": (2, 2, True, False), "t2": (2, 2, True, False)},
              score=4),
}


def test_part_table_counts_each_part_over_graded_submissions_only():
    table = wg.report.part_table(ROWS, order=["w", "t2", "t1"]).set_index("part")
    assert list(table.index) == ["w", "t2", "t1"]
    assert table.loc["t1", ["students", "full marks", "part of the marks", "no marks",
                            "to be marked"]].tolist() == [3, 2, 0, 1, 0]
    assert table.loc["t1", "pass rate (%)"] == pytest.approx(100 * 2 / 3, abs=0.05)
    assert table.loc["t2", ["full marks", "part of the marks", "no marks"]].tolist() == [1, 1, 1]
    assert table.loc["t2", "mean score (points)"] == 1.0
    # the written answer: one still to be marked is left out of the pass rate and the mean
    assert table.loc["w", ["kind", "students", "full marks", "part of the marks",
                           "to be marked"]].tolist() == ["written", 3, 1, 1, 1]
    assert table.loc["w", "pass rate (%)"] == 50.0
    assert table.loc["w", "mean score (points)"] == 3.5


def test_class_chart_writes_png_csv_and_markdown_with_alt_text(tmp_path):
    course = wg.course.scratch_course(tmp_path / "course", [AID])
    paths = wg.report.class_chart(course, AID, ROWS)
    wd = course / "build/grading" / AID
    assert paths == {k: wd / f"class-summary-{AID}.{k}" for k in ("png", "csv", "md")}
    image = Image.open(paths["png"])
    alt = image.text["Description"]
    assert "Lowest pass rate: t2 (33.3% of 3 students with full marks)" in alt
    assert "Histogram of the 3 total scores: from 3 to 6 of 14 points." in alt
    assert image.size[0] >= 1000
    md = paths["md"].read_text(encoding="utf-8")
    assert f"![{alt}](class-summary-{AID}.png)" in md
    assert "| t2 | test | 2 | 3 | 1 | 1 | 1 | 0 | 33.3 | 1 |" in md
    assert paths["csv"].read_text(encoding="utf-8").splitlines()[0] == (
        "part,kind,points,students,full marks,part of the marks,no marks,to be marked,"
        "pass rate (%),mean score (points)")


def _course_with_absent_students(tmp_path):
    course = wg.course.scratch_course(tmp_path / "course", [AID])
    folder = course / "downloaded" / AID
    (folder / "gradebook").mkdir(parents=True)
    (folder / "collect-report.json").write_text(json.dumps({
        "platform": "canvas", "layout": "canvas, submissions zip",
        "students": {"2001": {"name": "Zoë Ñandú", "first_name": "Zoë", "last_name": "Ñandú",
                              "platform_id": "2001", "files": [], "submitted_utc": None,
                              "late": True, "gradable": False,
                              "reason": "the latest attempt holds only a PDF"}}}),
        encoding="utf-8")
    (folder / "gradebook" / "2025-04-01T1200_Grades-WELFARE.csv").write_text(
        "Student,ID,SIS User ID,SIS Login ID,Section,m06 SROI (4711)\n"
        "    Points Possible,,,,,14\n"
        "\"Ñandú, Zoë\",2001,,,Group A,\n"
        "\"Brontë, Émile\",2002,,,Group A,\n", encoding="utf-8")
    return course


@pytest.mark.slow  # nbgrader creates the gradebook (alembic in a subprocess)
def test_every_student_has_a_row_with_the_reason(tmp_path):
    course = _course_with_absent_students(tmp_path)
    lines = []
    result = wg.report.summarize(course, AID, echo=lines.append)
    rows = result.students
    assert set(rows) == {"2001", "2002"}
    assert (rows["2001"]["status"], rows["2001"]["reason"]) == (
        "nothing to grade", "the latest attempt holds only a PDF")
    assert rows["2002"]["status"] == "no submission"
    assert rows["2001"]["name"] == "Zoë Ñandú" and rows["2002"]["name"] == "Émile Brontë"
    text = (course / "build/grading" / AID / "summary.txt").read_text(encoding="utf-8")
    assert text.startswith(f"{AID}: 1 submission: 0 graded, 0 needs manual grading, 0 flagged "
                           "for review, 0 failed, 1 nothing to grade; 1 student with no "
                           "submission")
    assert "  ! not graded: the latest attempt holds only a PDF" in text
    assert "late (platform)" in text.splitlines()[2]
    assert f"class-summary-{AID}.png" in lines[-1]
    assert "no graded submission yet" in Image.open(
        course / "build/grading" / AID / f"class-summary-{AID}.png").text["Description"]


@pytest.mark.slow  # seven Python processes that import nbgrader
def test_cli_exit_code_3_lists_the_students_and_make_goes_on(tmp_path):
    course = _course_with_absent_students(tmp_path)
    done = subprocess.run([sys.executable, "-m", "welfaregrading", "summary", AID,
                           "--course", str(course)], capture_output=True, text=True,
                          cwd=REPO, check=False)
    assert done.returncode == 3, done.stdout[-2000:] + done.stderr[-2000:]
    assert ("Not graded (1; the run itself completed: exit code 3):\n"
            "  2001: nothing to grade: the latest attempt holds only a PDF") in done.stdout
    assert "2002" not in done.stdout.split("Not graded")[1]  # listed above, not a failure
    # make goes on after a 3 (summary, then export) and says so; -o: never rebuild the venv
    made = subprocess.run(["make", "-s", "-o", ".venv/.installed", "summary", "export",
                           f"ASSIGNMENT={AID}", f"COURSE={course}"], cwd=REPO,
                          capture_output=True, text=True, check=False)
    assert made.returncode == 0, made.stdout[-2000:] + made.stderr[-2000:]
    assert "make summary: finished with exit code 3" in made.stderr
    assert "make export: finished with exit code 3" in made.stderr
    assert (course / "build/grading" / AID / f"grades-{AID}.csv").is_file()
    # usage errors are 2 (argparse); a folder that is no course cannot run: 1
    usage = subprocess.run([sys.executable, "-m", "welfaregrading", "summary"],
                           capture_output=True, text=True, cwd=REPO, check=False)
    assert usage.returncode == 2
    nocourse = subprocess.run([sys.executable, "-m", "welfaregrading", "summary", AID,
                               "--course", str(tmp_path)], capture_output=True, text=True,
                              cwd=REPO, check=False)
    assert nocourse.returncode == 1 and "is it a course folder?" in nocourse.stderr


def test_a_part_mostly_still_to_be_marked_is_not_the_lowest_pass_rate():
    """Lecturer tryout: the written critique, 5 of 6 still to be marked, was called the
    "Lowest pass rate" at "0% of 1 students"."""
    import pandas as pd

    table = pd.DataFrame({"part": ["calc", "critique"], "students": [6, 6],
                          "to be marked": [0, 5], "pass rate (%)": [50.0, 0.0]})
    alt = wg.report.chart_alt_text("m06", table, [4, 8], 14)
    assert "Lowest pass rate: calc (50% of 6 students with full marks)." in alt
    one = pd.DataFrame({"part": ["calc"], "students": [1], "to be marked": [0],
                        "pass rate (%)": [0.0]})
    assert "(0% of 1 student with full marks)" in wg.report.chart_alt_text("m06", one, [0], 14)
