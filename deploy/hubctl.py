"""Start and stop the course's JupyterHub for a local trial course on 127.0.0.1 (issue 18).

``make hub-start`` (``python deploy/hubctl.py start``) builds, under one world-readable folder
(default ``/tmp/welfarelab-hub``, mode 755):

- ``env-student/`` and ``env-grader/``: the venvs the servers run in, made with the Python the
  repository's ``.venv`` was built with, holding its packages (environment.yml's pins + the
  hub's) through a shared, read-only runtime ``/tmp/welfarelab-hub-runtime-<key>`` of hard
  links, built once per state of .venv and the course package (:func:`shared_runtime`; no
  second download). The repository may sit where students cannot read it (CI clones into
  ``mktemp -d``, mode 700); these folders they can read. In ``env-student`` nbgrader's
  instructor extensions are switched off; only ``env-grader`` holds the grading package.
- ``exchange/``: nbgrader's exchange, mode 777 as nbgrader's docs set it up
  (docs/source/user_guide/managing_assignment_files.rst, "Setting up the exchange").
- ``home/<user>``: a home (mode 700) per system user: the demo students, the lecturer, and the
  grader account whose home holds the course folder (``home/<grader>/welfare-social-innovation``:
  nbgrader_config.py, source/ and data/ copied by welfaregrading.course.scratch_course). The
  course's assignments are generated and released into the exchange as the grader account.
- ``state/`` (mode 700, root): the hub's database, cookie secret, the settings file
  deploy/jupyterhub_config.py reads (``WELFARELAB_HUB_SETTINGS``), logs and the PIDs.

Then it starts the stand-in LTI 1.3 platform (tools/lti_platform.py) and JupyterHub (as root,
configurable-http-proxy in front), waits until both answer, and prints the URLs and how to log
in as each user. ``make hub-stop`` (``python deploy/hubctl.py stop``) stops them by their PIDs
(and any process still running as one of the demo users), removes the demo users and the folder.

System users are named ``wl`` + a tag + the name (``wl<tag>alice``), so two trial hubs or test
runs never share a user; the hub username is the same name (LocalProcessSpawner runs each server
as the system user of that name), and so is nbgrader's student id. Needs root, ``useradd``,
``userdel``, the repository's .venv (its Python is reused, see base_python) and
configurable-http-proxy (``npm install -g configurable-http-proxy@5``).
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COURSE_ID = "welfare-social-innovation"  # nbgrader_config.py: c.CourseDirectory.course_id
PREFIX = "wl"
DEFAULT_ROOT = Path("/tmp/welfarelab-hub")
PY = f"python{sys.version_info[0]}.{sys.version_info[1]}"
# nbgrader's instructor extensions, off for students (nbgrader docs, user_guide/installation.rst:
# "jupyter labextension disable @jupyter/nbgrader:formgrader" ..., "jupyter server extension
# disable nbgrader.server_extensions.formgrader" ...). Written as the files those commands write
# at --sys-prefix level (labconfig/page_config.json, jupyter_server_config.d), so no extra
# JupyterLab start-ups are needed.
STUDENT_LAB_DISABLED = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list",
                        "@jupyter/nbgrader:create-assignment"]
STUDENT_SERVER_EXTENSIONS = {
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.course_list": False,
    "nbgrader.server_extensions.assignment_list": True,
    "nbgrader.server_extensions.validate_assignment": True,
}


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd: list[str], user: str | None = None, cwd: Path | None = None,
        env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``cmd`` (as ``user`` through ``runuser`` when given); RuntimeError with its output
    when it fails."""
    if user:
        home = pwd.getpwnam(user).pw_dir
        extra = [f"{k}={v}" for k, v in (env or {}).items()]
        cmd = ["runuser", "-u", user, "--", "env", f"HOME={home}", f"USER={user}", *extra, *cmd]
        env = None
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run(cmd, cwd=cwd, env=full_env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n"
                           f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


# ---- system users ---------------------------------------------------------------------------

def create_user(name: str, home: Path) -> pwd.struct_passwd:
    """Create system user ``name`` with its own group and home ``home`` (mode 700).

    Raises ``ValueError`` when ``name`` does not start with the course prefix or already exists
    (a trial must never take over a real account)."""
    if not name.startswith(PREFIX):
        raise ValueError(f"user name {name!r} must start with {PREFIX!r}")
    try:
        pwd.getpwnam(name)
    except KeyError:
        pass
    else:
        raise ValueError(f"system user {name!r} already exists")
    home.parent.mkdir(parents=True, exist_ok=True)
    run(["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash",
         "--user-group", "--no-log-init", name])
    os.chmod(home, 0o700)
    return pwd.getpwnam(name)


def user_pids(uid: int) -> list[int]:
    """PIDs of the processes running as ``uid`` (read from /proc)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def remove_user(name: str) -> None:
    """Stop what still runs as ``name`` (by PID), then ``userdel --remove`` it. Only names with
    the course prefix are touched; a missing user is fine."""
    if not name.startswith(PREFIX):
        raise ValueError(f"refusing to remove {name!r}: not a course user")
    try:
        uid = pwd.getpwnam(name).pw_uid
    except KeyError:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = user_pids(uid)
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.time() + 2
        while pids and user_pids(uid) and time.time() < deadline:
            time.sleep(0.1)
    subprocess.run(["userdel", "--remove", name], capture_output=True, check=False)


# ---- environments -------------------------------------------------------------------------------

def _readable_by_all(path: Path) -> bool:
    """Whether every user can reach ``path`` (each folder above it has o+x)."""
    path = Path(path).resolve()
    return all(os.stat(p).st_mode & 0o001 for p in [path, *path.parents])


def venv_python(source_venv: Path | None = None) -> Path:
    """The interpreter ``source_venv`` (default: the repository's .venv) was made with
    (pyvenv.cfg ``home``): the environments use the same Python the packages were installed
    and tested with. (Debian's python3.11 is 3.11.2, on which the pinned soupsieve cannot
    compile nbconvert's ``img:not([alt])`` selector, so feedback pages fail there.)"""
    cfg = Path(source_venv or REPO / ".venv") / "pyvenv.cfg"
    if not cfg.exists():
        raise RuntimeError(f"{cfg} not found: run make venv first")
    for line in cfg.read_text().splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "home":
            return Path(value.strip()) / PY
    raise RuntimeError(f"{cfg} names no home")


def base_python(root: Path, source_venv: Path | None = None) -> tuple[Path, dict]:
    """(python, extra environment) every course user can run: :func:`venv_python` itself when
    its installation is reachable by all, else a hard-linked copy of that installation under
    ``root/python`` (pyenv keeps it under /root, mode 700), with LD_LIBRARY_PATH naming the
    copy's lib/ (a shared-library build's RUNPATH names the original)."""
    exe = venv_python(source_venv)
    prefix = exe.parent.parent
    if _readable_by_all(exe):
        return exe, {}
    dest = Path(root) / "python"
    if not dest.exists():
        # bin/ and lib/ (stdlib, libpython), without the installation's own site-packages
        (dest / "lib").mkdir(parents=True)
        parts = [(prefix / "bin", dest / "bin")] + [
            (p, dest / "lib" / p.name) for p in (prefix / "lib").iterdir()]
        for src_part, dest_part in parts:
            try:
                run(["cp", "-al", str(src_part), str(dest_part)])
            except RuntimeError:  # another file system: a real copy
                run(["cp", "-a", str(src_part), str(dest_part)])
        shutil.rmtree(dest / "lib" / PY / "site-packages", ignore_errors=True)
        (dest / "lib" / PY / "site-packages").mkdir()
    return dest / "bin" / PY, {"LD_LIBRARY_PATH": str(dest / "lib")}


def runtime_key(source_venv: Path | None = None) -> str:
    """What the shared runtime is built from: the venv's path and install stamp (the course's
    own packages are copied per hub, so their edits do not make a new runtime)."""
    import hashlib

    src = Path(source_venv or REPO / ".venv").resolve()
    h = hashlib.sha256(str(src).encode())
    stamp = src / ".installed"
    h.update(str((stamp if stamp.exists() else src / "pyvenv.cfg").stat().st_mtime_ns).encode())
    return h.hexdigest()[:16]


def shared_runtime(source_venv: Path | None = None) -> tuple[Path, tuple[Path, dict]]:
    """``/tmp/welfarelab-hub-runtime-<key>``: the interpreter (:func:`base_python`), the
    packages (:func:`build_packages`) and ``share/`` (hard links), built once per state of
    the venv and the course package and shared by every trial hub and test hub (read-only for
    the course's users; removing some 40 000 entries per hub took a minute on a busy 2-core
    machine). It is used only when root owns it and nobody else can write to it; built under
    a temporary name and renamed, so parallel runs never see half a runtime.
    Remove old ones with ``rm -rf /tmp/welfarelab-hub-runtime-*``."""
    src = Path(source_venv or REPO / ".venv")
    final = Path(f"/tmp/welfarelab-hub-runtime-{runtime_key(src)}")
    if not final.exists():
        build = Path(f"{final}.{os.getpid()}.{secrets.token_hex(3)}")
        build.mkdir(mode=0o755)
        os.chmod(build, 0o755)
        base_python(build, src)
        build_packages(build / "packages", src)
        if (src / "share").is_dir():
            run(["cp", "-al", str(src / "share"), str(build / "share")])
        else:
            (build / "share").mkdir()
        try:
            os.rename(build, final)
        except OSError:  # another run was first
            subprocess.run(["rm", "-rf", str(build)], check=False)
    st = final.lstat()
    if not final.is_dir() or final.is_symlink() or st.st_uid != 0 or st.st_mode & 0o022:
        raise RuntimeError(f"{final} is not a folder owned by root that only root can change: "
                           "remove it")
    return final, base_python(final, src)


def build_packages(dest: Path, source_venv: Path | None = None) -> Path:
    """``dest``: hard links to ``source_venv``'s installed packages (fast, read-only for the
    course's users), without the editable install of the course's packages (each environment
    gets a real copy, :func:`install_course_packages`). Both environments put it on their
    path."""
    src = Path(source_venv or REPO / ".venv")
    site_src = src / "lib" / PY / "site-packages"
    if not site_src.is_dir():
        raise RuntimeError(f"{site_src} not found: run make venv first")
    run(["cp", "-al", str(site_src), str(dest)])
    for p in dest.glob("__editable__*welfarelab*"):
        p.unlink()
    return dest


def install_course_packages(site: Path, instructor: bool) -> None:
    """Real copies of the student package ``welfarelab`` with its datasets subpackage (as
    pyproject.toml installs it: package-dir "welfarelab._data" = "data", package-data *.csv and
    datasets.yml) and, for the grader account only, the grading package ``welfaregrading``."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "welfarelab", site / "welfarelab", ignore=ignore)
    data = site / "welfarelab" / "_data"
    data.mkdir()
    for pattern in ("*.csv", "datasets.yml", "__init__.py"):
        for f in (REPO / "data").glob(pattern):
            shutil.copy2(f, data / f.name)
    if instructor:
        shutil.copytree(REPO / "welfaregrading", site / "welfaregrading", ignore=ignore)


def build_env(dest: Path, packages: Path, exchange: Path, instructor: bool,
              python: tuple[Path, dict], source_venv: Path | None = None) -> Path:
    """A venv at ``dest`` made with the system's Python, whose path holds ``packages``
    (:func:`build_packages`, through a .pth file), with ``source_venv``'s console scripts,
    ``share/`` (hard links) and ``etc/`` (a real copy, written to), and nbgrader's course
    settings (exchange root, course_id).

    ``instructor=False`` switches nbgrader's instructor extensions off (students' env) and
    leaves the grading package out; ``True`` adds ``welfaregrading`` (the grader account's env).
    """
    src = Path(source_venv or REPO / ".venv")
    run([str(python[0]), "-m", "venv", "--without-pip", str(dest)], env=python[1])
    site = dest / "lib" / PY / "site-packages"
    (site / "welfarelab-hub-packages.pth").write_text(f"{packages}\n", encoding="utf-8")
    install_course_packages(site, instructor)
    # console scripts (nbgrader runs ``alembic`` by name): the source's, pointed at this python
    for script in (src / "bin").iterdir():
        target = dest / "bin" / script.name
        if target.exists() or script.is_symlink() or not script.is_file():
            continue
        head = script.read_bytes()[:200]
        if head.startswith(b"#!") and str(src).encode() in head.split(b"\n", 1)[0]:
            text = script.read_text(encoding="utf-8").split("\n", 1)
            target.write_text(f"#!{dest}/bin/python\n{text[1] if len(text) > 1 else ''}",
                              encoding="utf-8")
            target.chmod(0o755)
    # share/ (kernelspecs, JupyterLab's extensions) is only read: the shared runtime's
    (dest / "share").symlink_to(packages.parent / "share")
    shutil.copytree(src / "etc", dest / "etc", dirs_exist_ok=True)  # real copy: written below
    jupyter = dest / "etc" / "jupyter"
    (jupyter / "nbgrader_config.py").write_text(
        "# The course's exchange (deploy/hubctl.py); nbgrader docs, configuration/"
        "jupyterhub_config.rst\n"
        "c = get_config()  # noqa: F821\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n", encoding="utf-8")
    if not instructor:
        config_d = jupyter / "jupyter_server_config.d"
        config_d.mkdir(parents=True, exist_ok=True)
        nbgrader_json = config_d / "nbgrader.json"
        nbgrader_json.unlink(missing_ok=True)  # a copy, but never write through a link
        nbgrader_json.write_text(json.dumps(
            {"ServerApp": {"jpserver_extensions": STUDENT_SERVER_EXTENSIONS}}, indent=2))
        labconfig = jupyter / "labconfig"
        labconfig.mkdir(parents=True, exist_ok=True)
        (labconfig / "page_config.json").write_text(json.dumps(
            {"disabledExtensions": {name: True for name in STUDENT_LAB_DISABLED}}, indent=2))
    return dest


# ---- the course ----------------------------------------------------------------------------------

def make_course(grader: str, home: Path, assignments: list[str], grader_env: Path,
                exchange: Path, python_env: dict) -> Path:
    """The grader account's course folder ``home/<course_id>`` (welfaregrading's
    ``scratch_course``: nbgrader_config.py, source/<id>, data/), its ``~/.jupyter/
    nbgrader_config.py`` naming it (nbgrader docs, "One Class, Multiple Graders"), and each
    assignment generated and released into the exchange by the grader account."""
    sys.path.insert(0, str(REPO))
    from welfaregrading.course import scratch_course

    course = scratch_course(home / COURSE_ID, assignments, root=REPO,
                            config_lines=[f"c.Exchange.root = {str(exchange)!r}  # the hub's exchange",
                                          # a hub is Linux with bubblewrap: never grade unsandboxed
                                          'c.GradingSandbox.mode = "required"',
                                          # students can write into inbound: collect only
                                          # folders the named student made, timed by the file
                                          # system (welfaregrading/exchange.py)
                                          'c.ExchangeFactory.collect = '
                                          '"welfaregrading.exchange.OwnerCheckedCollect"'])
    dot = home / ".jupyter"
    dot.mkdir(exist_ok=True)
    (dot / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(course)!r}\n", encoding="utf-8")
    run(["chown", "-R", f"{grader}:{grader}", str(home)])
    # One process generates and releases every assignment, with the course's own tools
    # (welfaregrading.course.generate: nbgrader's generate_assignment; then nbgrader's
    # release_assignment into the exchange), as the grader account.
    script = ("import sys\n"
              "from welfaregrading.course import api_for, check_result, generate\n"
              "course = sys.argv[1]\n"
              "for aid in sys.argv[2:]:\n"
              "    generate(course, aid)\n"
              "    check_result(api_for(course).release_assignment(aid),"
              " 'release_assignment ' + aid)\n")
    run([f"{grader_env}/bin/python", "-c", script, str(course), *assignments], user=grader,
        cwd=course, env={"PATH": f"{grader_env}/bin:/usr/bin:/bin", **python_env})
    return course


def prepare(root: Path, students: list[str], graders: list[str], assignments: list[str],
            tag: str | None = None, cull_idle_seconds: int = 3600) -> dict:
    """Build everything under ``root`` and write ``root/state/settings.json``; return the
    settings (the keys deploy/jupyterhub_config.py reads, plus ``users``: name -> system user,
    and the ``lti_users`` file for the stand-in platform).

    ``students`` and ``graders`` are short names (letters and digits); each becomes system user
    ``wl<tag><name>``. Raises ``ValueError`` naming a bad name."""
    for name in [*students, *graders]:
        if not (name.isascii() and name.isalnum() and name.islower()) or len(name) > 20:
            raise ValueError(f"user name {name!r}: use up to 20 lowercase letters and digits")
    tag = tag if tag is not None else secrets.token_hex(2)
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o755)
    state = root / "state"
    state.mkdir(mode=0o700, exist_ok=True)
    exchange = root / "exchange"
    exchange.mkdir(exist_ok=True)
    os.chmod(exchange, 0o777)  # nbgrader docs: chmod ugo+rw on the exchange root
    users = {name: f"{PREFIX}{tag}{name}" for name in [*students, *graders]}
    grader_account = f"{PREFIX}{tag}grader"
    settings = {
        "course_id": COURSE_ID, "root": str(root), "state_dir": str(state),
        "tag": tag, "users": users, "created_users": [],
        "exchange_root": str(exchange),
        "student_env": str(root / "env-student"), "grader_env": str(root / "env-grader"),
        "grader_account": {"name": grader_account, "home": str(root / "home" / grader_account)},
        "roster": {"graders": [users[g] for g in graders],
                   "students": [users[s] for s in students]},
        "cull_idle_seconds": cull_idle_seconds,
        "admin_token": secrets.token_hex(32),
        "proxy_command": shutil.which("configurable-http-proxy") or "configurable-http-proxy",
        "pids": {},
    }
    settings_file = state / "settings.json"

    def save():
        settings_file.write_text(json.dumps(settings, indent=2), encoding="utf-8")
        os.chmod(settings_file, 0o600)

    save()
    runtime, python = shared_runtime()
    settings["python_env"] = python[1]
    settings["runtime"] = str(runtime)
    build_env(root / "env-student", runtime / "packages", exchange, instructor=False,
              python=python)
    build_env(root / "env-grader", runtime / "packages", exchange, instructor=True,
              python=python)
    for system_name in [grader_account, *users.values()]:
        create_user(system_name, root / "home" / system_name)
        settings["created_users"].append(system_name)
        save()
    settings["course_root"] = str(make_course(
        grader_account, root / "home" / grader_account, assignments, root / "env-grader", exchange,
        settings["python_env"]))
    lti_users = {system: {"lms_user_id": system, "name": short.capitalize(),
                          "email": f"{short}@example.org",
                          "role": "Instructor" if short in graders else "Learner"}
                 for short, system in users.items()}
    (state / "lti_users.json").write_text(json.dumps(lti_users, indent=2), encoding="utf-8")
    save()
    return settings


def wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None,
              log: Path | None = None) -> None:
    """Wait until ``url`` answers 200 (the proxy answers 404 before the hub has added its
    route); RuntimeError with the log's tail if ``proc`` ends first or ``timeout`` seconds
    pass."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            break
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    tail = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    raise RuntimeError(f"{url} did not answer within {timeout} s\n{tail}")


def start(settings: dict, timeout: float = 180) -> dict:
    """Start the stand-in platform and the hub (each in its own process group, logs in
    state/); return the settings with URLs and PIDs, saved to state/settings.json."""
    state = Path(settings["state_dir"])
    settings.update(port=free_port(), hub_port=free_port(), proxy_api_port=free_port(),
                    formgrader_port=free_port(), platform_port=free_port())
    settings["url"] = f"http://127.0.0.1:{settings['port']}"
    platform = f"http://127.0.0.1:{settings['platform_port']}"
    settings["platform_url"] = platform
    settings["lti"] = {"issuer": platform, "client_id": "welfarelab-hub",
                       "authorize_url": f"{platform}/authorize",
                       "jwks_endpoint": f"{platform}/.well-known/jwks.json", "uri_scheme": "http"}
    settings_file = state / "settings.json"
    settings_file.write_text(json.dumps(settings, indent=2), encoding="utf-8")
    py = str(REPO / ".venv" / "bin" / "python")
    env = {**os.environ, "WELFARELAB_HUB_SETTINGS": str(settings_file),
           "PATH": f"{REPO / '.venv' / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}"}
    env.pop("MPLBACKEND", None)
    logs = {}
    for name, cmd in [
        ("platform", [py, str(REPO / "tools" / "lti_platform.py"),
                      "--port", str(settings["platform_port"]), "--tool-url", settings["url"],
                      "--users", str(state / "lti_users.json")]),
        ("hub", [py, "-m", "jupyterhub", "-f", str(REPO / "deploy" / "jupyterhub_config.py")]),
    ]:
        logs[name] = state / f"{name}.log"
        with open(logs[name], "ab") as log:
            proc = subprocess.Popen(cmd, cwd=state, env=env, stdout=log, stderr=log,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        settings["pids"][name] = proc.pid
        settings_file.write_text(json.dumps(settings, indent=2), encoding="utf-8")
        if name == "platform":
            wait_http(f"{platform}/.well-known/jwks.json", timeout, proc, logs[name])
        else:
            wait_http(f"{settings['url']}/hub/api", timeout, proc, logs[name])
    return settings


def _signal_users(names: list[str], sig: int) -> int:
    """Send ``sig`` to every process running as one of the course users ``names``; how many."""
    count = 0
    for name in names:
        try:
            uid = pwd.getpwnam(name).pw_uid
        except KeyError:
            continue
        for pid in user_pids(uid):
            try:
                os.kill(pid, sig)
                count += 1
            except ProcessLookupError:
                pass
    return count


def _group_alive(pgid: int) -> bool:
    """Whether a live (not zombie) process of group ``pgid`` is left; reaps the leader when it
    is our child (hubutil starts the hub from the test process)."""
    try:
        os.waitpid(pgid, os.WNOHANG)
    except ChildProcessError:
        pass
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":  # stat: state, ppid, pgrp, ...
            return True
    return False


def _wait_groups(pgids: list[int], timeout: float) -> list[int]:
    """Wait until the process groups ``pgids`` are gone; return those still there."""
    deadline = time.time() + timeout
    alive = list(pgids)
    while alive and time.time() < deadline:
        alive = [pgid for pgid in alive if _group_alive(pgid)]
        if alive:
            time.sleep(0.1)
    return alive


def stop(settings: dict, grace: float = 10) -> None:
    """Stop everything by PID, then remove the course's system users. Safe to call twice.

    The student servers and the formgrader service run as course users (their PIDs are read
    from /proc): they get SIGTERM at the same time as the hub and the platform (their process
    groups), so the hub's own clean-up finds them stopping and shutting down takes seconds,
    not a timeout per server. What is left after ``grace`` seconds gets SIGKILL; then the
    proxy (the hub started it; its PID file is in state/) and ``userdel --remove``."""
    users = list(settings.get("created_users", []))
    t0 = time.time()
    marks = settings.setdefault("stop_timings", {})
    _signal_users(users, signal.SIGTERM)
    groups = []
    for name in ("hub", "platform"):
        pid = settings.get("pids", {}).get(name)
        if pid:
            try:
                os.killpg(pid, signal.SIGTERM)
                groups.append(pid)
            except (ProcessLookupError, PermissionError):
                pass
    for pgid in _wait_groups(groups, grace):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _wait_groups(groups, 5)
    marks["hub_platform_stopped"] = round(time.time() - t0, 2)
    proxy_pid = Path(settings.get("state_dir", "/nonexistent")) / "jupyterhub-proxy.pid"
    if proxy_pid.exists():
        try:
            os.kill(int(proxy_pid.read_text().strip()), signal.SIGTERM)
        except (ValueError, ProcessLookupError):
            pass
    deadline = time.time() + 3
    while _signal_users(users, 0) and time.time() < deadline:
        time.sleep(0.1)
    _signal_users(users, signal.SIGKILL)
    marks["user_processes_stopped"] = round(time.time() - t0, 2)
    for name in users:
        remove_user(name)
    marks["users_removed"] = round(time.time() - t0, 2)


def _print_welcome(s: dict) -> None:
    print(f"\nThe trial course runs on {s['url']} (hub) with the stand-in platform on "
          f"{s['platform_url']}.")
    print("Log in as a user by opening their launch link (LTI 1.3, through the platform):")
    for short, system in s["users"].items():
        role = "grader" if system in s["roster"]["graders"] else "student"
        print(f"  {short:10} ({role}, username {system}): {s['platform_url']}/launch?user={system}")
    print(f"Graders' formgrader: {s['url']}/services/{s['course_id']}/")
    print(f"Course folder: {s['course_root']}; exchange: {s['exchange_root']}; "
          f"logs: {s['state_dir']}")
    print("Stop it with: make hub-stop")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="local trial course on JupyterHub")
    sub = parser.add_subparsers(dest="command", required=True)
    st = sub.add_parser("start")
    st.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    st.add_argument("--students", default="alice,bob,chloe")
    st.add_argument("--graders", default="lecturer,ta")
    st.add_argument("--assignments", default="m00")
    sp = sub.add_parser("stop")
    sp.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("hubctl needs root (it creates system users and runs the hub as root).",
              file=sys.stderr)
        return 1
    settings_file = args.root / "state" / "settings.json"
    if args.command == "stop":
        if not settings_file.exists():
            print(f"No trial hub in {args.root}.")
            return 0
        stop(json.loads(settings_file.read_text()))
        shutil.rmtree(args.root, ignore_errors=True)
        print(f"Stopped the trial hub and removed its users and {args.root}.")
        return 0
    if settings_file.exists():
        print(f"A trial hub is already set up in {args.root}: make hub-stop first.",
              file=sys.stderr)
        return 1
    settings = {"state_dir": str(args.root / "state")}
    try:
        settings = prepare(args.root, args.students.split(","), args.graders.split(","),
                           args.assignments.split(","))
        settings = start(settings)
    except BaseException:
        if settings_file.exists():
            stop(json.loads(settings_file.read_text()))
        raise
    _print_welcome(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
