"""Every documented bulk-download layout of Canvas, Moodle and Blackboard/Toledo is collected.

The downloads are made at run time by tools/platform_downloads.py from the platforms'
documented naming (made-up students, never stored data), one class per layout with: accents,
non-Latin names, a resubmission, stray files, a renamed notebook, a notebook in a subfolder,
a zip inside an upload, a PDF-only latest attempt. Each is planned in-process
(:func:`welfaregrading.collect.plan_download`, the same extractor and collector nbgrader's
zip_collect calls) and the test asserts, per student, which file was kept and why, the names,
lateness, and the reason when nothing is gradable. Two downloads in ``archive/``, the wrong
platform, and the Moodle 4.1+ layout through the real ``nbgrader zip_collect`` follow.
"""

import datetime as dt
import io
import shutil
import subprocess
import sys
import zipfile
from zoneinfo import ZoneInfo

import nbformat
import pytest
from conftest import REPO

import welfaregrading.collect
import welfaregrading.course

sys.path.insert(0, str(REPO / "tools"))
import platform_downloads

collect = welfaregrading.collect
BRUSSELS = ZoneInfo("Europe/Brussels")
NB = "m06-sroi.ipynb"


def _when(hour, minute=0, day=30):
    return dt.datetime(2025, 3, day, hour, minute, tzinfo=BRUSSELS)


