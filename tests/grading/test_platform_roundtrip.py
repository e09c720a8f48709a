"""Issue 12, end to end: a platform's bulk download in, the platform's own import files out.

For each of Canvas, Moodle and Blackboard a made-up class hands in m06 in a download laid out
as the platform writes it (``tools/platform_downloads.py``, from the platforms' documented
naming; nothing stored), next to the platform's gradebook export as the class list. The
lecturer's one command, ``make grade ASSIGNMENT=m06 PLATFORM=<p> COURSE=<scratch>`` (README,
"For lecturers"), grades it in a scratch course. Then:

- every student of the class list has exactly one row, in the generic grades CSV and in the
  platform's import file, and that row's score equals the **independent oracle**
  (``tools/expected_scores.py``: the source notebook's own tests run with nbclient on the
  student's answers, no nbgrader grading code); a student with nothing gradable has an empty
  score and a reason;
- the platform's import file is read back with a parser written from the platform's importer
  (``platform_formats.py``), which raises wherever the platform would refuse or drop a value;
  the bulk feedback zip likewise, where the platform has one;
- the same download twice gives the same grades; a resubmission after marking reopens the
  manual mark only where the written answer changed; a download of another platform stops
  with a non-zero exit that names the right platform.

Each platform writes ``test-artifacts/grading/roundtrip-<platform>.md``: student → expected →
got. Run time on 2 cores shared with other jobs: 3.5 minutes at load ~2 (the three first
``make grade`` runs 35-60 s each, the first one also running the oracle), 7.5 minutes at
load 5. About 11 students per platform, covering: full marks, some wrong values, one part
answered, blank, a deleted test cell, broken JSON, a late hand-in, a resubmission (newer
attempt must win), a notebook inside an uploaded zip, a PDF only, and a student on the class
list who handed in nothing. Names with accents and non-Latin scripts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import expected_scores as oracle
import platform_formats as pf

AID = "m06"
NOTEBOOK = "m06-sroi.ipynb"
BRUSSELS = ZoneInfo("Europe/Brussels")
DUE = dt.datetime(2025, 3, 30, 23, 59, tzinfo=BRUSSELS)
ARTIFACTS = REPO / "test-artifacts" / "grading"
CELL_TIMEOUT = 15
#: Made-up ids of the assignment's column in each platform's gradebook.
CANVAS_ASSIGNMENT_ID = "48213"
BLACKBOARD_COLUMN_ID = "1281892"
LAYOUT = {"canvas": "named", "moodle": "folders", "blackboard": "all-attempts"}

#: The made-up class: (key, name, what they hand in). Ids differ per platform (:func:`ids`).
CLASS = [
    ("full", "Zoë Dupré", "full"),
    ("wrong", "李 小龙", "some-wrong"),
    ("first", "Jan Peeters", "first-only"),
    ("blank", "Fatima El Amrani", "blank"),
    ("deleted", "Ólafur Jónsson", "deleted-test"),
    ("broken", "Anna-Lena Müller", "broken-json"),
    ("late", "Σοφία Παπαδοπούλου", "last-wrong"),
    ("resub", "Mehmet Yılmaz", "resubmitted"),
    ("zipped", "Nora Janssens", "zipped"),
    ("pdf", "Lucas Martin", "pdf-only"),
    ("absent", "Pieter De Smet", "nothing"),
]


def ids(platform: str) -> dict[str, str]:
    """key → the platform's id: Canvas user id, Moodle participant id, Blackboard username."""
    out = {}
    for n, (key, _name, _case) in enumerate(CLASS):
        out[key] = {"canvas": str(310041 + 7 * n), "moodle": str(520300 + 13 * n),
                    "blackboard": f"r0{481200 + 11 * n}"}[platform]
    return out


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    """case → bytes of a made-up notebook, from the repository's release and source."""
    release, source = REPO / "release" / AID / NOTEBOOK, REPO / "source" / AID / NOTEBOOK
    return {case: oracle.make_answers(release, source, case) for case in oracle.CASES}


