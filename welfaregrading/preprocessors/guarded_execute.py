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
(limits, sandbox, a private working folder).

With ``isolate_tests`` (on by default) it also keeps the hidden tests out of the student's reach:

* every auto-graded test cell whose code is the gradebook's (a trusted test cell) runs in the
  checker process (:mod:`welfaregrading.execution.checker`), not in the student's kernel: the
  kernel only sends the values of the names the test reads, as JSON data. The checker's
  outputs become the cell's outputs, so nbgrader scores the cell as before. A value that cannot
  be sent as data makes that one test score 0 (not run anywhere), and the submission is flagged;
* canary cells, with nonces chosen at grading time, run in the student's kernel before the
  first test cell and after the last cell: each must fail with an error carrying its nonce and
  print a value derived from it. A kernel that swallows the error, loses the print or changes
  it is flagged for review;
* each flag is logged once as ``Grading flag: <reason>`` (``self.log.warning``) and listed in
  the autograded notebook's ``metadata["welfaregrading"]["flags"]``.

And it caps output while it streams in (``max_cell_output_chars``; default 10 times
``c.LimitOutputSize.max_chars``): beyond the cap a cell's outputs are dropped as they arrive
(errors are always kept, and the first stderr output), with a note in the cell.

What it does not stop: code in the student's kernel can still lie about its own answers'
values (the same as writing other answers), and a canary can be recognised and answered by
code written for it; the checks never run in the kernel, so neither gains hidden points.
"""

from __future__ import annotations

import secrets
import time
import uuid

from nbformat.v4 import new_code_cell, new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

from welfaregrading.execution.kernel import GradingKernelManager

#: The error name given to cells that were not run after the kernel died or hung.
NOT_RUN = "NotRunError"
#: Notebook metadata key under which grading flags are listed (``["flags"]``).
FLAGS_KEY = "welfaregrading"


class GuardedExecute(Execute):
    """nbgrader's ``Execute`` that survives dead and hung kernels, has a notebook budget, runs
    hidden tests in the checker (``isolate_tests``) and caps output as it streams.

    Configure it as ``c.GuardedExecute.notebook_timeout`` (seconds for the whole notebook),
    ``c.GuardedExecute.isolate_tests``, ``c.GuardedExecute.max_cell_output_chars``;
    ``c.Execute.timeout`` (per cell, also per check in the checker) and
    ``c.GradingKernelManager.memory_limit_mb`` apply too.
    """

    notebook_timeout = Integer(
        600, help="Seconds for the whole notebook (0: no budget). Cells that would start after "
                  "it are not run and score 0.").tag(config=True)
    isolate_tests = Bool(
        True, help="Run auto-graded test cells in a trusted checker process on the answers' "
                   "values (sent as data), and run canary cells in the student's kernel. "
                   "Switch off only to measure the overhead.").tag(config=True)
    max_cell_output_chars = Integer(
        -1, help="Characters of output kept per cell while it runs (-1: 10 times "
                 "c.LimitOutputSize.max_chars; 0: no cap). Beyond it output is dropped as it "
                 "arrives, errors excepted, and the cell says so.").tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", GradingKernelManager)
        super().__init__(*args, **kwargs)
        self._stopped = ""
        self._deadline = None
        self._flags: list[str] = []
        self._trusted = None
        self._cell_chars = 0
        self._cut_noted = False
        self._helper_cap = None

    # -- nbclient / nbconvert hooks ---------------------------------------------------------

    def preprocess(self, nb, resources=None, km=None):
        self._stopped = ""
        self._deadline = (time.monotonic() + self.notebook_timeout
                          if self.notebook_timeout and self.notebook_timeout > 0 else None)
        self._flags = []
        self._trusted = self._load_trusted(resources) if self.isolate_tests else None
        self._nbkey = uuid.uuid4().hex
        self._setup_all: list[str] = []
        self._defined: set[str] = set()
        self._canaried = False
        self._folder = ((resources or {}).get("metadata") or {}).get("path") or None
        if self._trusted is not None:
            from welfaregrading.execution.checker import defined_names

            for cell in nb.cells:
                if self._is_setup(cell):
                    try:
                        self._defined |= defined_names(cell.source)
                    except SyntaxError:
                        pass
        nb, resources = super().preprocess(nb, resources, km=km)
        if self.isolate_tests:
            meta = nb.metadata.setdefault(FLAGS_KEY, {})
            meta["flags"] = list(self._flags)
        return nb, resources

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
        cell, resources = self._preprocess_cell(cell, resources, index)
        if self._trusted is not None and index == len(self.nb.cells) - 1 and not self._stopped:
            self._canary(index, "after the last cell")
        return cell, resources

    def _preprocess_cell(self, cell, resources, index):
        from nbclient.exceptions import CellTimeoutError, DeadKernelError

        if not self._stopped and self._deadline is not None and time.monotonic() >= self._deadline:
            self._stopped = (f"the notebook used up its time budget ({self.notebook_timeout} s "
                             "for all cells)")
        if self._stopped:
            self._mark_not_run(cell, self._stopped)
            return cell, resources
        started, limit = time.monotonic(), self._get_timeout(cell)
        self._reset_cap()
        try:
            if self._trusted is not None and self._is_test(cell):
                if not self._canaried:
                    self._canaried = True
                    self._canary(index, "before the first test")
                    if self._stopped:
                        self._mark_not_run(cell, self._stopped)
                        return cell, resources
                if self._check_isolated(cell, index):
                    return cell, self.resources
                self._reset_cap()
            elif self._trusted is not None and self._is_setup(cell):
                self._setup_all.append(cell.source)
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

    # -- output cap while streaming -------------------------------------------------------------

    def _cap(self) -> int:
        if self._helper_cap is not None:
            return self._helper_cap
        if self.max_cell_output_chars >= 0:
            return self.max_cell_output_chars
        limit = self.config.get("LimitOutputSize", {}).get("max_chars", 20_000)
        return 10 * int(limit) if limit and int(limit) > 0 else 0

    def _reset_cap(self):
        self._cell_chars = 0
        self._cut_noted = False

    def output(self, outs, msg, display_id, cell_index):
        """nbclient's output hook: keep at most :meth:`_cap` characters of a cell's output.

        Beyond it outputs are dropped as they arrive, except errors (always kept, so a failing
        test still fails) and the first stderr output (shortened); a note says so once."""
        cap = self._cap()
        if not cap:
            return super().output(outs, msg, display_id, cell_index)
        content = msg.get("content", {})
        kind = msg.get("msg_type")
        if kind == "stream":
            size = len(content.get("text", ""))
        elif kind == "error":
            size = 0
        else:
            size = sum(len(v) if isinstance(v, str) else len(str(v))
                       for v in (content.get("data") or {}).values())
        before = self._cell_chars
        self._cell_chars += size
        if self._cell_chars <= cap or kind == "error":
            return super().output(outs, msg, display_id, cell_index)
        if kind == "stream" and before < cap:  # keep the head of the message that crosses it
            msg = {**msg, "content": {**content, "text": content.get("text", "")[:cap - before]}}
            super().output(outs, msg, display_id, cell_index)
        stderr_kept = any(o.get("output_type") == "stream" and o.get("name") == "stderr"
                          for o in outs)
        if kind == "stream" and content.get("name") == "stderr" and not stderr_kept:
            outs.append(new_output("stream", name="stderr", text=content.get("text", "")[:2000]))
        if not self._cut_noted:
            self._cut_noted = True
            if self._helper_cap is None and 0 <= cell_index < len(self.nb.cells):
                from welfaregrading.preprocessors import GRADER_NOTE

                meta = self.nb.cells[cell_index].setdefault("metadata", {})
                meta.setdefault(GRADER_NOTE, {})["output_truncated"] = True
            outs.append(new_output("stream", name="stdout", text=(
                f"\n... Output cut while running: more than {cap:,} characters ...\n")))
            self.log.warning("Cell %s printed more than %s characters: the rest was dropped",
                             cell_index, f"{cap:,}")
        return None

    # -- hidden tests in the checker --------------------------------------------------------------

    def _load_trusted(self, resources):
        """The gradebook's cells of this notebook: ``{grade_id: (source, kind)}`` with kind
        "test" or "setup"; None when there is no gradebook entry (then nothing is isolated)."""
        from nbgrader.api import Gradebook
        from nbgrader.coursedir import CourseDirectory

        info = (resources or {}).get("nbgrader") or {}
        aid, nbid = info.get("assignment"), info.get("notebook")
        if not aid or not nbid:
            self.log.warning("Hidden tests run in the student's kernel: no assignment or "
                             "notebook name to look up in the gradebook")
            return None
        try:
            coursedir = CourseDirectory(config=self.config)
            with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
                notebook = gb.find_notebook(nbid, aid)
                grade = {c.name for c in notebook.grade_cells}
                solution = {c.name for c in notebook.solution_cells}
                trusted = {}
                for cell in notebook.source_cells:
                    if cell.cell_type != "code" or cell.name in solution:
                        continue
                    if cell.name in grade:
                        trusted[cell.name] = (cell.source, "test")
                    elif cell.locked:
                        trusted[cell.name] = (cell.source, "setup")
                return trusted
        except Exception as err:  # noqa: BLE001 - grading goes on as before, and says so
            self.log.warning("Hidden tests run in the student's kernel: the gradebook could "
                             "not be read (%s)", err)
            return None

    def _trusted_kind(self, cell):
        if cell.cell_type != "code" or self._trusted is None:
            return None
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        entry = self._trusted.get(gid)
        if entry is None or entry[0] != cell.source:
            return None
        return entry[1]

    def _is_test(self, cell):
        return self._trusted_kind(cell) == "test"

    def _is_setup(self, cell):
        return self._trusted_kind(cell) == "setup"

    def _flag(self, reason: str):
        if reason not in self._flags:
            self._flags.append(reason)
            self.log.warning("Grading flag: %s", reason)

    def _run_helper(self, source, index, cap=None):
        """Run ``source`` in the student's kernel as a throw-away cell (not in the notebook,
        no history); return (outputs, reply status), or raise nbclient's errors."""
        from jupyter_core.utils import run_sync

        helper = new_code_cell(source)
        original = self.nb.cells[index]
        self._helper_cap = cap
        self._reset_cap()
        try:
            run_sync(self.async_execute_cell)(helper, index, store_history=False)
        finally:
            self._helper_cap = None
            self.nb.cells[index] = original
            self._reset_cap()
        return helper.outputs

    def _canary(self, index, where):
        """Run a canary cell in the student's kernel; flag the submission if it misbehaves."""
        from nbclient.exceptions import CellTimeoutError, DeadKernelError

        nonce = secrets.token_hex(8)
        expected = str(int(nonce, 16) % 999_983 * 7 + 13)
        source = (f"print('grading check', int('{nonce}', 16) % 999983 * 7 + 13)\n"
                  f"assert 0 == 1, 'grading check {nonce}'")
        try:
            outputs = self._run_helper(source, index, cap=10_000)
        except (DeadKernelError, CellTimeoutError) as err:
            self._flag(f"the kernel did not run the grading check cell {where} "
                       f"({type(err).__name__})")
            if isinstance(err, DeadKernelError):
                self._stopped = "the kernel stopped while running a grading check cell"
            return
        text = "".join(o.get("text", "") for o in outputs
                       if o.get("output_type") == "stream" and o.get("name") == "stdout")
        errors = [o for o in outputs if o.get("output_type") == "error"]
        if f"grading check {expected}" not in text:
            self._flag(f"the kernel lost or changed the printed output of a grading check cell "
                       f"{where} (code in the notebook tampers with printing)")
        if not any(o.get("ename") == "AssertionError" and nonce in str(o.get("evalue"))
                   for o in errors):
            self._flag(f"the kernel hid the error of a grading check cell {where} (code in the "
                       "notebook swallows errors, e.g. an IPython hook)")

    def _check_isolated(self, cell, index) -> bool:
        """Run a trusted test cell in the checker; True when done (outputs set), False when it
        must run in the kernel instead (flagged). Raises nbclient's DeadKernelError or
        CellTimeoutError when the kernel dies or hangs while sending the values."""
        from welfaregrading.execution import checker

        gid = cell.metadata.nbgrader.get("grade_id")
        try:
            names = checker.free_names(cell.source, self._defined)
            made = checker.defined_names(cell.source)
        except SyntaxError:  # e.g. an IPython magic in the lecturer's test
            self._flag(f"test {gid} ran in the student's kernel, where it can be tampered "
                       "with: its code is not plain Python (an IPython magic?)")
            return False
        values = {}
        if names:
            mark = f"WG-VALUES-{secrets.token_hex(8)}:"
            # a dead or hung kernel raises here, handled as for any cell
            outputs = self._run_helper(checker.values_cell(names, mark), index,
                                       cap=checker.MAX_VALUES_CHARS + 1_000_000)
            text = "".join(o.get("text", "") for o in outputs
                           if o.get("output_type") == "stream" and o.get("name") == "stdout")
            try:
                values = checker.read_values(text, mark)
            except ValueError as err:
                self._flag(f"the answers for test {gid} could not be read from the kernel "
                           f"({err}); the test scores 0")
                self._set_error(cell, "GradingError", f"The answers could not be read: {err}.")
                return True
        bind = {n: v["ok"] for n, v in values.items() if "ok" in v}
        unbind = [n for n, v in values.items() if "ok" not in v]
        unsupported = {n: v["unsupported"] for n, v in values.items() if "unsupported" in v}
        if unsupported:
            return self._unsendable(cell, gid, unsupported)
        request = {"nb": self._nbkey, "cwd": self._folder, "setup": self._setup_all,
                   "bind": bind, "unbind": unbind, "source": cell.source, "name": gid,
                   "count": self.code_cells_executed + 1}
        timeout = self._get_timeout(cell) or 60
        memory = self.config.get("GradingKernelManager", {}).get("memory_limit_mb", 0)
        try:
            answer = checker.shared_checker(int(memory) * 2 if memory else 0).check(
                request, timeout)
        except checker.CheckerError as err:  # the next check starts a new checker process
            self._set_error(cell, "CellTimeoutError" if "longer" in str(err) else "GradingError",
                            f"The hidden test could not finish: {err}.")
            self.log.warning("Test %s: %s", gid, err)
            return True
        if "unsupported" in answer:
            return self._unsendable(cell, gid, answer["unsupported"])
        if "failed" in answer:
            self._set_error(cell, "GradingError", f"The checker failed: {answer['failed']}.")
            self._flag(f"the checker could not run test {gid} ({answer['failed']})")
            return True
        self.code_cells_executed += 1
        cell.execution_count = self.code_cells_executed
        from nbformat import from_dict

        cell.outputs = [from_dict(o) for o in answer["outputs"]]
        self._defined |= made
        return True

    def _unsendable(self, cell, gid, why: dict) -> bool:
        """A value the checker cannot receive: the test is not run anywhere (running it in the
        student's kernel would show its hidden code to that kernel); it scores 0, and the
        submission is flagged so the grader can look at the answer."""
        listed = "; ".join(f"`{name}` ({reason})" for name, reason in sorted(why.items()))
        self._flag(f"test {gid} was not run: the value of {listed} cannot be sent to the "
                   "checker as data; it scores 0 until a grader looks at the answer")
        names = ", ".join(f"`{name}`" for name in sorted(why))
        self._set_error(cell, "UncheckableAnswer",
                        f"The answer {names} could not be checked: it is not plain data "
                        "(numbers, text, lists, dicts, numpy or pandas values, or the course's "
                        "own objects). Your lecturer will look at it.")
        return True

    # -- helpers -------------------------------------------------------------------------------

    @staticmethod
    def _add_error(cell, ename, evalue):
        if cell.cell_type != "code":
            return
        cell.setdefault("outputs", [])
        cell.outputs.append(new_output("error", ename=ename, evalue=evalue,
                                       traceback=[f"{ename}: {evalue}"]))

    def _set_error(self, cell, ename, evalue):
        cell.outputs = []
        self._add_error(cell, ename, evalue)

    def _mark_not_run(self, cell, why):
        if cell.cell_type == "code" and cell.source.strip():
            cell.outputs = []
            self._add_error(cell, NOT_RUN, f"Not run: {why}.")
