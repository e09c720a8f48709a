"""The course's JupyterHub for tests: started and stopped by the tests, all on 127.0.0.1.

:func:`running_hub` builds a trial course with deploy/hubctl.py (system users ``wl<tag><name>``,
the students' and the grader account's environments, nbgrader's exchange, the course folder
with its assignments released), starts the stand-in LTI 1.3 platform (tools/lti_platform.py)
and JupyterHub with deploy/jupyterhub_config.py, and yields a :class:`Hub`. On leaving (also
after a failure) it stops them by PID, stops what still runs as a course user and removes the
users and the folder. Needs root, bubblewrap is not needed here, configurable-http-proxy is
(``npm install -g configurable-http-proxy@5``; .ci/run installs it).
"""

from __future__ import annotations

import html
import importlib.util
import json
import os
import re
import shutil
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("welfarelab_hubctl", REPO / "deploy" / "hubctl.py")
hubctl = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hubctl)


def problem() -> str | None:
    """Why a hub cannot run on this machine (for a pytest skip), or None."""
    if os.geteuid() != 0:
        return "the hub tests need root (system users, a hub running as root)"
    if not shutil.which("configurable-http-proxy"):
        return "configurable-http-proxy is not installed (npm install -g configurable-http-proxy@5)"
    for tool in ("useradd", "userdel", "runuser"):
        if not shutil.which(tool):
            return f"{tool} is not installed"
    try:
        hubctl.venv_python()
    except RuntimeError as e:
        return str(e)
    try:
        import jupyterhub  # noqa: F401
        import ltiauthenticator  # noqa: F401
    except ImportError as e:
        return f"the hub's packages are missing ({e}): make venv installs deploy/requirements-hub.txt"
    return None


