"""One bad submission costs only itself, and the grader never follows a file a student made.

A scratch course grades, in one batch, two honest submissions next to hostile ones:

- handed in with a symlink, a FIFO, a hard link, a link to /dev/zero, 10 000 files, a JSON nesting
  bomb (refused before grading, welfaregrading/intake.py);
- "kernel" tampering: :class:`Plant` runs right after the step that executes the student's code
  and writes into the folder the notebook is written to, as a kernel working there could: a link
  at the notebook's own name to a canary file outside the course, a link to gradebook.db, a
  forged on-time timestamp.txt for a submission 10.5 days late, and a ``Grading flag:`` line as
  GuardedExecute logs it.

Both paths run: worker processes (``workers=2``: the staged copy and the merge) and one process
(``workers=1``: nbgrader writes in the course itself). The canary, source/, release/ and the
manual grade entered before the run stay unchanged; the honest ones get their exact scores.
"""

import datetime as dt
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import REPO
from nbgrader.preprocessors import NbGraderPreprocessor

import welfaregrading as wg
import welfaregrading.batch
import welfaregrading.course
import welfaregrading.export
import welfaregrading.report
import welfaregrading.runfiles
import welfaregrading.samples
from welfaregrading.batch import GradingStopped

pytestmark = pytest.mark.slow
AID, NB = "m06", "m06-sroi.ipynb"
DUE = "2025-03-30 23:59"
ON_TIME = dt.datetime(2025, 3, 30, 20, 0, tzinfo=dt.UTC)
LATE = ON_TIME + dt.timedelta(days=10, hours=12)  # 10.5 days late
CANARY_TEXT = "the lecturer's private file: must never change or be copied"


