"""Every student a row: the platform's gradebook export read as each platform writes it, and
``class_rows`` joining it with the download's collect report, ``submitted/`` and nbgrader's
gradebook (welfaregrading/roster.py).

The gradebook is built with nbgrader's own API in a scratch course (no autograde run): a grade
cell of 10 points graded by tests and a written answer of 4 points marked by hand. The class:
an accented name graded 12/14, a non-Latin name whose written answer waits for marking (8), a
formula-looking name handed in late (5), a student whose latest attempt is only a PDF, one
flagged for review, and one on the roster who handed in nothing.
"""

import csv
import datetime as dt
import io
import json

import pytest

import welfaregrading as wg
import welfaregrading.course
import welfaregrading.export
from welfaregrading import roster as R

# nbgrader 0.9.6's gradebook warns "not in session" while building submissions: harmless
pytestmark = pytest.mark.filterwarnings("ignore:.*not in session")
AID, NB = "m06", "m06-sroi"
DUE = dt.datetime(2025, 3, 30, 21, 59)  # nbgrader stores naive UTC
FORMULA = "=HYPERLINK(\"http://x\",\"y\")"

#: Per platform the ids it writes in its download (Canvas user id, Moodle participant number,
#: Blackboard username), in the order accent, non-Latin, formula, PDF only, flagged, roster only.
IDS = {"canvas": ["1001", "1002", "1003", "1004", "1005", "1006"],
       "moodle": ["501", "502", "503", "504", "505", "506"],
       "blackboard": ["r0001001", "r0001002", "r0001003", "r0001004", "r0001005", "r0001006"]}
PEOPLE = [("Zoë", "Dupré"), ("小明", "王"), (FORMULA, "Smith"), ("Pieter", "Janssens"),
          ("Ana", "Lopes"), ("Noor", "El Amrani")]


def build_course(tmp_path, platform: str, with_roster: bool = True, feedback: bool = True):
    """A scratch course with a gradebook, a collect report, submitted/ and autograded/ folders
    and (``with_roster``) the platform's gradebook export; returns (course, ids)."""
    from nbgrader.api import Gradebook

    wg.course.venv_on_path()
    course = wg.course.scratch_course(tmp_path / "course", [AID])
    ids = IDS[platform]
    accent, nonlatin, formula, pdf, flagged, _absent = ids
    graded = {accent: (10.0, 2.0, DUE - dt.timedelta(hours=3)),
              nonlatin: (8.0, None, DUE - dt.timedelta(hours=1)),
              formula: (5.0, 0.0, DUE + dt.timedelta(hours=26)),
              flagged: (9.0, 0.0, DUE - dt.timedelta(hours=2))}
    with Gradebook(wg.course.db_url(course)) as gb:
        gb.update_or_create_assignment(AID, duedate=DUE)
        gb.add_notebook(NB, AID)
        gb.add_grade_cell("m06-auto", NB, AID, max_score=10, cell_type="code")
        gb.add_solution_cell("m06-written", NB, AID)
        gb.add_grade_cell("m06-written", NB, AID, max_score=4, cell_type="markdown")
        for sid, (auto, manual, when) in graded.items():
            first, last = PEOPLE[ids.index(sid)]
            gb.update_or_create_student(sid, first_name=first, last_name=last)
            gb.add_submission(AID, sid, timestamp=when)
            cell = gb.find_grade("m06-auto", NB, AID, sid)
            cell.auto_score, cell.needs_manual_grade = auto, False
            written = gb.find_grade("m06-written", NB, AID, sid)
            written.manual_score = manual
            written.needs_manual_grade = manual is None
            gb.db.commit()
            (course / "submitted" / sid / AID).mkdir(parents=True)
            (course / "autograded" / sid / AID).mkdir(parents=True)
            if feedback:
                page = course / "feedback" / sid / AID / f"{NB}.html"
                page.parent.mkdir(parents=True)
                page.write_text(f"<html><body>feedback for {sid}</body></html>", encoding="utf-8")
    state = course / "build" / "grading" / AID / "state.json"
    state.parent.mkdir(parents=True)
    state.write_text(json.dumps({"students": {
        flagged: {"status": "flagged for review", "flags": ["a canary cell passed"]},
        accent: {"status": "graded"}}}), encoding="utf-8")
    students = {}
    for sid in (accent, nonlatin, formula, pdf, flagged):
        first, last = PEOPLE[ids.index(sid)]
        students[sid] = {"name": f"{first} {last}", "first_name": first, "last_name": last,
                         "platform_id": sid, "files": [] if sid == pdf else [
                             {"from": f"x/{sid}_{NB}.ipynb", "to": f"{NB}.ipynb",
                              "why": "newest attempt"}],
                         "submitted_utc": "2025-03-31 23:59:00+00:00" if sid == formula else None,
                         "late": True if sid == formula else None, "gradable": sid != pdf,
                         "reason": "the latest attempt holds only a PDF" if sid == pdf else ""}
    report = course / "downloaded" / AID / "collect-report.json"
    report.parent.mkdir(parents=True)
    report.write_text(json.dumps({"platform": platform, "layout": "test", "students": students},
                                 ensure_ascii=False), encoding="utf-8")
    if with_roster:
        write_roster(course, platform, ids)
    return course, ids