@dataclass
class Hub:
    """A running course hub. ``users`` maps the short names given to :func:`running_hub` to the
    system user (= JupyterHub username = nbgrader student id) ``wl<tag><name>``."""

    settings: dict
    timings: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The hub's public URL, ``http://127.0.0.1:<port>`` (the proxy)."""
        return self.settings["url"]

    @property
    def platform_url(self) -> str:
        return self.settings["platform_url"]

    @property
    def api_token(self) -> str:
        """A token of the ``course-admin`` service: admin:users, admin:servers, admin:groups,
        access:servers, read:hub, tokens (deploy/jupyterhub_config.py)."""
        return self.settings["admin_token"]

    @property
    def users(self) -> dict:
        return self.settings["users"]

    @property
    def course_id(self) -> str:
        return self.settings["course_id"]

    @property
    def course_root(self) -> Path:
        """The grader account's course folder (nbgrader_config.py, source/, gradebook.db)."""
        return Path(self.settings["course_root"])

    @property
    def exchange_root(self) -> Path:
        """nbgrader's exchange root; the course's folder is ``exchange_root / course_id``."""
        return Path(self.settings["exchange_root"])

    @property
    def grader_account(self) -> str:
        return self.settings["grader_account"]["name"]

    @property
    def student_env(self) -> Path:
        return Path(self.settings["student_env"])

    @property
    def grader_env(self) -> Path:
        return Path(self.settings["grader_env"])

    def username(self, user: str) -> str:
        """The hub username of ``user`` (a short name or already a username)."""
        return self.users.get(user, user)

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """Call the hub's REST API (``/hub/api`` + ``path``) with the admin token."""
        headers = {"Authorization": f"token {self.api_token}", **kwargs.pop("headers", {})}
        return requests.request(method, f"{self.url}/hub/api{path}", headers=headers,
                                timeout=kwargs.pop("timeout", 30), **kwargs)

    def launch_url(self, user: str) -> str:
        """The stand-in platform's course link for ``user``: opening it in a browser runs the
        whole LTI 1.3 launch and lands in JupyterLab."""
        return f"{self.platform_url}/launch?user={self.username(user)}"

    def lti_login(self, user: str) -> requests.Session:
        """A session logged in to the hub through an LTI 1.3 launch from the stand-in platform
        (login initiation, authentication request, the signed id_token posted back). The
        hub starts the user's server on its own; call :meth:`spawn` to wait for it. Raises
        AssertionError with the page when a step fails."""
        session = requests.Session()
        page = session.get(self.launch_url(user), timeout=30)
        action = re.search(r'<form method="post" action="([^"]+)"', page.text)
        assert page.status_code == 200 and action, \
            f"no id_token form from the platform ({page.status_code} {page.url}): {page.text[:500]}"
        fields = {html.unescape(k): html.unescape(v)
                  for k, v in re.findall(r'name="([^"]+)" value="([^"]*)"', page.text)}
        done = session.post(html.unescape(action.group(1)), data=fields, timeout=60)
        assert done.status_code < 400, \
            f"the hub refused the launch ({done.status_code} {done.url}): {done.text[:500]}"
        return session

    def spawn(self, user: str, timeout: float = 90) -> dict:
        """Start ``user``'s server (if it is not running) and wait until it is ready; return
        the user's model from the REST API. RuntimeError on timeout."""
        name = self.username(user)
        started = time.time()
        model = self.api("GET", f"/users/{name}").json()
        if not model.get("servers", {}).get("", {}).get("ready"):
            if not model.get("servers", {}).get(""):
                r = self.api("POST", f"/users/{name}/server")
                if r.status_code not in (201, 202, 400):  # 400: already starting
                    raise RuntimeError(f"spawn {name}: {r.status_code} {r.text}")
            while time.time() - started < timeout:
                model = self.api("GET", f"/users/{name}").json()
                if model.get("servers", {}).get("", {}).get("ready"):
                    break
                time.sleep(0.3)
            else:
                raise RuntimeError(f"{name}'s server not ready within {timeout} s")
        self.timings.setdefault("spawn_seconds", {})[name] = round(time.time() - started, 2)
        return model

    def stop_server(self, user: str) -> None:
        """Stop ``user``'s server through the REST API."""
        self.api("DELETE", f"/users/{self.username(user)}/server")

    def run_as(self, user: str, cmd: list[str], cwd: Path | None = None,
               timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess:
        """Run ``cmd`` as system user ``user`` (short name, username or the grader account)
        with the grader env's or the student env's bin first on PATH."""
        name = self.username(user)
        cwd = cwd or hubctl.pwd.getpwnam(name).pw_dir  # never this repository (sys.path[0])
        env_dir = self.grader_env if name == self.grader_account else self.student_env
        env = {"PATH": f"{env_dir}/bin:/usr/bin:/bin", **self.settings.get("python_env", {})}
        if check:
            return hubctl.run(cmd, user=name, cwd=cwd, env=env, timeout=timeout)
        home = hubctl.pwd.getpwnam(name).pw_dir
        pairs = [f"{k}={v}" for k, v in env.items()]
        return subprocess.run(["runuser", "-u", name, "--", "env", f"HOME={home}", *pairs, *cmd],
                              cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)

    def stop(self) -> None:
        """Stop the hub and the platform, remove the users and the folder (safe twice)."""
        if self.settings.get("stopped"):
            return
        hubctl.stop(self.settings)
        t = time.time()
        # rm -rf: the hard-linked environments hold some 60 000 entries
        subprocess.run(["rm", "-rf", "--one-file-system", self.settings["root"]], check=False)
        self.settings.setdefault("stop_timings", {})["folder_removed"] = round(time.time() - t, 2)
        self.settings["stopped"] = True


@contextmanager
def running_hub(tmp_path: Path, students: list[str], graders: list[str],
                assignments: list[str] = ("m00",)):
    """A running course hub with ``students`` and ``graders`` (short names: lowercase letters
    and digits) on the roster; yields a :class:`Hub`. ``tmp_path`` receives a copy of the hub's
    logs when the block ends (the hub's own folder lives under /tmp, readable by the course's
    users, since a test's tmp_path may not be). Everything is stopped and removed afterwards."""
    root = Path(f"/tmp/welfarelab-hub-test-{os.getpid()}-{os.urandom(3).hex()}")
    timings = {}
    t0 = time.time()
    settings = {"root": str(root), "state_dir": str(root / "state"), "created_users": []}
    hub = Hub(settings, timings)
    try:
        settings = hubctl.prepare(root, list(students), list(graders), list(assignments))
        hub.settings = settings
        timings["prepare_seconds"] = round(time.time() - t0, 2)
        t1 = time.time()
        hub.settings = hubctl.start(settings)
        timings["start_seconds"] = round(time.time() - t1, 2)
        yield hub
    finally:
        state = Path(hub.settings.get("state_dir", root / "state"))
        if not hub.settings.get("created_users") and (state / "settings.json").exists():
            hub.settings = json.loads((state / "settings.json").read_text())
        logs = Path(tmp_path) / "hub-logs"
        logs.mkdir(parents=True, exist_ok=True)
        for log in state.glob("*.log") if state.exists() else []:
            shutil.copy(log, logs / log.name)
        t2 = time.time()
        hub.stop()
        timings["stop_seconds"] = round(time.time() - t2, 2)
        timings["stop_steps"] = hub.settings.get("stop_timings")