class Plant(NbGraderPreprocessor):
    """What a grading kernel working in the output folder could leave there, per student id
    prefix (runs in the grader, right after the code was executed)."""

    def preprocess(self, nb, resources):
        student = resources["nbgrader"]["student"]
        folder = Path(resources["metadata"]["path"])
        canary = Path(os.environ["WELFARE_TEST_CANARY"])
        db = resources["nbgrader"]["db_url"].removeprefix("sqlite:///")
        if student.startswith("plant-nbname"):
            (folder / NB).unlink(missing_ok=True)
            (folder / NB).symlink_to(canary)
        elif student.startswith("plant-db"):
            (folder / "results.txt").symlink_to(db)
        elif student.startswith("plant-late"):
            (folder / "timestamp.txt").unlink(missing_ok=True)
            (folder / "timestamp.txt").write_text(ON_TIME.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
        elif student.startswith("flag-"):
            self.log.warning("Grading flag: the test cell's assert was redefined")
        return nb, resources


def tree_hash(*folders) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def _course(tmp_path, canary):
    os.environ["WELFARE_TEST_CANARY"] = str(canary)
    course = wg.course.scratch_course(
        tmp_path / "course", [AID],
        config_lines=["c.Execute.timeout = 30",
                      f"c.CourseGrading.due_dates = {{'{AID}': '{DUE}'}}",
                      "c.CourseGrading.timezone = 'UTC'",
                      "_s = list(c.Autograde.autograde_preprocessors)",
                      ("c.Autograde.autograde_preprocessors = _s[:1] + "
                       "['test_batch.Plant'] + _s[1:]")])
    shutil.copytree(REPO / "release" / AID, course / "release" / AID)
    release = nbformat.read(course / "release" / AID / NB, as_version=4)
    full = wg.samples.answered(release, nbformat.read(course / "source" / AID / NB, as_version=4))
    honest = {"ada-full": (full, ON_TIME), "bo-blank": (release, ON_TIME),
              "plant-nbname": (full, ON_TIME), "plant-db": (full, ON_TIME),
              "plant-late": (full, LATE), "flag-abs": (full, ON_TIME)}
    for sid, (nb, when) in honest.items():
        wg.samples.submit(course, AID, sid, nb, NB, when)
    hostile = {}
    for sid in ["link-sub", "fifo-sub", "hard-sub", "zero-sub", "many-sub", "deep-sub"]:
        hostile[sid] = wg.samples.submit(course, AID, sid, full, NB, ON_TIME).parent
    (hostile["link-sub"] / NB).unlink()
    (hostile["link-sub"] / NB).symlink_to(canary)
    (hostile["fifo-sub"] / NB).unlink()
    os.mkfifo(hostile["fifo-sub"] / NB)
    os.link(canary, hostile["hard-sub"] / "notes.txt")
    (hostile["zero-sub"] / "data.bin").symlink_to("/dev/zero")
    for i in range(10_000):
        (hostile["many-sub"] / f"f{i:05d}.txt").touch()
    (hostile["deep-sub"] / NB).write_text(
        '{"cells": [], "metadata": {"x": ' + "[" * 100_000 + "]" * 100_000 + "}}")
    return course


def _run(tmp_path_factory, workers):
    base = tmp_path_factory.mktemp(f"robust{workers}")
    canary = base / "canary.txt"
    canary.write_text(CANARY_TEXT)
    course = _course(base, canary)
    before = {"repo": tree_hash(REPO / "source" / AID, REPO / "release" / AID),
              "course": tree_hash(course / "source", course / "release")}
    # a first run grades ada; a manual grade is entered; the second run must keep it
    wg.batch.autograde_all(course, AID, workers=1, students=["ada-full"], echo=lambda *_: None,
                           progress=False)
    from nbgrader.api import Gradebook

    with Gradebook(wg.course.db_url(course)) as gb:
        written = next(g for g in gb.find_submission(AID, "ada-full").notebooks[0].grades
                       if g.cell.cell_type == "markdown")
        written.manual_score = 3.0
        written.needs_manual_grade = False  # as formgrader leaves it
        gb.db.commit()
        written_id = written.name
    lines = []
    batch = wg.batch.autograde_all(course, AID, workers=workers, force=True, echo=lines.append,
                                   progress=False)
    return {"course": course, "canary": canary, "batch": batch, "lines": lines,
            "before": before, "written": written_id,
            "summary": json.loads((course / "build/grading" / AID / "summary.json").read_text()),
            "state": json.loads((course / "build/grading" / AID / "state.json").read_text())}


@pytest.fixture(scope="module", params=[2, 1], ids=["workers", "one-process"])
def run(request, tmp_path_factory):
    return _run(tmp_path_factory, request.param)


REFUSED = {
    "link-sub": f"{NB} is a symbolic link (to ",
    "fifo-sub": f"{NB} is a named pipe (FIFO)",
    "hard-sub": "notes.txt is a hard link (the same file is stored under 2 names)",
    "zero-sub": "data.bin is a symbolic link (to /dev/zero)",
    "many-sub": "holds more than 50 files and folders",
    "deep-sub": "nested 100002 levels deep",
    "plant-nbname": f"autograded/plant-nbname/{AID} is not safe to grade: {NB} is a symbolic "
                    "link (to ",
    "plant-db": f"autograded/plant-db/{AID} is not safe to grade: results.txt is a symbolic "
                "link (to ",
}


def test_every_hostile_submission_fails_with_its_reason(run):
    rows = run["summary"]["students"]
    for sid, words in REFUSED.items():
        assert rows[sid]["status"] == "failed", (sid, rows[sid])
        assert words in rows[sid]["reason"], (sid, rows[sid]["reason"])
        assert not os.path.lexists(run["course"] / "autograded" / sid / AID)
    text = (run["course"] / "build/grading" / AID / "summary.txt").read_text()
    assert f"{AID}: 12 submissions: 2 graded, 1 needs manual grading, 1 flagged for review, " \
           "8 failed" in text
    assert run["batch"].count("failed") == 8


def test_honest_submissions_get_exact_scores_and_the_manual_grade_stays(run):
    rows = run["summary"]["students"]
    assert (rows["ada-full"]["auto_score"], rows["ada-full"]["auto_max"]) == (10, 10)
    # regraded (FORCE) after its written answer was marked: unchanged, so the mark stays and
    # nothing is left to mark (nbgrader alone would ask for manual grading again)
    assert rows["ada-full"]["status"] == "graded"
    assert (rows["bo-blank"]["auto_score"], rows["bo-blank"]["status"]) == (0, "graded")
    from nbgrader.api import Gradebook

    with Gradebook(wg.course.db_url(run["course"])) as gb:
        grades = {g.name: g for g in gb.find_submission(AID, "ada-full").notebooks[0].grades}
        assert grades[run["written"]].manual_score == 3.0
    backups = list((run["course"] / "build/grading" / AID).glob("gradebook-before-*.db"))
    assert len(backups) == 1  # the first run had no gradebook to back up yet


def test_lateness_comes_from_the_collectors_timestamp(run):
    rows = run["summary"]["students"]
    assert rows["plant-late"]["status"] == "needs manual grading"  # its written answers
    assert rows["plant-late"]["late_seconds"] == (LATE - dt.datetime(2025, 3, 30, 23, 59,
                                                                     tzinfo=dt.UTC)).total_seconds()
    assert rows["ada-full"]["late_seconds"] == 0


def test_a_flag_makes_the_status_flagged_for_review_with_its_reason(run):
    rows, state = run["summary"]["students"], run["state"]["students"]
    assert state["flag-abs"]["status"] == "flagged for review"
    assert state["flag-abs"]["flags"] == ["the test cell's assert was redefined"]
    assert rows["flag-abs"]["status"] == "flagged for review"
    assert rows["flag-abs"]["auto_score"] == 10  # shown, but not a clean "graded"
    text = (run["course"] / "build/grading" / AID / "summary.txt").read_text()
    assert "  ! flagged for review: the test cell's assert was redefined" in text


def test_nothing_outside_the_students_folders_changed(run):
    assert run["canary"].read_text() == CANARY_TEXT
    course = run["course"]
    assert tree_hash(course / "source", course / "release") == run["before"]["course"]
    assert tree_hash(REPO / "source" / AID, REPO / "release" / AID) == run["before"]["repo"]
    assert wg.batch.check_gradebook(course / "gradebook.db", AID) is None
    for path in (course / "autograded").rglob("*"):
        assert not path.is_symlink(), path
    assert not (course / "build/grading" / AID / "staged").exists()


def test_a_damaged_gradebook_is_restored_and_the_run_stops(tmp_path):
    course = wg.course.scratch_course(tmp_path / "course", [AID])
    release = nbformat.read(REPO / "release" / AID / NB, as_version=4)
    wg.samples.submit(course, AID, "bo-blank", release, NB, ON_TIME)
    wg.batch.ensure_assignment(course, AID)
    before = wg.batch.manual_grades(course / "gradebook.db")
    backup = wg.batch.backup_gradebook(course, AID)
    (course / "gradebook.db").write_text(json.dumps({"cells": []}))  # nbconvert's writer did it
    damage = wg.batch.check_gradebook(course / "gradebook.db", AID, before)
    assert damage.startswith("it cannot be read as a gradebook")
    with pytest.raises(GradingStopped, match="THE GRADEBOOK WAS DAMAGED DURING THIS RUN"):
        wg.batch._gradebook_damaged(course, AID, damage, backup, ["bo-blank"], {},
                                    course / "build/grading" / AID / "state.json",
                                    lambda *a, **k: None)
    assert wg.batch.check_gradebook(course / "gradebook.db", AID, before) is None
    state = json.loads((course / "build/grading" / AID / "state.json").read_text())
    assert state["students"]["bo-blank"]["status"] == "failed"


def test_a_failed_preflight_stops_before_any_student_is_marked(tmp_path, monkeypatch):
    course = wg.course.scratch_course(tmp_path / "course", [AID])
    release = nbformat.read(REPO / "release" / AID / NB, as_version=4)
    wg.samples.submit(course, AID, "bo-blank", release, NB, ON_TIME)
    monkeypatch.setattr(wg.batch, "_preflight",
                        lambda config: lambda c: "welfarelab cannot be imported: run make")
    with pytest.raises(GradingStopped, match="Grading did not start: welfarelab cannot be "
                                             "imported: run make") as stopped:
        wg.batch.autograde_all(course, AID, workers=1, echo=lambda *_: None, progress=False)
    assert stopped.value.code == "Grading did not start: welfarelab cannot be imported: run make"
    assert not (course / "build/grading" / AID / "state.json").exists()
    assert not (course / "gradebook.db").exists()


def test_plain_nbgrader_autograde_never_follows_a_link_and_goes_on(tmp_path):
    """What formgrader's Autograde button and `nbgrader autograde m06` run: students whose
    submitted folder is unsafe are left out (the config's student_id_exclude), a link planted
    in the graded folder stops only its own submission, before nbgrader writes or chmods."""
    import resource
    import subprocess
    import sys

    canary = tmp_path / "canary.txt"
    canary.write_text(CANARY_TEXT)
    os.environ["WELFARE_TEST_CANARY"] = str(canary)
    course = wg.course.scratch_course(
        tmp_path / "course", [AID],
        config_lines=["c.Execute.timeout = 30", "_s = list(c.Autograde.autograde_preprocessors)",
                      ("c.Autograde.autograde_preprocessors = _s[:1] + "
                       "['test_batch.Plant'] + _s[1:]")])
    wg.batch.ensure_assignment(course, AID)
    release = nbformat.read(REPO / "release" / AID / NB, as_version=4)
    full = wg.samples.answered(release, nbformat.read(course / "source" / AID / NB, as_version=4))
    for sid in ["ada-full", "plant-nbname", "zero-sub", "fifo-sub"]:
        wg.samples.submit(course, AID, sid, full, NB, ON_TIME)
    (course / "submitted/zero-sub" / AID / "data.bin").symlink_to("/dev/zero")
    (course / "submitted/fifo-sub" / AID / NB).unlink()
    os.mkfifo(course / "submitted/fifo-sub" / AID / NB)
    source_before = tree_hash(course / "source")

    def limits():  # a grader that copied /dev/zero would stop at 100 MB instead of the disk
        hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]  # (the kernel launcher sets its own)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000_000, hard))

    here = Path(__file__).resolve().parent  # (this module and the tests' conftest, importable)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(here), str(here.parent), str(REPO)]))
    done = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", AID],
                          cwd=course, env=env, capture_output=True, text=True, timeout=600,
                          preexec_fn=limits, check=False)
    out = done.stdout + done.stderr
    assert "Left out of grading (not safe to grade, never followed): submitted/zero-sub/m06: " \
           "data.bin is a symbolic link (to /dev/zero)" in out
    assert "submitted/fifo-sub/m06: m06-sroi.ipynb is a named pipe (FIFO)" in out
    assert "Grading folder refused: autograded/plant-nbname/m06: m06-sroi.ipynb is a symbolic " \
           "link (to " in out
    assert done.returncode != 0  # nbgrader reports the refused submission as an error
    assert canary.read_text() == CANARY_TEXT and oct(canary.stat().st_mode)[-3:] != "444"
    assert tree_hash(course / "source") == source_before
    for sid in ["plant-nbname", "zero-sub", "fifo-sub"]:
        assert not os.path.lexists(course / "autograded" / sid / AID), sid
    assert (course / "autograded/ada-full" / AID / NB).is_file()
    scores = wg.report.cell_scores(course, AID, "ada-full")
    assert sum(c.score for c in scores.values() if c.auto) == 10
    rows = wg.report.summarize(course, AID, echo=lambda *_: None).students  # `make summary`
    assert rows["zero-sub"]["reason"].startswith("the submission folder is not safe to grade: "
                                                 "data.bin is a symbolic link (to /dev/zero)")
    assert (rows["ada-full"]["auto_score"], rows["fifo-sub"]["status"]) == (10, "failed")


