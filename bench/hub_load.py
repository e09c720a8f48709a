"""Load run of the course's JupyterHub on this machine (issue 18): N students at once.

    python bench/hub_load.py [--students N] [--assignment m00] [--out bench/results/hub-load.json]

It starts the local hub with tests/hub/hubutil.py's ``running_hub`` (system users ``wl<name>``,
hub, proxy and the stand-in LTI 1.3 platform on 127.0.0.1; everything stopped and removed at
the end), and then, for N simulated students concurrently (one thread each):

1. **login**: an LTI 1.3 launch from the stand-in platform (``Hub.lti_login``);
2. **spawn**: ``POST /hub/api/users/{name}/server``, then ``GET /hub/api/users/{name}`` until
   the server is ready (JupyterHub REST API, docs "Using JupyterHub's REST API" and the
   rest-api reference: 201 started, 202 pending; ``servers[""].ready``);
3. **open a notebook**: a kernel through the server's ``/api/kernels`` that imports the course
   package (``import welfarelab, welfarelab.widgets, pandas, matplotlib``), so the memory
   figure is that of a student working, not of an idle server;
4. **fetch** and **submit**: nbgrader's own HTTP API in the student's server, the one
   JupyterLab's Assignments tab calls (the ``assignment_list`` server extension,
   nbgrader/server_extensions/assignment_list/handlers.py: ``POST assignments/fetch`` and
   ``POST assignments/submit`` with ``course_id`` and ``assignment_id``). The server runs them
   as the student's own system user, with nbgrader's exchange code, as a click would.

Requests to a student's server carry a token the hub issues for that student
(``POST /hub/api/users/{name}/tokens`` with the admin token, scope
``access:servers!user={name}``), so each student acts with their own rights.

Afterwards it checks the exchange's inbound folder: every student's submission is there
exactly once (nbgrader names it ``{student}+{assignment}+{timestamp}+{random}``,
exchange/default/submit.py), none missing, none doubled. It writes to ``--out``: N, the
seconds of each phase per student with median and p95, and the memory of each student's server:
RSS and PSS (proportional set size: shared pages divided among the processes sharing them, so
PSS adds up across students; psutil ``memory_full_info``, from /proc/PID/smaps) of the
``jupyterhub-singleuser`` process tree (server and kernels) of each student's system user.

Raises ``LoadRunError`` when a student's step fails or a submission is lost or doubled.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
COURSE_ID = "welfare-social-innovation"  # nbgrader_config.py's c.CourseDirectory.course_id
OPEN_NOTEBOOK = "import welfarelab, welfarelab.widgets, pandas, matplotlib\nprint('ready')"


class LoadRunError(RuntimeError):
    """A student's step failed, or the exchange does not hold one submission per student."""


# ---- the hub's and a student server's HTTP APIs -----------------------------------------------

def hub_api(hub, method: str, path: str, **kw) -> requests.Response:
    """Call the hub's REST API (``{hub.url}/hub/api{path}``) with the admin token."""
    headers = {"Authorization": f"token {hub.api_token}"}
    return requests.request(method, f"{hub.url.rstrip('/')}/hub/api{path}", headers=headers,
                            timeout=kw.pop("timeout", 60), **kw)


def user_token(hub, name: str, scopes: list[str] | None = None) -> str:
    """A new API token of hub user ``name``, made with the admin token.

    ``scopes`` default: ``access:servers!user={name}`` (their own server only); ``[]`` asks for
    the hub's default token scopes (all the user's own permissions).
    """
    body = {"note": "hub load run", "expires_in": 3600}
    body["scopes"] = [f"access:servers!user={name}"] if scopes is None else scopes
    if not body["scopes"]:
        del body["scopes"]
    r = hub_api(hub, "POST", f"/users/{name}/tokens", json=body)
    if r.status_code not in (200, 201):
        raise LoadRunError(f"token for {name}: HTTP {r.status_code} {r.text[:200]}")
    return r.json()["token"]


