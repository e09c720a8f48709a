"""The hostile corpus graded through every autograde path, with honest submissions beside it
(issue 11, "Tests"; the attacks come from the security review of issue 11 and the sandbox
review of issue 8, see tools/hostile_corpus.py).

tools/hostile_corpus.py makes, from the m06 source and release at run time, honest submissions
(full, blank, one part missing, 10.5 days late) and one submission per attack. The same corpus
is graded, each in its own scratch course, through every way a lecturer autogrades:

- ``parallel``: ``python -m welfaregrading autograde m06 --course X --workers 2``;
- ``serial``: the same with ``--workers 1``;
- ``nbgrader``: plain ``nbgrader autograde m06`` in the course folder, then
  ``nbgrader generate_feedback m06``;
- ``formgrader``: NbGraderAPI's ``autograde`` and ``generate_feedback`` per student in one
  long-running process whose configuration was loaded before the submissions arrived (as in
  formgrader's server, whose Autograde button calls them); only the attacks that live in the
  submission's files (they act before any preprocessor runs), and one honest submission;

then feedback (``python -m welfaregrading feedback`` for the first two). The graders run as
child processes with a file-size limit (so a grader that copies ``/dev/zero`` cannot fill the
disk) and a time limit (so one that hangs on a FIFO cannot hang the test). Then, per path:

- honest scores are exact (and the late one is late by 10.5 days);
- nothing outside each submission's folder changed: sha256 of the whole scratch course, the
  submissions included (links by their target, FIFOs by their kind: nothing is followed),
  except what grading writes (autograded/, feedback/, build/, the gradebook, nbgrader's log),
  and of a canary file outside the course; the gradebook holds no foreign table or manual
  score; no network call reached the grader's machine; no process outlived its kernel;
- no hidden test, expected value or mark-scheme text is in any file the student's code could
  read while graded (the probe of attacks 1, 2 reports what it read) nor in any feedback page
  (decoded: HTML, base64, ROT13, reversed, digits spelled out);
- each hostile submission is refused or fails with a reason, or scores 0 on its attacked part,
  or is flagged for review with a reason; never a clean full score from the attack;
- the batch finishes: one bad submission costs only itself.

The four courses are made side by side, then the four paths grade side by side: grading the
corpus mostly waits (the probes' time budgets, the attacks' time limits), under 3 min of CPU in
all, so paths run in turn left the cores idle (the fixture held its xdist worker 254 s in make
test). Measured alone on the 2-core machine: 3 min 45 s (making the courses 24 s; the slowest
path, serial, 194 s; 166 s of CPU); while other test runs kept the load average near 10: 7.5 min
(serial 308 s of its 420 s limit).
``HOSTILE_SKIP="starve-fifo starve-deep-json"`` leaves attacks out (to see the others when one
hangs a path); ``HOSTILE_TABLE=file.json`` writes the attack table (attack -> outcome per path).
"""

import base64
import codecs
import hashlib
import html
import json
import os
import re
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from conftest import REPO
from test_execution_sandbox import require_sandbox

import welfaregrading as wg
import welfaregrading.course
import welfaregrading.report

sys.path.insert(0, str(REPO / "tools"))
import hostile_corpus

pytestmark = pytest.mark.slow
AID = "m06"
PATHS = ("parallel", "serial", "nbgrader", "formgrader")
#: The formgrader path (NbGraderAPI in a long-running process, its configuration loaded before
#: the submissions arrive, as formgrader's server) grades the attacks that live in the
#: submission's files, the FIFO last (it could hang the process), and one honest submission.
FORMGRADER_ONLY = ["honest-full", "symlink-notebook", "symlink-files", "symlink-dev-zero",
                   "starve-deep-json", "starve-many-files", "starve-fifo"]
