"""The module's summary of a mixed class (issue 17, part 3): `make grade ASSIGNMENT=m00` (runs
`python -m welfaregrading grade m00 --platform blackboard --course ...`) prints, last, the
summary of m00 with ONE line per student: the score that counts, its language, and for a student
who handed in both editions both scores and which counts and why, the same as grades-m00.csv.

The download is Blackboard Learn's "Assignment File Download" with "all attempts"
(``<assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file name>`` plus a receipt per
attempt; welfaregrading/collect.py LAYOUT_PATTERNS cites the sources). Only each student's
latest attempt is graded, whatever its language; an earlier attempt in the other edition is
said in the summary and the grades file's reason.

Students (usernames), each with an independent expected score (tools/expected_scores.py):
  anna   one attempt, English, full marks
  bram   attempt 1 Dutch (full), attempt 2 English (partly wrong): the English one counts, the
         earlier Dutch attempt is named, not graded
  chloe  one attempt with both editions: English (full) then Dutch (partly wrong): the later,
         Dutch, counts though it scores less, both scores listed
  dries  one attempt with both: English (partly wrong) then a Dutch notebook nbgrader cannot
         read (nbformat 5): the Dutch one counts and has no score; the summary says so and keeps
         the English score beside it, the batch goes on
"""

import csv
import datetime as dt
import json
import re
import subprocess
import sys
from zoneinfo import ZoneInfo

import nbformat
import pytest
from conftest import REPO

import welfaregrading.collect
import welfaregrading.course
from welfaregrading import samples

sys.path.insert(0, str(REPO / "tools"))
import expected_scores as oracle
from test_mixed_language import _dutch_twin  # the same twin, when source/m00-nl is missing

EN, NL = "m00", "m00-nl"
ZONE = ZoneInfo("Europe/Brussels")
FIRST = dt.datetime(2025, 3, 28, 18, 0, tzinfo=ZONE)
LAST = dt.datetime(2025, 3, 30, 20, 0, tzinfo=ZONE)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mixedsummary")
    real_nl = (REPO / "source" / NL).is_dir() and any((REPO / "source" / NL).glob("*.ipynb"))
    course = welfaregrading.course.scratch_course(
        tmp / "course", [EN, NL] if real_nl else [EN], config_lines=["c.Execute.timeout = 30"])
    if not real_nl:
        _dutch_twin(course)
    release = {aid: welfaregrading.course.generate(course, aid) for aid in (EN, NL)}
    names = {aid: min(p.name for p in release[aid].glob("*.ipynb")) for aid in (EN, NL)}

    def kinds(aid):
        made = {s.student.split("-")[1]: s.notebook
                for s in samples.sample_submissions(release[aid], course / "source" / aid)}
        return made["full"], made["wrong"]

    en_full, en_wrong = kinds(EN)
    nl_full, nl_wrong = kinds(NL)
    data = {k: nbformat.writes(v).encode() for k, v in
            {"en_full": en_full, "en_wrong": en_wrong, "nl_full": nl_full,
             "nl_wrong": nl_wrong}.items()}
    broken = json.loads(data["nl_full"])
    broken["nbformat"] = 5  # still JSON with the grade ids and the Dutch line; nbformat refuses it
    data["nl_broken"] = json.dumps(broken).encode()
    entries = [
        {"student": "anna", "name": "Anna English", "file": names[EN], "data": data["en_full"],
         "when": LAST},
        {"student": "bram", "name": "Bram Nederlands", "file": names[NL],
         "data": data["nl_full"], "when": FIRST},
        {"student": "bram", "name": "Bram Nederlands", "file": names[EN],
         "data": data["en_wrong"], "when": LAST},
        {"student": "chloe", "name": "Chloé Deels", "file": names[EN], "data": data["en_full"],
         "files": {names[NL]: data["nl_wrong"]}, "when": LAST},
        {"student": "dries", "name": "Dries Beide", "file": names[EN], "data": data["en_wrong"],
         "files": {names[NL]: data["nl_broken"]}, "when": LAST},
    ]
    welfaregrading.collect.sample_zip(course / "downloaded" / EN / "archive" / "m00.zip", EN,
                                      "blackboard", entries)
    done = subprocess.run([sys.executable, "-m", "welfaregrading", "grade", EN, "--course",
                           str(course), "--platform", "blackboard", "--workers", "1"],
                          capture_output=True, text=True, cwd=REPO, check=False)
    expect = {key: oracle.expected_score(course / "source" / (NL if key.startswith("nl") else EN),
                                         data[key]) for key in ("en_full", "en_wrong", "nl_wrong")}
    return {"course": course, "done": done, "expect": expect}


