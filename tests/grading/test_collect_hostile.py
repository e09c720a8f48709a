"""Collecting a platform's download that students (or a tampered zip) tried to abuse.

Each test builds a hostile download with zipfile at run time (made-up students) and runs
nbgrader's real ``zip_collect`` with the course's extractor and collector
(:mod:`welfaregrading.collect`): a file inside one student's upload must never pass for
another student's submission, nested archives stay closed, oversized archives are refused
before extraction, unsafe paths and student ids are refused and listed, nothing is written
outside ``submitted/`` and ``downloaded/``.
"""

import csv
import datetime as dt
import io
import json
import shutil
import stat
import subprocess
import warnings
import zipfile
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import nbformat
import pytest
from conftest import REPO
from traitlets.config import Config

import welfaregrading.collect
import welfaregrading.course
import welfaregrading.export

collect = welfaregrading.collect
BRUSSELS = ZoneInfo("Europe/Brussels")
NB = "m06-sroi.ipynb"
WHEN = dt.datetime(2025, 3, 30, 20, 0, tzinfo=BRUSSELS)
ZEROS = 200 * 1024 * 1024


@pytest.fixture(scope="module")
def notebooks():
    """The victim's and the attacker's notebooks: both valid, told apart by a marker cell."""
    release = nbformat.read(REPO / "release/m06" / NB, as_version=4)
    victim = nbformat.writes(release).encode()
    release.cells.append(nbformat.v4.new_markdown_cell("ATTACKER WAS HERE"))
    return {"victim": victim, "attacker": nbformat.writes(release).encode()}