#: What the formgrader path runs: the API is made (config loaded) before the corpus exists.
FORMGRADER_SCRIPT = r"""
import json, sys, time
from pathlib import Path
import welfaregrading.course as wc
course, students = Path(sys.argv[1]), sys.argv[2:]
api = wc.api_for(course)  # formgrader's server: configuration loaded at start
(course.parent / "api-ready").write_text("ready")
while not (course.parent / "corpus-ready").exists():
    time.sleep(0.2)
for sid in students:
    print(f"== student {sid}", flush=True)
    result = api.autograde("m06", sid, force=True, create=True)
    print(result.get("log") or "", flush=True)
    if not result.get("success"):
        print("ERROR formgrader autograde failed: "
              + ((result.get("error") or "").strip().splitlines() or ["?"])[-1], flush=True)
    else:
        api.generate_feedback("m06", sid, force=True)
"""
PY = sys.executable
BIN = Path(sys.executable).parent
#: What grading itself writes (top-level names in the course): not checksummed.
GENERATED = ("autograded", "feedback", "build", ".nbgrader.log")
#: Small limits for the scratch courses, so the corpus grades in minutes.
CONFIG = [
    "c.Execute.timeout = 30",
    "c.Execute.iopub_timeout = 10",
    "c.GuardedExecute.notebook_timeout = 100",
    "c.GradingKernelManager.memory_limit_mb = 2048",
    f'c.CourseGrading.due_dates = {{"{AID}": "{hostile_corpus.DUE:%Y-%m-%d %H:%M:%S} UTC"}}',
]
FLOOD_MB = 200
#: A grader process may write no file larger than this (it would be copying /dev/zero).
FILE_SIZE_CAP = 1 << 30
#: Seconds a path may take before it counts as starved (generous: a loaded 2-core machine), and
#: seconds without any sign of progress (log, run files, autograded/) before it counts as hung
#: (longer than one notebook's whole time budget above).
PATH_TIMEOUT = {"parallel": 300, "serial": 420, "nbgrader": 420, "formgrader": 300}
STALL_SECONDS = {"parallel": 150, "serial": 150, "nbgrader": 150, "formgrader": 90}
#: An autograded or feedback folder larger than this did not contain its submission's output.
MAX_ARTIFACT_BYTES = 5 * 2**20
MAX_ARTIFACT_FILES = 50


# ---- helpers ------------------------------------------------------------------------------------

def course_checksums(course: Path) -> dict:
    """sha256 of every file in the course (links by their target, FIFOs by their kind; none is
    followed or opened) outside what grading writes."""
    sums = {}
    for folder, dirs, files in os.walk(course):
        rel_folder = Path(folder).relative_to(course)
        if rel_folder.parts and rel_folder.parts[0] in GENERATED:
            dirs[:] = []
            continue
        for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            path = Path(folder) / name
            rel = path.relative_to(course)
            if rel.parts[0] in GENERATED or rel.parts[0].startswith("gradebook.db"):
                continue
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                sums[str(rel)] = "link:" + os.readlink(path)
            elif stat.S_ISREG(st.st_mode):
                sums[str(rel)] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                sums[str(rel)] = f"special:{stat.S_IFMT(st.st_mode):o}"
    return sums


def processes_with(marker: str) -> list[int]:
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
    """A TCP listener on 127.0.0.1 that records what every connection sends."""

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
                conn, _ = self.sock.accept()
            except OSError:
                continue
            conn.settimeout(2)
            try:
                self.calls.append(conn.recv(200))
            except OSError:
                self.calls.append(b"")
            conn.close()

    def close(self):
        self.running = False
        self.thread.join(timeout=2)
        self.sock.close()


#: Runs a command with the file-size limit (instead of preexec_fn, which is unsafe in threads).
WITH_LIMITS = [PY, "-c", ("import os, resource, sys; "
               f"resource.setrlimit(resource.RLIMIT_FSIZE, ({FILE_SIZE_CAP}, {FILE_SIZE_CAP})); "
               "os.execvp(sys.argv[1], sys.argv[1:])")]


def _progress(course: Path, log: Path) -> float:
    """The latest change of anything a grading run writes as it goes."""
    marks = [log, course / "autograded", course / "feedback", course / "gradebook.db",
             course / "build" / "grading" / AID / "state.json",
             course / "build" / "grading" / AID / "grading.log"]
    return max((p.stat().st_mtime for p in marks if p.exists()), default=0.0)


def start_command(argv, cwd, log: Path):
    """Start a grader process: its own session, the file-size limit, output to ``log``."""
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
               MPLBACKEND="Agg")
    with open(log, "wb") as out:
        proc = subprocess.Popen([*WITH_LIMITS, *argv], cwd=cwd, stdout=out,
                                stderr=subprocess.STDOUT, env=env, start_new_session=True)
    return proc, argv, log, time.perf_counter()


def run_command(argv, cwd, log: Path, timeout: float, started_proc=None,
                stall: float = 150) -> dict:
    """Run a grader process (see start_command); end its whole group at ``timeout`` or after
    ``stall`` seconds without progress."""
    proc, argv, log, started = started_proc or start_command(argv, cwd, log)
    timed_out = False
    if True:
        while proc.poll() is None:
            time.sleep(2)
            now = time.perf_counter()
            if now - started > timeout:
                timed_out = f"still running after {timeout} s"
            elif time.time() - max(_progress(Path(cwd), log), time.time() - (now - started)) \
                    > stall:
                timed_out = f"no progress for {stall} s"
            if timed_out:
                break
        try:  # the group: workers, kernels, bwrap (a finished run leaves none)
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    argv = [str(a) if len(str(a)) < 200 else str(a)[:60] + "..." for a in argv]
    return {"argv": argv, "rc": proc.returncode, "timed_out": timed_out,
            "seconds": time.perf_counter() - started,
            "log": log.read_text(encoding="utf-8", errors="replace")}