def expected_for(data: bytes | None) -> oracle.Expected | None:
    if data is None:
        return None
    return oracle.expected_score(REPO / "source" / AID, data, timeout=CELL_TIMEOUT)


def class_download(platform: str, answers: dict, when: dt.datetime) -> tuple[list, dict]:
    """The students for build_download and, per key, the bytes that must be graded (None when
    nothing gradable was handed in)."""
    pid = ids(platform)
    students, graded = [], {}
    for n, (key, name, case) in enumerate(CLASS):
        at = when + dt.timedelta(minutes=n)
        base = {"student": pid[key], "name": name, "when": at}
        if case == "nothing":
            graded[key] = None
            continue
        if case == "pdf-only":
            students.append({**base, "files": {"m06-sroi.pdf": b"%PDF-1.4\n% made up\n%%EOF\n"}})
            graded[key] = None
        elif case == "zipped":
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w") as zf:
                zf.writestr(f"work/{NOTEBOOK}", answers["last-wrong"])
            students.append({**base, "files": {"work.zip": buf.getvalue()}})
            graded[key] = answers["last-wrong"]
        elif case == "resubmitted":
            older, newer = answers["full"], answers["first-only"]
            if platform == "canvas":
                # Canvas keeps only the latest submission; a re-upload of the same name is
                # renamed with "-1" (canvas-lms Attachment#make_unique_filename).
                students.append({**base, "files": {"m06-sroi-1.ipynb": newer}})
            elif platform == "moodle":
                # file_storage::get_unused_filename: the newer upload is "name (1).ext".
                students.append({**base, "files": {NOTEBOOK: older, "m06-sroi (1).ipynb": newer}})
            else:
                students.append({**base, "when": at - dt.timedelta(hours=2),
                                 "files": {NOTEBOOK: older}})
                students.append({**base, "files": {NOTEBOOK: newer}})
            graded[key] = newer
        else:
            late = case == "last-wrong"
            stamp = DUE + dt.timedelta(hours=3) if late else at
            students.append({**base, "when": stamp, "late": late,
                             "files": {NOTEBOOK: answers[case]}})
            graded[key] = answers[case]
    return students, graded


def write_gradebook_export(platform: str, folder: Path) -> Path:
    """The platform's own gradebook export of the class, as the lecturer downloads it (the
    layouts documented in welfaregrading/roster.py and platform_formats.py's sources)."""
    folder.mkdir(parents=True, exist_ok=True)
    pid = ids(platform)
    top = f"{oracle.read_assignment(REPO / 'source' / AID).max_score:g}"  # as set in the platform
    if platform == "canvas":
        path = folder / "2026-12-06T1200_Grades-WELFARE.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                        f"m06 SROI ({CANVAS_ASSIGNMENT_ID})", "Current Score", "Final Score"])
            w.writerow(["    Points Possible", "", "", "", "", top, "(read only)", "(read only)"])
            for key, name, _ in CLASS:
                first, _, last = name.partition(" ")
                w.writerow([f"{last}, {first}", pid[key], f"s{pid[key]}", f"u{pid[key]}",
                            "WELFARE 2026", "", "", ""])
    elif platform == "moodle":
        path = folder / "Grades-WELFARE-m06 SROI-9123.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["Identifier", "Full name", "Email address", "Status", "Grade",
                        "Maximum Grade", "Grade can be changed", "Last modified (submission)",
                        "Last modified (grade)", "Feedback comments"])
            for key, name, case in CLASS:
                status = "No submission" if case == "nothing" else "Submitted for grading"
                w.writerow([f"Participant {pid[key]}", name, f"{pid[key]}@example.org", status,
                            "", f"{float(top):.2f}", "Yes", "Sunday, 30 March 2025, 9:00 PM", "-", ""])
    else:
        path = folder / "gc_WELFARE_fullgc_2026-12-06-12-00-00.xls"
        rows = [["Last Name", "First Name", "Username", "Student ID", "Last Access",
                 "Availability", f"m06 SROI [Total Pts: {top} Score] |{BLACKBOARD_COLUMN_ID}"]]
        for key, name, _ in CLASS:
            first, _, last = name.partition(" ")
            rows.append([last, first, pid[key], pid[key].upper(), "2025-03-30 21:00:00",
                         "Yes", ""])
        text = "\n".join("\t".join(f'"{c}"' for c in r) for r in rows) + "\n"
        path.write_bytes(text.encode("utf-16"))
    return path


