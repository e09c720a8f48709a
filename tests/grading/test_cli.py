"""The lecturer's commands: make targets and `python -m welfaregrading` from a platform's zip
to a grades CSV, serially (one worker), on a small made-up Canvas class."""

import csv
import datetime as dt
import shutil
import subprocess
import sys
from zoneinfo import ZoneInfo

import nbformat
import pytest
from conftest import REPO

import welfaregrading as wg
import welfaregrading.collect
import welfaregrading.course
import welfaregrading.samples

pytestmark = pytest.mark.slow
NB = "m06-sroi.ipynb"


def test_make_has_a_target_per_step_and_asks_for_the_assignment():
    for target in ["release-zips", "collect", "autograde", "formgrader", "feedback", "export",
                   "grade", "summary"]:
        done = subprocess.run(["make", "-n", target, "ASSIGNMENT=m06", "PLATFORM=moodle",
                               "COURSE=/tmp/some-course", "WORKERS=2"], cwd=REPO,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        assert "welfaregrading" in done.stdout or "default_url=/formgrader" in done.stdout, target
    plan = subprocess.run(["make", "-n", "grade", "ASSIGNMENT=m06", "PLATFORM=canvas"], cwd=REPO,
                          capture_output=True, text=True, check=False).stdout
    assert "-m welfaregrading grade m06" in plan and "--platform canvas" in plan
    missing = subprocess.run(["make", "collect"], cwd=REPO, capture_output=True, text=True,
                             check=False)
    assert missing.returncode != 0 and "ASSIGNMENT=m06" in missing.stderr


def test_grade_command_from_a_canvas_zip_to_a_csv(tmp_path):
    course = wg.course.scratch_course(tmp_path / "course", ["m06"],
                                    config_lines=["c.Execute.timeout = 30"])
    shutil.copytree(REPO / "release" / "m06", course / "release" / "m06")
    samples = wg.samples.class_submissions(course / "release" / "m06", course / "source" / "m06", 3)
    when = dt.datetime(2025, 3, 30, 20, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    wg.collect.sample_zip(course / "downloaded/m06/archive/submissions.zip", "m06", "canvas",
                       [{"student": str(1000 + i), "name": f"Student {s.student}", "file": NB,
                         "data": nbformat.writes(s.notebook).encode(), "when": when}
                        for i, s in enumerate(samples)])
    done = subprocess.run([sys.executable, "-m", "welfaregrading", "grade", "m06",
                           "--course", str(course), "--platform", "canvas", "--workers", "1",
                           "--quiet"], capture_output=True, text=True, cwd=REPO,
                          check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]  # all graded
    assert "Warning" not in done.stderr and "not in session" not in done.stderr, done.stderr
    assert "Collected 3 students from the canvas download" in done.stdout
    assert "m06: 3 submissions" in done.stdout
    assert "formgrader" in done.stdout
    wd = course / "build" / "grading" / "m06"
    with open(wd / "grades-m06.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["student_id"] for r in rows] == ["1000", "1001", "1002"]
    expected = {"the full solution": "10", "some wrong": "4", "the blank": "0"}
    for row, sample in zip(rows, samples, strict=True):
        want = next(v for k, v in expected.items() if sample.description.startswith(k))
        assert row["score"] == want and row["max_score"] == "14"
    for sid in ["1000", "1001", "1002"]:
        assert (course / "feedback" / sid / "m06" / "m06-sroi.html").exists()
    # the platform's own import file and the class chart, beside the generic CSV
    assert (wd / "canvas-gradebook-m06.csv").is_file()
    assert (wd / "class-summary-m06.png").is_file()
    assert "class-summary-m06.png" in done.stdout
    assert (wd / "grading.log").read_text(encoding="utf-8").count("== autograde m06") == 1
    summary = subprocess.run([sys.executable, "-m", "welfaregrading", "summary", "m06",
                              "--course", str(course)], capture_output=True, text=True,
                             cwd=REPO, check=False)
    assert summary.returncode == 0 and "1001" in summary.stdout


def test_the_next_step_hint_names_the_course_and_platform_of_the_run(tmp_path):
    """Copied as printed, the "Next:" commands mark and export the same class (a lecturer's
    trial: without COURSE= they exported the repository's course instead)."""
    from welfaregrading.course import REPO
    from welfaregrading.workflow import next_steps

    other = tmp_path / "canvas course"
    hint = next_steps(other, "m06", "canvas")
    assert f"make formgrader COURSE='{other.resolve()}'" in hint
    assert f"make feedback export ASSIGNMENT=m06 PLATFORM=canvas COURSE='{other.resolve()}'" in hint
    here = next_steps(REPO, "m06")
    assert "COURSE=" not in here and "PLATFORM=" not in here
    assert "make feedback export ASSIGNMENT=m06`" in here


def test_a_lone_dash_is_no_formula_but_a_formula_still_is():
    from welfaregrading.platform_export import safe_cell

    assert safe_cell("-") == "-"  # Moodle's worksheet writes "-" for "no date"
    assert safe_cell("-2+3") == "'-2+3"
    assert safe_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
