"""Grading kernels in a sandbox (bubblewrap): students' code cannot read the answers, touch the
gradebook or other students' work, reach the network, or leave processes behind.

How it is wired: nbgrader's autograde runs ``welfaregrading.preprocessors.guarded_execute.GuardedExecute`` (see
``c.Autograde.autograde_preprocessors`` in ``nbgrader_config.py``), whose kernel manager is
:class:`welfaregrading.execution.kernel.GradingKernelManager`. Before a kernel starts, that manager asks
:class:`GradingSandbox` for a plan (:meth:`GradingSandbox.prepare`); the one launch hook,
:func:`welfaregrading.execution.kernel.launch_command`, then puts the sandbox around the limits launcher:

    env --ignore-signal=INT bwrap <mounts> -- python -m welfaregrading.execution.launcher
        --memory-mb N --cpu-seconds S -- python -m ipykernel_launcher -f <connection file>

So every path that autogrades through nbgrader with this course's configuration is sandboxed:
``nbgrader autograde``, ``make autograde``/``make grade``, formgrader's Autograde button.
Students' Validate uses nbgrader's plain ``Execute`` (not GuardedExecute), so it is not.

Inside the sandbox the student's code sees:

- its own working folder, writable: a private temporary folder with copies of the
  submission's own files (:class:`welfaregrading.execution.kernel.GradingKernelManager`,
  ``private_workdir``), never nbgrader's ``autograded/<student>/<id>/`` folder, which holds
  the sanitized notebook and its hidden tests; nothing written there is read back;
- read-only: the system's ``/usr`` (and ``/lib*``, ``/bin``), a few files of ``/etc``
  (dynamic linker, time zone), the Python environment (the venv and the base Python it
  links to), the ``welfarelab`` package and the course's ``data/`` folders, plus any folders
  listed in ``c.GradingSandbox.read_only``; and what the kernel's own Python imports, asked of
  that Python outside the sandbox (:func:`kernel_environment`: its ``sys.prefix``,
  ``sys.base_prefix``, ``welfarelab``'s folder, its ``.pth`` and editable-install targets),
  never the course root or a folder containing it;
- a private ``/tmp`` (a small tmpfs, also ``HOME``), its own ``/proc`` and minimal ``/dev``;
- a folder of its own with the kernel's connection file and ZMQ sockets.

Everything else (``source/``, ``gradebook.db``, ``submitted/``, other students' folders, the
lecturer's home, the repository) does not exist for it. It has no network (a private network
namespace: only its own loopback; the kernel talks to nbgrader over unix sockets, jupyter's
``ipc`` transport, in the connection folder). Its processes live in a private PID namespace and
all end when the kernel ends (``--unshare-pid``, ``--die-with-parent``). Capabilities are
dropped, the environment is cleared (no tokens or passwords leak in), and memory, CPU time and
the size of each written file are capped by the limits launcher
(``c.GradingKernelManager.memory_limit_mb``, ``cpu_limit_seconds``, ``file_size_limit_mb``).
Not capped: the number of processes and the sum over them (rlimits are per process;
``RLIMIT_NPROC`` is per user id across namespaces and ignored for root; see
:mod:`welfaregrading.execution.launcher`), and the number of files written.

Where bubblewrap is missing or cannot run (another OS, a container that forbids namespaces),
``mode = "auto"`` grades without the sandbox and says so loudly, once per process and in the
grading summary; ``mode = "required"`` refuses to grade instead. Setting (nbgrader_config.py):
``c.GradingSandbox.mode = "auto" | "required" | "off"``.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from traitlets import CaselessStrEnum, Integer, List, Unicode
from traitlets.config import LoggingConfigurable

#: Shown (once per process) and put in the summary when students' code ran without a sandbox.
UNSANDBOXED = ("GRADING IS NOT SANDBOXED: students' code runs with your own rights and can read "
               "source/ (solutions, hidden tests), change gradebook.db and other students' work, "
               "and use the network")
HOW_TO_FIX = ("install bubblewrap (Debian/Ubuntu: `sudo apt-get install bubblewrap`; Fedora: "
              "`sudo dnf install bubblewrap`) on a Linux machine that allows namespaces, or grade "
              "on such a machine; see the README, For lecturers")

#: Environment variables passed from the grader into the sandbox (everything else is dropped:
#: a lecturer's tokens and passwords never reach students' code).
KEEP_ENV = ("NBGRADER_EXECUTION", "NBGRADER_VALIDATING", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE",
            "TZ", "MPLBACKEND", "PYTHONHASHSEED", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
            "MKL_NUM_THREADS", "MALLOC_ARENA_MAX")
#: Files of /etc a Python kernel needs (dynamic linker, time zone, MIME types, fonts).
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone", "alternatives",
             "mime.types", "fonts", "nsswitch.conf")
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")

_WARNED: set = set()
log = logging.getLogger("welfaregrading.sandbox")


# ---------------------------------------------------------------------------------------------
# Can the sandbox run here?
# ---------------------------------------------------------------------------------------------

@functools.cache
def problem(bwrap: str = "bwrap") -> str | None:
    """Why bubblewrap cannot sandbox a kernel on this machine, or None when it can.

    Checked once per process: bwrap is found, ``env --ignore-signal`` works (GNU coreutils) and
    a throw-away sandbox with every namespace starts.
    """
    if not sys.platform.startswith("linux"):
        return f"bubblewrap runs on Linux only (this is {sys.platform})"
    path = shutil.which(bwrap)
    if not path:
        return f"bubblewrap ({bwrap}) is not installed"
    env = shutil.which("env")
    try:
        done = subprocess.run([env or "env", "--ignore-signal=INT", path, "--unshare-all",
                               "--die-with-parent", "--ro-bind", "/", "/", "--proc", "/proc",
                               "--dev", "/dev", "--tmpfs", "/tmp", "true"],
                              capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError) as err:
        return f"bubblewrap could not start: {err}"
    if done.returncode != 0:
        why = (done.stderr or done.stdout).strip().splitlines()
        return ("bubblewrap cannot create a sandbox here"
                + (f": {why[-1]}" if why else f" (exit code {done.returncode})"))
    return None


def warn_once(reason: str, logger=None) -> str:
    """Log the loud 'not sandboxed' warning once per process; return its text."""
    text = f"{UNSANDBOXED}. Reason: {reason}. To fix: {HOW_TO_FIX}."
    if reason not in _WARNED:
        _WARNED.add(reason)
        (logger or log).warning("!" * 20 + " " + text + " " + "!" * 20)
    return text


# ---------------------------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------------------------

def _real(path) -> Path:
    return Path(os.path.realpath(path))


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def _in_system(path: Path) -> bool:
    """Whether ``path`` lies in a system folder the sandbox binds whole (``/usr`` ...)."""
    return any(_inside(path, Path(name)) for name in SYSTEM_DIRS)


def python_paths() -> list[Path]:
    """Folders of the Python environment the kernel runs in: the venv (``sys.prefix``), the
    base Python it links to (``sys.base_prefix``, e.g. a pyenv version in a home folder) and the
    ``welfarelab`` package (an editable install lives outside the venv). Not the grading
    package ``welfaregrading``: of it only the limits launcher's file is bound
    (:data:`welfaregrading.execution.kernel.LAUNCHER`)."""
    import welfarelab

    paths = [_real(sys.prefix), _real(sys.base_prefix), _real(sys.executable).parent.parent,
             _real(Path(welfarelab.__file__).parent)]
    out: list[Path] = []
    for p in paths:
        if p.exists() and p not in out and not any(_inside(p, q) for q in out):
            out = [q for q in out if not _inside(q, p)] + [p]
    return out


#: Run (outside the sandbox) by the kernel's own Python: what it imports from where.
_KERNEL_PROBE = r"""
import json, os, sys, glob, ast
out = {"prefix": sys.prefix, "base_prefix": sys.base_prefix, "executable": sys.executable,
       "paths": [p for p in sys.path if p and os.path.isabs(p)], "targets": []}