def new_course(root: Path) -> Path:
    """A scratch course with m06 generated. Its path never names a platform, so a message
    that names one was written by the grading tools."""
    import welfaregrading as wg
    import welfaregrading.course

    course = wg.course.scratch_course(root / "course", [AID],
                                      config_lines=[f"c.Execute.timeout = {CELL_TIMEOUT}"])
    wg.course.generate(course, AID)
    return course


def make_grade(course: Path, platform: str, target: str = "grade") -> subprocess.CompletedProcess:
    """``make grade`` (or another grading target) exactly as README's lecturer section gives
    it, with the due date (Brussels time) so lateness can be told where the platform's names
    carry the time of handing in."""
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return subprocess.run(["make", "-C", str(REPO), target, f"ASSIGNMENT={AID}",
                           f"PLATFORM={platform}", f"COURSE={course}", "WORKERS=2",
                           f"DUE={DUE:%Y-%m-%d %H:%M}"],
                          capture_output=True, text=True, env=env, check=False, timeout=600)


def graded_or_listed(done: subprocess.CompletedProcess) -> bool:
    """The CLI's exit 3 as make reports it: the run completed and listed the submissions it
    could not grade (every class here has a broken notebook and a PDF)."""
    return done.returncode != 0 and re.search(r"\] Error 3$", done.stderr, re.MULTILINE) is not None


def read_generic_csv(course: Path) -> tuple[list[str], dict[str, dict]]:
    path = course / "build" / "grading" / AID / f"grades-{AID}.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    by_id: dict[str, dict] = {}
    for row in rows:
        assert row["student_id"] not in by_id, f"two rows for {row['student_id']}"
        by_id[row["student_id"]] = row
    return reader.fieldnames or [], by_id


#: The platform's import file (welfaregrading/platform_export.py names them).
EXPORT_FILE = {"canvas": "canvas-gradebook-{}.csv", "moodle": "moodle-grading-worksheet-{}.csv",
               "blackboard": "blackboard-grade-center-{}.csv"}
#: Where the lateness of each student is, per platform: (file, id column, late column).
LATENESS = {"canvas": ("canvas-lateness-{}.csv", "ID", "Late"),
            "moodle": ("moodle-grading-worksheet-{}.csv", "Identifier", "Late"),
            "blackboard": ("blackboard-lateness-{}.csv", "Username", "Late")}


def platform_export(course: Path, platform: str) -> Path:
    path = course / "build" / "grading" / AID / EXPORT_FILE[platform].format(AID)
    assert path.is_file(), f"no {path.name} in {sorted(p.name for p in path.parent.iterdir())}"
    return path


