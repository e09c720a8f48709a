"""Grades back in each platform's own format (welfaregrading/platform_export.py), each file read
back by a parser written from the platform's documented import:

- Canvas: canvas-lms app/models/gradebook_importer.rb (header with ``Student``/``ID`` and the
  student columns ending at ``Section``; ``<title> (<id>)`` columns; the ``Points Possible`` row;
  students by ``ID``; a blank grade is no change);
- Moodle: mod/assign/feedback/offline/importgradeslib.php (columns found by header, Identifier
  ``Participant <n>`` with the prefix stripped, Grade, Last modified (grade)) and
  mod/assign/feedback/file/importziplib.php for the feedback zip;
- Blackboard: the Grade Centre upload (``Username`` and a column id after ``|``).

The class is the one of tests/grading/test_roster.py: accented and non-Latin names, a
formula-looking name handed in late, a PDF-only attempt, a flagged submission, a student who
handed in nothing.
"""

import csv
import re
import zipfile

import pytest
from test_roster import AID, FORMULA, build_course

from welfaregrading import platform_export as P

pytestmark = pytest.mark.filterwarnings("ignore:.*not in session")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


# -- parsers written from each platform's import code --------------------------------------------

def canvas_import(path):
    """What Canvas's GradebookImporter takes from the file: {assignment column: (title, id,
    points possible)}, {user id: {assignment id or title: grade}} (blank grades dropped)."""
    rows = read_csv(path)
    header = rows[0]
    assert "Student" in header[0] and "ID" in header[1]  # row_has_student_headers?
    student_columns = 3
    if re.search(r"SIS\s+Login\s+ID", header[2]):
        student_columns += 1
    elif re.search(r"SIS\s+User\s+ID", header[2]) and re.search(r"SIS\s+Login\s+ID", header[3]):
        student_columns += 2 + (1 if re.search(r"Integration\s+ID", header[4]) else 0)
    assert "Section" in header[student_columns - 1]  # header?: last student column
    non_assignment = re.compile("Current Score|Current Points|Current Grade|Final Score|"
                                "Final Points|Final Grade|Override Score|Override Grade|"
                                "Override Status")
    assignments = {}
    for index, name in enumerate(header[student_columns:], start=student_columns):
        if non_assignment.search(name):
            continue
        match = re.match(r"^(.*)\((\d+)\)\s*$", name)  # Assignment.title_and_id
        assignments[index] = (match.group(1).strip(), match.group(2)) if match else (name, None)
    grades, possible = {}, {}
    for row in rows[1:]:
        if "Points Possible" in row[0]:
            possible = {assignments[i]: row[i] for i in assignments}
            continue
        grades[row[1]] = {assignments[i][1] or assignments[i][0]: row[i].strip()
                          for i in assignments if row[i].strip() not in ("", "-")}
    return assignments, grades, possible


def moodle_import(path):
    """What Moodle's offline grade importer takes: {participant number: (grade, modified)}."""
    rows = read_csv(path)
    header = rows[0]
    ident, grade, modified = (header.index("Identifier"), header.index("Grade"),
                              header.index("Last modified (grade)"))
    result = {}
    for row in rows[1:]:
        number = row[ident][len("Participant "):]  # substr($idstr, strlen('Participant '))
        if row[grade] != "":  # "Skip - grade has no value"
            result[number] = (row[grade], row[modified])
    return header, result


def moodle_zip_import(path):
    """{participant number: [file names]} as importziplib.php's is_valid_filename_for_import
    reads the paths (parts split on '_' into at most 5, a numeric id second)."""
    found = {}
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            parts = name.split("/")
            while parts:
                info = parts.pop(0).split("_", 4)
                if len(info) < 4 or not info[1].isdigit():
                    continue
                assert (info[2], info[3]) == ("assignfeedback", "file")
                parts.insert(0, info[4] if len(info) == 5 else "")
                found.setdefault(info[1], []).append("/".join(p for p in parts if p))
                break
    return found


def blackboard_import(path):
    """What the Grade Centre upload takes: {column id or new column name: {username: grade}}."""
    rows = read_csv(path)
    header = rows[0]
    user = header.index("Username")
    columns = {}
    for index, name in enumerate(header):
        if name in ("Last Name", "First Name", "Username"):
            continue
        match = re.search(r"\|\s*(\d+)\s*$", name)
        columns[index] = match.group(1) if match else name
    return {columns[i]: {row[user]: row[i] for row in rows[1:]} for i in columns}


# -- Canvas --------------------------------------------------------------------------------------

