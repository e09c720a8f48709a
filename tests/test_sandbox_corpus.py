"""Hostile submissions graded in the sandbox, together with honest ones (issue: student code is
graded in a sandbox).

tools/hostile_corpus.py makes, from the m06 source and release at run time, honest submissions
(full, blank, one part missing) and one hostile submission per attack: read a source notebook,
write at the course root, change the gradebook, change another student's submission, open
network connections, leave a process running, allocate far beyond the memory limit. They are
graded as a lecturer would (``autograde_all`` with 2 worker processes, then feedback), and one
hostile submission again through nbgrader's own command line and through NbGraderAPI (what
formgrader's Autograde button calls). Then:

- nothing outside each submission's scratch folder changed (checksums of the course tree);
- the gradebook holds only what nbgrader put there;
- no hidden test and no solution text is in any autograded notebook's outputs or any feedback;
- honest submissions get exactly their expected scores; each hostile one scores 0 on the part
  it replaced, full marks on the rest, with a clear reason.
"""

import hashlib
import html
import json
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

from conftest import REPO
from test_sandbox import require_sandbox
import welfaregrading as wg
import welfaregrading.batch
import welfaregrading.course
import welfaregrading.demo
import welfaregrading.feedback
import welfaregrading.report

sys.path.insert(0, str(REPO / "tools"))
import hostile_corpus  # noqa: E402

pytestmark = pytest.mark.slow
AID = "m06"
#: What grading itself writes: nbgrader's autograded/ and feedback/, the gradebook, our run log.
GENERATED = ("autograded", "feedback", "build", "gradebook.db", "gradebook.db-journal")


def course_checksums(course: Path) -> dict:
    """sha256 of every file in the course outside what grading writes (see GENERATED)."""
    sums = {}
    for path in sorted(course.rglob("*")):
        rel = path.relative_to(course)
        if rel.parts[0] in GENERATED or not path.is_file():
            continue
        sums[str(rel)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return sums


def fork_processes(marker: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if marker.encode() in (proc / "cmdline").read_bytes():
                    found.append(int(proc.name))
            except OSError:
                pass
    return found


class Canary:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.calls = []
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                conn, addr = self.sock.accept()
            except OSError:
                continue
            self.calls.append(addr)
            conn.close()

    def close(self):
        self.running = False
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    require_sandbox()
    repo_before = course_checksums(REPO / "source")
    course = wg.course.scratch_course(tmp_path_factory.mktemp("hostile") / "course", [AID])
    wg.course.generate(course, AID)
    memory_mb = wg.course.course_config(course).GradingKernelManager.memory_limit_mb
    canary = Canary()
    try:
        expected = hostile_corpus.build(course, AID, canary_port=canary.port,
                                        memory_mb=memory_mb)
        before = course_checksums(course)
        lines = []
        started = time.perf_counter()
        batch = wg.batch.autograde_all(course, AID, workers=2, echo=lines.append,
                                      progress=False)
        seconds = time.perf_counter() - started
        after_batch = course_checksums(course)
        feedback = wg.feedback.feedback_all(course, AID, echo=lines.append)
        # the other two ways in: nbgrader's command line, and NbGraderAPI (formgrader's button)
        cli = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", AID,
                              "--student", "hostile-read-source", "--force"],
                             cwd=course, capture_output=True, text=True, timeout=300,
                             check=False)
        api = wg.demo.autograde(course, AID, "hostile-other-student")
        time.sleep(1)  # a process that outlived its kernel would still be running now
        return {"course": course, "expected": expected, "batch": batch, "lines": lines,
                "seconds": seconds, "before": before, "after_batch": after_batch,
                "after": course_checksums(course), "feedback": feedback, "cli": cli,
                "api": api, "calls": list(canary.calls), "repo_before": repo_before,
                "forks": fork_processes(hostile_corpus.FORK_MARKER)}
    finally:
        canary.close()


def test_the_corpus_attempts_every_attack_in_the_issue(run):
    attempts = " ".join(s["attempt"] for s in run["expected"]["students"].values())
    for words in ["reads the source notebook", "writes a file at the course root",
                  "gradebook.db", "overwrites the submission of", "network connections",
                  "outlives the cell", "memory limit"]:
        assert words in attempts, words
    assert run["batch"].count("failed") == 0
    assert run["batch"].workers == 2
    assert any("grading sandbox" in line for line in run["lines"])


def test_nothing_outside_the_scratch_folders_changed(run):
    assert run["after_batch"] == run["before"]
    assert run["after"] == run["before"]
    assert course_checksums(REPO / "source") == run["repo_before"]
    course = run["course"]
    assert not (course / hostile_corpus.ROOT_FILE).exists()
    assert not list(course.rglob(hostile_corpus.PLANTED))
    # each autograded folder holds the graded notebook and what nbgrader copied, nothing else
    for sid in run["expected"]["students"]:
        files = sorted(p.name for p in (course / "autograded" / sid / AID).iterdir())
        assert files == sorted([run["expected"]["notebook"], "timestamp.txt"]), (sid, files)


