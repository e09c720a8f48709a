"""welfaregrading.exchange.OwnerCheckedCollect: on a hub, ``nbgrader collect`` never takes a
folder made by another user than the student it names, and times attempts by the file system.

Stock nbgrader 0.9.6 takes the newest folder by the timestamp in its name and only warns about
the owner (exchange/default/collect.py, ``check_owner``); tests/hub/test_hub_isolation.py shows
the attack on a real hub. Here the same inbound is built by hand (root makes folders owned by
other system users), and the real ``nbgrader collect`` runs with the course's plugin.
"""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
import time
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or sys.platform == "win32",
                                reason="needs root to make folders owned by other users")

ASSIGNMENT = "m00"
COURSE = "welfare-social-innovation"


def _user(name: str) -> int:
    return pwd.getpwnam(name).pw_uid


def _submission(inbound: Path, student: str, stamp: str, owner: str, text: str) -> Path:
    folder = inbound / f"{student}+{ASSIGNMENT}+{stamp}+abcdefabcdef"
    folder.mkdir()
    (folder / "m00-warm-up.ipynb").write_text(text, encoding="utf-8")
    (folder / "timestamp.txt").write_text(stamp, encoding="utf-8")
    for path in (folder, *folder.iterdir()):
        os.chown(path, _user(owner), -1)
    return folder


def _collect(course: Path, exchange: Path, plugin: bool) -> subprocess.CompletedProcess:
    config = course / "nbgrader_config.py"
    config.write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        f"c.CourseDirectory.course_id = {COURSE!r}\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        + ('c.ExchangeFactory.collect = "welfaregrading.exchange.OwnerCheckedCollect"\n'
           if plugin else ""), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "nbgrader", "collect", ASSIGNMENT, "--update"],
                          check=False, cwd=course, capture_output=True, text=True, timeout=120)


@pytest.fixture
def hub_course(tmp_path, monkeypatch):
    # nbgrader's Gradebook runs the venv's `alembic` command (as `make` puts the venv first)
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    course, exchange = tmp_path / "course", tmp_path / "exchange"
    inbound = exchange / COURSE / "inbound"
    inbound.mkdir(parents=True)
    course.mkdir()
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE) as gb:
        gb.add_assignment(ASSIGNMENT)
        for student in ("nobody", "daemon"):
            gb.add_student(student)
    return course, exchange, inbound


@pytest.mark.parametrize("plugin", [False, True], ids=["stock nbgrader", "course plugin"])
def test_a_forged_newer_folder_in_another_students_name(hub_course, plugin):
    course, exchange, inbound = hub_course
    _submission(inbound, "nobody", "2025-03-01 10:00:00.000000 UTC", "nobody", "GENUINE")
    forged = _submission(inbound, "nobody", "2099-01-01 00:00:00.000000 UTC", "daemon", "FORGED")
    run = _collect(course, exchange, plugin)
    assert run.returncode == 0, run.stderr
    collected = (course / "submitted" / "nobody" / ASSIGNMENT / "m00-warm-up.ipynb").read_text()
    if plugin:
        assert collected == "GENUINE"
        assert forged.name in run.stderr and "forged" in run.stderr
    else:  # what the plugin is for: stock nbgrader takes the forgery and only warns
        assert collected == "FORGED"
        assert "cheating attempt?" in run.stderr


def test_a_renamed_earlier_timestamp_does_not_make_a_late_attempt_count_first(hub_course):
    course, exchange, inbound = hub_course
    # made first, honest name
    _submission(inbound, "daemon", "2025-03-01 10:00:00.000000 UTC", "daemon", "FIRST")
    time.sleep(1.1)
    # made later, named as if older: the file system says it is the newest
    _submission(inbound, "daemon", "2020-01-01 00:00:00.000000 UTC", "daemon", "SECOND")
    run = _collect(course, exchange, plugin=True)
    assert run.returncode == 0, run.stderr
    folder = course / "submitted" / "daemon" / ASSIGNMENT
    assert (folder / "m00-warm-up.ipynb").read_text() == "SECOND"
    stamp = (folder / "timestamp.txt").read_text()
    assert not stamp.startswith("2020-"), stamp  # the trusted time, not the name's
    assert stamp.endswith(" UTC") and stamp[:4] == time.strftime("%Y", time.gmtime())


def test_only_folders_are_collected(hub_course):
    course, exchange, inbound = hub_course
    _submission(inbound, "nobody", "2025-03-01 10:00:00.000000 UTC", "nobody", "GENUINE")
    target = inbound.parent / "elsewhere"
    target.mkdir()
    (inbound / f"daemon+{ASSIGNMENT}+2099-01-01 00:00:00.000000 UTC+link").symlink_to(target)
    run = _collect(course, exchange, plugin=True)
    assert run.returncode == 0, run.stderr
    assert (course / "submitted" / "nobody" / ASSIGNMENT).is_dir()
    assert not (course / "submitted" / "daemon").exists()
    assert "is not a folder a student submitted" in run.stderr