class Crash(NbGraderPreprocessor):
    """A grader process that dies while grading one submission (as on a segfault)."""

    def preprocess(self, nb, resources):
        if resources["nbgrader"]["student"].startswith("crash-"):
            os._exit(3)
        return nb, resources


def test_a_worker_process_that_dies_costs_only_its_submission(tmp_path, monkeypatch):
    """Also: a RecursionError while checking one submission and a MemoryError while saving
    another's result in the gradebook are theirs only."""
    check, merge = wg.batch.check_submission, wg.batch._merge_one

    def checking(folder, *args, **kwargs):
        if "dee-deep" in str(folder):
            raise RecursionError("maximum recursion depth exceeded")
        return check(folder, *args, **kwargs)

    def merging(api, course, assignment, student, *args):
        if student == "eve-memory":
            raise MemoryError
        return merge(api, course, assignment, student, *args)

    monkeypatch.setattr(wg.batch, "check_submission", checking)
    monkeypatch.setattr(wg.batch, "_merge_one", merging)
    course = wg.course.scratch_course(
        tmp_path / "course", [AID],
        config_lines=["c.Execute.timeout = 30", "_s = list(c.Autograde.autograde_preprocessors)",
                      ("c.Autograde.autograde_preprocessors = _s[:1] + "
                       "['test_batch.Crash'] + _s[1:]")])
    release = nbformat.read(REPO / "release" / AID / NB, as_version=4)
    full = wg.samples.answered(release, nbformat.read(course / "source" / AID / NB, as_version=4))
    for sid in ["ada-full", "crash-me", "cy-full", "dee-deep", "eve-memory"]:
        wg.samples.submit(course, AID, sid, full, NB, ON_TIME)
    lines = []
    batch = wg.batch.autograde_all(course, AID, workers=2, echo=lines.append, progress=False)
    rows = batch.students
    assert rows["dee-deep"]["reason"] == ("the grader stopped while checking this submission "
                                          "(RecursionError: maximum recursion depth exceeded)")
    assert rows["eve-memory"]["reason"] == (
        "the grader stopped while saving this result in the gradebook (MemoryError: no "
        "message); the rest of the class was graded")
    assert (rows["eve-memory"]["status"], batch.count("failed")) == ("failed", 3)
    assert rows["crash-me"]["status"] == "failed"
    assert rows["crash-me"]["reason"] == (
        "the grading process stopped while grading this submission, twice (it crashed or ran "
        "out of memory); the rest of the class was graded")
    for sid in ["ada-full", "cy-full"]:
        assert (rows[sid]["status"], rows[sid]["auto_score"]) == ("needs manual grading", 10)
    assert any(re.search(r"A grading worker process stopped; grading [1-4] submission\(s\) "
                         "one by one, each in a process of its own", line) for line in lines)