def lateness(course: Path, platform: str) -> dict[str, dict]:
    """platform id → the row of the lateness file (Moodle: of the worksheet)."""
    name, id_column, _ = LATENESS[platform]
    with open(course / "build" / "grading" / AID / name.format(AID), newline="",
              encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {r[id_column].removeprefix(pf.MOODLE_PARTICIPANT): r for r in rows}


def export_scores(platform: str, path: Path) -> dict[str, float | None]:
    """platform id → score, read with the platform's import rules (raises where it would)."""
    top = oracle.read_assignment(REPO / "source" / AID).max_score
    if platform == "canvas":
        got = pf.read_canvas_gradebook(path)
        assert CANVAS_ASSIGNMENT_ID in got["assignments"], got["assignments"]
        assert float(got["points_possible"].get(CANVAS_ASSIGNMENT_ID) or top) == top
        return {uid: pf.canvas_score(s["grades"][CANVAS_ASSIGNMENT_ID], uid)
                for uid, s in got["students"].items()}
    if platform == "moodle":
        got = pf.read_moodle_worksheet(path, max_grade=top)
        return {str(pid): r["grade"] for pid, r in got["rows"].items()}
    got = pf.read_blackboard_upload(path)
    assert BLACKBOARD_COLUMN_ID in got["columns"], got["columns"]
    assert got["columns"][BLACKBOARD_COLUMN_ID]["points"] == top
    return {user: (float(r[BLACKBOARD_COLUMN_ID]) if r[BLACKBOARD_COLUMN_ID] else None)
            for user, r in got["rows"].items()}


def _shown(score) -> str:
    return "empty" if score is None else f"{score:g}" if isinstance(score, float) else str(score)


def _score(text: str) -> float | None:
    return float(text) if text.strip() else None


@pytest.fixture(scope="module")
def runs(tmp_path_factory, answers):
    """One graded scratch course per platform, made on first use."""
    import platform_downloads

    cache: dict[str, dict] = {}

    def run(platform: str) -> dict:
        if platform in cache:
            return cache[platform]
        root = tmp_path_factory.mktemp(f"roundtrip{PLATFORMS.index(platform)}")
        course = new_course(root)
        students, graded = class_download(platform, answers,
                                          dt.datetime(2025, 3, 30, 20, 0, tzinfo=BRUSSELS))
        archive = course / "downloaded" / AID / "archive"
        zip_path = platform_downloads.build_download(
            platform, LAYOUT[platform], archive / "download.zip", students, AID)
        write_gradebook_export(platform, course / "downloaded" / AID / "gradebook")
        done = make_grade(course, platform)
        expected = {key: expected_for(data) for key, data in graded.items()}
        cache[platform] = {"course": course, "done": done, "graded": graded,
                           "expected": expected, "zip": zip_path, "students": students}
        return cache[platform]

    return run


PLATFORMS = ["canvas", "moodle", "blackboard"]


@pytest.mark.slow
@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_student_has_the_oracles_score_in_the_csv_and_the_platform_file(runs, platform):
    run = runs(platform)
    done, course = run["done"], run["course"]
    assert graded_or_listed(done), done.stdout[-3000:] + done.stderr[-3000:]
    pid = ids(platform)
    fields, rows = read_generic_csv(course)
    export_path = platform_export(course, platform)
    exported = export_scores(platform, export_path)
    table = ["| student | id | case | expected | grades CSV | " + export_path.name + " | reason |",
             "|---|---|---|---|---|---|---|"]
    problems = []
    for key, name, case in CLASS:
        sid = pid[key]
        want = run["expected"][key]
        want_score = want.score if want is not None and want.gradable else None
        row = rows.get(sid)
        csv_score = _score(row["score"]) if row else "no row"
        exp_score = exported.get(sid, "no row")
        reason = (row or {}).get("reason", "")
        table.append(f"| {name} | {sid} | {case} | {_shown(want_score)} | {_shown(csv_score)} | "
                     f"{_shown(exp_score)} | {reason} |")
        if csv_score != want_score:
            problems.append(f"{sid} ({case}): CSV {csv_score}, oracle {want_score}")
        if platform == "blackboard" and want_score is None and exp_score == "no row":
            # platform_export.py leaves a student without a score out of the upload (what
            # Blackboard does with an empty cell is not documented); the lateness file has them
            exp_score = None
        if exp_score != want_score:
            problems.append(f"{sid} ({case}): {export_path.name} {exp_score}, oracle {want_score}")
        if want_score is None and row is not None and "reason" in fields and not reason.strip():
            problems.append(f"{sid} ({case}): empty score without a reason")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"roundtrip-{platform}.md").write_text(
        f"# Round trip, {platform} ({LAYOUT[platform]} layout), m06\n\n"
        "Expected: the source notebook's tests run on each answer (tools/expected_scores.py); "
        "written answers count 0 until marked.\n\n" + "\n".join(table) + "\n", encoding="utf-8")
    assert not problems, "\n".join(problems)
    assert set(rows) == set(pid.values()), "one CSV row per student of the class list"
    scored = {pid[k] for k, e in run["expected"].items() if e is not None and e.gradable}
    assert set(exported) >= scored, "every score reaches the platform's file"
    if platform != "blackboard":
        assert set(exported) == set(pid.values()), "one row per student in the platform's file"
    late = lateness(course, platform)
    assert set(late) == set(pid.values()), "lateness and reason listed for every student"
    if platform != "moodle":  # Moodle's download carries no lateness
        assert late[pid["late"]]["Late"] == "yes", late[pid["late"]]
        assert late[pid["full"]]["Late"] in ("no", ""), late[pid["full"]]
    assert "reason" in fields, f"the grades CSV says why a score is empty: {fields}"