def write_roster(course, platform: str, ids: list[str]):
    """The platform's gradebook export for the class, in the layout the platform writes."""
    folder = course / "downloaded" / AID / "gradebook"
    folder.mkdir(parents=True, exist_ok=True)
    if platform == "canvas":
        # canvas-lms gradebook export: sortable name, ids, section, assignments, totals, and
        # the Points Possible row; written with a byte-order mark (the Excel-friendly option)
        rows = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                 "M05 Financing (4241)", "M06 SROI (4242)", "Current Points", "Final Points"],
                ["    Points Possible", "", "", "", "", "20.00", "14.00", "(read only)",
                 "(read only)"]]
        rows += [[f"{last}, {first}", sid, f"s{sid}", f"u{sid}@example.org", "Klas A",
                  "15.00", "", "15.00", "15.00"]
                 for sid, (first, last) in zip(ids, PEOPLE, strict=True)]
        path = folder / "2025-04-01T1000_Grades-WELFARE.csv"
        with open(path, "w", newline="", encoding="utf-8-sig") as fh:
            csv.writer(fh).writerows(rows)
    elif platform == "moodle":
        # mod/assign "Download grading worksheet" (gradingtable.php, English strings)
        rows = [["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                 "Grade can be changed", "Last modified (submission)", "Last modified (grade)",
                 "Feedback comments"]]
        rows += [[f"Participant {sid}", f"{first} {last}", f"{sid}@example.org",
                  "Submitted for grading", "", "14.00", "Yes",
                  "Sunday, 30 March 2025, 9:00 PM", "-", "keep me" if i == 0 else ""]
                 for i, (sid, (first, last)) in enumerate(zip(ids, PEOPLE, strict=True))]
        path = folder / "Grades-WELFARE-M06 SROI-123.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
    else:
        # Blackboard Grade Centre download: tab-delimited, UTF-16, ".xls"
        rows = [["Last Name", "First Name", "Username", "Student ID", "Last Access",
                 "Availability", "M05 Financing [Total Pts: 20 Score] |123455",
                 "M06 SROI [Total Pts: 14 Score] |123456"]]
        rows += [[last, first, sid, sid[1:], "2025-03-30 20:00:00", "Available", "15", ""]
                 for sid, (first, last) in zip(ids, PEOPLE, strict=True)]
        buffer = io.StringIO()
        csv.writer(buffer, delimiter="\t", quoting=csv.QUOTE_ALL).writerows(rows)
        path = folder / "gc_WELFARE_fullgc_2025-04-01-10-00-00.xls"
        path.write_bytes(buffer.getvalue().encode("utf-16"))
    return path


@pytest.mark.parametrize("platform", ["canvas", "moodle", "blackboard"])
def test_each_platforms_gradebook_export_is_read_with_ids_and_names(tmp_path, platform):
    course, ids = build_course(tmp_path, platform)
    students = R.load_roster(course, AID, platform)
    assert [s.student_id for s in students] == ids
    by_id = {s.student_id: s for s in students}
    assert (by_id[ids[0]].first_name, by_id[ids[0]].last_name) == ("Zoë", "Dupré")
    assert (by_id[ids[1]].first_name, by_id[ids[1]].last_name) == ("小明", "王")
    assert by_id[ids[2]].first_name == FORMULA
    roster = R.load_roster_file(course, AID)
    assert roster.platform == platform
    if platform == "canvas":
        assert roster.info_rows[0][6] == "14.00"  # the Points Possible row is not a student
        assert by_id[ids[0]].platform_fields["SIS Login ID"] == f"u{ids[0]}@example.org"


def test_another_platforms_export_is_refused_by_name(tmp_path):
    course, _ = build_course(tmp_path, "blackboard")
    with pytest.raises(R.RosterError, match="looks like a blackboard file, not canvas"):
        R.load_roster(course, AID, "canvas")


