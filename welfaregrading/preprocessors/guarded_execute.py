"""GuardedExecute: nbgrader's Execute with guards against dead and hung kernels and a time
budget for the whole notebook. It never scores a test itself: it only makes sure a test that
was not run cannot pass.

* a kernel that dies (memory, ``os._exit``, a segfault, the CPU limit): nbgrader 0.9.6 would
  abandon the whole submission (``DeadKernelError``); here the cells run so far keep their
  outputs and every later code cell gets an error output "not run", so the tests after the
  crash score 0 and the tests before it keep their points;
* code that ignores the interrupt sent at the per-cell time limit (nbclient then raises
  ``CellTimeoutError`` waiting for the kernel): the same, from that cell on;
* a time budget for the whole notebook (``notebook_timeout``), so the batch can never hang.

Its kernels are started by :class:`welfaregrading.execution.kernel.GradingKernelManager`
(limits, sandbox).
"""

from __future__ import annotations

import time

from nbgrader.preprocessors import Execute
from traitlets import Integer

from welfaregrading.execution.kernel import GradingKernelManager

#: The error name given to cells that were not run after the kernel died or hung.
NOT_RUN = "NotRunError"


class GuardedExecute(Execute):
    """nbgrader's ``Execute`` that survives dead and hung kernels and has a notebook budget.

    Configure it as ``c.GuardedExecute.notebook_timeout`` (seconds for the whole notebook);
    ``c.Execute.timeout`` (per cell) and ``c.GradingKernelManager.memory_limit_mb`` apply too.
    """

    notebook_timeout = Integer(
        600, help="Seconds for the whole notebook (0: no budget). Cells that would start after "
                  "it are not run and score 0.").tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", GradingKernelManager)
        super().__init__(*args, **kwargs)
        self._stopped = ""
        self._deadline = None

    # -- nbclient / nbconvert hooks ---------------------------------------------------------

    def preprocess(self, nb, resources=None, km=None):
        self._stopped = ""
        self._deadline = (time.monotonic() + self.notebook_timeout
                          if self.notebook_timeout and self.notebook_timeout > 0 else None)
        return super().preprocess(nb, resources, km=km)

    def create_kernel_manager(self):
        """The kernel's CPU limit defaults to the notebook budget plus a margin."""
        km = super().create_kernel_manager()
        if isinstance(km, GradingKernelManager) and not km.cpu_limit_seconds \
                and self.notebook_timeout:
            km.cpu_limit_seconds = int(self.notebook_timeout) + 30
        return km

    def _get_timeout(self, cell):
        timeout = super()._get_timeout(cell)
        if self._deadline is None:
            return timeout
        left = max(1, int(self._deadline - time.monotonic()) + 1)
        return left if timeout is None else min(timeout, left)

    def preprocess_cell(self, cell, resources, index):
        from nbclient.exceptions import CellTimeoutError, DeadKernelError

        if not self._stopped and self._deadline is not None and time.monotonic() >= self._deadline:
            self._stopped = (f"the notebook used up its time budget ({self.notebook_timeout} s "
                             "for all cells)")
        if self._stopped:
            self._mark_not_run(cell, self._stopped)
            return cell, resources
        started, limit = time.monotonic(), self._get_timeout(cell)
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._stopped = ("the kernel stopped while running an earlier cell (it ran out of "
                             "memory, hit a limit or was ended by the code)")
            self._add_error(cell, "DeadKernelError",
                            "The kernel died while running this cell (out of memory, a limit, "
                            "or code that ends the kernel). Later cells were not run.")
        except CellTimeoutError:
            if limit is None or time.monotonic() - started < limit:
                raise  # the output was late, not the student's code: fail, so it is re-run
            self._stopped = ("an earlier cell did not stop when it was interrupted at the time "
                             "limit")
            self._add_error(cell, "CellTimeoutError",
                            "This cell ran past the time limit and did not stop when it was "
                            "interrupted. Later cells were not run.")
            self._kill_kernel()
        self.log.warning("Grading guard: %s", self._stopped)
        return cell, resources

    def _kill_kernel(self):
        """Stop a kernel that ignores interrupts now, instead of at the end of the notebook."""
        from jupyter_core.utils import run_sync

        try:
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception as err:  # noqa: BLE001 - the kernel is cleaned up again at the end
            self.log.warning("could not stop the kernel at once: %s", err)

    # -- helpers -------------------------------------------------------------------------------

    @staticmethod
    def _add_error(cell, ename, evalue):
        from nbformat.v4 import new_output

        if cell.cell_type != "code":
            return
        cell.setdefault("outputs", [])
        cell.outputs.append(new_output("error", ename=ename, evalue=evalue,
                                       traceback=[f"{ename}: {evalue}"]))

    def _mark_not_run(self, cell, why):
        if cell.cell_type == "code" and cell.source.strip():
            cell.outputs = []
            self._add_error(cell, NOT_RUN, f"Not run: {why}.")