@pytest.mark.slow
@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_summary_has_a_line_and_a_reason_for_every_student(runs, platform):
    run = runs(platform)
    text = (run["course"] / "build" / "grading" / AID / "summary.txt").read_text(encoding="utf-8")
    _, rows = read_generic_csv(run["course"])
    for key, _name, case in CLASS:
        sid = ids(platform)[key]
        assert re.search(rf"^{re.escape(sid)}\s", text, re.MULTILINE), (sid, case)
        if run["expected"][key] is None or not run["expected"][key].gradable:
            reason = rows[sid]["reason"]
            assert reason and f"{sid}:\n  ! not graded: {reason}" in text, (sid, reason)


@pytest.mark.slow
def test_names_come_from_the_class_list_not_from_file_names(runs):
    """Canvas writes a student's name into file names as one lowercased word ("duprézoë");
    the gradebook export has it as "Dupré, Zoë". The class rows that the summary and the
    exports share (welfaregrading.roster.class_rows) carry the real name."""
    from welfaregrading.roster import class_rows

    run = runs("canvas")
    pid = ids("canvas")
    rows = {r["student_id"]: r for r in class_rows(run["course"], AID, "canvas")}
    for key, name, _case in CLASS:
        first, _, last = name.partition(" ")
        got = rows[pid[key]]
        assert (got["first_name"], got["last_name"]) == (first, last), (pid[key], got)


@pytest.mark.slow
def test_the_summary_shows_the_class_lists_names(runs):
    """The summary names each student as the class list does ("Zoë Dupré"), not as Canvas's
    file names do ("duprézoë"): the summary and the exports share class_rows."""
    run = runs("canvas")
    text = (run["course"] / "build" / "grading" / AID / "summary.txt").read_text(encoding="utf-8")
    for key, name, _case in CLASS:
        sid = ids("canvas")[key]
        line = next(x for x in text.splitlines() if x.startswith(sid + " "))
        assert all(part in line for part in name.split(" ")), (name, line)


@pytest.mark.slow
@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_collect_report_says_who_is_late_and_which_file_was_kept(runs, platform):
    import json

    run = runs(platform)
    report = json.loads((run["course"] / "downloaded" / AID / "collect-report.json")
                        .read_text(encoding="utf-8"))
    pid = ids(platform)
    students = report["students"]
    for key, _name, case in CLASS:
        if case == "nothing":
            continue
        info = students[pid[key]]
        assert info["gradable"] is (run["graded"][key] is not None), (key, info)
        if not info["gradable"]:
            assert info["reason"].strip(), (key, info)
    if platform == "canvas":  # the one download that marks lateness itself (LATE_)
        assert students[pid["late"]]["late"] is True
        assert students[pid["full"]]["late"] is False
    kept = " ".join(f["why"] for f in students[pid["resub"]]["files"])
    assert kept.strip(), students[pid["resub"]]