def grade_commands(path: str, course: Path) -> list[list[str]]:
    if path == "nbgrader":
        return [[str(BIN / "nbgrader"), "autograde", AID],
                [str(BIN / "nbgrader"), "generate_feedback", AID]]
    workers = "2" if path == "parallel" else "1"
    return [[PY, "-m", "welfaregrading", "autograde", AID, "--course", str(course),
             "--workers", workers, "--quiet"],
            [PY, "-m", "welfaregrading", "feedback", AID, "--course", str(course)]]


def empty_course(dest: Path) -> Path:
    """A scratch course, its release generated and the due date set, without submissions."""
    course = wg.course.scratch_course(dest, [AID], config_lines=CONFIG)
    wg.course.generate(course, AID)
    # the due date also in the gradebook, for plain nbgrader (welfaregrading sets it itself)
    from nbgrader.api import Gradebook

    with Gradebook(wg.course.db_url(course)) as gb:
        gb.update_or_create_assignment(AID, duedate=hostile_corpus.DUE.replace(tzinfo=None))
    return course


def make_course(base: Path, path: str, canary: Canary, template: Path) -> dict:
    """A copy of ``template`` (see empty_course); for every path but formgrader, with the
    corpus; for formgrader, its process is started first and the corpus made after."""
    import shutil

    course = base / "course"
    shutil.copytree(template, course, symlinks=True)
    run = {"path": path, "course": course, "base": base, "steps": []}
    if path == "formgrader":
        run["started"] = start_command(
            [PY, "-c", FORMGRADER_SCRIPT, str(course), *submit_list(FORMGRADER_ONLY)], course,
            base / "step0.log")
        for _ in range(600):
            if (base / "api-ready").exists() or run["started"][0].poll() is not None:
                break
            time.sleep(0.2)
    make_corpus(run, canary, FORMGRADER_ONLY if path == "formgrader" else None)
    return run


def submit_list(names):
    skip = os.environ.get("HOSTILE_SKIP", "").split()
    return [n for n in names if n not in skip]


def make_corpus(run: dict, canary: Canary, only=None) -> None:
    """tools/hostile_corpus.py (its command line) into the run's course; checksums before."""
    course = run["course"]
    skip = os.environ.get("HOSTILE_SKIP", "").split()
    made = subprocess.run([PY, str(REPO / "tools" / "hostile_corpus.py"), str(course),
                           "--assignment", AID, "--canary-port", str(canary.port),
                           "--flood-mb", str(FLOOD_MB), "--memory-mb", "2048",
                           *(["--skip", *skip] if skip else []),
                           *(["--only", *only] if only else [])],
                          capture_output=True, text=True, timeout=300, check=False)
    assert made.returncode == 0, made.stderr[-3000:]
    run["expected"] = json.loads((course / "hostile-expected.json").read_text())
    canary_file = Path(run["expected"]["canary_file"])
    run["before"] = course_checksums(course)
    run["canary_before"] = hashlib.sha256(canary_file.read_bytes()).hexdigest()
    (run["base"] / "corpus-ready").write_text("ready")


def grade_path(run: dict) -> None:
    """Grade and give feedback through ``run["path"]``; record each step (in a thread)."""
    if run["path"] == "formgrader":
        run["steps"].append(run_command(None, run["course"], None, PATH_TIMEOUT["formgrader"],
                                        run["started"], STALL_SECONDS["formgrader"]))
        time.sleep(1)
        return
    for i, argv in enumerate(grade_commands(run["path"], run["course"])):
        # (feedback runs also after a grading step that hung: for what was graded)
        run["steps"].append(run_command(argv, run["course"], run["base"] / f"step{i}.log",
                                        PATH_TIMEOUT[run["path"]],
                                        stall=STALL_SECONDS[run["path"]]))
    time.sleep(1)  # a process that outlived its kernel would still be running now


# ---- reading the results ------------------------------------------------------------------------

_DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def decoded_variants(text: str) -> list[str]:
    """``text`` and what an encoded leak in it decodes to: ROT13, reversed, digits spelled
    out, every base64 run; whitespace normalised."""
    out = [text, codecs.decode(text, "rot13"), text[::-1],
           re.sub(r"\b(" + "|".join(_DIGITS) + r")\b[ -]?",
                  lambda m: str(_DIGITS.index(m.group(1))), text)]
    for token in re.findall(r"[A-Za-z0-9+/]{16,}={0,2}", text):
        try:
            out.append(base64.b64decode(token + "=" * (-len(token) % 4)).decode("utf-8", "replace"))
        except ValueError:
            pass
    return [re.sub(r"\s+", " ", t) for t in out]


def visible_text(page: str) -> str:
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.DOTALL | re.IGNORECASE)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def secrets_in(text: str, secrets: list[str], values: list[str]) -> list[str]:
    found = []
    for variant in decoded_variants(text):
        for secret in secrets:
            if re.sub(r"\s+", " ", secret) in variant and secret not in found:
                found.append(secret)
        for value in values:
            if re.search(rf"(?<![\d.]){re.escape(value)}(?!\d)", variant) and value not in found:
                found.append(value)
    return found


def tree_size(folder: Path) -> tuple[int, int]:
    files, size = 0, 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            files += 1
            try:
                size += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return files, size


def nbgrader_sections(log: str) -> dict:
    """Plain nbgrader's log cut per student (it grades them one after the other)."""
    sections, current = {}, None
    for line in log.splitlines():
        left_out = re.search(r"Left out of grading.*?: submitted/([^/]+)/", line)
        if left_out:  # refused before nbgrader started on it
            sections.setdefault(left_out.group(1), []).append(line)
            continue
        m = re.search(r"Creating/updating student with ID '([^']+)'|^== student (\S+)$", line)
        if m:
            current = m.group(1) or m.group(2)
        if current:
            sections.setdefault(current, []).append(line)
    return {sid: "\n".join(lines) for sid, lines in sections.items()}


def probe_report(nb, attacked: str, tag: str) -> dict | None:
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") != attacked:
            continue
        for out in cell.get("outputs", []):
            text = out.get("text", "") if out.get("output_type") == "stream" else ""
            for line in (text if isinstance(text, str) else "".join(text)).splitlines():
                if line.startswith(tag):
                    try:
                        return json.loads(line[len(tag):])
                    except ValueError:
                        return {"hits": [], "unreadable": line[:200]}
    return None


#: Where an expected value may appear by chance (public data, third-party code); a hidden test,
#: a mark-scheme line or an expected value anywhere else is a leak. (Markers such as "BEGIN
#: SOLUTION" alone are not: the grading code names them.)
PUBLIC = ("/data/", "/site-packages/", "/lib/python3")


