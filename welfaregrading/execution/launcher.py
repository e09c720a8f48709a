"""Start a grading kernel with resource limits: ``python -m welfaregrading.execution.launcher
[--memory-mb N] [--cpu-seconds S] [--file-mb F] -- CMD ...``.

Sets ``RLIMIT_AS`` (address space), ``RLIMIT_CPU`` and ``RLIMIT_FSIZE`` (largest file written)
for itself and then ``exec``s ``CMD`` (the kernelspec's command), so the limits hold for the
student's code. Beyond the memory limit Python raises ``MemoryError``; beyond the CPU limit the
kernel receives SIGXCPU and stops; a write beyond the file limit fails (the kernel ignores
SIGXFSZ, so the student's code gets an ``OSError`` "File too large").

What these limits do NOT enforce (rlimits are per process): the memory and CPU time of the
kernel's child processes add up (each child has its own budget); the number of processes is not
capped (``RLIMIT_NPROC`` counts all processes of the user id, in every namespace, and is not
enforced at all for root, so it is not set; cgroups through ``systemd-run --user --scope`` are
not available everywhere); the number of files and the total size written in the kernel's
private folder are not capped (only each file's size; the sandbox's ``/tmp`` is a tmpfs of
``c.GradingSandbox.tmp_size_mb``). The sandbox's private PID namespace ends every process with
the kernel, and the notebook's time budget bounds how long any of this can go on.
It imports nothing heavy, so the kernel starts as fast as without it.
:func:`welfaregrading.execution.kernel.launch_command` builds this command line (the one launch hook).
"""

from __future__ import annotations

import os
import resource
import sys

#: Environment for grading kernels: one thread per numeric library, so parallel grading
#: workers do not oversubscribe the cores and thread arenas do not eat the memory limit.
KERNEL_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "MALLOC_ARENA_MAX": "2", "MPLBACKEND": "Agg"}


def apply_limits(memory_mb: int = 0, cpu_seconds: int = 0, file_mb: int = 0) -> None:
    """Set RLIMIT_AS to ``memory_mb`` MB, RLIMIT_CPU to ``cpu_seconds`` and RLIMIT_FSIZE to
    ``file_mb`` MB (0: leave as is); a file write beyond the last fails with OSError instead
    of killing the process (SIGXFSZ ignored). Raises ValueError for a limit above the hard
    limit."""
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if cpu_seconds > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    if file_mb > 0:
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # inherited through exec: EFBIG instead
        limit = file_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    limits = {"--memory-mb": 0, "--cpu-seconds": 0, "--file-mb": 0}
    while args and args[0] in limits:
        if len(args) < 2:
            print(f"{args[0]} needs a number", file=sys.stderr)
            return 2
        limits[args[0]] = int(args[1])
        args = args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    apply_limits(limits["--memory-mb"], limits["--cpu-seconds"], limits["--file-mb"])
    for key, value in KERNEL_ENV.items():
        os.environ.setdefault(key, value)
    os.execvp(args[0], args)
    return 0  # pragma: no cover - execvp does not return


if __name__ == "__main__":
    sys.exit(main())