@pytest.mark.slow
@pytest.mark.parametrize("platform", ["moodle"])
def test_the_bulk_feedback_zip_is_what_the_platform_takes(runs, platform):
    """Moodle's "Upload multiple feedback files in a zip". (Canvas's re-upload would show a page
    under the name of the student's notebook and Blackboard Learn has no bulk feedback upload,
    so platform_export.py writes no zip for them.)"""
    run = runs(platform)
    path = run["course"] / "build" / "grading" / AID / f"feedback-{platform}-{AID}.zip"
    pid = ids(platform)
    graded = {pid[k] for k, data in run["graded"].items()
              if data is not None and run["expected"][k].gradable}
    if platform == "canvas":
        got = pf.read_canvas_feedback_zip(path)
        # each file must name an attachment of that student's submission in the download
        attachments = {}
        with zipfile.ZipFile(run["zip"]) as zf:
            for name in zf.namelist():
                numbers = [p for p in name.split("_") if p.isdigit()][:2]
                attachments.setdefault(numbers[0], set()).add(numbers[1])
        for uid, files in got.items():
            for f in files:
                att = [p for p in Path(f).name.split("_") if p.isdigit()][1]
                assert att in attachments.get(uid, set()), (uid, f)
        assert set(got) == graded
    else:
        got = pf.read_moodle_feedback_zip(path)
        assert {str(k) for k in got} == graded
        assert all(name.endswith(".html") for files in got.values() for name in files)


@pytest.mark.slow
def test_the_same_download_twice_gives_the_same_grades(runs):
    run = runs("canvas")
    course = run["course"]
    _, before = read_generic_csv(course)
    shutil.copy(run["zip"], run["zip"].with_name("download (1).zip"))
    done = make_grade(course, "canvas")
    assert graded_or_listed(done), done.stdout[-3000:] + done.stderr[-3000:]
    _, after = read_generic_csv(course)
    assert {s: r["score"] for s, r in after.items()} == {s: r["score"] for s, r in before.items()}


@pytest.mark.slow
def test_a_changed_written_answer_reopens_its_manual_mark(runs, answers):
    """After marking, the next download changes one student's written answer: that mark is
    cleared (the cell needs marking again); an unchanged answer keeps its mark."""
    import nbformat
    from nbgrader.api import Gradebook

    import welfaregrading.course as wgc

    run = runs("moodle")
    course, pid = run["course"], ids("moodle")
    changed, kept = pid["full"], pid["late"]
    with Gradebook(wgc.db_url(course)) as gb:
        for sid in (changed, kept):
            grade = gb.find_grade("m06-critique", "m06-sroi", AID, sid)
            grade.manual_score = 3
        gb.db.commit()
    done = make_grade(course, "moodle", "export")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    _, marked = read_generic_csv(course)
    assert _score(marked[changed]["score"]) == run["expected"]["full"].score + 3
    # the second download: the same class an hour later, one written answer rewritten
    students, _ = class_download("moodle", answers,
                                 dt.datetime(2025, 3, 31, 9, 0, tzinfo=BRUSSELS))
    for s in students:
        if s["student"] == changed:
            nb = nbformat.reads(s["files"][NOTEBOOK].decode("utf-8"), as_version=4)
            for cell in nb.cells:
                if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "m06-critique":
                    cell.source = "A rewritten answer: the ratio hides who gains. (made up)"
            s["files"] = {NOTEBOOK: nbformat.writes(nb).encode("utf-8")}
    import platform_downloads

    platform_downloads.build_download("moodle", "folders", course / "downloaded" / AID /
                                      "archive" / "download-2.zip", students, AID)
    done = make_grade(course, "moodle")
    assert graded_or_listed(done), done.stdout[-3000:] + done.stderr[-3000:]
    _, after = read_generic_csv(course)
    assert _score(after[changed]["score"]) == run["expected"]["full"].score
    assert _score(after[kept]["score"]) == run["expected"]["late"].score + 3
    with Gradebook(wgc.db_url(course)) as gb:
        assert gb.find_grade("m06-critique", "m06-sroi", AID, changed).manual_score is None
        assert gb.find_grade("m06-critique", "m06-sroi", AID, kept).manual_score == 3
    summary = (course / "build" / "grading" / AID / "summary.txt").read_text(encoding="utf-8")
    assert re.search(rf"{changed}.*\n(?:  .*\n)*?.*needs manual grading", summary) or \
        f"{changed}: needs manual grading" in summary, summary[-2000:]
    worksheet = pf.read_moodle_worksheet(platform_export(course, "moodle"),
                                         max_grade=run["expected"]["full"].max_score)
    assert worksheet["rows"][int(changed)]["grade"] == _score(after[changed]["score"])


