"""A changed answer reopens its manual grade; an unchanged one keeps it, also with FORCE=1
(issue 12; welfaregrading/batch.py ``settle_marks``).

A scratch course grades three made-up students' m06 (full answers, one process). A grader then
marks each written answer (``m06-critique``) as formgrader's API does: a manual score, a comment,
``needs_manual_grade`` off; for 1003 also a score over a test's automatic one. Then 1001 hands in again with a different written answer, 1002 hands
in the very same notebook again, 1003 hands in nothing new, and the lecturer runs
``python -m welfaregrading autograde m06 --force`` (what ``make autograde FORCE=1`` runs) and
``... export m06``. Expected:

- 1001: mark and comment cleared, "needs manual grading" again, the old mark and comment in the
  run log and the summary; its score is the tests' points alone;
- 1002 and 1003: mark and comment kept, nothing left to mark ("graded"), score = tests + mark;
- the gradebook, summary.json, summary.txt and the grades CSV say the same; the console shows
  no SQLAlchemy warning; the exit code is 0 (every submission graded).

The expected points come from the source notebook's own metadata (points of its test cells),
not from nbgrader. Run time: two autograde runs of three notebooks (about 60 s on 2 cores).
"""

import csv
import datetime as dt
import json
import subprocess
import sys

import nbformat
import pytest
from conftest import REPO

import welfaregrading as wg
import welfaregrading.batch
import welfaregrading.course
import welfaregrading.report
import welfaregrading.samples

pytestmark = pytest.mark.slow
AID, NB, WRITTEN = "m06", "m06-sroi.ipynb", "m06-critique"
ON_TIME = dt.datetime(2025, 3, 30, 20, 0, tzinfo=dt.UTC)
MARK, COMMENT = 3.0, "Good point on deadweight; say who benefits."
OVERRIDDEN = "m06-sroi-ratio"  # a test cell whose automatic score a grader overrides
NEW_ANSWER = "On second thought: the ratio hides who pays and who benefits, and drop-off."