def test_a_lost_manual_grade_counts_as_damage(tmp_path):
    import sqlite3

    db = tmp_path / "gradebook.db"
    con = sqlite3.connect(db)
    for table in wg.batch.GRADEBOOK_TABLES - {"assignment", "grade"}:
        con.execute(f"CREATE TABLE {table} (id TEXT)")
    con.execute("CREATE TABLE assignment (id TEXT, name TEXT)")
    con.execute("CREATE TABLE grade (id TEXT, manual_score FLOAT)")
    con.execute("INSERT INTO assignment VALUES ('a', 'm06')")
    con.executemany("INSERT INTO grade VALUES (?, ?)", [("g1", 3.0), ("g2", None)])
    con.commit()
    before = wg.batch.manual_grades(db)
    assert before == {"g1": 3.0}
    assert wg.batch.check_gradebook(db, "m06", before) is None
    assert wg.batch.check_gradebook(db, "m07", before) == "the assignment m07 is missing from it"
    con.execute("UPDATE grade SET manual_score = 2.5 WHERE id = 'g1'")  # a grader's edit
    con.commit()
    assert wg.batch.check_gradebook(db, "m06", before) is None
    con.execute("DELETE FROM grade WHERE id = 'g1'")
    con.commit()
    con.close()
    assert wg.batch.check_gradebook(db, "m06", before) == \
        "1 manual grade(s) entered before this run are gone"