@pytest.mark.slow
def test_a_download_of_another_platform_stops_and_names_it(runs, tmp_path, answers):
    """A Blackboard download collected as Canvas: non-zero exit, the message names Blackboard,
    and the grades already exported are left as they were."""
    run = runs("blackboard")
    course = run["course"]
    before = (course / "build" / "grading" / AID / f"grades-{AID}.csv").read_bytes()
    done = make_grade(course, "canvas")
    assert done.returncode != 0
    assert "Error 1" in done.stderr, done.stderr[-2000:]
    said = done.stdout + done.stderr
    assert re.search(r"\bblackboard\b", said, re.IGNORECASE), said[-2000:]
    assert (course / "build" / "grading" / AID / f"grades-{AID}.csv").read_bytes() == before


# ---------------------------------------------------------------------------------------------
# The parsers themselves, on files written by hand from the platforms' documentation
# ---------------------------------------------------------------------------------------------

def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_canvas_reader_takes_canvas_own_export_form_and_refuses_what_canvas_refuses(tmp_path):
    good = _write(tmp_path, "g.csv",
                  "Student,ID,SIS User ID,SIS Login ID,Section,m06 SROI (48213),Current Score\n"
                  "    Points Possible,,,,,14,(read only)\n"
                  '"Dupré, Zoë",310041,s1,u1,WELFARE,"9,5",\n'
                  "\"Peeters, Jan\",310048,s2,u2,WELFARE,,\n")
    got = pf.read_canvas_gradebook(good)
    assert got["assignments"] == {"48213": "m06 SROI"}
    assert got["points_possible"] == {"48213": "14"}
    assert pf.canvas_score(got["students"]["310041"]["grades"]["48213"]) == 9.5
    assert pf.canvas_score(got["students"]["310048"]["grades"]["48213"]) is None
    for text, words in [
        ("Name,ID,Section,m06 (1)\nA,1,S,2\n", "Invalid header"),
        ("Student,ID,SIS User ID,SIS Login ID,Section,m06 SROI\nA,1,s,u,S,2\n", "new assignment"),
        ("Student,ID,SIS User ID,SIS Login ID,Section,m06 (7)\nA,anon_x,s,u,S,2\n", "user id"),
        ("Student,ID,SIS User ID,SIS Login ID,Section,m06 (7)\nA,1,s,u,S,ten\n", "not a number"),
        ("Student,ID,SIS User ID,SIS Login ID,Section,m06 (7)\nA,1,s,u,S,1\nB,1,s,u,S,2\n",
         "twice"),
    ]:
        with pytest.raises(pf.ImportRejected, match=words):
            pf.read_canvas_gradebook(_write(tmp_path, "bad.csv", text))


def test_moodle_reader_matches_on_participant_and_refuses_skipped_grades(tmp_path):
    head = ("Identifier,Full name,Status,Grade,Maximum Grade,Last modified (grade),"
            "Feedback comments\n")
    good = _write(tmp_path, "w.csv", head + "Participant 520300,Zoë Dupré,Submitted,\"9,5\",14,-,ok\n"
                  "Participant 520313,李 小龙,Submitted,,14,-,\n")
    rows = pf.read_moodle_worksheet(good, max_grade=14)["rows"]
    assert rows[520300]["grade"] == 9.5 and rows[520300]["feedback"] == "ok"
    assert rows[520313]["grade"] is None
    for text, words in [
        (head.replace("Identifier", "ID") + "Participant 1,A,S,1,14,-,\n", "invalidgradeimport"),
        (head + "520300,A,S,1,14,-,\n", "Participant"),
        (head + "Participant 1,A,S,15,14,-,\n", "above the maximum"),
        (head + "Participant 1,A,S,-1,14,-,\n", "< 0"),
    ]:
        with pytest.raises(pf.ImportRejected, match=words):
            pf.read_moodle_worksheet(_write(tmp_path, "bad.csv", text), max_grade=14)