def collect(run: dict, canary: Canary) -> None:
    """Per student of one path: status, reason, scores, lateness, side effects, verdict."""
    from nbgrader.api import Gradebook, MissingEntry

    course, exp = run["course"], run["expected"]
    run["after"] = course_checksums(course)
    canary_file = Path(exp["canary_file"])
    run["canary_after"] = hashlib.sha256(canary_file.read_bytes()).hexdigest()
    run["forks"] = processes_with(exp["fork_marker"])
    run["calls"] = [c for c in canary.calls if exp["tag"].encode() in c]
    grading_log = run["steps"][0]["log"] if run["steps"] else ""
    sections = nbgrader_sections(grading_log) \
        if run["path"] in ("nbgrader", "formgrader") else {}
    summary = {}
    summary_file = course / "build" / "grading" / AID / "summary.json"
    if summary_file.exists():
        summary = json.loads(summary_file.read_text()).get("students", {})
    db = course / "gradebook.db"
    tables = set()
    if db.exists():
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
            manual = con.execute("SELECT COUNT(*) FROM grade WHERE manual_score IS NOT NULL"
                                 ).fetchone()[0]
        finally:
            con.close()
    run["gradebook_tampered"] = ("hostile" in tables) or bool(manual if db.exists() else 0)
    values = exp["expected_values"]
    values = values + [v.rstrip("0").rstrip(".") for v in values if "." in v]
    base_secrets = exp["hidden_conditions"] + exp["mark_scheme"]
    answer_code = exp["answer_secrets"]
    results = {}
    gb = Gradebook(wg.course.db_url(course))
    try:
        for sid, want in exp["students"].items():
            r = {"effects": [], "flag": "", "reason": "", "status": "not reached"}
            graded_dir = course / "autograded" / sid / AID
            feedback_dir = course / "feedback" / sid / AID
            own_log = ""
            if run["path"] in ("nbgrader", "formgrader"):
                own_log = sections.get(sid, "")
                if graded_dir.is_dir() and (graded_dir / exp["notebook"]).exists():
                    r["status"] = "graded"
                elif sid in sections:
                    r["status"] = "failed"
                    errors = [ln for ln in own_log.splitlines()
                              if "ERROR" in ln or "rror" in ln or "Left out of grading" in ln]
                    r["reason"] = (errors[-1] if errors else "no autograded notebook")[-300:]
            else:
                row = summary.get(sid)
                log_file = course / "build" / "grading" / AID / "logs" / f"{sid}.log"
                own_log = log_file.read_text(errors="replace") if log_file.exists() else ""
                if row:
                    r["status"] = row["status"]
                    r["reason"] = row.get("reason") or ""
                    if row.get("flags"):
                        r["flag"] = "; ".join(row["flags"])
            if run["steps"] and run["steps"][0]["timed_out"] and sections \
                    and sid == list(sections)[-1] and r["status"] != "graded":
                r["effects"].append(f"the grader hung on it ({run['steps'][0]['timed_out']})")
            flags = re.findall(r"Grading flag: (.*)", own_log)
            if flags:
                r["flag"] = r["flag"] or flags[0]
            if "flag" in r["status"]:
                r["status"] = "flagged"
            if not r["flag"] and r["status"] == "flagged":
                r["flag"] = r["reason"] or "(no reason given)"
            # scores and lateness from the gradebook
            try:
                sub = gb.find_submission(AID, sid)
                r["late_seconds"] = sub.total_seconds_late
                r["scores"] = {g: c.score for g, c in
                               wg.report.cell_scores(course, AID, sid, gb).items() if c.auto}
            except MissingEntry:
                r["late_seconds"], r["scores"] = None, None
            finally:
                gb.db.rollback()
            # side effects
            texts = []
            nb = None
            if graded_dir.is_dir():
                for p in graded_dir.iterdir():
                    if p.is_symlink() or not p.is_file():
                        r["effects"].append(f"autograded/ holds a link or special file {p.name}")
                nb_path = graded_dir / exp["notebook"]
                if nb_path.is_file() and not nb_path.is_symlink():
                    try:
                        nb = nbformat.read(nb_path, as_version=4)
                        texts.append(json.dumps([c.get("outputs", []) for c in nb.cells]))
                    except Exception as err:  # noqa: BLE001
                        r["effects"].append(f"autograded notebook unreadable: {err}"[:200])
            pages = sorted(feedback_dir.glob("*.html")) if feedback_dir.is_dir() else []
            r["feedback"] = len(pages)
            page_texts = [visible_text(p.read_text(encoding="utf-8", errors="replace"))
                          for p in pages if p.is_file() and not p.is_symlink()]
            token = exp["canary_token"]
            if any(token in t for t in texts + page_texts):
                r["effects"].append("read the canary file outside the course")
            submitted_nb = course / "submitted" / sid / AID / exp["notebook"]
            own_code = ""
            if submitted_nb.is_file() and not submitted_nb.is_symlink() \
                    and stat.S_ISREG(os.lstat(submitted_nb).st_mode):
                own_code = submitted_nb.read_text(errors="replace")
            secrets = base_secrets + [s for s in answer_code if s not in own_code]
            for text in page_texts:
                leaked = secrets_in(text, secrets, values)
                if leaked:
                    r["effects"].append(f"feedback shows {leaked[:3]}")
                    break
            if nb is not None:
                report = probe_report(nb, exp["attacked"], exp["probe_tag"])
                if report is not None:
                    r["probe"] = {"files": report.get("files"), "hits": report.get("hits")}
                    bad = [(p, k) for p, k in report.get("hits", [])
                           if set(k) & {"hidden test", "mark scheme or solution"}
                           or ("expected value" in k and not any(x in p for x in PUBLIC))]
                    if bad:
                        r["effects"].append(f"could read {bad[:3]}")
                    if report.get("answers"):
                        r["effects"].append(f"set answers from what it read: "
                                            f"{report['answers']}")
            if want["late_seconds"] is not None and r["late_seconds"] is not None \
                    and abs(r["late_seconds"] - want["late_seconds"]) > 120:
                r["effects"].append(f"late by {r['late_seconds']:.0f} s, not "
                                    f"{want['late_seconds']:.0f} s")
            for folder in (graded_dir, feedback_dir):
                files, size = tree_size(folder) if folder.is_dir() else (0, 0)
                if files > MAX_ARTIFACT_FILES or size > MAX_ARTIFACT_BYTES:
                    r["effects"].append(f"{folder.relative_to(course).parts[0]}/ holds "
                                        f"{files} files, {size / 2**20:.0f} MB")
            if "File too large" in own_log or "EFBIG" in own_log:
                r["effects"].append("the grader wrote a file up to the test's size cap "
                                    "(copying /dev/zero?)")
            results[sid] = r
    finally:
        gb.close()
    # side effects that belong to one attack
    if (course / exp["root_file"]).exists() and "write-root" in results:
        results["write-root"]["effects"].append("wrote a file at the course root")
    if list(course.rglob(exp["planted"])) and "other-student" in results:
        results["other-student"]["effects"].append("planted a file in another student's folder")
    changed = sorted(k for k in set(run["before"]) | set(run["after"])
                     if run["before"].get(k) != run["after"].get(k))
    run["changed"] = changed
    for key in changed:
        parts = Path(key).parts
        owner = parts[1] if parts[0] == "submitted" and len(parts) > 1 else None
        culprit = {"submitted": "other-student"}.get(parts[0], None) if owner == exp["victim"] \
            else None
        if culprit in results:
            results[culprit]["effects"].append(f"changed {key}")
        elif owner in results:
            results[owner]["effects"].append(f"changed its own submission file {key}")
    if run["gradebook_tampered"] and "gradebook" in results:
        results["gradebook"]["effects"].append("changed gradebook.db")
    if run["calls"] and "network" in results:
        results["network"]["effects"].append(f"reached the grader's machine: {run['calls']}")
    if run["forks"] and "fork" in results:
        results["fork"]["effects"].append(f"left processes running: {run['forks']}")
    for sid, r in results.items():
        r["verdict"] = verdict(exp, sid, r)
    run["results"] = results