def _zip(files: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


# Who is in the class (the same people on every platform; ids in the platform's own form)
PEOPLE = {
    "accents": "Zoë Dupré",
    "non_latin": "李 小龙",
    "resubmit": "Αλέξανδρος Παπαδόπουλος",
    "subfolder": "Jan Peeters",
    "zipped": "Ana María Núñez",
    "pdf": "Søren Kierkegaard",
}
IDS = {
    "named": {k: str(1001 + i) for i, k in enumerate(PEOPLE)},
    "anonymous": {k: f"anon_{c}Xk3P" for k, c in zip(PEOPLE, "abcdef")},
    "moodle": {k: str(501 + i) for i, k in enumerate(PEOPLE)},
    "blackboard": {k: f"r0{123456 + i}" for i, k in enumerate(PEOPLE)},
}


def _ids(platform, layout):
    return IDS[layout] if platform == "canvas" else IDS[platform]


def _class(platform, layout):
    """The made-up class for one layout, as students for build_download, and per person what
    the collector must keep: (bytes kept or None, why, reason when not gradable)."""
    ids = _ids(platform, layout)
    s, expect = [], {}

    def add(key, files, when, **more):
        s.append({"student": ids[key], "name": PEOPLE[key], "when": when, "files": files, **more})

    # accents: one plain notebook (Moodle: and an online text)
    add("accents", {NB: b"accents"}, _when(20), onlinetext="<p>see my notebook</p>")
    # non-Latin name and a renamed notebook
    add("non_latin", {"Copy of M06-SROI.ipynb": b"non-latin renamed"}, _when(20, 5))
    # a resubmission, in the platform's own way
    if platform == "blackboard":
        add("resubmit", {NB: b"resubmit old"}, _when(19, 0))
        add("resubmit", {NB: b"resubmit new"}, _when(21, 2))
    elif platform == "moodle":
        add("resubmit", {NB: b"resubmit old", "m06-sroi (1).ipynb": b"resubmit new"}, _when(21, 2))
    else:  # Canvas renames a second upload of a name to name-1; its attachment id is higher
        add("resubmit", {NB: b"resubmit old", "m06-sroi-1.ipynb": b"resubmit new"}, _when(21, 2))
    # a notebook in a subfolder of the upload (only Moodle keeps folders) and a stray file
    sub = "work/" + NB if platform == "moodle" else NB
    add("subfolder", {"notes.txt": b"my notes", sub: b"subfolder"}, _when(20, 10))
    # a zip inside the upload
    add("zipped", {"work.zip": _zip({"m06/" + NB: b"zipped", "m06/data.csv": b"a,b"})},
        _when(20, 15))
    # the latest attempt holds only a PDF (Blackboard: an earlier attempt had a notebook)
    if platform == "blackboard":
        add("pdf", {NB: b"pdf earlier notebook"}, _when(18, 0))
    add("pdf", {"report.pdf": b"%PDF-1.4"}, _when(22, 30), late=True)

    attempt = platform == "blackboard"
    if layout == "last-attempt":  # Blackboard's "last attempt" download: one per student
        s = [x for x in s if x["files"] not in ({NB: b"resubmit old"},
                                                 {NB: b"pdf earlier notebook"})]
    plain = "the only attempt 2025-03-30 {}" if attempt else "the student's submission in the download"
    expect["accents"] = (b"accents", plain.format("20:00"), None)
    expect["non_latin"] = (b"non-latin renamed", plain.format("20:05"), None)
    newer = {"canvas": "Canvas's newer upload 'm06-sroi-1.ipynb' (higher attachment id)",
             "moodle": "Moodle's newer copy 'm06-sroi (1).ipynb'",
             "blackboard": "newest attempt 2025-03-30 21:02"}[platform]
    if layout == "last-attempt":
        newer = "the only attempt 2025-03-30 21:02"
    expect["resubmit"] = (b"resubmit new", newer, None)
    expect["subfolder"] = (b"subfolder", plain.format("20:10"), None)
    zipped = "from the zip 'work.zip' uploaded by this student"
    expect["zipped"] = (b"zipped", (plain.format("20:15") + "; " + zipped) if attempt else zipped,
                        None)
    reason = "the latest attempt holds only a PDF"
    if attempt and layout != "last-attempt":
        reason += "; an earlier attempt or older download had one, but only the latest counts"
    expect["pdf"] = (None, None, reason)
    return s, expect


CASES = [(p, layout) for p, layouts in platform_downloads.LAYOUTS.items() for layout in layouts]


def _plan(tmp_path, platform, layout, students, extra=None, **kw):
    archive = tmp_path / "downloaded/m06/archive"
    platform_downloads.build_download(platform, layout, archive / "download.zip", students,
                                      "m06", extra=extra, **kw)
    return collect.plan_download(archive, tmp_path / "downloaded/m06/extracted", [NB], platform)


def _kept(plan, sid):
    """The bytes of the file the plan copies for ``sid`` as the released notebook."""
    files = [path for path, d in plan.items() if d["student_id"] == sid and d["file_id"] == NB]
    assert len(files) <= 1
    return open(files[0], "rb").read() if files else None


@pytest.mark.parametrize("platform, layout", CASES)
def test_every_layout_collects_every_student_with_the_newest_file_and_why(
        tmp_path, platform, layout):
    students, expect = _class(platform, layout)
    plan, report = _plan(tmp_path, platform, layout, students,
                         extra={"README.txt": b"stray", ".DS_Store": b"\0"})
    ids = _ids(platform, layout)
    assert "error" not in report
    assert sorted(report["students"]) == sorted(ids.values())
    for key, (kept, why, reason) in expect.items():
        got = report["students"][ids[key]]
        assert _kept(plan, ids[key]) == kept, key
        assert got["platform_id"] == ids[key]
        if kept is None:
            assert (got["gradable"], got["reason"], got["files"]) == (False, reason, []), key
        else:
            assert got["gradable"] is True and got["reason"] == ""
            assert [(f["to"], f["why"]) for f in got["files"]] == [(NB, why)], key
    # stray files are listed, never collected
    unmatched = sorted(i["file"].rsplit("/", 1)[-1] for i in report["not_collected"]
                       if i["kind"] == "unmatched")
    assert unmatched == [".DS_Store", "README.txt"]
    assert any(i["kind"] == "not a notebook" and i["file"].endswith("notes.txt")
               and i["student"] == ids["subfolder"] for i in report["not_collected"])
    # the renamed notebook says so
    assert f"notebook 'Copy of M06-SROI.ipynb' was renamed to {NB}" in \
        report["students"][ids["non_latin"]]["notes"]


EXPECTED_LAYOUT = {
    ("canvas", "named"): "canvas",
    ("canvas", "anonymous"): "canvas, anonymous grading",
    ("moodle", "folders"): "moodle 4.1+, a folder per student",
    ("moodle", "folders-3x"): "moodle 3.1-4.0, a folder per student",
    ("moodle", "flat"): "moodle, flat files (download in folders off)",
    ("moodle", "blind-folders"): "moodle 4.1+, a folder per student, blind marking",
    ("moodle", "blind-folders-3x"): "moodle 3.1-4.0, a folder per student, blind marking",
    ("moodle", "blind-flat"): "moodle, flat files (download in folders off), blind marking",
    ("blackboard", "all-attempts"): "blackboard, assignment file download, all attempts",
    ("blackboard", "last-attempt"):
        "blackboard, assignment file download, one attempt per student",
    ("blackboard", "toledo"):
        "blackboard, assignment file download, all attempts, Dutch receipts (Toledo)",
}


@pytest.mark.parametrize("platform, layout", CASES)
def test_the_layout_names_and_lateness_are_reported(tmp_path, platform, layout):
    students, _ = _class(platform, layout)
    _, report = _plan(tmp_path, platform, layout, students)
    assert report["layout"] == EXPECTED_LAYOUT[(platform, layout)]
    ids = _ids(platform, layout)
    got = {key: report["students"][ids[key]] for key in PEOPLE}
    names = {key: (g["name"], g["first_name"], g["last_name"]) for key, g in got.items()}
    if platform == "canvas" and layout == "named":
        # the sortable name, lowercased and without its comma: never split
        assert names["accents"] == ("duprézoë", "", "")
        assert names["non_latin"] == ("小龙李", "", "")
        assert "cannot be split" in report["names"]
    elif layout in ("anonymous",) or layout.startswith("blind"):
        assert set(names.values()) == {("", "", "")}
    else:  # Moodle's full name, Blackboard's receipt (English or Dutch): "First Last"
        assert names["accents"] == ("Zoë Dupré", "Zoë", "Dupré")
        assert names["non_latin"] == ("李 小龙", "李", "小龙")
        assert names["zipped"] == ("Ana María Núñez", "Ana", "María Núñez")
    late = {key: g["late"] for key, g in got.items()}
    if platform == "canvas":
        assert late == {key: key == "pdf" for key in PEOPLE}
    else:
        assert set(late.values()) == {None}
    utc = {key: g["submitted_utc"] for key, g in got.items()}
    if platform == "blackboard":  # 30 March 2025 is summer time in Brussels (UTC+2)
        assert utc["accents"] == "2025-03-30 18:00:00+00:00"
        assert utc["resubmit"] == "2025-03-30 19:02:00+00:00"
    else:
        assert set(utc.values()) == {None}


def test_moodle_empty_folder_and_blackboard_receipt_without_files_are_rows(tmp_path):
    people = [{"student": "601", "name": "Lege Map", "when": _when(20), "files": {},
               "empty_folder": True},
              {"student": "602", "name": "Wel Iets", "when": _when(20), "files": {NB: b"x"}}]
    _, report = _plan(tmp_path / "m", "moodle", "folders", people)
    assert report["students"]["601"]["gradable"] is False
    assert report["students"]["601"]["reason"] == "the latest attempt is an empty folder"
    people = [{"student": "r1", "name": "Geen Bestand", "when": _when(20), "files": {}},
              {"student": "r2", "name": "Wel Iets", "when": _when(20), "files": {NB: b"x"}}]
    _, report = _plan(tmp_path / "b", "blackboard", "toledo", people)
    assert (report["students"]["r1"]["gradable"], report["students"]["r1"]["reason"],
            report["students"]["r1"]["name"]) == (False, "the latest attempt holds no file",
                                                  "Geen Bestand")


def test_a_blackboard_receipt_restores_the_original_file_name(tmp_path):
    """Blackboard's receipt pairs each stored name with the student's original one."""
    archive = tmp_path / "archive"
    archive.mkdir()
    receipt = platform_downloads.blackboard_receipt(
        {"student": "r1", "name": "Zoë Dupré"}, "m06",
        [("Mijn Werk (2).ipynb", "m06_r1_attempt_2025-03-30-20-00-00_MijnWerk2.ipynb")],
        _when(20), "nl")
    with zipfile.ZipFile(archive / "dl.zip", "w") as zf:
        zf.writestr("m06_r1_attempt_2025-03-30-20-00-00.txt", receipt)
        zf.writestr("m06_r1_attempt_2025-03-30-20-00-00_MijnWerk2.ipynb", b"nb")
    _, report = collect.plan_download(archive, tmp_path / "extracted", [NB, "m06-extra.ipynb"],
                                      "blackboard")
    # the original name is fuzzy (no copy of either notebook's name): with two released
    # notebooks it maps to neither, and says so with the original name
    other = [i for i in report["not_collected"] if i["kind"] == "other notebook"]
    assert "'Mijn Werk (2).ipynb'" in other[0]["reason"]
    assert collect.read_receipt(tmp_path / "extracted/dl/m06_r1_attempt_2025-03-30-20-00-00.txt"
                                ) == {"name": "Zoë Dupré", "username": "r1", "language": "nl",
                                      "files": {"m06_r1_attempt_2025-03-30-20-00-00_MijnWerk2."
                                                "ipynb": "Mijn Werk (2).ipynb"}}


@pytest.mark.parametrize("platform, layout", CASES)
def test_two_downloads_in_archive_the_newer_one_wins(tmp_path, platform, layout):
    """An older download ('z-old.zip', sorted last by name) and a newer one ('a-new.zip'):
    the newer submission wins, whatever the names of the zips."""
    sid = _ids(platform, layout)["accents"]
    old = [{"student": sid, "name": PEOPLE["accents"], "when": _when(20),
            "files": {NB: b"first download"}}]
    new = [{"student": sid, "name": PEOPLE["accents"], "when": _when(22),
            "files": {NB: b"second download"}}]
    archive = tmp_path / "archive"
    build = platform_downloads.build_download
    if platform == "blackboard" and layout != "last-attempt":
        new = old + new  # "all attempts": the newer download holds both attempts
    build(platform, layout, archive / "z-old.zip", old, "m06", download_time=_when(21),
          first_attachment_id=7001)
    build(platform, layout, archive / "a-new.zip", new, "m06", download_time=_when(23),
          first_attachment_id=8001)
    plan, report = collect.plan_download(archive, tmp_path / "extracted", [NB], platform)
    assert _kept(plan, sid) == b"second download"
    why = report["students"][sid]["files"][0]["why"]
    if platform == "blackboard":
        assert why.startswith("newest attempt 2025-03-30 22:00")
    else:
        assert why == "from the newer download 'a-new'"
    older = [i for i in report["not_collected"] if i.get("student") == sid]
    assert older and all(i["kind"] in ("older download", "earlier attempt", "receipt")
                         for i in older)
    assert any(i["file"].startswith("z-old/") for i in older)


def test_an_older_download_does_not_win_by_its_name_order(tmp_path):
    """The same, with the newer download named to sort first and last: the zip entries'
    dates (when the platform wrote the zip) decide for Moodle, whose names carry no time."""
    for first, second in (("a", "b"), ("b", "a")):
        archive = tmp_path / first / "archive"
        person = {"student": "501", "name": "Zoë Dupré"}
        platform_downloads.build_download(
            "moodle", "folders", archive / f"{first}.zip",
            [{**person, "when": _when(20), "files": {NB: b"old"}}], "m06",
            download_time=_when(21))
        platform_downloads.build_download(
            "moodle", "folders", archive / f"{second}.zip",
            [{**person, "when": _when(22), "files": {NB: b"new"}}], "m06",
            download_time=_when(23))
        plan, _ = collect.plan_download(archive, tmp_path / first / "extracted", [NB], "moodle")
        assert _kept(plan, "501") == b"new"


WRONG = [(p, layout, chosen) for p, layout in [("canvas", "named"), ("canvas", "anonymous"),
                                                ("moodle", "folders"), ("moodle", "flat"),
                                                ("blackboard", "all-attempts")]
         for chosen in sorted(platform_downloads.LAYOUTS) if chosen != p]


@pytest.mark.parametrize("platform, layout, chosen", WRONG)
def test_a_download_of_another_platform_stops_and_names_it(tmp_path, platform, layout, chosen):
    students, _ = _class(platform, layout)
    archive = tmp_path / "archive"
    platform_downloads.build_download(platform, layout, archive / "dl.zip", students, "m06")
    plan, report = collect.plan_download(archive, tmp_path / "extracted", [NB], chosen)
    assert plan == {}
    assert report["error"].startswith(f"WRONG PLATFORM: this looks like a {platform} download, "
                                      f"not {chosen}")
    assert f'c.PlatformCollector.platform = "{platform}"' in report["error"]


def test_an_uploaded_zip_over_a_limit_is_not_opened_and_says_why(tmp_path):
    big = _zip({f"f{i}.ipynb": b"x" for i in range(30)})
    students = [{"student": "1001", "name": "Zoë Dupré", "when": _when(20),
                 "files": {"many.zip": big}},
                {"student": "1002", "name": "Jan Peeters", "when": _when(20),
                 "files": {NB: b"ok"}}]
    archive = tmp_path / "archive"
    platform_downloads.build_download("canvas", "named", archive / "dl.zip", students, "m06")
    plan, report = collect.plan_download(archive, tmp_path / "extracted", [NB], "canvas",
                                         max_entries=10)
    assert _kept(plan, "1002") == b"ok" and _kept(plan, "1001") is None
    listed = [i for i in report["not_collected"] if i.get("student") == "1001"]
    assert len(listed) == 1 and "not opened" in listed[0]["reason"]
    assert "c.PlatformCollector.max_entries" in listed[0]["reason"]
    assert report["students"]["1001"]["reason"] == \
        "the latest attempt holds no notebook (only 'many.zip')"
    assert not (tmp_path / "extracted/opened-uploads").exists()


def test_sample_zip_is_the_generator(tmp_path):
    """welfaregrading.collect.sample_zip writes what build_download writes."""
    when = _when(20)
    entry = {"student": "r1", "name": "An Janssens", "file": NB, "data": b"nb", "when": when}
    a = collect.sample_zip(tmp_path / "a.zip", "m06", "blackboard", [entry])
    b = platform_downloads.build_download("blackboard", "all-attempts", tmp_path / "b.zip",
                                          [{**entry, "files": {NB: b"nb"}}], "m06")
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        assert [(i.filename, i.date_time) for i in za.infolist()] == \
            [(i.filename, i.date_time) for i in zb.infolist()]
        assert za.namelist() == [f"m06_r1_attempt_2025-03-30-20-00-00_{NB}",
                                 "m06_r1_attempt_2025-03-30-20-00-00.txt"]
    with pytest.raises(ValueError, match="layout for moodle must be one of"):
        platform_downloads.build_download("moodle", "tiles", tmp_path / "c.zip", [], "m06")
    with pytest.raises(ValueError, match=r"students\[0\]\['when'\] must be an aware"):
        platform_downloads.build_download("canvas", "named", tmp_path / "c.zip",
                                          [{"student": "1", "name": "x",
                                            "when": dt.datetime(2025, 3, 30)}], "m06")


# -- through nbgrader's own zip_collect -----------------------------------------------------------

@pytest.fixture(scope="module")
def notebooks():
    release = nbformat.read(REPO / "release/m06" / NB, as_version=4)
    old = nbformat.writes(release).encode()
    release.cells.append(nbformat.v4.new_markdown_cell("the newer upload"))
    return {"old": old, "new": nbformat.writes(release).encode()}


def _course(tmp_path, platform):
    course = welfaregrading.course.scratch_course(
        tmp_path / "course", ["m06"], config_lines=[f"c.PlatformCollector.platform = '{platform}'"])
    shutil.copytree(REPO / "release" / "m06", course / "release" / "m06")
    return course


@pytest.mark.slow
def test_moodle_4_download_is_collected_by_nbgrader_zip_collect(tmp_path, notebooks):
    """The trial's Moodle 4.x download (folders without the trailing '_', blind marking,
    a subfolder, Moodle's '(1)' copy) through the real zip_collect."""
    course = _course(tmp_path, "moodle")
    platform_downloads.build_download("moodle", "blind-folders",
                                      course / "downloaded/m06/archive/m06-all.zip", [
        {"student": "9001", "name": "Zoë Dupré", "when": _when(20),
         "files": {NB: notebooks["old"], "m06-sroi (1).ipynb": notebooks["new"]}},
        {"student": "9002", "name": "李 小龙", "when": _when(20),
         "files": {"sub/dir/" + NB: notebooks["old"]}},
        {"student": "9003", "name": "Søren Kierkegaard", "when": _when(20),
         "files": {"report.pdf": b"%PDF-1.4"}},
    ], "m06")
    lines = []
    report = collect.collect(course, "m06", echo=lines.append)
    assert (course / "submitted/9001/m06" / NB).read_bytes() == notebooks["new"]
    assert (course / "submitted/9002/m06" / NB).read_bytes() == notebooks["old"]
    assert not (course / "submitted/9003").exists()
    assert report["layout"] == "moodle 4.1+, a folder per student, blind marking"
    assert report["students"]["9001"]["files"][0]["why"] == \
        "Moodle's newer copy 'm06-sroi (1).ipynb'"
    assert report["students"]["9003"]["reason"] == "the latest attempt holds only a PDF"
    assert any("9003: NOT GRADABLE: the latest attempt holds only a PDF" in line
               for line in lines)


@pytest.mark.slow
def test_a_blackboard_zip_collected_as_canvas_exits_non_zero(tmp_path, notebooks):
    course = _course(tmp_path, "canvas")
    platform_downloads.build_download("blackboard", "all-attempts",
                                      course / "downloaded/m06/archive/gradebook.zip", [
        {"student": "r0123456", "name": "An Janssens", "when": _when(20),
         "files": {NB: notebooks["old"]}}], "m06")
    welfaregrading.course.venv_on_path()
    done = subprocess.run(["nbgrader", "zip_collect", "m06", "--force",
                           "--collector=welfaregrading.collect.PlatformCollector",
                           "--extractor=welfaregrading.collect.PlatformExtractor"],
                          cwd=course, capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert "WRONG PLATFORM: this looks like a blackboard download, not canvas" in \
        done.stdout + done.stderr
    assert not (course / "submitted").exists()


def test_folder_entries_of_a_folder_with_files_are_not_an_empty_folder(tmp_path):
    """Some zip writers list every folder; a folder that holds files is not 'empty'."""
    archive = tmp_path / "archive"
    archive.mkdir()
    with zipfile.ZipFile(archive / "dl.zip", "w") as zf:
        for name in ("Søren K_501_assignsubmission_file_/", "Søren K_501_assignsubmission_file_/a/",
                     "Lege Map_502_assignsubmission_file_/"):
            zf.writestr(name, b"")
        zf.writestr("Søren K_501_assignsubmission_file_/a/report.pdf", b"%PDF")
        zf.writestr("Wel Iets_503_assignsubmission_file_/" + NB, b"nb")
    _, report = collect.plan_download(archive, tmp_path / "extracted", [NB], "moodle")
    reasons = {sid: s["reason"] for sid, s in report["students"].items()}
    assert reasons == {"501": "the latest attempt holds only a PDF",
                       "502": "the latest attempt is an empty folder", "503": ""}
