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

import sys
from collections.abc import Sequence

from jupyter_client import AsyncKernelManager
from traitlets import Integer, Unicode


def launch_command(kernel_cmd: Sequence[str], memory_mb: int = 0, cpu_seconds: int = 0,
                   sandbox=None) -> list[str]:
    """The command that starts a grading kernel: the limits launcher around ``kernel_cmd``,
    inside the bubblewrap sandbox when ``sandbox`` (a :class:`welfaregrading.execution.sandbox.SandboxPlan`)
    is given.

    This is the one place to change how students' code is started.
    ``memory_mb``/``cpu_seconds`` of 0 mean no limit.
    """
    limited = [sys.executable, "-m", "welfaregrading.execution.launcher", "--memory-mb",
               str(int(memory_mb)), "--cpu-seconds", str(int(cpu_seconds)), "--", *kernel_cmd]
    return sandbox.wrap(limited) if sandbox is not None else limited


class GradingKernelManager(AsyncKernelManager):
    """The kernel manager used while grading: the kernelspec's command, started through
    :func:`launch_command` with the configured limits."""

    memory_limit_mb = Integer(
        2048, help="Address-space limit of a grading kernel in MB (0: none). Beyond it the "
                   "student's code gets a MemoryError.").tag(config=True)
    cpu_limit_seconds = Integer(
        0, help="CPU-seconds limit of a grading kernel (0: the notebook time budget of "
                "GuardedExecute). Beyond it the kernel is stopped.").tag(config=True)
    launcher = Unicode("welfaregrading.execution.kernel.launch_command",
                       help="Import path of the function that wraps the kernel command "
                            "(kernel_cmd, memory_mb, cpu_seconds) -> argv.").tag(config=True)

    #: The sandbox of the kernel being started (welfaregrading.execution.sandbox.SandboxPlan) or None.
    _sandbox = None

    async def _async_pre_start_kernel(self, **kw):
        """Plan the sandbox (``c.GradingSandbox``, welfaregrading/execution/sandbox.py) before the connection
        file is written: a sandboxed kernel has no shared network, so it talks over unix
        sockets (jupyter's ``ipc`` transport) in a folder of its own."""
        from welfaregrading.execution import sandbox

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
        if self._sandbox is not None:
            self._sandbox.allow_program(cmd[0])
            return wrap(cmd, self.memory_limit_mb, self.cpu_limit_seconds, sandbox=self._sandbox)
        return wrap(cmd, self.memory_limit_mb, self.cpu_limit_seconds)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if self._sandbox is not None and not restart:
            self._sandbox.cleanup()

    # nbclient calls cleanup_resources() itself after a kernel died (AsyncKernelManager binds
    # it to the base class's function), so the sandbox's folder is removed then too
    cleanup_resources = _async_cleanup_resources