def spawn_and_wait(hub, name: str, timeout: float = 120.0) -> float:
    """Start ``name``'s server through the REST API; return seconds until it is ready."""
    start = time.perf_counter()
    r = hub_api(hub, "POST", f"/users/{name}/server")
    if r.status_code not in (201, 202, 400):  # 400: already running
        raise LoadRunError(f"spawn {name}: HTTP {r.status_code} {r.text[:200]}")
    while time.perf_counter() - start < timeout:
        model = hub_api(hub, "GET", f"/users/{name}").json()
        server = (model.get("servers") or {}).get("")
        if server and server.get("ready"):
            return time.perf_counter() - start
        time.sleep(0.1)
    raise LoadRunError(f"spawn {name}: not ready after {timeout} s")


class UserServer:
    """A student's single-user server reached with a token (``/user/{name}/`` via the proxy)."""

    def __init__(self, hub, name: str, token: str):
        self.name = name
        self.base = f"{hub.url.rstrip('/')}/user/{name}/"
        self.token = token
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"token {token}"

    def request(self, method: str, path: str, **kw) -> requests.Response:
        """Send a request to the server (``path`` relative to ``/user/{name}/``)."""
        return self.http.request(method, self.base + path.lstrip("/"),
                                 timeout=kw.pop("timeout", 120), **kw)

    def nbgrader(self, action: str, assignment: str, course: str = COURSE_ID) -> dict:
        """POST ``assignments/{action}`` of nbgrader's assignment_list extension; its JSON."""
        r = self.request("POST", f"assignments/{action}",
                         params={"course_id": course, "assignment_id": assignment})
        if r.status_code != 200:
            raise LoadRunError(f"{self.name} {action}: HTTP {r.status_code} {r.text[:300]}")
        return r.json()

    def start_kernel(self) -> str:
        """Start a python3 kernel (``POST api/kernels``); return its id."""
        r = self.request("POST", "api/kernels", json={"name": "python3"})
        if r.status_code != 201:
            raise LoadRunError(f"{self.name} kernel: HTTP {r.status_code} {r.text[:200]}")
        return r.json()["id"]

    def execute(self, kernel_id: str, code: str, timeout: float = 120.0) -> dict:
        """Run ``code`` in a kernel over its websocket (Jupyter messaging protocol 5.3,
        legacy JSON frames); return {"stdout", "stderr", "status", "ename", "evalue"}."""
        import websocket  # websocket-client, in environment.yml

        ws_url = self.base.replace("http", "ws", 1) + f"api/kernels/{kernel_id}/channels"
        ws = websocket.create_connection(ws_url, timeout=timeout,
                                         header=[f"Authorization: token {self.token}"])
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": self.name, "session": uuid.uuid4().hex,
                       "msg_type": "execute_request", "version": "5.3",
                       "date": datetime.now(UTC).isoformat()},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
        }))
        out = {"stdout": "", "stderr": "", "status": None, "ename": None, "evalue": None}
        deadline = time.monotonic() + timeout
        idle = False
        try:
            while time.monotonic() < deadline and not (idle and out["status"]):
                msg = json.loads(ws.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "stream":
                    out[content["name"]] += content["text"]
                elif kind == "error":
                    out["ename"], out["evalue"] = content["ename"], content["evalue"]
                elif kind == "execute_reply":
                    out["status"] = content["status"]
                elif kind == "status" and content["execution_state"] == "idle":
                    idle = True
        finally:
            ws.close()
        if not out["status"]:
            raise LoadRunError(f"{self.name}: no execute_reply within {timeout} s")
        return out

    def terminal(self, command: str, timeout: float = 30.0) -> str:
        """Run ``command`` in a new terminal (``POST api/terminals``, then its websocket,
        terminado's ["stdin", ...] / ["stdout", ...] frames); return what it printed. The
        terminal is deleted afterwards."""
        import websocket

        r = self.request("POST", "api/terminals")
        if r.status_code != 200:
            raise LoadRunError(f"{self.name} terminal: HTTP {r.status_code} {r.text[:200]}")
        term = r.json()["name"]
        marker = uuid.uuid4().hex
        ws = websocket.create_connection(
            self.base.replace("http", "ws", 1) + f"terminals/websocket/{term}",
            timeout=timeout, header=[f"Authorization: token {self.token}"])
        text = ""
        try:
            # printf writes "<<marker>>", text the echoed (and maybe redrawn) command line
            # never holds: there it reads printf '<<%s>>' marker
            ws.send(json.dumps(["stdin", f"{command}; printf '<<%s>>\\n' {marker}\r"]))
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                frame = json.loads(ws.recv())
                if frame[0] == "stdout":
                    text += frame[1]
                    if f"<<{marker}>>" in text:
                        break
        finally:
            ws.close()
            self.request("DELETE", f"api/terminals/{term}")
        return text


# ---- memory -----------------------------------------------------------------------------------

def server_memory(system_user: str) -> dict:
    """RSS and PSS in MB of the ``jupyterhub-singleuser`` process tree(s) of ``system_user``.

    Processes are found by owner (psutil ``username()``) and command line (the server runs as
    ``python -m jupyterhub.singleuser`` or ``jupyterhub-singleuser``); the tree includes its
    kernels. MB = 10**6 bytes. Raises ``LoadRunError`` when no server process is found.
    """
    roots = []
    for proc in psutil.process_iter(["username", "cmdline"]):
        cmd = " ".join(proc.info["cmdline"] or [])
        if proc.info["username"] == system_user and (
                "jupyterhub.singleuser" in cmd or "jupyterhub-singleuser" in cmd):
            roots.append(proc)
    if not roots:
        raise LoadRunError(f"no server process of {system_user}")
    procs = {p.pid: p for root in roots for p in [root, *root.children(recursive=True)]}
    rss = pss = 0
    for proc in procs.values():
        try:
            info = proc.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
    return {"processes": len(procs), "rss_mb": rss / 1e6, "pss_mb": pss / 1e6}


# ---- the run ----------------------------------------------------------------------------------

def _p95(values: list[float]) -> float:
    """95th percentile, linear interpolation between closest ranks (numpy's default method)."""
    xs = sorted(values)
    if len(xs) == 1:
        return xs[0]
    k = 0.95 * (len(xs) - 1)
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def summary(values: list[float]) -> dict:
    """Median, p95, min and max of ``values``, rounded to milliseconds/0.1 MB by callers."""
    return {"median": statistics.median(values), "p95": _p95(values),
            "min": min(values), "max": max(values)}


def inbound_submissions(exchange_root: Path, course: str, assignment: str) -> dict[str, int]:
    """Count the submissions of ``assignment`` per student in the exchange's inbound folder.

    nbgrader names each ``{student}+{assignment}+{timestamp}[+{random}]``
    (exchange/default/submit.py, ``init_dest``). Read as root (the folder is 0o733: students
    cannot list it).
    """
    counts: dict[str, int] = {}
    inbound = Path(exchange_root) / course / "inbound"
    for entry in inbound.iterdir():
        parts = entry.name.split("+")
        if len(parts) >= 3 and parts[1] == assignment:
            counts[parts[0]] = counts.get(parts[0], 0) + 1
    return counts


def status_of(answer: dict, assignment: str) -> set[str]:
    """The statuses nbgrader's assignment list gives ``assignment`` in a fetch/submit answer.

    nbgrader 0.9.6 answers ``{"success": true, "value": [ {assignment_id, status, ...} ]}``
    (``AssignmentList.list_assignments``); a failed submit answers ``{"success": false,
    "value": <traceback>}``, which gives an empty set.
    """
    if not isinstance(answer, dict) or not answer.get("success"):
        return set()
    return {a.get("status") for a in answer.get("value", [])
            if isinstance(a, dict) and a.get("assignment_id") == assignment}


def one_student(hub, short: str, assignment: str, barrier: threading.Barrier) -> dict:
    """Login, spawn, open a notebook, fetch and submit for one student; their timings."""
    name = hub.username(short)
    barrier.wait(timeout=300)  # every student starts at once
    row: dict = {"student": name}
    t = time.perf_counter()
    hub.lti_login(short)  # the hub starts the server on a launch; spawn_and_wait waits for it
    row["login_s"] = time.perf_counter() - t
    row["spawn_s"] = spawn_and_wait(hub, name)
    row["launch_to_ready_s"] = row["login_s"] + row["spawn_s"]
    server = UserServer(hub, name, user_token(hub, name))
    t = time.perf_counter()
    kernel = server.start_kernel()
    result = server.execute(kernel, OPEN_NOTEBOOK)
    if result["status"] != "ok" or "ready" not in result["stdout"]:
        raise LoadRunError(f"{name}: the course package did not import: {result}")
    row["open_notebook_s"] = time.perf_counter() - t
    t = time.perf_counter()
    listed = server.nbgrader("fetch", assignment)
    row["fetch_s"] = time.perf_counter() - t
    if status_of(listed, assignment) != {"fetched"}:
        raise LoadRunError(f"{name}: fetch did not give a fetched {assignment}: {listed}")
    t = time.perf_counter()
    answer = server.nbgrader("submit", assignment)
    row["submit_s"] = time.perf_counter() - t
    if "submitted" not in status_of(answer, assignment):
        raise LoadRunError(f"{name}: submit failed: {str(answer)[-500:]}")
    return row


PHASES = ("login_s", "spawn_s", "launch_to_ready_s", "open_notebook_s", "fetch_s", "submit_s")


def run(hub, students: list[str], assignment: str) -> dict:
    """Run the load on a started hub (tests/hub/hubutil.py's ``Hub``; ``students`` are its
    short names); return the figures as a dict.

    Raises ``LoadRunError`` when a step fails or the inbound folder does not hold exactly one
    submission of each student (and none of anyone else).
    """
    barrier = threading.Barrier(len(students))
    used_before = psutil.virtual_memory().used
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(students)) as pool:
        futures = [pool.submit(one_student, hub, s, assignment, barrier) for s in students]
        rows = [f.result() for f in futures]
    wall = time.perf_counter() - started
    names = [hub.username(s) for s in students]
    memory = {n: server_memory(n) for n in names}  # system user = hub username
    used_after = psutil.virtual_memory().used
    counts = inbound_submissions(Path(hub.exchange_root), hub.course_id, assignment)
    missing = [n for n in names if counts.get(n, 0) == 0]
    doubled = [n for n in names if counts.get(n, 0) > 1]
    strangers = sorted(set(counts) - set(names))
    result = {
        "students": len(students),
        "assignment": assignment,
        "wall_s": wall,
        "submissions_in_inbound": sum(counts.values()),
        "missing": missing, "doubled": doubled, "unexpected": strangers,
        "seconds": {phase: summary([r[phase] for r in rows]) for phase in PHASES},
        "memory_per_server_mb": {
            "rss": summary([m["rss_mb"] for m in memory.values()]),
            "pss": summary([m["pss_mb"] for m in memory.values()]),
            "processes": summary([float(m["processes"]) for m in memory.values()])},
        "machine_memory_growth_mb": (used_after - used_before) / 1e6,
        "per_student": [dict(r, **memory[r["student"]]) for r in rows],
    }
    if missing or doubled or strangers:
        raise LoadRunError(f"exchange inbound: missing {missing}, doubled {doubled}, "
                           f"unexpected {strangers}")
    return result