def test_canvas_gradebook_csv_writes_into_the_existing_column(tmp_path):
    course, ids = build_course(tmp_path, "canvas")
    paths = P.export_platform(course, AID, "canvas", echo=lambda *_: None)
    names = sorted(p.name for p in paths)
    assert names == ["canvas-gradebook-m06.csv", "canvas-lateness-m06.csv"]  # no feedback zip
    assignments, grades, possible = canvas_import(paths[0])
    assert list(assignments.values()) == [("M06 SROI", "4242")]
    assert possible[("M06 SROI", "4242")] == "14.00"  # copied: the import changes no points
    assert grades[ids[0]] == {"4242": "12"} and grades[ids[1]] == {"4242": "8"}
    assert grades[ids[2]] == {"4242": "5"}
    for blank in ids[3:]:  # PDF only, flagged, no submission: no change in Canvas
        assert grades[blank] == {}
    rows = read_csv(paths[0])
    by_id = {row[1]: row for row in rows[2:]}
    assert by_id[ids[0]][:5] == ["Dupré, Zoë", ids[0], f"s{ids[0]}", f"u{ids[0]}@example.org",
                                 "Klas A"]
    assert by_id[ids[1]][0] == "王, 小明"
    assert by_id[ids[2]][0] == "Smith, " + FORMULA  # the name does not start the cell
    assert not [c for row in rows for c in row if c.startswith(FORMULA_START)]


