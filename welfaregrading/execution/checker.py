"""Hidden tests run where students' code cannot reach them: a trusted checker process.

While autograding, :class:`welfaregrading.preprocessors.guarded_execute.GuardedExecute` does not
run an auto-graded test cell (nbgrader ``grade: true``, not ``solution``, code) in the
student's kernel. Instead:

1. :func:`free_names` finds the names the test cell reads and does not define itself, leaving
   out builtins and what the notebook's locked setup cells define (those cells are the
   lecturer's: nbgrader restores them from the gradebook, and the checker runs them itself);
2. :func:`values_cell` is a small cell run in the student's kernel that prints those names'
   values as JSON, after a marker with a nonce (:func:`read_values` reads it back). That output
   is untrusted data: it is capped in size, parsed with ``json`` only and never executed;
3. the checker (:class:`Checker`, one long-lived process per grading process, a fresh namespace
   per notebook) runs the locked setup cells, binds the decoded values (:func:`decode`), runs
   the test cell's source and sends back its outputs (stdout, stderr, the last expression's
   value, the error with ``ename``/``evalue``/``traceback``), in nbformat's shape, which
   GuardedExecute puts into the test cell. nbgrader's ``SaveAutoGrades`` then scores the cell
   from those outputs exactly as before (an error or stderr output scores 0).

What crosses from the student's kernel is plain data: numbers, ``str``, ``bool``, ``None``,
lists, tuples, dicts, sets, numpy scalars and arrays (numeric, bool, text), pandas
``DataFrame``/``Series``/``Index``, and dataclass instances of ``welfarelab.*`` modules, which
the checker rebuilds through their own constructors. Never pickle, never eval: a float subclass
that equals anything arrives as a plain float, a patched ``abs`` stays in the student's kernel.
A value of another type cannot be sent (:class:`Unsupported`); GuardedExecute then does not run
that test at all (in the kernel, its hidden code would be seen): it scores 0 with an
``UncheckableAnswer`` error, and the submission is flagged for review.

The checker process runs Python in isolated mode (``-I``: no current folder on ``sys.path``, no
``PYTHON*`` variables), in the notebook's own folder (nbgrader's ``autograded/`` copy, which
the kernel no longer writes to), with a per-check time limit; after a time-out it is killed and
started again. It is not sandboxed: it only ever runs the lecturer's code (gradebook cells) on
decoded data.
"""

from __future__ import annotations

import ast
import builtins
import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

#: Largest JSON text of values accepted from a student's kernel (characters).
MAX_VALUES_CHARS = 64 * 1024 * 1024

# ---------------------------------------------------------------------------------------------
# 1. Which names does a test cell need?
# ---------------------------------------------------------------------------------------------


def _stored_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


def defined_names(source: str) -> set[str]:
    """The names a cell's code assigns, imports or defines (anywhere in it).

    Raises SyntaxError when ``source`` is not plain Python (e.g. an IPython magic)."""
    return _stored_names(ast.parse(source))


