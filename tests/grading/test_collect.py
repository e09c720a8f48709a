"""Collecting from learning platforms, release zips, limits and the grading preprocessors.

The zip_collect tests run nbgrader's real ``zip_collect`` on zips laid out like each
platform's bulk download (made-up students, made from the release at run time).
"""

import datetime as dt
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import nbformat
import pytest
from conftest import REPO

import welfaregrading as wg
import welfaregrading.batch
import welfaregrading.collect
import welfaregrading.course
import welfaregrading.intake
import welfaregrading.preprocessors
import welfaregrading.preprocessors.for_students
import welfaregrading.preprocessors.limit_output_size
import welfaregrading.samples
from welfaregrading.execution.kernel import LAUNCHER, GradingKernelManager, launch_command

BRUSSELS = ZoneInfo("Europe/Brussels")
NB = "m06-sroi.ipynb"


# -- file names ----------------------------------------------------------------------------------

@pytest.mark.parametrize("platform, path, student, file, stamp", [
    ("canvas", "dl/duprézoë_12345_67890_m06-sroi.ipynb", "12345", "m06-sroi.ipynb", None),
    ("canvas", "dl/peetersjan_LATE_222_333_m06-sroi-1.ipynb", "222", "m06-sroi-1.ipynb", None),
    ("moodle", "dl/Zoë Dupré_1234_assignsubmission_file_/m06-sroi.ipynb", "1234",
     "m06-sroi.ipynb", None),
    ("moodle", "dl/李 小龙_77_assignsubmission_file_m06-sroi.ipynb", "77", "m06-sroi.ipynb", None),
    ("blackboard", "dl/m06_r0123456_attempt_2025-03-30-23-30-00_m06-sroi.ipynb", "r0123456",
     "m06-sroi.ipynb", "2025-03-30-23-30-00"),
    ("blackboard", "dl/m06_r01_attempt_2025-03-30-23-30-00_work/m06-sroi.ipynb", "r01",
     "work/m06-sroi.ipynb", "2025-03-30-23-30-00"),
])
def test_platform_file_names_give_student_file_and_time(platform, path, student, file, stamp):
    groups = wg.collect.PlatformCollector(platform=platform).parse(path)
    assert groups["student_id"] == student
    assert groups["file_id"] == file
    assert groups.get("timestamp") == stamp


def test_a_file_from_another_platform_matches_no_pattern():
    assert wg.collect.PlatformCollector(platform="blackboard").parse(
        "dl/doejane_12345_67890_m06-sroi.ipynb") is None
    assert wg.collect.PlatformCollector(platform="canvas").parse("dl/README.txt") is None


def test_platform_times_become_utc_across_summer_time():
    c = wg.collect.PlatformCollector(platform="blackboard", timezone="Europe/Brussels")
    assert c._timestamp("2025-03-30-23-30-00").startswith("2025-03-30 21:30:00")  # CEST, +2
    assert c._timestamp("2025-01-10-23-30-00").startswith("2025-01-10 22:30:00")  # CET, +1


@pytest.mark.parametrize("name, target", [
    ("m06-sroi.ipynb", "m06-sroi.ipynb"), ("m06-sroi-1.ipynb", "m06-sroi.ipynb"),
    ("m06-sroi (2).ipynb", "m06-sroi.ipynb"), ("Copy of m06-sroi.ipynb", "m06-sroi.ipynb"),
    ("M06_SROI_kopie.ipynb", "m06-sroi.ipynb"),
])
def test_renamed_notebooks_map_to_the_released_name(name, target):
    assert wg.collect.match_notebook(name, [NB, "m06-extra.ipynb"])[0] == target


def test_an_unrelated_notebook_maps_only_when_the_assignment_has_one():
    assert wg.collect.match_notebook("my work.ipynb", [NB])[0] == NB
    assert wg.collect.match_notebook("my work.ipynb", [NB, "m06-extra.ipynb"])[0] is None


def test_due_dates_are_read_in_the_course_time_zone():
    assert wg.batch.parse_due("2025-03-30 23:59") == dt.datetime(2025, 3, 30, 21, 59)
    assert wg.batch.parse_due("2025-01-10 23:59") == dt.datetime(2025, 1, 10, 22, 59)
    assert wg.batch.parse_due("2025-03-30 23:59:00 UTC") == dt.datetime(2025, 3, 30, 23, 59)


# -- release zips ----------------------------------------------------------------------------------

def test_release_zips_hold_the_release_and_are_reproducible(tmp_path):
    first = wg.course.release_zips(["m06"], out=tmp_path / "a")[0]
    second = wg.course.release_zips(["m06"], out=tmp_path / "b")[0]
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as zf:
        names = zf.namelist()
        assert "m06/m06-sroi.ipynb" in names
        assert zf.read("m06/m06-sroi.ipynb") == (REPO / "release/m06/m06-sroi.ipynb").read_bytes()


# -- the memory limit and the kernel launch hook ---------------------------------------------------