try:
    import welfarelab
    out["welfarelab"] = os.path.dirname(welfarelab.__file__)
except Exception as err:
    out["welfarelab_error"] = f"{type(err).__name__}: {err}"
for site in [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]:
    for pth in glob.glob(os.path.join(site, "*.pth")):
        for line in open(pth, errors="replace").read().splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "import")) and os.path.isabs(line):
                out["targets"].append(line)
    for finder in glob.glob(os.path.join(site, "__editable__*finder.py")):
        for node in ast.parse(open(finder, errors="replace").read()).body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                target = node.targets[0] if isinstance(node, ast.Assign) else node.target
                if getattr(target, "id", "") == "MAPPING":
                    out["targets"] += [str(v) for v in ast.literal_eval(node.value).values()]
print(json.dumps(out))
"""


@functools.cache
def kernel_environment(python: str) -> dict:
    """What the kernel's own Python (``python``, e.g. the kernelspec's, possibly another venv)
    imports from: ``{"prefix", "base_prefix", "executable", "paths", "targets", "welfarelab"}``
    (``welfarelab_error`` instead when it cannot import it; ``error`` when that Python does
    not run). Asked once per Python, outside the sandbox, in isolated mode (``-I``)."""
    try:
        done = subprocess.run([python, "-I", "-c", _KERNEL_PROBE], capture_output=True, text=True,
                              timeout=60, check=False, cwd=tempfile.gettempdir())
    except (OSError, subprocess.SubprocessError) as err:
        return {"error": f"{python} could not be run: {err}"}
    if done.returncode != 0:
        why = (done.stderr or done.stdout).strip().splitlines()
        return {"error": f"{python} failed: {why[-1] if why else done.returncode}"}
    import json

    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"error": f"{python} gave no answer"}


def kernel_paths(python: str) -> list[Path]:
    """The folders the kernel's Python needs readable: its ``sys.prefix`` and
    ``sys.base_prefix``, the folder of ``welfarelab`` and the targets of its site-packages'
    ``.pth`` files and editable-install finders (see :func:`kernel_environment`)."""
    env = kernel_environment(python)
    if "error" in env:
        return []
    found = [env.get("prefix"), env.get("base_prefix"), env.get("welfarelab"),
             *env.get("targets", [])]
    grading = _real(Path(__file__).parents[1])  # the grading package: never exposed
    return [_real(p) for p in found if p and Path(p).exists()
            and not _inside(_real(p), grading) and not _inside(grading, _real(p))]


@dataclass
class SandboxPlan:
    """Everything one sandboxed kernel needs: what it may write and read, and where it talks."""

    workdir: Path
    comm_dir: Path
    read_only: list[Path] = field(default_factory=list)
    share_network: bool = False
    tmp_size_mb: int = 256
    bwrap: str = "bwrap"
    #: Folders never exposed, nor any folder that contains one (the course root).
    hidden: list[Path] = field(default_factory=list)

    @property
    def connection_file(self) -> Path:
        return self.comm_dir / "kernel.json"

    @property
    def ipc_base(self) -> Path:
        return self.comm_dir / "kernel-ipc"

    def wrap(self, inner: list[str]) -> list[str]:
        """``inner`` (the limits launcher and kernel) inside bubblewrap.

        ``env --ignore-signal=INT`` makes bwrap's own processes ignore the interrupt that
        jupyter_client sends to the kernel's process group at a cell's time limit (bwrap would
        otherwise die of it and take the kernel along); ipykernel handles SIGINT itself.
        """
        argv = [shutil.which("env") or "env", "--ignore-signal=INT", shutil.which(self.bwrap)
                or self.bwrap,
                "--unshare-all", "--die-with-parent", "--cap-drop", "ALL",
                "--hostname", "grading"]
        if self.share_network:
            argv.append("--share-net")
        for name in SYSTEM_DIRS:
            p = Path(name)
            if p.is_symlink():
                argv += ["--symlink", os.readlink(p), name]
            elif p.is_dir():
                argv += ["--ro-bind", name, name]
        for name in ETC_FILES:
            p = Path("/etc") / name
            if p.exists():
                argv += ["--ro-bind", str(p), str(p)]
        argv += ["--ro-bind", str(self.comm_dir / "passwd"), "/etc/passwd",
                 "--ro-bind", str(self.comm_dir / "group"), "/etc/group",
                 "--proc", "/proc", "--dev", "/dev",
                 "--size", str(max(1, self.tmp_size_mb) * 1024 * 1024), "--tmpfs", "/tmp"]
        from welfaregrading.execution.kernel import LAUNCHER

        grading = LAUNCHER.parents[1]  # the grading package: only its launcher is shown
        mounts = [*self.read_only, self.workdir, self.comm_dir, LAUNCHER.parent]
        # the folders above each mount exist, empty and unwritable (mode 0555; the sandbox has
        # no capability to override it), so nothing can be written beside the submission
        parents = sorted({a for m in mounts for a in m.parents
                          if a != Path("/") and a != Path("/tmp") and a not in mounts
                          and not _in_system(a)},
                         key=lambda a: len(a.parts))
        for folder in parents:
            argv += ["--perms", "0555", "--dir", str(folder)]
        for p in self.read_only:
            if not _in_system(p):  # (the system folders are bound whole already)
                argv += ["--ro-bind", str(p), str(p)]
        if any(_inside(grading, p) for p in self.read_only):  # e.g. installed in the venv
            argv += ["--tmpfs", str(grading)]
        argv += ["--perms", "0555", "--dir", str(LAUNCHER.parent),
                 "--ro-bind", str(LAUNCHER), str(LAUNCHER)]
        argv += ["--bind", str(self.workdir), str(self.workdir),
                 "--bind", str(self.comm_dir), str(self.comm_dir),
                 "--remount-ro", "/", "--chdir", str(self.workdir), "--clearenv"]
        env = {k: os.environ[k] for k in KEEP_ENV if k in os.environ}
        env.update(HOME="/tmp", TMPDIR="/tmp", USER="student", LOGNAME="student",
                   PATH=os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin",
                                         "/usr/bin", "/bin"]),
                   IPYTHONDIR="/tmp/.ipython", MPLCONFIGDIR="/tmp/.matplotlib",
                   XDG_CACHE_HOME="/tmp/.cache", JUPYTER_CONFIG_DIR="/tmp/.jupyter",
                   JUPYTER_DATA_DIR="/tmp/.local/share/jupyter",
                   JUPYTER_RUNTIME_DIR="/tmp/.local/share/jupyter/runtime",
                   JUPYTER_PLATFORM_DIRS="1", PYTHONNOUSERSITE="1",
                   # ipykernel: a managed kernel (no "connect to me" banner, no parent poller)
                   JPY_PARENT_PID="1",
                   WELFARELAB_SANDBOX="bubblewrap")
        env.setdefault("MPLBACKEND", "Agg")
        for key, value in env.items():
            argv += ["--setenv", key, value]
        return [*argv, "--", *inner]

    def allow_program(self, program: str) -> None:
        """Make readable what the kernel's own Python imports, resolved in its own environment
        (the kernelspec may name another venv than the grader's, with an editable install of
        ``welfarelab`` elsewhere): its venv and base Python, ``welfarelab``'s folder and the
        ``.pth``/editable-finder targets of its site-packages (:func:`kernel_paths`), read-only.
        Never a folder in ``hidden`` (the course root) or one containing it."""
        path = Path(shutil.which(program) or program)
        if not path.is_absolute():
            return
        wanted = [path.parent.parent, _real(path).parent.parent, *kernel_paths(str(path))]
        for folder in wanted:
            folder = Path(os.path.abspath(folder))
            if folder.exists() and not any(_inside(folder, p) for p in self.read_only) \
                    and not _inside(self.workdir, folder) and folder not in _never_whole() \
                    and not any(_inside(h, folder) for h in self.hidden):
                self.read_only = [p for p in self.read_only if not _inside(p, folder)]
                self.read_only.append(folder)

    def cleanup(self) -> None:
        shutil.rmtree(self.comm_dir, ignore_errors=True)


def _never_whole() -> set[Path]:
    """Folders that are never bound whole (only what the kernel needs inside them)."""
    return {Path("/"), Path("/home"), Path("/root"), Path("/tmp"), Path("/etc"), Path("/var"),
            _real(Path.home())}


class GradingSandbox(LoggingConfigurable):
    """Settings of the grading sandbox (``c.GradingSandbox.*`` in ``nbgrader_config.py``)."""

    mode = CaselessStrEnum(
        ["auto", "required", "off"], default_value="auto",
        help="'auto': sandbox grading kernels with bubblewrap where it can run, else grade "
             "without it and warn loudly; 'required': refuse to grade without the sandbox; "
             "'off': never sandbox (also warned about).").tag(config=True)
    bwrap = Unicode("bwrap", help="The bubblewrap command.").tag(config=True)
    read_only = List(Unicode(), help="More folders students' code may read (read-only), e.g. "
                                     "a shared data folder outside the course.").tag(config=True)
    share_network = CaselessStrEnum(
        ["no", "yes"], default_value="no",
        help="'yes' lets students' code use the network (not recommended).").tag(config=True)
    tmp_size_mb = Integer(256, help="Size of the private /tmp (memory-backed) in MB."
                          ).tag(config=True)

    def unavailable(self) -> str | None:
        """Why grading kernels will run unsandboxed with these settings (None: sandboxed)."""
        if self.mode == "off":
            return "the sandbox is switched off (c.GradingSandbox.mode = 'off')"
        return problem(self.bwrap)

    def prepare(self, workdir, course_root=None, logger=None) -> SandboxPlan | None:
        """A :class:`SandboxPlan` for a kernel working in ``workdir`` (its folder is the only
        writable one), or None when grading goes on unsandboxed (after a loud warning).
        Raises RuntimeError when the sandbox is required but cannot run."""
        reason = self.unavailable()
        if reason is not None:
            if self.mode == "required":
                raise RuntimeError(f"The grading sandbox is required (c.GradingSandbox.mode = "
                                   f"'required') but cannot run: {reason}. To fix: {HOW_TO_FIX}.")
            warn_once(reason, logger or self.log)
            return None
        if workdir is None:
            workdir = tempfile.mkdtemp(prefix="welfarelab-kernel-cwd-")
        workdir = _real(workdir)
        read_only = python_paths()
        roots = [_real(course_root)] if course_root else []
        roots.append(_real(Path(__file__).resolve().parents[2]))  # the package's own data/
        for root in roots:
            data = root / "data"
            if data.is_dir() and data not in read_only:
                read_only.append(data)
        read_only += [_real(p) for p in self.read_only if Path(p).exists()]
        # never expose the submission's parents (course root, autograded/) through a read-only
        # folder that contains them: drop such folders, the student's folder is bound anyway
        read_only = [p for p in read_only if not _inside(workdir, p)
                     and not any(_inside(r, p) for r in roots[:1]) and p not in _never_whole()]
        comm = Path(tempfile.mkdtemp(prefix="welfarelab-kernel-"))
        uid, gid = os.getuid(), os.getgid()
        (comm / "passwd").write_text(f"student:x:{uid}:{gid}:student:/tmp:/bin/sh\n")
        (comm / "group").write_text(f"student:x:{gid}:\n")
        return SandboxPlan(workdir=workdir, comm_dir=comm, read_only=read_only,
                           share_network=self.share_network == "yes",
                           tmp_size_mb=self.tmp_size_mb, bwrap=self.bwrap, hidden=roots[:1])


def status(config=None) -> dict:
    """``{"sandboxed": bool, "reason": str}`` for grading with ``config`` (a traitlets Config,
    e.g. the course's), for the grading run's log and summary."""
    sandbox = GradingSandbox(config=config) if config is not None else GradingSandbox()
    reason = sandbox.unavailable()
    if reason is None:
        return {"sandboxed": True, "reason": "bubblewrap", "mode": sandbox.mode}
    return {"sandboxed": False, "reason": reason, "mode": sandbox.mode,
            "warning": f"{UNSANDBOXED}. Reason: {reason}. To fix: {HOW_TO_FIX}."}