def _zip_bytes(files: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _write_zeros(zf: zipfile.ZipFile, name: str, size: int = ZEROS) -> None:
    """Stream ``size`` zero bytes into one deflated entry (small on disk, quick to make)."""
    info = zipfile.ZipInfo(name, date_time=(2025, 3, 30, 20, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    chunk = bytes(1 << 20)
    with zf.open(info, "w", force_zip64=True) as fh:
        for _ in range(size // len(chunk)):
            fh.write(chunk)


@pytest.fixture(scope="module")
def nested_bomb():
    """A zip holding 200 MB of zeros (about 200 KB packed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        _write_zeros(zf, "peetersjan_2002_7020_m06-sroi.ipynb")
    return buf.getvalue()


def _course(tmp_path, platform, *lines):
    course = welfaregrading.course.scratch_course(
        tmp_path / "course", ["m06"],
        config_lines=[f"c.PlatformCollector.platform = '{platform}'", *lines])
    shutil.copytree(REPO / "release" / "m06", course / "release" / "m06")
    return course


def _archive(course):
    return course / "downloaded/m06/archive"


def _written_outside(tmp_path, course) -> list[str]:
    """Files in tmp_path that collecting may not have written: anything but the scratch
    course's own folders, submitted/ and downloaded/."""
    allowed = ["source", "release", "data", "submitted", "downloaded", "build"]
    found = []
    for path in tmp_path.rglob("*"):
        if path.is_dir():
            continue
        rel = path.relative_to(tmp_path).as_posix()
        parts = rel.split("/")
        if parts[0] == "course" and (len(parts) == 2 or parts[1] in allowed):
            continue
        found.append(rel)
    return found


def _items(report, kind=None):
    return [i for i in report["not_collected"] if kind is None or i.get("kind") == kind]


# -- the zip's central directory and its entries, without nbgrader -----------------------------

def test_archive_limits_come_from_the_central_directory(tmp_path):
    path = tmp_path / "download.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for k in range(3):
            zf.writestr(f"doe_{k}_1_a.ipynb", "{}" * 100)
        _write_zeros(zf, "doe_9_1_zeros.bin", size=4 * 1024 * 1024)
    with pytest.raises(collect.ArchiveRefused, match=r"c\.PlatformCollector\.max_entries"):
        collect.check_archive(path, max_entries=3, max_bytes=10 ** 9, max_ratio=100)
    with pytest.raises(collect.ArchiveRefused, match=r"c\.PlatformCollector\.max_archive_bytes"):
        collect.check_archive(path, max_entries=10, max_bytes=100, max_ratio=100)
    infos, refused = collect.check_archive(path, max_entries=10, max_bytes=10 ** 9, max_ratio=100)
    assert len(infos) == 4 and list(refused) == ["doe_9_1_zeros.bin"]
    assert "c.PlatformCollector.max_ratio" in refused["doe_9_1_zeros.bin"]
    (tmp_path / "broken.zip").write_bytes(b"PK not a zip")
    with pytest.raises(collect.ArchiveRefused, match="not a readable zip"):
        collect.check_archive(tmp_path / "broken.zip", 10, 10 ** 9, 100)


@pytest.mark.parametrize("name, words", [
    ("../x.ipynb", "'..'"), ("a/../../x.ipynb", "'..'"), ("/etc/x.ipynb", "absolute"),
    ("C:/x.ipynb", "absolute"), ("a\\..\\x.ipynb", "backslash"), ("a//x.ipynb", "empty"),
    ("./x.ipynb", "'.'"), ("a\x01b.ipynb", "control"),
])
def test_unsafe_entry_names_are_refused(name, words):
    assert words in collect.entry_problem(zipfile.ZipInfo(name))


def test_links_and_special_files_are_refused_regular_files_pass():
    info = zipfile.ZipInfo("doe_1_2_x.ipynb")
    assert collect.entry_problem(info) is None
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    assert "symbolic link" in collect.entry_problem(info)
    info.external_attr = (stat.S_IFIFO | 0o644) << 16
    assert "special file" in collect.entry_problem(info)
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    assert collect.entry_problem(info) is None


def test_the_extractor_writes_only_safe_regular_files_inside_its_folder(tmp_path):
    archive, extracted = tmp_path / "archive", tmp_path / "extracted"
    archive.mkdir()
    extracted.mkdir()
    inner = _zip_bytes({"doe_2_9_x.ipynb": b"{}"})
    with zipfile.ZipFile(archive / "dl.zip", "w") as zf:
        zf.writestr("doe_1_1_ok.ipynb", b"{}")
        zf.writestr("doe_1_2_upload.zip", inner)
        zf.writestr("../../escape.ipynb", b"{}")
        zf.writestr("/abs.ipynb", b"{}")
        link = zipfile.ZipInfo("doe_1_3_link.ipynb")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    extractor = collect.PlatformExtractor()
    extractor.extract(str(archive), str(extracted))
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
                   if p.is_file() or p.is_symlink())
    # the uploaded zip is opened into its own folder, outside the platform zip's folder
    assert files == ["archive/dl.zip", "extracted/dl/doe_1_1_ok.ipynb",
                     "extracted/dl/doe_1_2_upload.zip",
                     "extracted/opened-uploads/1/doe_2_9_x.ipynb"]
    opened = extractor.meta[str(extracted / "opened-uploads/1/doe_2_9_x.ipynb")]
    assert (opened["outer"], opened["inner"], opened["zip"]) == (
        "doe_1_2_upload.zip", "doe_2_9_x.ipynb", "doe_1_2_upload.zip")
    assert sorted(i["file"] for i in extractor.refused) == sorted([
        "dl//abs.ipynb", "dl/../../escape.ipynb", "dl/doe_1_3_link.ipynb"])
    assert extractor.roots == {str(extracted / "dl"): "dl"}


# -- who a file belongs to -------------------------------------------------------------------------

def test_inner_names_never_decide_whose_a_file_is():
    canvas = collect.PlatformCollector(platform="canvas")
    entry = "annaattacker_2001_7010_evil/peetersjan_2002_7020_m06-sroi.ipynb"
    assert canvas.parse_entry(entry)["student_id"] == "2001"
    assert canvas.parse_entry("annaattacker_2001_7011_peetersjan_2002_7020_m06-sroi.ipynb")[
        "student_id"] == "2001"
    assert canvas.parse_entry("stuff/peetersjan_2002_7020_m06-sroi.ipynb") is None
    moodle = collect.PlatformCollector(platform="moodle")
    groups = moodle.parse_entry("Anna Attacker_11_assignsubmission_file/"
                                "Jan Peeters_12_assignsubmission_file_/m06-sroi.ipynb")
    assert groups["student_id"] == "11"
    assert groups["file_id"] == "Jan Peeters_12_assignsubmission_file_/m06-sroi.ipynb"
    blackboard = collect.PlatformCollector(platform="blackboard")
    groups = blackboard.parse_entry("m06_r01_attempt_2025-03-30-20-00-00_"
                                    "m06_r02_attempt_2099-01-01-00-00-00_m06-sroi.ipynb")
    assert (groups["student_id"], groups["timestamp"]) == ("r01", "2025-03-30-20-00-00")


@pytest.mark.parametrize("sid", ["=1+2", "..", ".", "a/b", "a\\b", "+32", "-1", "@x", "\tx",
                                 "\rx", "x\x00y", "x\u202ey", " x", "", "x" * 65])
def test_unusable_student_ids_are_refused(sid):
    assert collect.check_student_id(sid)


@pytest.mark.parametrize("sid", ["12345", "r0123456", "c24-hidden", "jan.peeters"])
def test_ordinary_student_ids_pass(sid):
    assert collect.check_student_id(sid) is None


@pytest.mark.slow
def test_canvas_nested_zip_and_crafted_name_stay_with_the_uploader(tmp_path, notebooks):
    course = _course(tmp_path, "canvas")
    inner = _zip_bytes({"peetersjan_2002_7020_m06-sroi.ipynb": notebooks["attacker"],
                        "../../../escape.ipynb": notebooks["attacker"]})
    collect.sample_zip(_archive(course) / "submissions.zip", "m06", "canvas", [
        {"student": "2001", "name": "Anna Attacker", "file": "evil.zip", "data": inner,
         "when": WHEN, "files": {"peetersjan_2002_7020_m06-sroi.ipynb": notebooks["attacker"]}},
        {"student": "2002", "name": "Jan Peeters", "file": NB, "data": notebooks["victim"],
         "when": WHEN},
    ])
    lines = []
    report = collect.collect(course, "m06", echo=lines.append)
    assert (course / "submitted/2002/m06" / NB).read_bytes() == notebooks["victim"]
    assert (course / "submitted/2001/m06" / NB).read_bytes() == notebooks["attacker"]
    # the uploaded zip is opened, and everything in it is the uploader's
    opened = [i for i in _items(report, "opened archive") if i["file"].endswith("evil.zip")]
    assert [i["student"] for i in opened] == ["2001"]
    copies = _items(report, "copy")
    assert [c["student"] for c in copies] == ["2001"]
    assert copies[0]["file"].startswith("opened-uploads/")
    escape = [i for i in _items(report, "refused entry") if "escape.ipynb" in i["file"]]
    assert [(i["student"], "'..'" in i["reason"]) for i in escape] == [("2001", True)]
    assert sorted(report["students"]) == ["2001", "2002"]
    assert [f["from"] for f in report["students"]["2002"]["files"]] == [
        f"submissions/peetersjan_2002_7003_{NB}"]
    assert any("evil.zip" in line and "opened" in line for line in lines)
    extracted = course / "downloaded/m06/extracted"
    assert not [p for p in extracted.rglob("*") if p.name in ("escape.ipynb", "evil")]
    assert _written_outside(tmp_path, course) == []


@pytest.mark.slow
def test_moodle_folder_inside_a_folder_stays_with_its_owner(tmp_path, notebooks):
    course = _course(tmp_path, "moodle")
    collect.sample_zip(_archive(course) / "moodle.zip", "m06", "moodle", [
        {"student": "11", "name": "Anna Attacker",
         "file": "Jan Peeters_12_assignsubmission_file_/m06-sroi.ipynb",
         "data": notebooks["attacker"], "when": WHEN,
         "files": {"Jan Peeters_12_assignsubmission_file_m06-sroi.ipynb": notebooks["attacker"]}},
        {"student": "12", "name": "Jan Peeters", "file": NB, "data": notebooks["victim"],
         "when": WHEN},
    ])
    report = collect.collect(course, "m06")
    assert (course / "submitted/12/m06" / NB).read_bytes() == notebooks["victim"]
    assert (course / "submitted/11/m06" / NB).read_bytes() == notebooks["attacker"]
    assert [f["from"] for f in report["students"]["12"]["files"]] == [
        "moodle/Jan Peeters_12_assignsubmission_file_/m06-sroi.ipynb"]
    copies = _items(report, "copy")
    assert copies and all(c["student"] == "11" for c in copies)
    assert _written_outside(tmp_path, course) == []


@pytest.mark.slow
def test_blackboard_attempt_from_2099_inside_an_upload_changes_nothing(tmp_path, notebooks):
    course = _course(tmp_path, "blackboard")
    future = "m06_r02_attempt_2099-01-01-00-00-00_m06-sroi.ipynb"
    collect.sample_zip(_archive(course) / "gradebook.zip", "m06", "blackboard", [
        {"student": "r01", "name": "Anna Attacker", "file": "evil.zip",
         "data": _zip_bytes({future: notebooks["attacker"]}), "when": WHEN,
         "files": {future: notebooks["attacker"]}},
        {"student": "r02", "name": "Jan Peeters", "file": NB, "data": notebooks["victim"],
         "when": WHEN},
    ])
    report = collect.collect(course, "m06")
    victim = course / "submitted/r02/m06"
    assert (victim / NB).read_bytes() == notebooks["victim"]
    assert (victim / "timestamp.txt").read_text().startswith("2025-03-30 18:00:00")
    assert report["students"]["r02"]["earlier_attempts"] == []
    assert (course / "submitted/r01/m06" / NB).read_bytes() == notebooks["attacker"]
    assert _written_outside(tmp_path, course) == []


# -- student ids, unsafe entries and the grades CSV ----------------------------------------------

@pytest.mark.slow
def test_unsafe_ids_and_entries_are_listed_never_collected(tmp_path, notebooks):
    course = _course(tmp_path, "blackboard")
    stamp = "attempt_2025-03-30-20-00-00"
    path = _archive(course) / "gradebook.zip"
    collect.sample_zip(path, "m06", "blackboard", [
        {"student": "r02", "name": "Jan Peeters", "file": NB, "data": notebooks["victim"],
         "when": WHEN}], extra={
        f"m06_=1+2_{stamp}_m06-sroi.ipynb": notebooks["attacker"],
        f"m06_.._{stamp}_m06-sroi.ipynb": notebooks["attacker"],
        f"m06_a/b_{stamp}_m06-sroi.ipynb": notebooks["attacker"],
        f"m06_a\\b_{stamp}_m06-sroi.ipynb": notebooks["attacker"],
        f"../../m06_r03_{stamp}_m06-sroi.ipynb": notebooks["attacker"],
        f"/tmp/m06_r04_{stamp}_m06-sroi.ipynb": notebooks["attacker"],
        f"m06_r05_{stamp}_m06-sroi.ipynb": notebooks["attacker"],
    })
    with zipfile.ZipFile(path, "a") as zf:
        link = zipfile.ZipInfo(f"m06_r06_{stamp}_m06-sroi.ipynb")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Duplicate name": that is the point
            zf.writestr(f"m06_r05_{stamp}_m06-sroi.ipynb", notebooks["victim"])
    lines = []
    report = collect.collect(course, "m06", echo=lines.append)
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["r02"]
    assert (course / "submitted/r02/m06" / NB).read_bytes() == notebooks["victim"]
    assert not (course / "m06").exists() and not (course / "submitted/=1+2").exists()
    rejected = {i["student"]: i["reason"] for i in _items(report, "rejected student id")}
    assert "formula" in rejected["=1+2"] and "path part" in rejected[".."]
    refused = {i["file"].split("/", 1)[1]: i["reason"] for i in _items(report, "refused entry")}
    assert "backslash" in refused[f"m06_a\\b_{stamp}_m06-sroi.ipynb"]
    assert "'..'" in refused[f"../../m06_r03_{stamp}_m06-sroi.ipynb"]
    assert "absolute" in refused[f"/tmp/m06_r04_{stamp}_m06-sroi.ipynb"]
    assert "symbolic link" in refused[f"m06_r06_{stamp}_m06-sroi.ipynb"]
    assert "more than once" in refused[f"m06_r05_{stamp}_m06-sroi.ipynb"]
    unmatched = [i["file"] for i in _items(report, "unmatched")]
    assert f"gradebook/m06_a/b_{stamp}_m06-sroi.ipynb" in unmatched
    assert any("refused as unsafe" in line for line in lines)
    assert sum("[=1+2]" in line for line in lines) == 1
    written = json.loads((course / "downloaded/m06/collect-report.json").read_text())
    assert written["not_collected"] == report["not_collected"]
    assert _written_outside(tmp_path, course) == []
    assert not (tmp_path / "m06_r03_attempt_2025-03-30-20-00-00_m06-sroi.ipynb").exists()


def _fake_gradebook(ids):
    assignment = SimpleNamespace(name="m06", max_score=14.0, submissions=[
        SimpleNamespace(student=SimpleNamespace(id=sid), score=10.0, late_submission_penalty=0)
        for sid in ids])
    return SimpleNamespace(assignments=[assignment])


def test_the_grades_csv_has_no_formula_and_no_score_for_a_flagged_submission(tmp_path):
    ids = ["=1+2", "+32", "-1", "@SUM(A1)", "\tx", "ok-graded", "ok-flagged", "ok-failed"]
    for sid in ids:
        (tmp_path / "autograded" / sid / "m06").mkdir(parents=True)
    state = tmp_path / "build/grading/m06/state.json"
    state.parent.mkdir(parents=True)
    state.write_text(json.dumps({"students": {"ok-flagged": {"status": "flagged for review"},
                                              "ok-failed": {"status": "failed"}}}))
    out = tmp_path / "grades.csv"
    plugin = welfaregrading.export.GradesCsvExportPlugin(
        config=Config({"CourseDirectory": {"root": str(tmp_path)}}), to=str(out),
        assignment=["m06"])
    plugin.export(_fake_gradebook(ids))
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    scores = {row[0]: row[2] for row in rows[1:]}
    assert scores["'=1+2"] == "10" and scores["ok-graded"] == "10"
    assert scores["ok-flagged"] == "" and scores["ok-failed"] == ""


# -- sizes ----------------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_zip_bomb_entry_is_not_extracted_and_a_nested_one_not_unpacked(tmp_path, notebooks,
                                                                        nested_bomb):
    course = _course(tmp_path, "canvas")
    path = _archive(course) / "submissions.zip"
    collect.sample_zip(path, "m06", "canvas", [
        {"student": "2001", "name": "Anna Attacker", "file": "bomb.zip", "data": nested_bomb,
         "when": WHEN},
        {"student": "2002", "name": "Jan Peeters", "file": NB, "data": notebooks["victim"],
         "when": WHEN},
    ])
    with zipfile.ZipFile(path, "a") as zf:
        _write_zeros(zf, "annaattacker_2001_7012_zeros.bin")
    assert path.stat().st_size < 2_000_000
    report = collect.collect(course, "m06")
    assert (course / "submitted/2002/m06" / NB).read_bytes() == notebooks["victim"]
    extracted = course / "downloaded/m06/extracted"
    assert sum(p.stat().st_size for p in extracted.rglob("*") if p.is_file()) < 2_000_000
    refused = {i["file"]: i for i in _items(report, "refused entry")}
    inner = "submissions/attackeranna_2001_7001_bomb.zip/peetersjan_2002_7020_m06-sroi.ipynb"
    assert sorted(refused) == sorted([inner, "submissions/annaattacker_2001_7012_zeros.bin"])
    assert all("c.PlatformCollector.max_ratio" in i["reason"] for i in refused.values())
    # the bomb inside the uploaded zip is the uploader's, and never unpacked
    assert refused[inner]["student"] == "2001"
    assert report["students"]["2001"]["gradable"] is False
    assert report["students"]["2001"]["reason"] == \
        "the latest attempt holds no notebook (only 'bomb.zip')"


@pytest.mark.slow
@pytest.mark.parametrize("setting, value, words", [
    ("max_archive_bytes", 10_000, "c.PlatformCollector.max_archive_bytes"),
    ("max_entries", 1, "c.PlatformCollector.max_entries"),
])
def test_an_archive_over_a_limit_is_refused_before_anything_is_written(tmp_path, notebooks,
                                                                        setting, value, words):
    course = _course(tmp_path, "canvas", f"c.PlatformCollector.{setting} = {value}")
    collect.sample_zip(_archive(course) / "submissions.zip", "m06", "canvas", [
        {"student": str(2000 + i), "name": f"Student {i}", "file": NB,
         "data": notebooks["victim"], "when": WHEN} for i in range(3)])
    lines = []
    with pytest.raises(RuntimeError) as err:
        collect.collect(course, "m06", echo=lines.append)
    assert words in str(err.value) and "limit" in str(err.value)
    assert any(words in line for line in lines)
    assert not (course / "submitted").exists()
    extracted = course / "downloaded/m06/extracted"
    assert not extracted.exists() or not any(extracted.iterdir())
    report = json.loads((course / "downloaded/m06/collect-report.json").read_text())
    assert report["not_collected"][0]["kind"] == "archive refused"


@pytest.mark.slow
def test_several_zips_and_a_loose_file_each_keep_their_own_top(tmp_path, notebooks):
    course = _course(tmp_path, "canvas")
    one = [{"student": "2001", "name": "An Een", "file": NB, "data": notebooks["victim"],
            "when": WHEN}]
    two = [{"student": "2002", "name": "Twee Twee", "file": NB, "data": notebooks["attacker"],
            "when": WHEN}]
    collect.sample_zip(_archive(course) / "submissions.zip", "m06", "canvas", one)
    collect.sample_zip(_archive(course) / "late" / "submissions.zip", "m06", "canvas", two)
    (_archive(course) / "submissions").write_bytes(b"a stray file named like the first zip")
    (_archive(course) / "drie_2003_7001_m06-sroi.ipynb").write_bytes(notebooks["victim"])
    report = collect.collect(course, "m06")
    assert sorted(report["students"]) == ["2001", "2002", "2003"]
    assert (course / "submitted/2002/m06" / NB).read_bytes() == notebooks["attacker"]
    assert [i["file"] for i in _items(report, "unmatched")] == ["submissions"]


# -- nobody collected, and nbgrader's own extractor ---------------------------------------------

@pytest.mark.slow
def test_collecting_nobody_from_a_full_download_fails_loudly_with_a_hint(tmp_path, notebooks):
    course = _course(tmp_path, "canvas")
    collect.sample_zip(_archive(course) / "moodle.zip", "m06", "moodle", [
        {"student": "12", "name": "Jan Peeters", "file": NB, "data": notebooks["victim"],
         "when": WHEN}])
    lines = []
    with pytest.raises(RuntimeError) as err:
        collect.collect(course, "m06", echo=lines.append)
    assert "WRONG PLATFORM: this looks like a moodle download" in str(err.value)
    assert 'platform = "moodle"' in str(err.value)
    assert any("matches no canvas pattern" in line for line in lines)
    report = json.loads((course / "downloaded/m06/collect-report.json").read_text())
    assert report["error"] and report["students"] == {}


@pytest.mark.slow
def test_nbgrader_s_own_extractor_is_refused(tmp_path, notebooks):
    course = _course(tmp_path, "canvas")
    collect.sample_zip(_archive(course) / "submissions.zip", "m06", "canvas", [
        {"student": "2002", "name": "Jan Peeters", "file": NB, "data": notebooks["victim"],
         "when": WHEN}])
    welfaregrading.course.venv_on_path()
    done = subprocess.run(["nbgrader", "zip_collect", "m06", "--force",
                           "--extractor=nbgrader.plugins.ExtractorPlugin"],
                          cwd=course, capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert "c.ZipCollectApp.extractor_plugin" in done.stdout + done.stderr
    assert not (course / "submitted").exists()