def _points(course):
    """(points of the test cells, points of the written answers) from the source notebook."""
    auto = manual = 0.0
    for cell in nbformat.read(course / "source" / AID / NB, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            if meta.get("solution"):
                manual += float(meta["points"])
            else:
                auto += float(meta["points"])
    return auto, manual


def _mark(course, student):
    """What formgrader's GradeHandler.put and CommentHandler.put do for one written answer."""
    from nbgrader.api import Gradebook

    with Gradebook(wg.course.db_url(course)) as gb:
        grade = gb.find_grade(WRITTEN, NB[:-6], AID, student)
        grade.manual_score = MARK
        grade.needs_manual_grade = False
        gb.find_comment(WRITTEN, NB[:-6], AID, student).manual_comment = COMMENT
        gb.db.commit()


def _override(course, student, gid, score):
    """A grader's score on a test cell (formgrader's GradeHandler.put)."""
    from nbgrader.api import Gradebook

    with Gradebook(wg.course.db_url(course)) as gb:
        grade = gb.find_grade(gid, NB[:-6], AID, student)
        grade.manual_score = score
        grade.needs_manual_grade = False
        gb.db.commit()


def _test_points(course, gid):
    cell = next(c for c in nbformat.read(course / "source" / AID / NB, as_version=4).cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == gid)
    return float(cell.metadata["nbgrader"]["points"])


def _cell(course, student, gid=WRITTEN):
    from nbgrader.api import Gradebook

    with Gradebook(wg.course.db_url(course)) as gb:
        grade = gb.find_grade(gid, NB[:-6], AID, student)
        if gid != WRITTEN:
            return grade.manual_score, grade.needs_manual_grade
        comment = gb.find_comment(gid, NB[:-6], AID, student)
        return grade.manual_score, comment.manual_comment, grade.needs_manual_grade


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("regrade")
    course = wg.course.scratch_course(base / "course", [AID],
                                      config_lines=["c.Execute.timeout = 30"])
    release = wg.course.generate(course, AID)
    full = wg.samples.answered(nbformat.read(release / NB, as_version=4),
                               nbformat.read(course / "source" / AID / NB, as_version=4))
    for sid in ["1001", "1002", "1003"]:
        wg.samples.submit(course, AID, sid, full, NB, ON_TIME)
    first = wg.batch.autograde_all(course, AID, workers=1, echo=lambda *_: None, progress=False)
    for sid in ["1001", "1002", "1003"]:
        _mark(course, sid)
    _override(course, "1003", OVERRIDDEN, 1.0)  # a grader's score on a test, over nbgrader's
    changed = nbformat.from_dict(json.loads(nbformat.writes(full)))
    cell = next(c for c in changed.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == WRITTEN)
    cell.source = NEW_ANSWER
    wg.samples.submit(course, AID, "1001", changed, NB, ON_TIME + dt.timedelta(hours=1))
    wg.samples.submit(course, AID, "1002", full, NB, ON_TIME + dt.timedelta(hours=1))
    cli = [sys.executable, "-m", "welfaregrading"]
    again = subprocess.run(cli + ["autograde", AID, "--course", str(course), "--force",
                                  "--workers", "1", "--quiet"],
                           capture_output=True, text=True, cwd=REPO, check=False)
    export = subprocess.run(cli + ["export", AID, "--course", str(course)],
                            capture_output=True, text=True, cwd=REPO, check=False)
    wd = course / "build/grading" / AID
    with open(wd / f"grades-{AID}.csv", newline="", encoding="utf-8") as fh:
        grades = {r["student_id"]: r for r in csv.DictReader(fh)}
    return {"course": course, "first": first, "again": again, "export": export, "csv": grades,
            "summary": json.loads((wd / "summary.json").read_text(encoding="utf-8")),
            "text": (wd / "summary.txt").read_text(encoding="utf-8"),
            "log": (wd / "grading.log").read_text(encoding="utf-8"),
            "answers": json.loads((wd / "answers.json").read_text(encoding="utf-8"))}


def test_a_fingerprint_ignores_line_endings_and_trailing_blanks_only():
    fp = wg.batch.answer_fingerprint
    answer = "The SROI ratio ignores who benefits.\nAnd drop-off."
    assert fp(answer) == fp(answer.replace("\n", "\r\n") + "  \n\n")
    assert fp(answer) != fp(answer.replace("ignores", "hides"))
    assert fp(answer) != fp(answer.replace("\n", " "))


def test_the_first_run_leaves_the_written_answers_to_mark(run):
    rows = run["first"].students
    assert {rows[s]["status"] for s in ["1001", "1002", "1003"]} == {"needs manual grading"}


def test_runs_end_with_exit_code_0_and_no_warning_noise(run):
    again, export = run["again"], run["export"]
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    assert export.returncode == 0, export.stdout[-2000:] + export.stderr[-2000:]
    for out in (again.stdout + again.stderr, export.stdout + export.stderr, run["log"]):
        assert "Warning" not in out and "not in session" not in out, out[-3000:]
    for sid in ["1001", "1002", "1003"]:  # per notebook: nbgrader's harmless warnings left out
        text = (run["course"] / "build/grading" / AID / "logs" / f"{sid}.log").read_text()
        assert "WARNING" not in text and "Warning" not in text, text[-3000:]
        assert "harmless nbgrader warnings left out: " in text


def test_a_changed_answer_loses_its_mark_and_needs_marking_again(run):
    assert _cell(run["course"], "1001") == (None, None, True)
    row = run["summary"]["students"]["1001"]
    assert row["status"] == "needs manual grading"
    auto, manual = _points(run["course"])
    assert (row["score"], row["auto_score"], row["manual_pending"]) == (auto, auto, manual)
    note = (f"{WRITTEN}: the answer changed since it was marked ({MARK:g} of {manual:g}, "
            f"comment {COMMENT!r}): the mark was cleared, mark it again")
    assert note in row["notes"]
    assert f"  * {note}" in run["text"]
    # the old mark and comment are kept in the run log
    assert (f"1001: {NB[:-6]}/{WRITTEN}: the answer changed since it was marked; mark cleared. "
            f"It was: manual score {MARK}, extra credit None, comment {COMMENT!r}") in run["log"]
    assert run["answers"]["1001"][NB[:-6]][WRITTEN] == \
        wg.batch.answer_fingerprint(NEW_ANSWER)


def test_an_unchanged_answer_keeps_its_mark_and_is_not_flagged_again(run):
    auto, _ = _points(run["course"])
    # 1003's test override stays too (its automatic score did not change): no review asked
    assert _cell(run["course"], "1003", OVERRIDDEN) == (1.0, False)
    expected = {"1002": auto + MARK,
                "1003": auto - _test_points(run["course"], OVERRIDDEN) + 1.0 + MARK}
    for sid in ["1002", "1003"]:  # handed in again unchanged / only re-graded by FORCE
        assert _cell(run["course"], sid) == (MARK, COMMENT, False), sid
        row = run["summary"]["students"][sid]
        assert (row["status"], row["score"], row["manual_pending"]) == \
            ("graded", expected[sid], 0), sid


def test_gradebook_summary_and_csv_agree(run):
    from nbgrader.api import Gradebook

    rows = run["summary"]["students"]
    lines = {line.split()[0]: line for line in run["text"].splitlines()
             if line[:4] in ("1001", "1002", "1003")}
    with Gradebook(wg.course.db_url(run["course"])) as gb:
        for sid in ["1001", "1002", "1003"]:
            sub = gb.find_submission(AID, sid)
            assert float(run["csv"][sid]["score"]) == sub.score == rows[sid]["score"], sid
            status = "needs manual grading" if sub.needs_manual_grade else "graded"
            assert run["csv"][sid]["status"] == rows[sid]["status"] == status, sid
            assert status in lines[sid], lines[sid]
    assert "?/4" in lines["1001"] and f"{MARK:g}/4" in lines["1002"]
    auto, _ = _points(run["course"])
    overridden = auto - _test_points(run["course"], OVERRIDDEN) + 1.0
    assert f"{overridden:g}/{auto:g}" in lines["1003"]  # the override counts in the tests' points
    assert run["text"].startswith(f"{AID}: 3 submissions: 2 graded, 1 needs manual grading, "
                                  "0 flagged for review, 0 failed")


def test_the_class_chart_counts_the_cleared_mark_as_to_be_marked(run):
    wd = run["course"] / "build/grading" / AID
    with open(wd / f"class-summary-{AID}.csv", newline="", encoding="utf-8") as fh:
        parts = {r["part"]: r for r in csv.DictReader(fh)}
    written = parts[WRITTEN]
    assert (written["kind"], written["students"], written["to be marked"]) == ("written", "3", "1")
    assert (written["part of the marks"], written["full marks"]) == ("2", "0")
    assert float(written["mean score (points)"]) == MARK
    tests = [p for p in parts.values() if p["kind"] == "test"]
    assert sum(float(p["points"]) for p in tests) == _points(run["course"])[0]
    assert all(p["pass rate (%)"] == "100.0" for p in tests if p["part"] != OVERRIDDEN)
    assert parts[OVERRIDDEN]["part of the marks"] == "1"  # 1003's override: 1 of 2
    assert (wd / f"class-summary-{AID}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"class-summary-{AID}.png" in run["text"]


def test_marking_the_changed_answer_again_settles_it(run):
    """(Last: it changes the run.) The grader marks 1001's new answer in formgrader; the summary
    then counts it graded and says the old mark was replaced."""
    _mark(run["course"], "1001")
    row = wg.report.summarize(run["course"], AID, echo=lambda *_: None).students["1001"]
    auto, manual = _points(run["course"])
    assert (row["status"], row["score"]) == ("graded", auto + MARK)
    assert (f"{WRITTEN}: the answer changed since it was marked ({MARK:g} of {manual:g}, "
            f"comment {COMMENT!r}): the mark was cleared; marked again since") in row["notes"]