def _pts(result) -> str:
    """``score/max``: the auto-graded points of all the module's points (written answers count
    0 until marked, in the oracle as in the grades file)."""
    return f"{result.score:g}/{result.max_score:g}"


def _table(text: str) -> dict[str, str]:
    """The table line of each student in the summary text (the first line starting with its
    id and two spaces)."""
    rows = {}
    for line in text.splitlines():
        sid = line.split("  ", 1)[0]
        if sid in ("anna", "bram", "chloe", "dries") and sid not in rows:
            rows[sid] = line
    return rows


def _why(text: str, sid: str) -> str:
    """The lines under ``sid:`` in the summary's "Why (per student)" part."""
    block = text.split("Why (per student):", 1)[1]
    match = re.search(rf"^{sid}:\n((?:  .*\n?)*)", block, flags=re.M)
    return match.group(1) if match else ""


def test_the_module_summary_is_printed_last_with_the_score_that_counts(graded):
    done, expect = graded["done"], graded["expect"]
    course = graded["course"]
    # dries's Dutch notebook could not be graded: the run completes and says so (exit code 3)
    assert done.returncode == 3, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Collected 4 students from the blackboard download" in done.stdout
    text = (course / "build" / "grading" / EN / "summary.txt").read_text(encoding="utf-8")
    # the module's summary is the last one printed (each edition is graded before it)
    printed = done.stdout
    assert printed.rindex(f"{EN}: 4 submissions") > printed.rindex(f"feedback {NL}: ")
    # printed once, after every edition is graded: no early copy calling the Dutch
    # edition's students "not graded yet" (a lecturer tryout read that and was misled)
    assert printed.count(f"{EN}: 4 submissions") == 1, printed[-4000:]
    assert "not graded yet" not in printed, printed[-4000:]
    assert text.splitlines()[0] in printed[printed.rindex(f"{EN}: 4 submissions"):]
    head = text.splitlines()[0]
    # anna, bram and chloe have written answers still to mark; dries's counting one failed
    assert head.startswith(f"{EN}: 4 submissions: 0 graded, 3 needs manual grading, "
                           "0 flagged for review, 1 failed"), head
    assert head.endswith("counted per language: 2 en, 2 nl (2 handed in both editions)"), head
    rows = _table(text)
    assert sorted(rows) == ["anna", "bram", "chloe", "dries"]

    def shows(sid, lang, status, score):
        return re.search(rf"\s{lang}\s+{status}\s+{re.escape(score)}\s", rows[sid]), rows[sid]

    pending = "needs manual grading"
    # anna: English, full marks (of the auto-graded part; written answers count 0 until marked)
    assert shows("anna", "en", pending, _pts(expect["en_full"]))
    # bram: the latest attempt (English, partly wrong) counts; one edition graded
    assert shows("bram", "en", pending, _pts(expect["en_wrong"]))
    assert "both:" not in rows["bram"]
    # chloe: both; the later (Dutch, partly wrong) counts, though the English scored more
    assert shows("chloe", "nl", pending, _pts(expect["nl_wrong"]))
    assert rows["chloe"].endswith(f"both: {EN} {_pts(expect['en_full'])}, {NL} "
                                  f"{_pts(expect['nl_wrong'])}; {NL} counts"), rows["chloe"]
    assert expect["nl_wrong"].score < expect["en_full"].score
    # dries: both; the later (Dutch) counts but could not be graded: no score, said so
    assert shows("dries", "nl", "failed", "-")
    assert rows["dries"].endswith(f"both: {EN} {_pts(expect['en_wrong'])}, {NL} (failed); "
                                  f"{NL} counts"), rows["dries"]