def test_the_progress_bar_counts_flagged_submissions():
    import io

    stream = io.StringIO()
    bar = wg.runfiles.Progress(3, "autograde m06", stream=stream)
    for status in ["graded", "flagged for review", "failed"]:
        bar.update(status)
    assert bar.counts == {"graded": 1, "needs manual grading": 0, "flagged for review": 1,
                          "failed": 1}
    assert "graded 1  to mark 0  flagged 1  failed 1" in stream.getvalue().splitlines()[-1]


def test_the_lecturer_accepts_a_reviewed_flag_and_the_csv_then_has_the_score(run):
    """(Last in this file: it changes the run's state.) Before review the CSV has no score for
    the flagged submission; `python -m welfaregrading accept` after review gives it its score,
    and refuses students that are not flagged."""
    import csv
    import subprocess
    import sys

    course = run["course"]

    def csv_rows():
        path = wg.export.export_grades(course, AID, echo=lambda *_: None)
        with open(path, encoding="utf-8") as fh:
            return {r["student_id"]: r for r in csv.DictReader(fh)}

    assert csv_rows()["flag-abs"]["score"] == ""
    done = subprocess.run([sys.executable, "-m", "welfaregrading", "accept", AID, "flag-abs",
                           "bo-blank", "--course", str(course)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 3  # bo-blank was not flagged: said, and the exit code shows it
    assert "flag-abs: flag reviewed, score accepted" in done.stdout
    assert "bo-blank: not accepted: not flagged (its status is 'graded')" in done.stdout
    state = json.loads((course / "build/grading" / AID / "state.json").read_text())["students"]
    assert state["flag-abs"]["status"] == "graded"
    assert state["flag-abs"]["reviewed_flags"]["flags"] == ["the test cell's assert was redefined"]
    summary = json.loads((course / "build/grading" / AID / "summary.json").read_text())
    assert summary["students"]["flag-abs"]["status"] == "needs manual grading"  # written answers
    assert float(csv_rows()["flag-abs"]["score"]) == 10
