"""Before a grading run: can a grading kernel start, exactly as grading starts it, and import
``welfarelab``? (:func:`preflight`). A run that cannot grade then says so once, with the fix,
instead of failing every submission with the same error."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile

#: What to do when the kernel cannot start or cannot import the course package.
FIX_IMPORT = ("make sure the kernel's Python (the kernelspec named in the notebooks, usually "
              "`python3`) has the course package installed (`make install` or `pip install -e .` "
              "in the course folder, with that Python), and that the grading sandbox can read it "
              "(c.GradingSandbox.read_only in nbgrader_config.py for a folder outside the "
              "environment)")


def preflight(course_config, kernel_name: str = "python3", timeout: float = 60) -> str | None:
    """Start one grading kernel exactly as autograding does (GradingKernelManager: limits
    launcher, sandbox, private working folder; ``course_config`` is the course's traitlets
    Config, e.g. ``welfaregrading.course.course_config(root)``) and import ``welfarelab`` in it.

    Returns None when that works, else one paragraph in plain words: what failed, the kernel's
    own error (its last lines of stderr or the import's traceback) and the fix. Never raises
    for a kernel problem (a sandbox that is required but cannot run is reported the same way).
    """
    from jupyter_client.blocking.client import BlockingKernelClient  # noqa: F401
    from jupyter_core.utils import run_sync

    from welfaregrading.execution.kernel import GradingKernelManager

    folder = tempfile.mkdtemp(prefix="welfaregrading-preflight-")
    km = GradingKernelManager(config=course_config, kernel_name=kernel_name)
    kc = None
    try:
        try:
            run_sync(km.start_kernel)(cwd=folder, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE)
        except Exception as err:  # noqa: BLE001 - reported in words
            if "To fix: " in str(err):  # the sandbox's own explanation, with its fix
                return f"A grading kernel cannot start: {err}"
            return f"A grading kernel cannot start: {type(err).__name__}: {err}. To fix: {FIX_IMPORT}."
        kc = km.blocking_client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=timeout)
        except Exception as err:  # noqa: BLE001
            return (f"A grading kernel started but never answered ({err}). Its own error: "
                    f"{_stderr(km) or 'none shown'}. To fix: {FIX_IMPORT}.")
        reply = kc.execute_interactive("import welfarelab, welfarelab.data", timeout=timeout,
                                       output_hook=lambda msg: None)
        content = reply["content"]
        if content.get("status") != "ok":
            return (f"A grading kernel cannot import the course package: "
                    f"{content.get('ename')}: {content.get('evalue')}. To fix: {FIX_IMPORT}.")
        return None
    except Exception as err:  # noqa: BLE001
        return (f"A grading kernel did not work: {type(err).__name__}: {err}. Its own error: "
                f"{_stderr(km) or 'none shown'}. To fix: {FIX_IMPORT}.")
    finally:
        if kc is not None:
            kc.stop_channels()
        with contextlib.suppress(Exception):
            if km.has_kernel:
                run_sync(km.shutdown_kernel)(now=True)
            else:
                run_sync(km.cleanup_resources)()
        shutil.rmtree(folder, ignore_errors=True)


def _stderr(km) -> str:
    """The last lines the kernel's process wrote to stderr (it has ended or is ending)."""
    proc = getattr(getattr(km, "provisioner", None), "process", None)
    pipe = getattr(proc, "stderr", None)
    if pipe is None:
        return ""
    try:
        if proc.poll() is None:
            proc.kill()
        text = pipe.read().decode(errors="replace") if hasattr(pipe, "read") else ""
    except Exception:  # noqa: BLE001
        return ""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return " | ".join(lines[-3:])