def test_moodle_feedback_zip_reader_follows_the_folder_names(tmp_path):
    path = tmp_path / "fb.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Zoë Dupré_520300_assignsubmission_file/m06-sroi.html", "x")
        zf.writestr("Jan Peeters_520313_assignsubmission_file_/feedback.html", "x")
    assert pf.read_moodle_feedback_zip(path) == {520300: ["m06-sroi.html"],
                                                 520313: ["feedback.html"]}
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("520300/m06-sroi.html", "x")
    with pytest.raises(pf.ImportRejected, match="ignore"):
        pf.read_moodle_feedback_zip(path)


def test_canvas_feedback_zip_reader_needs_user_and_attachment_ids(tmp_path):
    path = tmp_path / "fb.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("duprézoë_310041_7001_m06-sroi.html", "x")
    assert pf.read_canvas_feedback_zip(path) == {"310041": ["duprézoë_310041_7001_m06-sroi.html"]}
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("duprézoë_310041_feedback.html", "x")
    with pytest.raises(pf.ImportRejected, match="ignore"):
        pf.read_canvas_feedback_zip(path)


def test_blackboard_reader_needs_username_and_reads_the_column_id(tmp_path):
    head = ["Last Name", "First Name", "Username", "m06 SROI [Total Pts: 14 Score] |1281892"]
    tab = "\n".join(["\t".join(head), "Dupré\tZoë\tr0481200\t9.5", "Yılmaz\tMehmet\tr0481211\t"])
    got = pf.read_blackboard_upload(_write(tmp_path, "gc.xls", tab, "utf-16"))
    assert got["columns"] == {"1281892": {"title": "m06 SROI", "points": 14.0}}
    assert got["rows"]["r0481200"]["1281892"] == "9.5"
    assert got["rows"]["r0481211"]["1281892"] == ""
    quoted = "\n".join(",".join(f'"{c}"' for c in r) for r in
                       [head + ["Late"], ["Dupré", "Zoë", "r0481200", "9.5", "yes"]])
    got = pf.read_blackboard_upload(_write(tmp_path, "gc.csv", quoted))
    assert got["new_columns"] == ["Late"]
    for name, text, words in [
        ("a.csv", '"Last Name","Score |1"\n"A","1"\n', "Username"),
        ("b.csv", 'Last Name,Username,Score |1\nA,u,1\n', "quotes"),
        ("c.csv", '"Username","S [Total Pts: 14 Score] |1"\n"u","15"\n', "Total Pts"),
        ("d.csv", '"Username","S |1"\n"","3"\n', "no Username"),
    ]:
        with pytest.raises(pf.ImportRejected, match=words):
            pf.read_blackboard_upload(_write(tmp_path, name, text))


@pytest.mark.slow
def test_the_oracle_scores_made_up_answers_by_running_the_tests():
    """Full marks for the solution, 0 for the blank release, the points of the passing tests
    for a partly wrong answer, and 'not gradable' for broken JSON."""
    release, source = REPO / "release" / AID / NOTEBOOK, REPO / "source" / AID
    parts = oracle.read_assignment(source)
    full = oracle.expected_score(source, oracle.make_answers(release, source / NOTEBOOK, "full"))
    blank = oracle.expected_score(source, oracle.make_answers(release, source / NOTEBOOK, "blank"))
    last = oracle.expected_score(source, oracle.make_answers(release, source / NOTEBOOK,
                                                             "last-wrong"))
    broken = oracle.expected_score(source, oracle.make_answers(release, source / NOTEBOOK,
                                                               "broken-json"))
    assert full.score == parts.auto_max and all(e == "" for _, e in full.tests.values())
    assert blank.score == 0
    last_id = parts.tests[-1].grade_id
    assert last.tests[last_id][0] == 0 and last.tests[last_id][1]
    assert last.score == parts.auto_max - parts.tests[-1].points
    assert not broken.gradable and broken.score is None and "notebook" in broken.reason
