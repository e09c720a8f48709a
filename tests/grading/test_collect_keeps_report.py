"""A collect that stops must not replace the last good collect's report (found by a lecturer
tryout: `make collect` with the platform left at canvas on a Moodle download stopped with
"WRONG PLATFORM ... nothing was collected" but left an empty collect-report.json, and the next
`make export` exited 0 with a both-editions student's grade and feedback page changed and a
student without a gradable file reported as "no submission")."""

import datetime as dt
import json
import shutil
import sys
from zoneinfo import ZoneInfo

import nbformat
import pytest
from conftest import REPO

import welfaregrading.course
from welfaregrading import collect

sys.path.insert(0, str(REPO / "tools"))
import platform_downloads  # noqa: E402

NB = "m06-sroi.ipynb"


@pytest.mark.slow
def test_a_wrong_platform_collect_keeps_the_last_good_report(tmp_path):
    course = welfaregrading.course.scratch_course(
        tmp_path / "course", ["m06"], config_lines=["c.PlatformCollector.platform = 'moodle'"])
    shutil.copytree(REPO / "release" / "m06", course / "release" / "m06")
    notebook = nbformat.writes(nbformat.read(REPO / "release/m06" / NB, as_version=4)).encode()
    when = dt.datetime(2026, 3, 30, 20, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    platform_downloads.build_download("moodle", "folders",
                                      course / "downloaded/m06/archive/m06-all.zip", [
        {"student": "9001", "name": "Zoë Dupré", "when": when, "files": {NB: notebook}},
        {"student": "9003", "name": "Femke Peeters", "when": when,
         "files": {"m06-sroi.docx": b"PK\x03\x04 not a notebook"}},
    ], "m06")
    good = collect.collect(course, "m06", echo=lambda line: None)
    assert set(good["students"]) == {"9001", "9003"}
    report = course / "downloaded/m06/collect-report.json"
    kept = report.read_text(encoding="utf-8")

    with pytest.raises(RuntimeError) as err:
        collect.collect(course, "m06", platform="canvas", echo=lambda line: None)
    assert "WRONG PLATFORM: this looks like a moodle download, not canvas" in str(err.value)
    assert "The report of the last collect that worked is kept" in str(err.value)
    assert report.read_text(encoding="utf-8") == kept
    failed = json.loads((course / "downloaded/m06/collect-report-failed.json").read_text(
        encoding="utf-8"))
    assert failed["students"] == {} and failed["platform"] == "canvas"
    assert not (course / "downloaded/m06/collect-report-previous.json").exists()
    assert (course / "submitted/9001/m06" / NB).read_bytes() == notebook

    again = collect.collect(course, "m06", echo=lambda line: None)
    assert set(again["students"]) == {"9001", "9003"}
    assert not (course / "downloaded/m06/collect-report-previous.json").exists()