def machine() -> dict:
    """What the figures were measured on."""
    return {"python": platform.python_version(), "machine": platform.machine(),
            "cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 1e9, 1),
            # other work on the machine during the run (1, 5, 15 minutes)
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "time": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=int(os.environ.get("HUB_LOAD_N", "20")))
    parser.add_argument("--assignment", default="m00")
    parser.add_argument("--out", type=Path, default=RESULTS / "hub-load.json")
    args = parser.parse_args(argv)
    if args.students < 1:
        parser.error("--students must be at least 1")
    sys.path.insert(0, str(ROOT / "tests" / "hub"))
    import tempfile

    import hubutil  # tests/hub/hubutil.py: running_hub, problem

    students = [f"s{i:02d}" for i in range(args.students)]
    problem = hubutil.problem()
    if problem:
        print(f"hub_load: {problem}; skipped", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory(prefix="hub-load-") as tmp, \
            hubutil.running_hub(Path(tmp), students=students, graders=["lecturer"],
                                assignments=[args.assignment]) as hub:
        result = run(hub, students, args.assignment)
        result["hub_timings"] = dict(hub.timings)
    result["machine"] = machine()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    s = result["seconds"]
    m = result["memory_per_server_mb"]
    print(f"N={result['students']} submissions in inbound={result['submissions_in_inbound']}")
    for phase, v in s.items():
        print(f"{phase:16s} median {v['median']:.2f} s  p95 {v['p95']:.2f} s")
    print(f"server+kernel RSS median {m['rss']['median']:.0f} MB, PSS median "
          f"{m['pss']['median']:.0f} MB")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