def test_the_why_part_says_both_scores_which_counts_and_why(graded):
    course, expect = graded["course"], graded["expect"]
    text = (course / "build" / "grading" / EN / "summary.txt").read_text(encoding="utf-8")
    chloe = _why(text, "chloe")
    assert (f"  * handed in both editions ({EN} {_pts(expect['en_full'])}, {NL} "
            f"{_pts(expect['nl_wrong'])}): the later one, {NL}, counts (") in chloe, chloe
    assert "the only attempt 2025-03-30 20:00" in chloe
    dries = _why(text, "dries")
    assert f"({EN} {_pts(expect['en_wrong'])}, {NL} (failed)): the later one, {NL}, counts" \
        in dries, dries
    assert f"  ! {NL}, the one that counts, has no score yet (failed)" in dries, dries
    assert "  ! not graded: " in dries  # the Dutch notebook's own failure reason
    bram = _why(text, "bram")
    assert ("an earlier attempt was another edition (2025-03-28 18:00: the nl edition "
            f"({NL})): not graded; only the latest attempt (2025-03-30 20:00), the en "
            "edition, counts") in bram, bram
    assert "both editions" not in _why(text, "anna") + bram
    # an English notebook's lost points in English (graded before any Dutch one: the grading
    # checker keeps set_language("nl") of a Dutch notebook for the next notebook)
    assert "is not answered yet" in bram and "nog niet" not in bram, bram


def test_the_summary_says_what_the_grades_file_says(graded):
    course, expect = graded["course"], graded["expect"]
    wd = course / "build" / "grading" / EN
    with open(wd / f"grades-{EN}.csv", newline="", encoding="utf-8") as fh:
        grades = {r["student_id"]: r for r in csv.DictReader(fh)}
    summary = json.loads((wd / "summary.json").read_text(encoding="utf-8"))["students"]
    assert sorted(grades) == sorted(summary) == ["anna", "bram", "chloe", "dries"]
    for sid, row in grades.items():
        mine = summary[sid]
        assert mine["language"] == row["language"] and mine["assignment"] == row["assignment"]
        assert (mine["grade"] is None) == (row["score"] == ""), (sid, mine["grade"], row)
        if row["score"]:
            assert mine["grade"] == pytest.approx(float(row["score"]))
    assert float(grades["chloe"]["score"]) == pytest.approx(expect["nl_wrong"].score)
    assert grades["dries"]["score"] == "" and grades["dries"]["status"] == "failed"
    # the CSV's reason has the same words as the summary's line
    text = (wd / "summary.txt").read_text(encoding="utf-8")
    both = next(p for p in grades["chloe"]["reason"].split("; handed") if "both" in p)
    assert both.split("handed in both editions", 1)[-1] in text
    assert "an earlier attempt was another edition" in grades["bram"]["reason"]
    assert "earlier attempt" not in grades["anna"]["reason"] + grades["chloe"]["reason"]
    # the collect report keeps what the earlier attempt was (not graded)
    report = json.loads((course / "downloaded" / EN / "collect-report.json").read_text())
    assert report["students"]["bram"]["earlier_editions"] == [
        {"attempt": "2025-03-28 18:00", "language": "nl", "assignment": NL,
         "file": report["students"]["bram"]["earlier_editions"][0]["file"]}]
    assert not (course / "submitted" / "bram" / NL).exists()  # the earlier attempt: not graded
    # each edition's own summary is still there, per edition
    assert (course / "build" / "grading" / NL / "summary.txt").is_file()


# ---- the merge on its own (fast): a broken case is reported, never dropped --------------------

def _row(sid, status, score=None, top=10.0, reason=""):
    from welfaregrading.report import _empty_row

    return _empty_row(sid, {}) | {"status": status, "score": score, "max_score": top,
                                  "reason": reason, "notes": [], "lost": []}


def test_module_rows_without_the_class_list_follow_the_same_rule():
    from welfaregrading.report import module_rows

    by_id = {NL: {"s1": _row("s1", "graded", 4.0), "s2": _row("s2", "failed", reason="boom")},
             EN: {"s1": _row("s1", "graded", 9.0), "s3": _row("s3", "graded", 7.0)}}
    report = {"students": {"s1": {"later": "nl", "later_why": "the zip's order",
                                  "files": [{"assignment": EN}, {"assignment": NL}]},
                           "s2": {"files": [{"assignment": NL}]}}}
    rows = module_rows(EN, by_id, [], report)
    assert list(rows) == ["s1", "s3", "s2"]  # the English edition's order first
    assert (rows["s1"]["language"], rows["s1"]["grade"]) == ("nl", 4.0)
    assert rows["s1"]["editions"] == {EN: ["graded", 9.0, 10.0], NL: ["graded", 4.0, 10.0]}
    assert rows["s1"]["notes"][-1] == (f"handed in both editions ({EN} 9/10, {NL} 4/10): the "
                                       f"later one, {NL}, counts (the zip's order)")
    assert (rows["s2"]["status"], rows["s2"]["grade"], rows["s2"]["language"]) == \
        ("failed", None, "nl")
    assert (rows["s3"]["language"], rows["s3"]["grade"]) == ("en", 7.0)
    # both, the Dutch one (later) not graded yet: said so, the English score beside it
    by_id[NL]["s4"] = _row("s4", "not graded yet", reason="not graded yet: run the autograde step")
    by_id[EN]["s4"] = _row("s4", "graded", 6.0)
    report["students"]["s4"] = dict(report["students"]["s1"], later_why="")
    s4 = module_rows(EN, by_id, [], report)["s4"]
    assert (s4["status"], s4["grade"], s4["language"]) == ("not graded yet", None, "nl")
    assert s4["notes"] == [f"handed in both editions ({EN} 6/10, {NL} (not graded yet)): the "
                           f"later one, {NL}, counts (the platform order)",
                           f"{NL}, the one that counts, is not graded yet (the autograde step "
                           f"grades every edition of {EN})"]


