"""`make start` serves the course index; `make grade-demo`'s pipeline grades the samples."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request

import pytest
from conftest import REPO

import welfaregrading as wg
import welfaregrading.demo

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_start_serves_the_course_index():
    port = free_port()
    env = dict(os.environ, BROWSER="true", JUPYTER_NO_CONFIG="1")
    proc = subprocess.Popen(["make", "-s", "start", f"PORT={port}"], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        token, seen = None, []
        deadline = time.time() + 120
        while time.time() < deadline and token is None:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                break
            seen.append(line)
            match = re.search(rf"http://127\.0\.0\.1:{port}/\S*\?token=(\w+)", line)
            if match:
                token = match.group(1)
        assert token, "no URL with a token was printed:\n" + "".join(seen[-30:])
        base = f"http://127.0.0.1:{port}"
        for _ in range(60):  # the URL is printed a moment before the socket accepts
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        with urllib.request.urlopen(f"{base}/?token={token}", timeout=30) as resp:
            assert resp.status == 200
            assert resp.url.split("?")[0].endswith("/lab/tree/notebooks/index.ipynb")
        api = f"{base}/api/contents/notebooks/index.ipynb?token={token}&content=0"
        with urllib.request.urlopen(api, timeout=30) as resp:
            assert resp.status == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def test_grade_demo_grades_every_sample_and_explains_lost_points(tmp_path):
    lines = []
    before = grading_state_of_repo()
    out = wg.demo.run_demo("m06", tmp_path / "demo", timeout=5, echo=lines.append)
    table = out["table"].set_index("student")
    assert not out["failures"], out["failures"]
    assert table.loc["ada-full", "auto score"] == table.loc["ada-full", "auto max"] == 10
    assert table.loc["bo-blank", "auto score"] == 0
    assert table.loc["chris-wrong", "auto score"] == 4       # parts 1-3 lost (2 wrong, 1 follows)
    assert table.loc["dee-deleted", "auto score"] == 10      # the deleted cell was put back
    assert table.loc["eli-endless", "auto score"] == 8       # the endless part scores 0
    assert (table["manual max"] == 4).all()
    assert any("m06-critique: left unanswered" in r for r in out["reasons"]["bo-blank"])
    assert any("put it back" in r for r in out["reasons"]["dee-deleted"])
    assert any("time limit" in r for r in out["reasons"]["eli-endless"])
    assert any("did you remove deadweight" in r for r in out["reasons"]["chris-wrong"])
    csv = out["csv"].read_text()
    assert "ada-full" in csv and "eli-endless" in csv
    feedback = list((out["course"] / "feedback").rglob("*.html"))
    assert len(feedback) == 5
    # Other work may change the checkout meanwhile: compare only what grading could touch.
    assert grading_state_of_repo() == before, "the grade demo changed source/, release/ or " \
        "left nbgrader state in the repository"
    assert not next(iter((out["course"] / "feedback").rglob("*.html"))).read_text(
        encoding="utf-8").count("graders only")


def grading_state_of_repo() -> dict:
    """Hashes of source/m06 and release/m06, and which nbgrader folders exist in the repo."""
    import hashlib

    state = {}
    for folder in [REPO / "source" / "m06", REPO / "release" / "m06"]:
        digest = hashlib.sha256()
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
        state[str(folder.relative_to(REPO))] = digest.hexdigest()
    for name in ["gradebook.db", "submitted", "autograded", "feedback", "nbgrader.log"]:
        state[name] = (REPO / name).exists()
    return state


def test_only_the_test_targets_set_a_matplotlib_backend():
    """Issue 13: `make start` must not hand MPLBACKEND=Agg to JupyterLab's kernels (charts
    would show as `<Figure size ...>` text); `make test` and `make bench` keep Agg for
    themselves. Read from make's dry run of each target."""
    def dry(target):
        env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
        return subprocess.run(["make", "-n", target], cwd=REPO, env=env, capture_output=True,
                              text=True, check=True).stdout

    start = dry("start")
    assert "jupyter lab" in start and "MPLBACKEND" not in start
    for target in ("test", "bench"):
        assert "MPLBACKEND=Agg" in dry(target), target