def test_the_launcher_sets_the_limits_then_runs_the_kernel_command():
    cmd = launch_command([sys.executable, "-c", ("import resource as r; "
                          "print(r.getrlimit(r.RLIMIT_AS)[0], r.getrlimit(r.RLIMIT_CPU)[0])")],
                         memory_mb=512, cpu_seconds=77)
    # the launcher runs by its file path (inside the sandbox only that file of the grading
    # package is visible)
    assert cmd[1] == str(LAUNCHER) and Path(cmd[1]).name == "launcher.py"
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=REPO).stdout.split()
    assert out == [str(512 * 1024 * 1024), "77"]


def test_student_code_over_the_memory_limit_gets_a_memory_error():
    cmd = launch_command([sys.executable, "-c", "x = bytearray(1024 ** 3)"], memory_mb=300)
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, check=False)
    assert done.returncode != 0 and "MemoryError" in done.stderr


def test_the_grading_kernel_manager_wraps_the_kernelspec_command():
    km = GradingKernelManager(kernel_name="python3", memory_limit_mb=640, cpu_limit_seconds=90)
    km._launch_args = {}
    cmd = km.format_kernel_cmd()
    assert cmd[1:6] == [str(LAUNCHER), "--memory-mb", "640", "--cpu-seconds", "90"]
    assert "ipykernel_launcher" in " ".join(cmd[cmd.index("--"):])


def test_the_course_config_grades_with_the_guards(repo):
    config = wg.course.course_config(repo)
    steps = [s if isinstance(s, str) else s.__name__ for s in config.Autograde.autograde_preprocessors]
    assert "welfaregrading.preprocessors.guarded_execute.GuardedExecute" in steps and "Execute" not in steps
    assert config.GradingKernelManager.memory_limit_mb > 0
    assert config.Execute.timeout > 0 and config.GuardedExecute.notebook_timeout > 0
    assert config.GenerateFeedback.preprocessors[0] == "welfaregrading.preprocessors.for_students.ForStudents"
    assert config.PlatformCollector.platform in wg.collect.PATTERNS


# -- the preprocessors on their own ------------------------------------------------------------

def _graded_test_cell(source, outputs):
    cell = nbformat.v4.new_code_cell(source, outputs=outputs)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "m06-x", "locked": True,
                                 "points": 2, "solution": False, "schema_version": 3}
    return cell


def test_feedback_shows_a_failed_test_by_its_message_not_its_hidden_line():
    error = nbformat.v4.new_output("error", ename="AssertionError", evalue="not right: check it",
                                   traceback=["----> 3 assert abs(x - 60000) < 0.01, 'not right'"])
    note = nbformat.v4.new_markdown_cell("**Mark scheme** model answer",
                                         metadata={wg.preprocessors.GRADER_NOTE: {"mark_scheme": "m06-x"}})
    nb = nbformat.v4.new_notebook(cells=[_graded_test_cell("assert x", [error]), note])
    out, _ = wg.preprocessors.for_students.ForStudents().preprocess(nb, {})
    assert len(out.cells) == 1
    assert out.cells[0].outputs[0].traceback == ["AssertionError: not right: check it"]


def test_huge_output_is_cut_but_an_error_still_costs_the_points():
    outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * 1_000_000),
               nbformat.v4.new_output("execute_result", data={"text/plain": "y" * 500_000},
                                      execution_count=1),
               nbformat.v4.new_output("stream", name="stderr", text="warning\n")]
    cell = _graded_test_cell("print(...)", outputs)
    limiter = wg.preprocessors.limit_output_size.LimitOutputSize(max_chars=1000)
    cell, _ = limiter.preprocess_cell(cell, {}, 0)
    assert len(nbformat.writes(nbformat.v4.new_notebook(cells=[cell]))) < 10_000
    assert [o.output_type for o in cell.outputs] == ["stream", "execute_result", "stream"]
    assert cell.outputs[2].name == "stderr"
    assert cell.metadata[wg.preprocessors.GRADER_NOTE]["output_truncated"]


def test_check_submission_reasons(tmp_path):
    release = nbformat.read(REPO / "release/m06" / NB, as_version=4)
    (tmp_path / NB).write_text(nbformat.writes(release)[:500], encoding="utf-8")
    assert "damaged or incomplete" in wg.intake.check_submission(tmp_path, [NB])[0]
    (tmp_path / NB).write_bytes(b"")
    assert "empty" in wg.intake.check_submission(tmp_path, [NB])[0]
    (tmp_path / NB).unlink()
    (tmp_path / "other.ipynb").write_text(nbformat.writes(release), encoding="utf-8")
    problem = wg.intake.check_submission(tmp_path, [NB])[0]
    assert "no notebook named m06-sroi.ipynb" in problem and "other.ipynb" in problem
    edited = nbformat.read(REPO / "release/m06" / NB, as_version=4)
    test = next(c for c in edited.cells if c.metadata.get("nbgrader", {}).get("grade")
                and c.cell_type == "code")
    test.source = "pass"
    nbformat.write(edited, tmp_path / NB)
    problem, notes = wg.intake.check_submission(tmp_path, [NB], {NB: release})
    assert problem is None and any("locked cell was edited" in n for n in notes)


# -- nbgrader zip_collect with the collector, per platform -----------------------------------------