def test_canvas_student_missing_from_a_shorter_export_is_matched_on_id(tmp_path):
    course, ids = build_course(tmp_path, "canvas")
    export = next((course / "downloaded/m06/gradebook").iterdir())
    with open(export, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    # "Student, ID, SIS Login ID, Section" (update_column_count's second form), and the
    # accented student enrolled after the export was downloaded
    rows = [row[:2] + row[3:] for row in rows if row[1] != ids[0]]
    with open(export, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    path = P.export_platform(course, AID, "canvas", echo=lambda *_: None)[0]
    assignments, grades, _ = canvas_import(path)
    assert list(assignments.values()) == [("M06 SROI", "4242")]
    assert grades[ids[0]] == {"4242": "12"} and grades[ids[1]] == {"4242": "8"}
    written = read_csv(path)
    assert {len(row) for row in written} == {len(written[0])}
    assert next(row for row in written if row[1] == ids[0])[:4] == ["Dupré, Zoë", ids[0], "", ""]


def test_canvas_lateness_file_has_every_student_with_the_reason(tmp_path):
    course, ids = build_course(tmp_path, "canvas")
    P.export_platform(course, AID, "canvas", echo=lambda *_: None)
    rows = read_csv(course / "build/grading/m06/canvas-lateness-m06.csv")
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert list(by_id) == ids
    assert by_id[ids[2]]["Late"] == "yes" and by_id[ids[2]]["Hours late"] == "26.00"
    assert by_id[ids[0]]["Late"] == "no"
    assert by_id[ids[3]]["Reason"] == "the latest attempt holds only a PDF"
    assert by_id[ids[3]]["Score"] == "" and by_id[ids[5]]["Status"] == "no submission"
    assert by_id[ids[2]]["First name"] == "'" + FORMULA


def test_canvas_without_an_export_creates_one_column_with_its_points(tmp_path):
    course, ids = build_course(tmp_path, "canvas", with_roster=False)
    lines = []
    path = P.export_platform(course, AID, "canvas", echo=lines.append)[0]
    assignments, grades, possible = canvas_import(path)
    assert list(assignments.values()) == [("m06", None)]
    assert possible[("m06", None)] == "14"
    assert grades[ids[0]] == {"m06": "12"} and set(grades) == set(ids[:5])
    assert any("create a new column" in line for line in lines)


def test_canvas_anonymous_ids_are_left_out_of_the_import_and_named(tmp_path):
    course, ids = build_course(tmp_path, "canvas", with_roster=False)
    report = course / "downloaded/m06/collect-report.json"
    report.write_text(report.read_text(encoding="utf-8").replace(ids[0], "anon_Xy12"),
                      encoding="utf-8")
    lines = []
    path = P.export_platform(course, AID, "canvas", echo=lines.append)[0]
    _, grades, _ = canvas_import(path)
    assert "anon_Xy12" not in grades
    assert any("anon_Xy12" in line for line in lines)


def test_a_column_that_does_not_fit_stops_with_the_columns_listed(tmp_path):
    with pytest.raises(P.ExportError, match="several.*M06 SROI \\(1\\); M06 retake \\(2\\)"):
        P.pick_column("m06", ["Student", "ID", "Section", "M06 SROI (1)", "M06 retake (2)"],
                      P.CANVAS_COLUMN, None, "canvas")
    with pytest.raises(P.ExportError, match="is not a column"):
        P.pick_column("m06", ["Student", "ID", "Section", "M06 SROI (1)"], P.CANVAS_COLUMN,
                      "M06 (9)", "canvas")
    assert P.pick_column("m06", ["Student", "ID", "Section", "M06 SROI (1)", "M060 (3)"],
                         P.CANVAS_COLUMN, None, "canvas") == "M06 SROI (1)"


# -- Moodle --------------------------------------------------------------------------------------

def test_moodle_worksheet_filled_in_and_read_as_the_upload_reads_it(tmp_path):
    course, ids = build_course(tmp_path, "moodle")
    paths = P.export_platform(course, AID, "moodle", echo=lambda *_: None)
    assert [p.name for p in paths] == ["moodle-grading-worksheet-m06.csv",
                                       "feedback-moodle-m06.zip"]
    header, grades = moodle_import(paths[0])
    assert grades == {ids[0]: ("12", "-"), ids[1]: ("8", "-"), ids[2]: ("5", "-")}
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in read_csv(paths[0])[1:]}
    assert list(rows) == [f"Participant {sid}" for sid in ids]
    assert rows[f"Participant {ids[0]}"]["Feedback comments"] == "keep me"  # untouched
    assert rows[f"Participant {ids[1]}"]["Full name"] == "小明 王"
    assert rows[f"Participant {ids[2]}"]["Full name"] == "'" + FORMULA + " Smith"
    assert rows[f"Participant {ids[2]}"]["Late"] == "yes"
    assert rows[f"Participant {ids[3]}"]["Grading note"] == "the latest attempt holds only a PDF"
    assert rows[f"Participant {ids[4]}"]["Grade"] == ""  # flagged: Moodle skips it
    assert header[-2:] == ["Late", "Grading note"]


def test_moodle_worksheet_without_one_from_moodle_has_the_columns_the_upload_needs(tmp_path):
    course, ids = build_course(tmp_path, "moodle", with_roster=False)
    path = P.export_platform(course, AID, "moodle", echo=lambda *_: None)[0]
    header, grades = moodle_import(path)
    assert "Feedback comments" not in header  # an empty one would erase Moodle's comments
    assert set(grades) == set(ids[:3]) and grades[ids[0]][0] == "12"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$", grades[ids[0]][1])


def test_moodle_feedback_zip_names_each_participant_and_never_follows_a_link(tmp_path):
    course, ids = build_course(tmp_path, "moodle")
    secret = tmp_path / "secret.html"
    secret.write_text("<p>the lecturer's file</p>", encoding="utf-8")
    (course / "feedback" / ids[1] / AID / "other.html").symlink_to(secret)
    zpath = P.export_platform(course, AID, "moodle", echo=lambda *_: None)[1]
    found = moodle_zip_import(zpath)
    assert found == {sid: ["m06-sroi.html"] for sid in ids[:3] + [ids[4]]}
    with zipfile.ZipFile(zpath) as zf:
        names = zf.namelist()
        assert f"Zoë Dupré_{ids[0]}_assignfeedback_file/m06-sroi.html" in names
        assert zf.read(names[0]).startswith(b"<html>")
        assert not [n for n in names if b"lecturer" in zf.read(n)]


def test_moodle_folder_name_has_no_underscore_or_path(tmp_path):
    row = {"first_name": "a_b/../c", "last_name": "", "platform_id": "7"}
    assert P.moodle_folder_name(row) == "a b .. c_7_assignfeedback_file"
    assert P.moodle_folder_name({**row, "first_name": "__"}) == "Participant_7_assignfeedback_file"


# -- Blackboard ----------------------------------------------------------------------------------

def test_blackboard_upload_matches_username_and_column_id(tmp_path):
    course, ids = build_course(tmp_path, "blackboard")
    paths = P.export_platform(course, AID, "blackboard", echo=lambda *_: None)
    assert [p.name for p in paths] == ["blackboard-grade-center-m06.csv",
                                       "blackboard-lateness-m06.csv"]
    assert blackboard_import(paths[0]) == {"123456": {ids[0]: "12", ids[1]: "8", ids[2]: "5"}}
    text = paths[0].read_text(encoding="utf-8")
    assert text.splitlines()[0] == ('"Last Name","First Name","Username",'
                                    '"M06 SROI [Total Pts: 14 Score] |123456"')
    assert f'"Dupré","Zoë","{ids[0]}","12"' in text and '"王","小明"' in text
    late = {row[0]: row for row in read_csv(paths[1])[1:]}
    assert set(late) == set(ids) and late[ids[3]][-1] == "the latest attempt holds only a PDF"


def test_a_platform_export_of_another_platform_is_refused(tmp_path):
    course, _ = build_course(tmp_path, "moodle")
    with pytest.raises(ValueError, match="looks like a moodle file, not blackboard"):
        P.export_platform(course, AID, "blackboard", echo=lambda *_: None)
    with pytest.raises(ValueError, match="platform must be one of"):
        P.export_platform(course, AID, "sakai", echo=lambda *_: None)


def test_the_default_platform_is_the_collected_one(tmp_path):
    course, _ = build_course(tmp_path, "blackboard", with_roster=False, feedback=False)
    assert P.default_platform(course, AID) == "blackboard"
    paths = P.export_platform(course, AID, echo=lambda *_: None)
    assert paths[0].name == "blackboard-grade-center-m06.csv"
    assert blackboard_import(paths[0]) == {"m06": {"r0001001": "12", "r0001002": "8",
                                                   "r0001003": "5"}}