def test_an_unknown_file_and_a_bad_id_are_reported(tmp_path):
    folder = tmp_path / "downloaded" / AID / "gradebook"
    folder.mkdir(parents=True)
    (folder / "list.csv").write_text("name,mark\nAnn,3\n", encoding="utf-8")
    with pytest.raises(R.RosterError, match="not a Canvas gradebook export"):
        R.load_roster(tmp_path, AID)
    (folder / "list.csv").write_text("Last Name,First Name,Username\nX,Y,=1+2\nA,B,r1\n",
                                     encoding="utf-8")
    roster = R.load_roster_file(tmp_path, AID)
    assert [s.student_id for s in roster.students] == ["r1"]
    assert "row 2" in roster.problems[0] and "formula" in roster.problems[0]


def test_no_export_gives_an_empty_roster(tmp_path):
    assert R.load_roster(tmp_path, AID) == []


@pytest.mark.parametrize("with_roster", [True, False])
def test_class_rows_every_student_a_row_with_score_status_and_reason(tmp_path, with_roster):
    course, ids = build_course(tmp_path, "canvas", with_roster=with_roster)
    rows = R.class_rows(course, AID)
    by_id = {r["student_id"]: r for r in rows}
    accent, nonlatin, formula, pdf, flagged, absent = ids
    expected_ids = ids if with_roster else sorted(ids[:5])
    assert [r["student_id"] for r in rows] == expected_ids
    assert (by_id[accent]["score"], by_id[accent]["max_score"]) == (12.0, 14.0)
    assert by_id[accent]["status"] == "graded" and by_id[accent]["reason"] == ""
    assert (by_id[accent]["first_name"], by_id[accent]["last_name"]) == ("Zoë", "Dupré")
    assert by_id[accent]["late"] is False
    assert by_id[nonlatin]["score"] == 8.0
    assert by_id[nonlatin]["status"] == "needs manual grading"
    assert "to be marked" in by_id[nonlatin]["reason"]
    assert by_id[nonlatin]["last_name"] == "王"
    assert by_id[formula]["score"] == 5.0 and by_id[formula]["late"] is True
    assert by_id[formula]["late_seconds"] == 26 * 3600
    assert by_id[formula]["submitted_utc"] == "2025-03-31 23:59:00+00:00"
    assert by_id[pdf]["score"] is None and by_id[pdf]["status"] == "nothing to grade"
    assert by_id[pdf]["reason"] == "the latest attempt holds only a PDF"
    assert by_id[flagged]["score"] is None and by_id[flagged]["status"] == "flagged for review"
    assert "canary" in by_id[flagged]["reason"]
    if with_roster:
        assert by_id[absent]["status"] == "no submission" and by_id[absent]["score"] is None
        assert by_id[absent]["max_score"] == 14.0 and by_id[absent]["in_roster"]


def test_an_older_collect_report_without_gradable_still_gives_the_row(tmp_path):
    course, ids = build_course(tmp_path, "moodle", with_roster=False)
    report = course / "downloaded" / AID / "collect-report.json"
    data = json.loads(report.read_text(encoding="utf-8"))
    for info in data["students"].values():
        for key in ("gradable", "reason", "late", "first_name", "last_name", "platform_id"):
            info.pop(key)
    data["students"][ids[3]]["notes"] = ["no notebook of the assignment in the latest attempt"]
    report.write_text(json.dumps(data), encoding="utf-8")
    by_id = {r["student_id"]: r for r in R.class_rows(course, AID)}
    assert by_id[ids[3]]["status"] == "nothing to grade"
    assert by_id[ids[3]]["reason"] == "no notebook of the assignment in the latest attempt"
    assert (by_id[ids[3]]["first_name"], by_id[ids[3]]["last_name"]) == ("Pieter", "Janssens")


def test_the_grades_csv_gains_every_student_with_the_reason(tmp_path):
    course, ids = build_course(tmp_path, "canvas")
    path = wg.export.export_grades(course, AID, echo=lambda *_: None)
    with open(path, newline="", encoding="utf-8") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    assert list(rows) == ids
    assert rows[ids[0]]["score"] == "12" and rows[ids[0]]["max_score"] == "14"
    assert rows[ids[2]]["late"] == "yes" and rows[ids[2]]["score"] == "5"
    assert rows[ids[3]]["score"] == "" and rows[ids[3]]["status"] == "nothing to grade"
    assert rows[ids[3]]["reason"] == "the latest attempt holds only a PDF"
    assert rows[ids[5]]["status"] == "no submission" and rows[ids[5]]["score"] == ""