@pytest.fixture(scope="module")
def notebooks():
    release = nbformat.read(REPO / "release/m06" / NB, as_version=4)
    source = nbformat.read(REPO / "source/m06" / NB, as_version=4)
    return {"blank": nbformat.writes(release).encode(),
            "full": nbformat.writes(wg.samples.answered(release, source)).encode()}


def _course(tmp_path, platform):
    course = wg.course.scratch_course(tmp_path / "course", ["m06"],
                                    config_lines=[f"c.PlatformCollector.platform = '{platform}'"])
    shutil.copytree(REPO / "release" / "m06", course / "release" / "m06")
    return course


def _when(day, hour, minute=0):
    return dt.datetime(2025, 3, day, hour, minute, tzinfo=BRUSSELS)


@pytest.mark.slow
def test_canvas_download_renamed_and_late_files(tmp_path, notebooks):
    course = _course(tmp_path, "canvas")
    wg.collect.sample_zip(course / "downloaded/m06/archive/submissions.zip", "m06", "canvas", [
        {"student": "1001", "name": "Zoë Dupré", "file": NB, "data": notebooks["full"],
         "when": _when(30, 20)},
        {"student": "1002", "name": "Jan Peeters", "file": "m06-sroi-1.ipynb", "late": True,
         "data": notebooks["blank"], "when": _when(31, 9)},
    ], extra={"README.txt": b"stray"})
    lines = []
    report = wg.collect.collect(course, "m06", echo=lines.append)
    assert (course / "submitted/1001/m06" / NB).read_bytes() == notebooks["full"]
    assert (course / "submitted/1002/m06" / NB).read_bytes() == notebooks["blank"]
    assert any("renamed to m06-sroi.ipynb" in n for n in report["students"]["1002"]["notes"])
    assert any("late" in n for n in report["students"]["1002"]["notes"])
    assert any("README.txt" in line and "matches no canvas" in line for line in lines)
    from nbgrader.api import Gradebook

    with Gradebook(wg.course.db_url(course)) as gb:
        # Canvas's sortable name cannot be split: no made-up first or last name
        assert gb.find_student("1001").last_name is None
    first = report["students"]["1001"]
    assert (first["name"], first["first_name"], first["last_name"]) == ("duprézoë", "", "")
    assert (first["late"], report["students"]["1002"]["late"]) == (False, True)


@pytest.mark.slow
def test_moodle_download_with_folders_and_non_latin_names(tmp_path, notebooks):
    course = _course(tmp_path, "moodle")
    wg.collect.sample_zip(course / "downloaded/m06/archive/m06-download.zip", "m06", "moodle", [
        {"student": "77", "name": "李 小龙", "file": NB, "data": notebooks["full"],
         "when": _when(30, 20), "files": {"onlinetext.html": b"<p>see notebook</p>"}},
        {"student": "78", "name": "Αλέξανδρος Παπαδόπουλος", "file": NB,
         "data": notebooks["blank"], "when": _when(30, 21)},
    ])
    report = wg.collect.collect(course, "m06")
    assert (course / "submitted/77/m06" / NB).exists() and (course / "submitted/78/m06" / NB).exists()
    assert not (course / "submitted/77/m06/onlinetext.html").exists()
    skipped = {item["file"].rsplit("/", 1)[-1]: item for item in report["not_collected"]}
    assert "not a notebook" in skipped["onlinetext.html"]["reason"]
    from nbgrader.api import Gradebook

    with Gradebook(wg.course.db_url(course)) as gb:
        assert gb.find_student("78").last_name == "Παπαδόπουλος"


@pytest.mark.slow
def test_blackboard_latest_attempt_whole_and_lateness_in_utc(tmp_path, notebooks):
    course = _course(tmp_path, "blackboard")
    wg.collect.sample_zip(course / "downloaded/m06/archive/gradebook.zip", "m06", "blackboard", [
        {"student": "r01", "name": "An Janssens", "file": NB, "data": notebooks["full"],
         "when": _when(29, 10), "files": {"helper.ipynb": notebooks["full"]}},
        {"student": "r01", "name": "An Janssens", "file": NB, "data": notebooks["blank"],
         "when": _when(30, 23, 30)},
    ])
    report = wg.collect.collect(course, "m06")
    folder = course / "submitted/r01/m06"
    assert sorted(p.name for p in folder.iterdir()) == [NB, "timestamp.txt"]
    assert (folder / NB).read_bytes() == notebooks["blank"]  # the latest attempt, whole
    assert (folder / "timestamp.txt").read_text().startswith("2025-03-30 21:30:00")
    earlier = [i for i in report["not_collected"] if i.get("kind") == "earlier attempt"]
    assert len(earlier) == 3  # the earlier notebook, its helper and its receipt
    # collecting again (e.g. after a failed run) gives the same result
    again = wg.collect.collect(course, "m06")
    assert again["students"] == report["students"]
    assert (folder / NB).read_bytes() == notebooks["blank"]
    assert json.loads((course / "downloaded/m06/collect-report.json").read_text())["platform"] \
        == "blackboard"