def verdict(exp: dict, sid: str, r: dict) -> str:
    """One word (and why) for a student's outcome, in the terms of ``accept``."""
    want = exp["students"][sid]
    if r["effects"]:
        return "succeeded: " + "; ".join(r["effects"])
    if r["status"] == "not reached":
        return "not reached (the batch stopped before it)"
    if r["status"] == "failed":
        return f"refused: {r['reason'] or '(no reason given)'}"
    if r["flag"] or r["status"] == "flagged":
        return f"flagged: {r['flag']}"
    scores = r["scores"] or {}
    if "exact" in want["accept"]:
        return "exact" if scores == want["scores"] else f"wrong scores: {scores}"
    if "contained" in want["accept"]:
        return "contained"
    if "part scores 0" in want["accept"]:
        broken = {g: scores.get(g) for g in exp["broken_tests"]}
        if all(v == 0 for v in broken.values()):
            return "part scores 0"
        return f"succeeded: the attacked part scored {broken}"
    return f"not refused (graded: {sum(v or 0 for v in scores.values()):g} points)"


def category(text: str) -> str:
    return text.split(":")[0].split(" (")[0]


# ---- the runs -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The corpus graded through every path, the four side by side."""
    require_sandbox()
    repo_before = course_checksums(REPO / "source")
    canary = Canary()
    started = time.perf_counter()
    try:
        template = empty_course(tmp_path_factory.mktemp("hostile-template") / "course")
        bases = {p: tmp_path_factory.mktemp(f"hostile-{p}") for p in PATHS}
        # the four courses side by side: each is a copy and a run of the corpus's command line
        with ThreadPoolExecutor(len(PATHS)) as pool:
            made = dict(zip(PATHS, pool.map(
                lambda p: make_course(bases[p], p, canary, template), PATHS)))
        setup = time.perf_counter() - started
        # the four paths side by side: grading the corpus mostly waits (the probes' time
        # budgets, the attacks' time limits), so a run in turn would leave the cores idle
        threads = [threading.Thread(target=grade_path, args=(made[p],)) for p in PATHS]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for p in PATHS:
            collect(made[p], canary)
    finally:
        canary.close()
    made["seconds"] = time.perf_counter() - started
    made["setup_seconds"] = setup
    made["repo_before"] = repo_before
    table = {sid: {p: made[p]["results"].get(sid, {}).get("verdict", "-") for p in PATHS}
             for sid in made[PATHS[0]]["expected"]["students"]}
    made["table"] = table
    lines = [(f"hostile corpus: {made['seconds']:.0f} s in all, {setup:.0f} s of it making the "
             f"{len(PATHS)} courses")]
    for p in PATHS:
        lines.append(f"  {p}: " + ", ".join(f"{' '.join(s['argv'][1:3])} {s['seconds']:.0f} s "
                                            f"rc={s['rc']}"
                                            + (f" STOPPED: {s['timed_out']}" if s["timed_out"]
                                               else "")
                                            for s in made[p]["steps"]))
    for sid, row in table.items():
        lines.append(f"  {sid:<24} " + " | ".join(f"{p}: {row[p][:90]}" for p in PATHS))
    print("\n".join(lines))
    if os.environ.get("HOSTILE_TABLE"):
        Path(os.environ["HOSTILE_TABLE"]).write_text(json.dumps(
            {"seconds": made["seconds"], "setup_seconds": setup, "table": table,
             "steps": {p: [{k: v for k, v in s.items() if k != "log"} for s in made[p]["steps"]]
                       for p in PATHS},
             "changed": {p: made[p]["changed"] for p in PATHS},
             "details": {p: made[p]["results"] for p in PATHS}}, indent=1, default=str))
    yield made
    for p in PATHS:  # big files (a flood that got through) are not kept among pytest's temp dirs
        for folder, _, names in os.walk(made[p]["course"]):
            for name in names:
                path = Path(folder) / name
                if path.is_file() and not path.is_symlink() and path.stat().st_size > 20 * 2**20:
                    path.unlink()


