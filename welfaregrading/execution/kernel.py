"""Running students' code during grading: the kernel-launch hook and a guarded Execute.

Everything that decides *how* a student's kernel is started lives here, in one place:

- :func:`launch_command` wraps the kernelspec's command (``python -m ipykernel_launcher -f
  {connection_file}``) in ``python -m welfaregrading.execution.launcher --memory-mb N --cpu-seconds S --``,
  which sets the resource limits (``RLIMIT_AS``, ``RLIMIT_CPU``) and then ``exec``s the kernel.
  While autograding it also puts the bubblewrap sandbox around that (welfaregrading/execution/sandbox.py,
  ``c.GradingSandbox.mode``): the kernel sees only its own submission folder (writable), the
  Python environment and the course data (read-only), a private /tmp, and no network.
- :class:`GradingKernelManager` is the jupyter_client kernel manager that nbgrader's execution
  uses while grading (``c.GradingKernelManager.memory_limit_mb`` in ``nbgrader_config.py``).
  It plans the sandbox before the kernel starts; a sandboxed kernel talks to nbgrader over
  unix sockets (jupyter's ``ipc`` transport), as it has no network.
- :class:`welfaregrading.preprocessors.guarded_execute.GuardedExecute` is nbgrader's own ``Execute`` preprocessor with three guards around
  it. It never scores a test itself: it only makes sure a test that was not run cannot pass.

  * a kernel that dies (memory, ``os._exit``, a segfault, the CPU limit): nbgrader 0.9.6 would
    abandon the whole submission (``DeadKernelError``); here the cells run so far keep their
    outputs and every later code cell gets an error output "not run", so the tests after the
    crash score 0 and the tests before it keep their points;
  * code that ignores the interrupt sent at the per-cell time limit (nbclient then raises
    ``CellTimeoutError`` waiting for the kernel): the same, from that cell on;
  * a time budget for the whole notebook (``notebook_timeout``), so the batch can never hang.

The launcher itself is :mod:`welfaregrading.execution.launcher` (kept tiny, so a kernel starts fast);
it is runnable by hand: ``python -m welfaregrading.execution.launcher --memory-mb 512 -- CMD``.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from jupyter_client import AsyncKernelManager
from traitlets import Bool, Integer, Unicode

#: The limits launcher, run as a file: inside the sandbox only this one file of the grading
#: package is readable, never the rest of ``welfaregrading``.
LAUNCHER = Path(__file__).resolve().parent / "launcher.py"
#: Prefix of the private working folders of grading kernels (in the system's temp folder).
WORKDIR_PREFIX = "welfaregrading-work-"


def launch_command(kernel_cmd: Sequence[str], memory_mb: int = 0, cpu_seconds: int = 0,
                   sandbox=None, file_mb: int = 0) -> list[str]:
    """The command that starts a grading kernel: the limits launcher around ``kernel_cmd``,
    inside the bubblewrap sandbox when ``sandbox`` (a :class:`welfaregrading.execution.sandbox.SandboxPlan`)
    is given.

    This is the one place to change how students' code is started.
    ``memory_mb``/``cpu_seconds``/``file_mb`` (largest file written) of 0 mean no limit.
    """
    extra = ["--file-mb", str(int(file_mb))] if file_mb else []
    limited = [sys.executable, str(LAUNCHER), "--memory-mb",
               str(int(memory_mb)), "--cpu-seconds", str(int(cpu_seconds)), *extra, "--",
               *kernel_cmd]
    return sandbox.wrap(limited) if sandbox is not None else limited


def copy_own_files(folder, target, skip_suffixes=(".ipynb",)) -> list[str]:
    """Copy the regular files under ``folder`` into ``target`` (which must exist), keeping
    their relative paths; return those paths.

    Links are never followed and never copied (neither file nor folder links), nor are
    sockets, devices or FIFOs; files whose name ends in one of ``skip_suffixes`` are left out
    (by default every notebook: in ``autograded/<student>/<id>/`` they are nbgrader's
    sanitized copies, hidden tests included). Files that vanish or cannot be read while
    copying are left out. Raises nothing for the files; OSError if ``target`` is missing.
    """
    folder, target = Path(folder), Path(target)
    if not target.is_dir():
        raise OSError(f"the private working folder {target} does not exist")
    copied = []
    for top, dirs, files in os.walk(folder, followlinks=False):
        here = Path(top)
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
        for name in files:
            path = here / name
            if name.endswith(tuple(skip_suffixes)):
                continue
            rel = path.relative_to(folder)
            try:
                if not stat.S_ISREG(os.lstat(path).st_mode):
                    continue  # a link, FIFO, socket or device: never opened
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                             | getattr(os, "O_NONBLOCK", 0))
            except OSError:
                continue  # a link (O_NOFOLLOW), gone, or unreadable
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    continue
                dest = target / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                with os.fdopen(os.dup(fd), "rb") as src, open(dest, "xb") as out:
                    shutil.copyfileobj(src, out)
                copied.append(str(rel))
            except OSError:
                continue
            finally:
                os.close(fd)
    return copied


class GradingKernelManager(AsyncKernelManager):
    """The kernel manager used while grading: the kernelspec's command, started through
    :func:`launch_command` with the configured limits, working in a private folder.

    The private folder (``private_workdir``, on by default): nbgrader writes the sanitized
    notebook, hidden tests and all, into ``autograded/<student>/<id>/`` and would start the
    kernel there. Instead the kernel gets a fresh temporary folder holding copies of the
    regular files of that folder except notebooks (:func:`copy_own_files`: the student's own
    data files and the source's non-notebook files nbgrader put there; no links are followed),
    sandboxed or not. Nothing written there is read back: the folder is deleted with the
    kernel, without following links.
    """

    memory_limit_mb = Integer(
        2048, help="Address-space limit of a grading kernel in MB (0: none). Beyond it the "
                   "student's code gets a MemoryError.").tag(config=True)
    cpu_limit_seconds = Integer(
        0, help="CPU-seconds limit of a grading kernel (0: the notebook time budget of "
                "GuardedExecute). Beyond it the kernel is stopped.").tag(config=True)
    launcher = Unicode("welfaregrading.execution.kernel.launch_command",
                       help="Import path of the function that wraps the kernel command "
                            "(kernel_cmd, memory_mb, cpu_seconds) -> argv.").tag(config=True)
    file_size_limit_mb = Integer(
        1024, help="Largest file a grading kernel may write, in MB (0: none); a bigger write "
                   "fails with OSError.").tag(config=True)
    private_workdir = Bool(
        True, help="Run the kernel in a private temporary folder holding copies of the "
                   "submission's own files (not the notebooks), instead of nbgrader's "
                   "autograded/<student>/<id>/ folder, which holds the sanitized notebook with "
                   "its hidden tests. Switch off only to measure the overhead.").tag(config=True)

    #: The private working folder of the kernel being run (a Path) or None.
    private_dir = None

    #: The sandbox of the kernel being started (welfaregrading.execution.sandbox.SandboxPlan) or None.
    _sandbox = None

    async def _async_pre_start_kernel(self, **kw):
        """Plan the sandbox (``c.GradingSandbox``, welfaregrading/execution/sandbox.py) before the connection
        file is written: a sandboxed kernel has no shared network, so it talks over unix
        sockets (jupyter's ``ipc`` transport) in a folder of its own."""
        from welfaregrading.execution import sandbox

        if self.private_workdir and self.private_dir is None:
            self.private_dir = Path(tempfile.mkdtemp(prefix=WORKDIR_PREFIX))
            if kw.get("cwd"):
                copy_own_files(kw["cwd"], self.private_dir)
            kw["cwd"] = str(self.private_dir)
        elif self.private_dir is not None:
            kw["cwd"] = str(self.private_dir)  # a restart keeps the same private folder
        if self._sandbox is None:
            root = self.config.get("CourseDirectory", {}).get("root") or None
            self._sandbox = sandbox.GradingSandbox(config=self.config, parent=self).prepare(
                kw.get("cwd"), course_root=root, logger=self.log)
            if self._sandbox is not None:
                self.cache_ports = False
                self.transport = "ipc"
                self.connection_file = str(self._sandbox.connection_file)
                self.ip = str(self._sandbox.ipc_base)
                if kw.get("cwd") is None:
                    kw["cwd"] = str(self._sandbox.workdir)
        return await super()._async_pre_start_kernel(**kw)

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        module, _, name = self.launcher.rpartition(".")
        wrap = getattr(__import__(module, fromlist=[name]), name)
        extra = {"file_mb": self.file_size_limit_mb} if self.file_size_limit_mb else {}
        if self._sandbox is not None:
            self._sandbox.allow_program(cmd[0])
            return wrap(cmd, self.memory_limit_mb, self.cpu_limit_seconds, sandbox=self._sandbox,
                        **extra)
        return wrap(cmd, self.memory_limit_mb, self.cpu_limit_seconds, **extra)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if self._sandbox is not None and not restart:
            self._sandbox.cleanup()
        if self.private_dir is not None and not restart:
            shutil.rmtree(self.private_dir, ignore_errors=True)  # never follows links
            self.private_dir = None

    # nbclient calls cleanup_resources() itself after a kernel died (AsyncKernelManager binds
    # it to the base class's function), so the sandbox's folder is removed then too
    cleanup_resources = _async_cleanup_resources