def test_the_gradebook_holds_only_what_nbgrader_wrote(run):
    import sqlite3

    db = sqlite3.connect(run["course"] / "gradebook.db")
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "hostile" not in tables
        assert db.execute("SELECT COUNT(*) FROM grade WHERE manual_score IS NOT NULL"
                          ).fetchone()[0] == 0
    finally:
        db.close()


def test_no_network_connection_and_no_process_outlived_its_kernel(run):
    assert run["calls"] == []
    assert run["forks"] == []
    # the process was started (the cell ran without an error): it was ended with the kernel
    nb = nbformat.read(run["course"] / "autograded" / "hostile-fork" / AID
                       / run["expected"]["notebook"], as_version=4)
    answer = next(c for c in nb.cells
                  if c.metadata.get("nbgrader", {}).get("grade_id") == run["expected"]["attacked"])
    assert "Popen" in answer.source
    assert not [o for o in answer.outputs if o.output_type == "error"]


def _visible_text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page)))


def test_no_hidden_test_or_solution_text_reaches_outputs_or_feedback(run):
    assert len(run["expected"]["secrets"]) >= 5  # hidden conditions of every part, model answers
    assert run["expected"]["answer_secrets"]
    course = run["course"]
    for sid in run["expected"]["students"]:
        secrets = run["expected"]["secrets"] + (
            [] if sid == "honest-full" else run["expected"]["answer_secrets"])
        for path in (course / "autograded" / sid / AID).glob("*.ipynb"):
            nb = nbformat.read(path, as_version=4)
            outputs = json.dumps([c.get("outputs", []) for c in nb.cells])
            for secret in secrets:
                assert secret not in outputs, (sid, secret)
        pages = list((course / "feedback" / sid / AID).glob("*.html"))
        assert pages, f"no feedback for {sid}"
        for page in pages:
            text = _visible_text(page.read_text(encoding="utf-8"))
            for secret in secrets:
                assert re.sub(r"\s+", " ", secret) not in text, (sid, secret)
    assert all(reason is None for reason in run["feedback"].values()), run["feedback"]


def test_honest_and_hostile_submissions_get_exactly_their_expected_scores(run):
    course = run["course"]
    for sid, want in run["expected"]["students"].items():
        got = {gid: c.score for gid, c in wg.report.cell_scores(course, AID, sid).items() if c.auto}
        assert got == want["scores"], sid


def test_each_hostile_submission_has_a_clear_reason(run):
    students = run["batch"].students
    attacked, broken = run["expected"]["attacked"], run["expected"]["broken_tests"]
    # (a path outside the sandbox does not exist, or its folder exists empty and unwritable:
    # which one depends on where the worker's scratch copy of the submission lives)
    missing = ("FileNotFoundError", "PermissionError")
    want = {"hostile-read-source": missing, "hostile-write-root": missing,
            "hostile-gradebook": ("OperationalError",), "hostile-other-student": missing,
            "hostile-network": ("ConnectionRefusedError",), "hostile-memory": ("MemoryError",)}
    for sid, errors in want.items():
        lost = students[sid]["lost"]
        assert any(line.startswith(f"{attacked}:") and any(e in line for e in errors)
                   for line in lost), (sid, lost)
        assert all(any(line.startswith(f"{t}: 0 of") for line in lost) for t in broken), sid
    fork = students["hostile-fork"]["lost"]
    assert all(any(line.startswith(f"{t}: 0 of") for line in fork) for t in broken)
    summary = run["batch"].summary.read_text()
    assert "NOT SANDBOXED" not in summary
    assert "while grading, code may use only its own folder" in summary


def test_command_line_and_formgrader_paths_are_sandboxed_too(run):
    assert run["cli"].returncode == 0, run["cli"].stderr[-2000:]
    assert run["api"].get("success"), run["api"].get("error")
    course, attacked = run["course"], run["expected"]["attacked"]
    for sid, error in [("hostile-read-source", "FileNotFoundError"),
                       ("hostile-other-student", "FileNotFoundError")]:
        nb = nbformat.read(course / "autograded" / sid / AID / run["expected"]["notebook"],
                           as_version=4)
        answer = next(c for c in nb.cells
                      if c.metadata.get("nbgrader", {}).get("grade_id") == attacked)
        assert [o.ename for o in answer.outputs if o.output_type == "error"] == [error], sid
    # the victim is untouched and still scores full marks
    victim = hostile_corpus.VICTIM
    scores = wg.report.cell_scores(course, AID, victim)
    assert all(c.score == c.max_score for c in scores.values() if c.auto)


def test_sandboxed_grading_stays_quick(run):
    # 10 submissions on 2 workers: generous, it only guards against a sandbox that hangs
    assert run["seconds"] < 240, run["seconds"]