@pytest.fixture(params=PATHS)
def graded(request, runs):
    return runs[request.param]


# ---- the tests ----------------------------------------------------------------------------------

def test_the_leak_check_sees_through_every_encoding_of_the_leak_attack():
    """The encodings attack 4 prints are the ones the feedback check decodes (else a
    'no leak' verdict would mean nothing)."""
    namespace = {}
    exec("import base64 as _b64\n" + hostile_corpus.LEAK.split("for _t in")[0],  # noqa: S102
         namespace)
    hidden = "assert abs(switching_deadweight_a - 0.69300) < 1e-4, 'not right'"
    encodings = list(namespace["_encodings"](hidden))
    assert len(encodings) == 5
    for shown in encodings:
        page = visible_text(f"<pre>{html.escape(shown)}</pre>")
        found = secrets_in(page, ["abs(switching_deadweight_a - 0.69300) < 1e-4"], ["0.693"])
        assert found, shown


def test_the_probe_finds_hidden_tests_and_answers_where_they_are_readable(tmp_path):
    """Unsandboxed, beside a sanitized notebook, the self-answer probe finds the hidden tests
    and sets the answer (else a 'blocked' verdict would mean nothing)."""
    import nbformat as nbf

    course = tmp_path / "course"
    work = course / "autograded" / "someone" / AID
    work.mkdir(parents=True)
    source = nbf.read(REPO / "source" / AID / "m06-sroi.ipynb", as_version=4)
    nbf.write(source, work / "m06-sroi.ipynb")
    release = nbf.read(REPO / "release" / AID / "m06-sroi.ipynb", as_version=4)
    conditions = hostile_corpus.hidden_conditions(source)
    marks = [hostile_corpus._norm(x) for x in hostile_corpus.secrets(source, release)
             if x not in conditions]
    values = hostile_corpus.expected_values(source)
    hashes = {"conditions": [hostile_corpus._sha(c) for c in conditions],
              "lines": [hostile_corpus._sha(m) for m in marks],
              "values": [hostile_corpus._sha(v) for v in values]}
    code = hostile_corpus.probe(hashes) + hostile_corpus.SELF_ANSWER + (
        "print('ANSWER', switching_deadweight_a)\n")
    done = subprocess.run([PY, "-c", code], cwd=work, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(next(line for line in done.stdout.splitlines()
                             if line.startswith(hostile_corpus.PROBE_TAG))[
        len(hostile_corpus.PROBE_TAG):])
    mine = [kinds for path, kinds in report["hits"]
            if path.startswith((str(work), "/proc/self/cwd"))]
    assert any({"hidden test", "mark scheme or solution"} <= set(k) for k in mine), report
    assert "switching_deadweight_a" in report["answers"]
    assert "ANSWER 0.693" in done.stdout


def test_the_corpus_holds_every_attack_of_the_reviews(runs):
    exp = runs["parallel"]["expected"]
    students = exp["students"]
    groups = {s["group"] for s in students.values() if s["kind"] == "hostile"}
    skipped = os.environ.get("HOSTILE_SKIP", "").split()
    assert groups == set(range(7)) or skipped
    for name in ["self-answer", "symlink-notebook", "symlink-files", "symlink-dev-zero",
                 "lateness", "leak-feedback", "leak-fallback", "tamper-hooks", "tamper-transformer",
                 "tamper-run-code", "tamper-builtins", "tamper-float", "starve-deep-json",
                 "starve-fifo", "starve-stdout", "starve-many-files", "starve-many-files-run",
                 "read-source", "write-root", "gradebook", "other-student", "network", "fork",
                 "memory", "honest-full", "honest-blank", "honest-part-missing", "honest-late"]:
        assert name in students or name in skipped, name
    for sid, s in students.items():
        assert s["kind"] == "honest" or "issue" in s["source"], sid
    # the expected values and hidden tests are known (else the leak checks would check nothing)
    assert {"60000", "54000", "48600", "1.99897", "0.69300"} <= set(exp["expected_values"])
    assert len(exp["hidden_conditions"]) >= 6 and exp["mark_scheme"]
    # generated, never stored: no attack code and no expected value in the tool's own source
    tool = (REPO / "tools" / "hostile_corpus.py").read_text()
    assert not [v for v in exp["expected_values"] if v in tool]


@pytest.mark.parametrize("path", PATHS)
def test_the_batch_finishes_in_time(runs, path):
    run = runs[path]
    assert run["steps"] and not any(s["timed_out"] for s in run["steps"]), \
        [(s["argv"][1:3], s["seconds"]) for s in run["steps"]]
    assert len(run["steps"]) == (1 if path == "formgrader" else 2)
    reached = [sid for sid, r in run["results"].items() if r["status"] == "not reached"]
    assert not reached, f"{path}: never graded nor refused: {reached}"


def test_every_path_grades_in_the_sandbox_with_its_workers(graded):
    log = graded["steps"][0]["log"] if graded["steps"] else ""
    assert "NOT SANDBOXED" not in log
    if graded["path"] in ("parallel", "serial"):
        assert "grading sandbox" in log
        workers = 2 if graded["path"] == "parallel" else 1
        assert f"; {workers} worker process(es)" in log, log[-2000:]
        summary = graded["course"] / "build" / "grading" / AID / "summary.txt"
        assert "NOT SANDBOXED" not in summary.read_text()


def test_honest_submissions_get_exactly_their_scores(graded):
    exp = graded["expected"]
    for sid, want in exp["students"].items():
        if want["kind"] != "honest":
            continue
        r = graded["results"][sid]
        assert r["scores"] == want["scores"], (graded["path"], sid, r["verdict"], r["scores"])
        assert r["late_seconds"] is not None, (graded["path"], sid)
        assert abs(r["late_seconds"] - want["late_seconds"]) < 120, (sid, r["late_seconds"])
        assert r["feedback"], (graded["path"], sid, "no feedback page")
        assert r["verdict"] == "exact", (graded["path"], sid, r["verdict"])


def test_nothing_outside_each_submission_changed(graded, runs):
    assert graded["changed"] == [], (graded["path"], graded["changed"])
    assert graded["canary_after"] == graded["canary_before"]
    assert not graded["gradebook_tampered"]
    course = graded["course"]
    assert not (course / hostile_corpus.ROOT_FILE).exists()
    assert not list(course.rglob(hostile_corpus.PLANTED))
    assert course_checksums(REPO / "source") == runs["repo_before"]


def test_student_code_could_read_no_secret_while_graded(graded):
    results = graded["results"]
    probed = {sid: r.get("probe") for sid, r in results.items()
              if sid in ("self-answer", "symlink-files")}
    # the probe ran in the self-answer submission (else this test checks nothing)
    assert "self-answer" not in probed or probed["self-answer"] \
        or results["self-answer"]["status"] != "graded", results["self-answer"]
    readable = {sid: r["effects"] for sid, r in results.items()
                if any(e.startswith(("could read", "set answers", "read the canary"))
                       for e in r["effects"])}
    assert not readable, (graded["path"], readable)


def test_no_secret_in_any_feedback_page(graded):
    leaks = {sid: [e for e in r["effects"] if e.startswith("feedback shows")]
             for sid, r in graded["results"].items()}
    leaks = {sid: e for sid, e in leaks.items() if e}
    assert not leaks, (graded["path"], leaks)


def test_each_hostile_submission_is_blocked_or_flagged(graded):
    exp = graded["expected"]
    wrong = {}
    for sid, want in exp["students"].items():
        if want["kind"] != "hostile":
            continue
        outcome = graded["results"][sid]["verdict"]
        if category(outcome) not in want["accept"]:
            wrong[sid] = outcome
        elif category(outcome) in ("refused", "flagged"):
            assert "(no reason given)" not in outcome, (sid, outcome)
    assert not wrong, (graded["path"], wrong)


def test_lateness_comes_from_submitted_only(graded):
    r = graded["results"].get("lateness")
    if r is None:
        pytest.skip("lateness left out")
    want = graded["expected"]["students"]["lateness"]["late_seconds"]
    assert r["status"] != "graded" or abs((r["late_seconds"] or 0) - want) < 120, r


def test_no_network_call_and_no_process_outlived_its_kernel(graded):
    assert graded["calls"] == []
    assert graded["forks"] == []


def test_grading_the_corpus_takes_minutes(runs):
    # every path, side by side where they use one core each; a guard against a hang
    assert runs["seconds"] < 600, runs["seconds"]