def free_names(source: str, defined_elsewhere=()) -> list[str]:
    """The names ``source`` (a test cell's code) reads but neither defines itself nor finds in
    ``defined_elsewhere`` (e.g. what the locked setup cells define) or in Python's builtins,
    sorted. Raises SyntaxError when ``source`` is not plain Python."""
    tree = ast.parse(source)
    loaded = {node.id for node in ast.walk(tree)
              if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
    skip = _stored_names(tree) | set(defined_elsewhere) | set(dir(builtins))
    return sorted(loaded - skip)


# ---------------------------------------------------------------------------------------------
# 2. The values, from the student's kernel, as JSON
# ---------------------------------------------------------------------------------------------

#: Runs in the student's kernel (in a throw-away namespace): prints MARK + the JSON of NAMES.
#: Whatever it prints is treated as untrusted data by the grader.
ENCODER = r'''
import json, sys, dataclasses
np = sys.modules.get("numpy")
pd = sys.modules.get("pandas")
class Unsupported(Exception):
    pass
def plain(dtype):
    return getattr(dtype, "kind", "") in ("b", "i", "u", "f") and type(dtype).__module__.startswith("numpy")
def vals(values, dtype):
    if pd is not None and isinstance(dtype, pd.CategoricalDtype):
        cat = pd.Categorical(values)
        return {"cat": index(pd.Index(cat.categories)), "codes": [int(c) for c in cat.codes],
                "ordered": bool(cat.ordered)}
    if str(dtype) == "datetime64[ns]":
        return {"i8": [int(x) for x in np.asarray(values).view("i8").tolist()]}
    if plain(dtype):
        return np.asarray(values).tolist()
    out = []
    for x in list(values):
        if x is None or (pd is not None and (x is pd.NA or x is pd.NaT)):
            out.append(None)
        else:
            out.append(enc(x, 1))
    return out
def index(ix):
    if isinstance(ix, pd.RangeIndex):
        return {"__t": "range", "start": int(ix.start), "stop": int(ix.stop), "step": int(ix.step),
                "name": enc(ix.name, 1)}
    if isinstance(ix, pd.MultiIndex):
        return {"__t": "mindex", "v": [enc(tuple(t), 1) for t in ix.tolist()],
                "names": [enc(n, 1) for n in ix.names]}
    return {"__t": "index", "dtype": str(ix.dtype), "v": vals(ix, ix.dtype), "name": enc(ix.name, 1)}
def enc(v, depth=0):
    if depth > 40:
        raise Unsupported("a value nested too deeply")
    t = type(v)
    if v is None or t is bool or t is str or t is int:
        return v
    if t is float:
        return v
    if np is not None and isinstance(v, np.generic):
        if v.dtype.kind in "biuf":
            return {"__t": "np", "dtype": v.dtype.str, "v": v.item()}
        if v.dtype.kind in "US":
            return str(v)
        raise Unsupported(f"numpy {v.dtype}")
    if isinstance(v, bool):
        return bool(v)
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        return float(v)
    if isinstance(v, str):
        return str.__str__(v)
    if isinstance(v, list):
        return [enc(x, depth + 1) for x in v]
    if isinstance(v, tuple):
        return {"__t": "tuple", "v": [enc(x, depth + 1) for x in v]}
    if isinstance(v, dict):
        return {"__t": "dict", "v": [[enc(k, depth + 1), enc(x, depth + 1)] for k, x in v.items()]}
    if isinstance(v, (set, frozenset)):
        return {"__t": "frozenset" if isinstance(v, frozenset) else "set",
                "v": [enc(x, depth + 1) for x in v]}
    if np is not None and isinstance(v, np.ndarray):
        if v.dtype.kind in "biuf":
            return {"__t": "nd", "dtype": v.dtype.str, "shape": list(v.shape), "v": v.ravel().tolist()}
        if v.dtype.kind in "UO":
            return {"__t": "nd", "dtype": "O" if v.dtype.kind == "O" else "U", "shape": list(v.shape),
                    "v": [enc(x, depth + 1) for x in v.ravel().tolist()]}
        raise Unsupported(f"a numpy array of {v.dtype}")
    if pd is not None and isinstance(v, pd.DataFrame):
        return {"__t": "df", "columns": index(v.columns), "index": index(v.index),
                "cols": [{"dtype": str(v.dtypes.iloc[i]), "v": vals(v.iloc[:, i], v.dtypes.iloc[i])}
                         for i in range(v.shape[1])]}
    if pd is not None and isinstance(v, pd.Series):
        return {"__t": "series", "dtype": str(v.dtype), "v": vals(v, v.dtype), "index": index(v.index),
                "name": enc(v.name, depth + 1)}
    if pd is not None and isinstance(v, pd.Index):
        return index(v)
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        module = t.__module__ or ""
        if module == "welfarelab" or module.startswith("welfarelab."):
            return {"__t": "dc", "module": module, "name": t.__qualname__,
                    "f": {f.name: enc(getattr(v, f.name), depth + 1)
                          for f in dataclasses.fields(v) if f.init}}
    raise Unsupported(f"{t.__module__}.{t.__qualname__}")
out = {}
for name in NAMES:
    if name not in NS:
        out[name] = {"missing": True}
        continue
    try:
        out[name] = {"ok": enc(NS[name])}
    except Unsupported as why:
        out[name] = {"unsupported": str(why)}
    except Exception as err:
        out[name] = {"unsupported": f"{type(err).__name__}: {err}"}
text = json.dumps(out, allow_nan=True)
if len(text) > CAP:
    text = json.dumps({"__too_big__": len(text)})
print(MARK + text, flush=True)
'''


def values_cell(names, mark: str, cap: int = MAX_VALUES_CHARS) -> str:
    """The source of the cell that makes the student's kernel print the values of ``names``
    (JSON after ``mark`` on one line), leaving no name behind in its namespace."""
    return ("(lambda __wg_ns: exec(" + repr(ENCODER) + ", {'__builtins__': __import__('builtins'), "
            f"'NS': __wg_ns, 'NAMES': {list(names)!r}, 'MARK': {mark!r}, 'CAP': {int(cap)}}}))"
            "(globals())")


class Unsupported(ValueError):
    """A value the checker cannot rebuild (its type is not on the list, or it is malformed)."""


def read_values(text: str, mark: str, cap: int = MAX_VALUES_CHARS) -> dict:
    """Parse the values the kernel printed after ``mark`` in ``text`` (its stdout).

    Returns ``{name: {"ok": encoded} | {"missing": True} | {"unsupported": why}}``. Raises
    ValueError, in plain words, when there is no such line, it is too long or not JSON."""
    at = text.rfind(mark)
    if at < 0:
        raise ValueError("the kernel did not print the answers' values")
    line = text[at + len(mark):].split("\n", 1)[0]
    if len(line) > cap:
        raise ValueError(f"the answers' values are too large ({len(line)} characters)")
    try:
        data = json.loads(line)
    except ValueError as err:
        raise ValueError(f"the answers' values are not valid JSON ({err})") from None
    if not isinstance(data, dict):
        raise ValueError("the answers' values are not a JSON object")  # noqa: TRY004
    if "__too_big__" in data:
        raise ValueError(f"the answers' values are too large ({data['__too_big__']} characters)")
    for name, entry in data.items():
        if not isinstance(entry, dict) or not (set(entry) & {"ok", "missing", "unsupported"}):
            raise ValueError(f"the value of {name!r} is malformed")
    return data


# ---------------------------------------------------------------------------------------------
# 3. Decoding (in the checker): JSON plus tagged reconstruction of a whitelist
# ---------------------------------------------------------------------------------------------

_PLAIN = (type(None), bool, int, float, str)


def _np_dtype(text, kinds):
    import numpy as np

    if not isinstance(text, str):
        raise Unsupported("a malformed numpy type")
    dtype = np.dtype(text)
    if dtype.kind not in kinds:
        raise Unsupported(f"numpy type {text}")
    return dtype


def _pd_values(enc, dtype_text):
    import numpy as np
    import pandas as pd

    if isinstance(enc, dict) and "cat" in enc:
        cats = _index(enc["cat"])
        return pd.Categorical.from_codes([int(c) for c in enc["codes"]], categories=cats,
                                         ordered=bool(enc["ordered"]))
    if isinstance(enc, dict) and "i8" in enc:
        return np.asarray([int(x) for x in enc["i8"]], dtype="i8").view("M8[ns]")
    if not isinstance(enc, list):
        raise Unsupported("malformed table values")
    values = [None if x is None else decode(x) for x in enc]
    dtype = pd.api.types.pandas_dtype(dtype_text) if isinstance(dtype_text, str) else None
    if dtype is None:
        raise Unsupported("a malformed pandas type")
    if getattr(dtype, "kind", "O") in "biuf" and type(dtype).__module__.startswith("numpy"):
        return np.asarray(values, dtype=dtype)
    return pd.array(values, dtype=dtype) if str(dtype) != "object" else \
        np.asarray(values + [None], dtype=object)[:-1]


def _index(enc):
    import pandas as pd

    tag = enc.get("__t") if isinstance(enc, dict) else None
    if tag == "range":
        return pd.RangeIndex(int(enc["start"]), int(enc["stop"]), int(enc["step"]),
                             name=decode(enc["name"]))
    if tag == "mindex":
        return pd.MultiIndex.from_tuples([decode(t) for t in enc["v"]],
                                         names=[decode(n) for n in enc["names"]])
    if tag == "index":
        return pd.Index(_pd_values(enc["v"], enc["dtype"]), name=decode(enc["name"]))
    raise Unsupported("a malformed table index")


def _dataclass(enc):
    import dataclasses
    import importlib

    module, name = enc.get("module"), enc.get("name")
    if not isinstance(module, str) or not isinstance(name, str) or not (
            module == "welfarelab" or module.startswith("welfarelab.")):
        raise Unsupported("an object of a class outside welfarelab")
    if any(part.startswith("_") or not part.isidentifier()
           for part in module.split(".") + name.split(".")):
        raise Unsupported(f"{module}.{name}")
    target = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    if not (isinstance(target, type) and dataclasses.is_dataclass(target)):
        raise Unsupported(f"{module}.{name} is not a welfarelab dataclass")
    fields = enc.get("f")
    if not isinstance(fields, dict):
        raise Unsupported(f"a malformed {name}")
    allowed = {f.name for f in dataclasses.fields(target) if f.init}
    if not set(fields) <= allowed:
        raise Unsupported(f"{name} with unknown fields {sorted(set(fields) - allowed)}")
    try:
        return target(**{key: decode(value) for key, value in fields.items()})
    except Unsupported:
        raise
    except Exception as err:  # noqa: BLE001 - the constructor refused the student's values
        raise Unsupported(f"{name} could not be rebuilt ({type(err).__name__}: {err})") from None


def decode(enc):
    """Rebuild a value encoded by the kernel's :data:`ENCODER` (already parsed JSON).

    Only the whitelisted types are rebuilt (see the module's docstring); anything else raises
    :class:`Unsupported`. Never evaluates code from the data: a ``welfarelab`` dataclass is
    rebuilt by calling its class (found by name in a ``welfarelab`` module) with decoded
    field values."""
    if isinstance(enc, _PLAIN):
        return enc
    if isinstance(enc, list):
        return [decode(x) for x in enc]
    if not isinstance(enc, dict):
        raise Unsupported("a malformed value")
    tag = enc.get("__t")
    if tag == "tuple":
        return tuple(decode(x) for x in enc["v"])
    if tag == "dict":
        return {_hashable(decode(k)): decode(v) for k, v in enc["v"]}
    if tag in ("set", "frozenset"):
        items = {_hashable(decode(x)) for x in enc["v"]}
        return items if tag == "set" else frozenset(items)
    if tag == "np":
        dtype = _np_dtype(enc["dtype"], "biuf")
        return dtype.type(enc["v"])
    if tag == "nd":
        import numpy as np

        shape = [int(n) for n in enc["shape"]]
        if enc["dtype"] in ("O", "U"):
            flat = np.empty(len(enc["v"]), dtype=object)
            flat[:] = [decode(x) for x in enc["v"]] if enc["v"] else []
            array = flat if enc["dtype"] == "O" else flat.astype(str)
        else:
            values = enc["v"]
            if not all(isinstance(x, (bool, int, float)) for x in values):
                raise Unsupported("a malformed numpy array")
            array = np.asarray(values, dtype=_np_dtype(enc["dtype"], "biuf"))
        return array.reshape(shape)
    if tag in ("range", "mindex", "index"):
        return _index(enc)
    if tag == "series":
        import pandas as pd

        return pd.Series(_pd_values(enc["v"], enc["dtype"]), index=_index(enc["index"]),
                         name=decode(enc["name"]))
    if tag == "df":
        import pandas as pd

        index, columns = _index(enc["index"]), _index(enc["columns"])
        cols = [pd.Series(_pd_values(c["v"], c["dtype"]), index=index) for c in enc["cols"]]
        if len(cols) != len(columns):
            raise Unsupported("a malformed table")
        frame = (pd.concat(cols, axis=1, ignore_index=True) if cols
                 else pd.DataFrame(index=index))
        frame.columns = columns
        return frame
    if tag == "dc":
        return _dataclass(enc)
    raise Unsupported("a value of an unknown kind")


def _hashable(value):
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value


# ---------------------------------------------------------------------------------------------
# 4. The checker process
# ---------------------------------------------------------------------------------------------

def _run_source(source: str, ns: dict, filename: str, count) -> list[dict]:
    """Run ``source`` in ``ns`` like a notebook cell; return its outputs as nbformat dicts."""
    import contextlib
    import io
    import linecache
    import traceback

    out, err = io.StringIO(), io.StringIO()
    outputs: list[dict] = []
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            tree = ast.parse(source, filename)
            last = None
            if tree.body and isinstance(tree.body[-1], ast.Expr):
                last = ast.Expression(tree.body.pop().value)
            exec(compile(tree, filename, "exec"), ns)  # noqa: S102 - the lecturer's test code
            value = eval(compile(last, filename, "eval"), ns) if last else None
        streams(outputs, out, err)
        if value is not None:
            outputs.append({"output_type": "execute_result", "execution_count": count,
                            "metadata": {}, "data": {"text/plain": repr(value)}})
    except BaseException as exc:  # noqa: BLE001 - reported as the cell's error output
        streams(outputs, out, err)
        lines = _plain_lines(exc)
        if lines is None:
            frames = traceback.extract_tb(exc.__traceback__)
            keep = [f for f in frames if f.filename == filename] or frames[-1:]
            lines = [f"{'-' * 75}\n", f"{type(exc).__name__}{' ' * 30}Traceback (most recent call last)\n"]
            lines += traceback.format_list(keep)
            lines += traceback.format_exception_only(type(exc), exc)
        outputs.append({"output_type": "error", "ename": type(exc).__name__,
                        "evalue": str(exc), "traceback": lines})
    return outputs


def _plain_lines(exc: BaseException) -> list[str] | None:
    """The lines a check's own exception renders for itself, as IPython shows them in the kernel.

    welfarelab.checks.CheckFailed defines ``_render_traceback_`` (IPython's hook, core/
    interactiveshell.py ``showtraceback``) so that a student sees the plain sentence, not frames
    and code; the checker shows the same on the feedback page. Only for the class's own method
    (the checker's code, never a student's value) and only if it gives a list of strings.
    """
    render = getattr(type(exc), "_render_traceback_", None)
    if not isinstance(exc, AssertionError) or not callable(render):
        return None
    try:
        lines = render(exc)
    except Exception:  # noqa: BLE001 - fall back to the ordinary traceback
        return None
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        return None
    return lines


def streams(outputs, out, err):
    for name, buf in (("stdout", out), ("stderr", err)):
        text = buf.getvalue()
        if text:
            outputs.append({"output_type": "stream", "name": name, "text": text})
        buf.seek(0)
        buf.truncate()


def _fresh_language() -> None:
    """Start a notebook in English, as a new kernel does: a Dutch notebook's setup cell calls
    ``welfarelab.set_language("nl")``, and the checker process outlives the notebook, so the
    next (English) student's feedback would otherwise be Dutch. A notebook's own setup cells
    set its language again."""
    i18n = sys.modules.get("welfarelab.i18n")
    if i18n is not None:
        i18n.set_language(i18n.DEFAULT_LANGUAGE)


def serve(infile=None, outfile=None) -> None:
    """The checker's loop: one JSON request per line in, one JSON answer per line out.

    Request: ``{"nb": key, "cwd": folder, "setup": [sources], "bind": {name: encoded},
    "unbind": [names], "source": test source, "name": label, "count": n}``. A new ``nb`` key
    starts a fresh namespace; ``setup`` lists all the notebook's setup cells seen so far, and
    those not yet run in this namespace are run first (a restarted checker replays them all). Answer: ``{"outputs": [...]}`` or ``{"unsupported": {name:
    why}}`` when a value cannot be rebuilt (nothing is run then)."""
    infile = infile or sys.stdin
    outfile = outfile or sys.stdout
    ns: dict = {}
    key = None
    done = 0
    for line in infile:
        try:
            req = json.loads(line)
            if req.get("nb") != key:
                key, done = req.get("nb"), 0
                ns = {"__name__": "__main__", "__builtins__": builtins}
                _fresh_language()
            if req.get("cwd") and os.path.isdir(req["cwd"]):
                os.chdir(req["cwd"])
            setup = req.get("setup", [])
            for i, src in enumerate(setup[done:], start=done):
                _run_source(src, ns, f"<setup {i}>", None)  # errors ignored, as in the kernel
            done = max(done, len(setup))
            values, bad = {}, {}
            for name, enc in (req.get("bind") or {}).items():
                try:
                    values[name] = decode(enc)
                except Unsupported as why:
                    bad[name] = str(why)
                except Exception as err:  # noqa: BLE001 - malformed student data
                    bad[name] = f"malformed ({type(err).__name__}: {err})"
            if bad:
                answer = {"unsupported": bad}
            else:
                for name in req.get("unbind", []):
                    ns.pop(name, None)
                ns.update(values)
                answer = {"outputs": _run_source(req["source"], ns,
                                                 f"<hidden test {req.get('name', '')}>",
                                                 req.get("count"))}
        except Exception as err:  # noqa: BLE001 - never die on one request
            answer = {"failed": f"{type(err).__name__}: {err}"}
        outfile.write(json.dumps(answer, default=str) + "\n")
        outfile.flush()


def _main() -> None:
    """Entry point of the checker process: protocol on the original stdout, and fd 1/2
    pointed at /dev/null so stray prints of C code cannot corrupt it."""
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115
    serve(sys.stdin, proto)


class CheckerError(RuntimeError):
    """The checker process did not answer (time-out, crash); it has been stopped."""


class Checker:
    """A long-lived checker process, started on first use and again after a failure.

    :meth:`check` sends one request (see :func:`serve`) and waits at most ``timeout`` seconds
    for the answer; on a time-out or crash the process is killed and CheckerError raised."""

    def __init__(self, memory_mb: int = 0):
        self.proc = None
        self.memory_mb = memory_mb
        self._buf = b""

    def _start(self):
        import tempfile

        root = str(Path(__file__).resolve().parents[2])
        boot = (f"import sys; sys.path.append({root!r}); "
                "from welfaregrading.execution.checker import _main; _main()")
        env = {k: v for k, v in os.environ.items()
               if k in ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "HOME",
                        "NBGRADER_EXECUTION", "PYTHONHASHSEED")}
        env.update(MPLBACKEND="Agg", NBGRADER_EXECUTION="autograde", OMP_NUM_THREADS="1",
                   OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
        from welfaregrading.execution.kernel import LAUNCHER

        # through the limits launcher (its memory limit), then Python in isolated mode
        argv = [sys.executable, str(LAUNCHER), "--memory-mb", str(int(self.memory_mb)), "--",
                sys.executable, "-I", "-c", boot]
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, cwd=tempfile.gettempdir(),
                                     env=env)
        self._buf = b""

    def stop(self) -> None:
        """Kill the checker process (a new one starts on the next check)."""
        import contextlib

        if self.proc is not None:
            with contextlib.suppress(Exception):
                self.proc.kill()
                self.proc.wait(5)
            for pipe in (self.proc.stdin, self.proc.stdout):
                with contextlib.suppress(Exception):
                    pipe.close()
        self.proc = None

    def check(self, request: dict, timeout: float = 60) -> dict:
        """Send ``request`` and return the checker's answer (a dict, see :func:`serve`).
        Raises CheckerError (after stopping the process) when it does not answer in time."""
        if self.proc is None or self.proc.poll() is not None:
            self._start()
        try:
            self.proc.stdin.write((json.dumps(request) + "\n").encode())
            self.proc.stdin.flush()
        except OSError as err:
            self.stop()
            raise CheckerError(f"the checker process could not be reached ({err})") from None
        deadline = time.monotonic() + max(1.0, timeout)
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                self.stop()
                raise CheckerError(f"the hidden test ran longer than {timeout:g} s")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                self.stop()
                raise CheckerError("the checker process stopped (it ran out of memory or "
                                   "crashed)")
            self._buf += chunk
        line, _, self._buf = self._buf.partition(b"\n")
        return json.loads(line)


_SHARED: dict = {}


def shared_checker(memory_mb: int = 0) -> Checker:
    """The one checker of this process (a new one in a forked worker)."""
    pid = os.getpid()
    checker = _SHARED.get(pid)
    if checker is None:
        _SHARED.clear()
        checker = _SHARED[pid] = Checker(memory_mb)
    return checker


if __name__ == "__main__":  # pragma: no cover
    _main()