def test_module_rows_keep_a_student_whose_editions_cannot_be_combined():
    from welfaregrading.report import module_rows

    by_id = {EN: {"s1": _row("s1", "graded", 9.0)}, NL: {}}
    # a class row naming an edition with a broken entry: reported, the English row kept
    everyone = [{"student_id": "s1", "assignment": NL, "status": "graded", "score": 4.0,
                 "max_score": 10.0, "both_editions": True, "editions": {EN: None}}]
    rows = module_rows(EN, by_id, everyone, {})
    assert rows["s1"]["status"] == "graded" and rows["s1"]["score"] == 9.0
    assert rows["s1"]["grade"] is None
    assert "could not be combined" in rows["s1"]["notes"][-1]


def _graded_nb(path, dutch: bool):
    nb = nbformat.v4.new_notebook()
    setup = "import welfarelab" + ('\nwelfarelab.set_language("nl")' if dutch else "")
    cell = nbformat.v4.new_code_cell("x = 1")
    cell.metadata["nbgrader"] = {"grade_id": "m00-values", "grade": True, "points": 2,
                                 "solution": False, "locked": True, "schema_version": 3}
    nb.cells = [nbformat.v4.new_code_cell(setup), cell]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def test_earlier_attempts_in_the_other_edition_are_named_not_graded(tmp_path):
    from welfaregrading.editions import earlier_editions

    for aid, dutch in ((EN, False), (NL, True)):
        _graded_nb(tmp_path / "source" / aid / f"{aid}.ipynb", dutch)
    ext = tmp_path / "downloaded" / EN / "extracted"
    early = "m00/m00_{}_attempt_2025-03-28-18-00-00_m00.ipynb"
    _graded_nb(ext / early.format("bram"), dutch=True)     # earlier Dutch, latest English
    _graded_nb(ext / early.format("anna"), dutch=False)    # earlier English, latest English
    (ext / early.format("eve")).parent.mkdir(parents=True, exist_ok=True)
    (ext / early.format("eve")).symlink_to(ext / early.format("bram"))  # never followed
    skipped = [{"file": early.format(s), "student": s, "kind": "earlier attempt"}
               for s in ("bram", "anna", "eve")]
    skipped.append({"file": "../../" + early.format("bram"), "student": "anna",
                    "kind": "earlier attempt"})
    latest = {"attempt": "2025-03-30-20-00-00", "notes": [],
              "files": [{"assignment": EN, "language": "en"}]}
    report = {"extracted": str(ext), "not_collected": skipped,
              "students": {s: json.loads(json.dumps(latest)) for s in ("bram", "anna", "eve")}}
    found = earlier_editions(tmp_path, EN, report)
    assert list(found) == ["bram"]
    assert found["bram"] == [{"attempt": "2025-03-28 18:00", "language": "nl",
                              "assignment": NL, "file": early.format("bram")}]
    assert report["students"]["bram"]["notes"] == [
        f"an earlier attempt was another edition (2025-03-28 18:00: the nl edition ({NL})): "
        "not graded; only the latest attempt (2025-03-30 20:00), the en edition, counts (the "
        "platform keeps every attempt, the latest is graded whole)"]
    assert report["students"]["anna"]["notes"] == [] == report["students"]["eve"]["notes"]
    # an edition id itself, or a module without another edition: nothing to say
    assert earlier_editions(tmp_path, NL, report) == {}
