"""Visible checks for assignment check cells: plain-words messages for beginners' mistakes.

A check cell (an nbgrader grade cell) uses three functions::

    from welfarelab.checks import answered, number, check
    answered("Part 3", "baskets_needed", typed_amounts=True)
    number("baskets_needed", baskets_needed, whole=True, low=1000, high=7500,
           why_high="did you give the subsidy to break_even?")
    print("✓ Part 3: the visible checks pass (hidden checks run when your lecturer grades)")

Each raises :class:`CheckFailed` (an ``AssertionError``, so nbgrader scores the cell as failed)
with one sentence that names the likely cause. The checks test plausibility (type, whole
number, share, sign, range, order of magnitude), never equality with the expected answer:
``low``/``high`` are plausibility bounds chosen by the lecturer, and a genuinely wrong method
must still pass them and lose the hidden test's points.

How the message is shown. IPython formats an exception whose value has a
``_render_traceback_()`` method with that method's lines instead of a traceback
(``IPython/core/interactiveshell.py``, ``InteractiveShell.showtraceback``); ipykernel sends
those lines as the ``traceback`` of the cell's ``error`` output (``ipykernel/zmqshell.py``,
``ZMQInteractiveShell._showtraceback``), and nbgrader's Validate shows the ``traceback``
lines of a cell's error output as its "error" (``nbgrader/validator.py``,
``Validator._extract_error``). So the student sees the sentence, with no code and no frames,
and under it one line naming the check cell, ``(check cell: Checks for part 3)`` (from the
cell's first comment line). The frame around it in Validate ("VALIDATION FAILED ON 1 CELL(S)!",
"The following cell failed:") is nbgrader's own text and stays English: nbgrader 0.9.6 ships
no translations.

What ran before. ``import welfarelab`` inside IPython calls :func:`install`, which registers a
``post_run_cell`` callback (IPython's events API, ``IPython/core/events.py``; it fires for every
non-silent cell, also under nbclient/nbgrader, ``ipykernel/ipkernel.py`` ``do_execute``). It
records each cell's source, the names it assigns and its error
(``ExecutionResult.error_before_exec`` for a syntax error, ``error_in_exec`` otherwise).
:func:`answered` reads these records to tell "not answered yet" from "your answer cell stopped
with a syntax error" or "you stored it under another name". Outside IPython (for instance in
the grading tools' checker process) there are no records and :func:`answered` only looks at
which names exist. Every name given to :func:`answered` should also appear as a variable in
the check cell's code (e.g. in :func:`number`), because a checker that runs the cell elsewhere
sends only the names the code reads.

Messages go through gettext (:mod:`welfarelab.i18n`: domain ``welfarelab``, catalogs in
``welfarelab/locale``, ``welfarelab.set_language("nl")``; English by default), so each
edition can translate them.
"""

from __future__ import annotations

import collections
import math
import numbers
import re
import sys

from .i18n import _, _ngettext

__all__ = ["CheckFailed", "answered", "check", "install", "number"]

# ---------------------------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------------------------

# _() and _ngettext() come from welfarelab.i18n (domain "welfarelab", set_language).


#: Width of the lines a failed check shows (the kernel's output and Validate's dialog).
WRAP_WIDTH = 76


class CheckFailed(AssertionError):
    """A visible check failed; the message says what to fix, in plain words.

    A subclass of ``AssertionError``, so nbgrader scores the cell as failed exactly as for a
    plain ``assert``. IPython shows only the message lines (:meth:`_render_traceback_`).
    """

    def _render_traceback_(self) -> list[str]:
        """The lines IPython shows instead of a traceback (IPython's
        ``InteractiveShell.showtraceback`` calls this hook when an exception has it): the
        message first, then, when a notebook cell raised it, one line naming that check cell
        (:meth:`check_cell_line`). No frames and no code."""
        # Wrapped at 76 characters: nbgrader's Validate dialog shows these lines in a <pre>
        # block that does not wrap, so a long sentence ran off its right edge.
        lines = _wrap(str(self))
        cell = self.check_cell_line()
        if cell:
            lines += _wrap(cell)
        return lines or [type(self).__name__]

    def check_cell_line(self) -> str:
        """The line that names the check cell which raised this failure, in the language in
        use: ``(check cell: Checks for part 3)`` from the cell's first comment line
        (``# Checks for part 3``; Dutch notebooks: ``# Controles voor deel 3``), or
        ``(check cell: the cell above this message)`` when the cell has no comment line
        (in the notebook the message stands under its cell; in nbgrader's Validate dialog
        under the cell's code). '' when the failure was not raised by code of a notebook cell
        (not raised yet, or raised outside IPython), so a plain script shows the message only.

        The cell is found from the traceback: the frame that called into this module runs in
        IPython's user namespace (``shell.user_ns``), and its source is in ``linecache``, where
        IPython's ``CachingCompiler`` stores every cell it runs.
        """
        try:
            frames = []
            tb = self.__traceback__
            while tb is not None:
                frames.append(tb.tb_frame)
                tb = tb.tb_next
            inside = [i for i, f in enumerate(frames) if f.f_globals.get("__name__") == __name__]
            if inside and inside[0] == 0:
                return ""
            caller = frames[inside[0] - 1] if inside else (frames[-1] if frames else None)
            ipython = sys.modules.get("IPython")
            getter = getattr(ipython, "get_ipython", None)
            shell = getter() if getter else None
            if caller is None or shell is None or caller.f_globals is not getattr(
                    shell, "user_ns", None):
                return ""
            import linecache

            source = linecache.getlines(caller.f_code.co_filename, caller.f_globals)
            first = next((line.strip() for line in source if line.strip()), "")
            name = first.lstrip("#").strip() if first.startswith("#") else ""
        except Exception:  # noqa: BLE001 - naming the cell must never hide the message
            return ""
        if name:
            return _("(check cell: {cell})").format(cell=name)
        return _("(check cell: the cell above this message)")


def _wrap(text: str) -> list[str]:
    """``text``'s lines wrapped at :data:`WRAP_WIDTH` characters (words kept whole)."""
    import textwrap

    return [wrapped for line in text.splitlines()
            for wrapped in (textwrap.wrap(line, WRAP_WIDTH, break_long_words=False,
                                          break_on_hyphens=False) or [""])]


def check(condition, message: str) -> None:
    """Raise :class:`CheckFailed` with ``message`` when ``condition`` is false.

    For structure checks (a table's columns, a list's length, an object's fields), e.g.
    ``check(len(soft_skills) == 5, "soft_skills should hold five items")``.

    Raises:
        TypeError: ``message`` is not a non-empty str.
        CheckFailed: ``condition`` is false.
    """
    if not isinstance(message, str) or not message.strip():
        raise TypeError("check(condition, message): message must be a sentence (a str) saying "
                        "what to fix")
    if not condition:
        raise CheckFailed(message)


# ---------------------------------------------------------------------------------------------
# The cell-run records (IPython's post_run_cell event)
# ---------------------------------------------------------------------------------------------

#: How many executed cells are remembered (oldest dropped first).
MAX_RECORDS = 300
#: Cells longer than this (characters) are not parsed, only scanned with regular expressions.
MAX_PARSE_CHARS = 20_000

# A line that assigns: names (a, b, c[0], d.e) then = or an augmented assignment, not ==.
_ASSIGN_LINE = re.compile(r"^[ \t]*([A-Za-z_][\w\t ,.\[\]()'\"]*?)[ \t]*"
                          r"(?:[-+*/%@&|^]|//|\*\*|<<|>>)?=(?!=)", re.MULTILINE)
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
# 0,35: a comma with a digit right after it (a separator between values has a space after it,
# by PEP 8 and in every example of the course).
_COMMA_DECIMAL = re.compile(r"(?<![\w.])\d+,\d")
_QUOTED_NUMBER = re.compile(r"""(["'])\s*[-+]?[\d.,_ ]*\d[\d.,_ ]*\s*%?\s*\1""")
_CHECK_MODULE = "welfarelab.checks"


class Record:
    """One executed cell: its source, its error (``ename``/``evalue``, ``lineno``/``line`` of a
    syntax error, ``missing_name`` of a NameError; None when the cell ran without error), and,
    computed on first use so the recorder stays cheap, the names it assigns (``assigned``) and
    uses (``names``)."""

    __slots__ = ("_names", "ename", "evalue", "line", "lineno", "missing_name", "source")

    def __init__(self, source, ename=None, evalue=None, lineno=None, line=None,
                 missing_name=None):
        self.source, self.ename, self.evalue = source, ename, evalue
        self.lineno, self.line, self.missing_name = lineno, line, missing_name
        self._names = None

    def _parsed(self):
        if self._names is None:
            self._names = _names_of(self.source)
        return self._names

    @property
    def assigned(self) -> frozenset:
        return self._parsed()[0]

    @property
    def names(self) -> frozenset:
        return self._parsed()[1]


_records: collections.deque = collections.deque(maxlen=MAX_RECORDS)
_installed_on: set[int] = set()


def _names_of(source: str) -> tuple[frozenset, frozenset]:
    """(assigned, used) variable names of a cell: by ``ast`` when it parses, else by regex."""
    if len(source) <= MAX_PARSE_CHARS:
        import ast

        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            tree = None
        if tree is not None:
            assigned, used = set(), set()
            for node in ast.walk(tree):
                if isinstance(node, ast.Name):
                    used.add(node.id)
                    if isinstance(node.ctx, ast.Store):
                        assigned.add(node.id)
            return frozenset(assigned), frozenset(used)
    assigned = set()
    for target in _ASSIGN_LINE.findall(source):
        assigned.update(re.findall(r"(?:^|,)\s*\(?\s*([A-Za-z_]\w*)", target))
    return frozenset(assigned), frozenset(_IDENTIFIER.findall(source))


def _record(source: str, error: BaseException | None) -> Record:
    source = source or ""
    if error is None:
        return Record(source)
    ename, evalue = type(error).__name__, str(error)
    lineno = line = missing = None
    if isinstance(error, SyntaxError):
        lineno = error.lineno
        line = (error.text or "").strip() or None
        if line is None and lineno:
            lines = source.splitlines()
            if 0 < lineno <= len(lines):
                line = lines[lineno - 1].strip()
        evalue = error.msg or evalue
    elif isinstance(error, NameError):
        missing = getattr(error, "name", None)
    return Record(source, ename, evalue, lineno, line, missing)


def _post_run_cell(result) -> None:
    """IPython ``post_run_cell`` callback: record the cell, and under a failed cell whose error
    is a comma typed as decimal point, print one plain-words hint line."""
    try:
        info = getattr(result, "info", None)
        source = getattr(info, "raw_cell", None) or ""
        error = getattr(result, "error_before_exec", None) or getattr(result, "error_in_exec", None)
        rec = _record(source, error)
        _records.append(rec)
        if rec.ename and _CHECK_MODULE not in source:
            hint = _comma_hint(rec)
            if hint:
                print("Hint: " + hint)
    except Exception:  # noqa: BLE001, S110 - a recording problem must never break a cell
        pass


def install(shell=None) -> bool:
    """Register the cell-run recorder with IPython's ``post_run_cell`` event, once per shell.

    ``shell`` defaults to the running IPython shell (``IPython.get_ipython()``); IPython is not
    imported when it is not already loaded. Returns True when the recorder is (now) registered,
    False outside IPython.
    """
    if shell is None:
        ipython = sys.modules.get("IPython")
        getter = getattr(ipython, "get_ipython", None)
        shell = getter() if getter else None
    if shell is None or not hasattr(shell, "events"):
        return False
    if id(shell) not in _installed_on:
        shell.events.register("post_run_cell", _post_run_cell)
        _installed_on.add(id(shell))
    return True


def _is_check_cell(rec: Record) -> bool:
    return (_CHECK_MODULE in rec.source or rec.ename == "CheckFailed"
            or rec.source.lstrip().lower().startswith("# checks for"))


# ---------------------------------------------------------------------------------------------
# answered()
# ---------------------------------------------------------------------------------------------

def _join(names) -> str:
    names = list(names)
    if len(names) == 1:
        return names[0]
    return _("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])


def _comma_decimals(source: str) -> list[str]:
    """Numbers typed with a comma as decimal point in ``source``'s code, e.g. ``0,3`` in
    ``(0,3, 3500)``: a NUMBER, a comma and a NUMBER with no space between them, found with
    Python's own ``tokenize``, so ``"EUR 90,000 a year"`` in a string or a comment is not one."""
    import io
    import tokenize

    found, toks = [], []
    try:  # tokens up to the first one Python cannot read (an unclosed bracket at the end)
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
                toks.append(tok)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    for a, comma, b in zip(toks, toks[1:], toks[2:]):
        if (a.type == tokenize.NUMBER and comma.string == "," and b.type == tokenize.NUMBER
                and a.end == comma.start and comma.end == b.start):
            found.append(f"{a.string},{b.string}")
    return found


def _comma_hint(rec: Record) -> str:
    """A hint when ``rec``'s error looks like a comma typed as decimal point or a number typed
    as text, else ''."""
    # 0,25 makes a tuple (0, 25); arithmetic on it fails with "... 'tuple'" or, for
    # tuple * float, "can't multiply sequence by non-int of type 'float'" (CPython's messages).
    if rec.ename == "TypeError" and ("tuple" in (rec.evalue or "") or (
            "sequence" in (rec.evalue or "") and _COMMA_DECIMAL.search(rec.source))):
        typed = _comma_decimals(rec.source)
        if typed:  # name the student's own numbers: 0,25 and 0,20 -> 0.25 and 0.20
            return _("it looks like a comma was typed as the decimal point: you typed {typed}, "
                     "and Python writes {python}.").format(
                         typed=_join(typed), python=_join([t.replace(",", ".") for t in typed]))
        return _("it looks like a comma was typed as the decimal point: Python writes 0.35, "
                 "not 0,35 (and 37000, not 37,000).")
    if rec.ename in ("SyntaxError", "IndentationError") and _COMMA_DECIMAL.search(rec.line or ""):
        return _("if you typed a comma as the decimal point: Python writes 0.35, not 0,35.")
    # A number in quotes ("25%", "1200") is text: arithmetic on it fails with CPython's
    # "unsupported operand type(s) for -: 'int' and 'str'", "can only concatenate str (not
    # "int") to str", "must be real number, not str", or, for "25%" * 0.5, "can't multiply
    # sequence by non-int of type 'float'".
    evalue = rec.evalue or ""
    if rec.ename == "TypeError" and _QUOTED_NUMBER.search(rec.source) and (
            "'str'" in evalue or "str (not" in evalue or "not str" in evalue
            or "sequence" in evalue):
        return _("it looks like a number was typed as text, in quotes (like \"35%\"): type "
                 "numbers without quotes, and a percentage as a share (35 % is 0.35).")
    # A comma decimal inside a call or a pair, e.g. (0,3, 3500), reaches the calculator as extra
    # values; its own TypeError/ValueError then names the field but not the comma.
    if rec.ename in ("TypeError", "ValueError") and _comma_decimals(rec.source):
        return _("if you typed a comma as the decimal point somewhere (like 0,35): Python writes "
                 "0.35, not 0,35.")
    return ""


def _cause(rec: Record) -> str:
    """One plain-words sentence for the error a recorded cell stopped with."""
    if rec.ename in ("SyntaxError", "IndentationError", "TabError"):
        # The line itself is not repeated (it may hold the expected value); its number is.
        if rec.lineno:
            text = _("Python could not read line {n} of your answer cell: a syntax error ({why}), "
                     "often a missing bracket, quote or comma.").format(n=rec.lineno,
                                                                       why=rec.evalue)
        else:
            text = _("Python could not read it: a syntax error ({why}), often a missing bracket, "
                     "quote or comma.").format(why=rec.evalue)
        hint = _comma_hint(rec)
        return text + (" " + hint[0].upper() + hint[1:] if hint else "")
    hint = _comma_hint(rec)
    if hint:
        return hint[0].upper() + hint[1:]
    if rec.ename == "NameError" and rec.missing_name:
        return _("It uses {name}, which does not exist: check its spelling, and run the cells "
                 "above first.").format(name=rec.missing_name)
    first = (rec.evalue or "").strip().splitlines()
    said = _("Python said: {ename}: {message}").format(
        ename=rec.ename, message=(first[0][:300] if first else ""))
    if rec.ename == "KeyError":  # str(KeyError('ECTS')) is "'ECTS'": a column or key name
        return said + " " + _("That column or key does not exist: check its spelling (capitals "
                              "count).")
    if rec.ename == "AttributeError":  # "'BreakEven' object has no attribute 'units_round'"
        return said + " " + _("Check the spelling of the name after the point.")
    return said


def _not_answered(part: str) -> CheckFailed:
    return CheckFailed(_("{part} is not answered yet: in the answer cell above, replace the line "
                         "that starts with raise NotImplementedError by your answer, and run that "
                         "cell.")
                       .format(part=part))


def _stopped(part: str, names, rec: Record, typed_amounts: bool = False) -> CheckFailed:
    text = _ngettext("{part}: your answer cell stopped with an error, so {names} was not stored.",
                     "{part}: your answer cell stopped with an error, so {names} were not stored.",
                     len(names))
    text = text.format(part=part, names=_join(names)) + " " + _cause(rec)
    # 4.500 for a price makes a calculator refuse it (no break-even at EUR 4.5): name the point.
    typed = _typed_amounts(rec.source) if typed_amounts else []
    if typed:
        text += " " + _typed_message(typed)
    return CheckFailed(text)


def _typed_message(typed: list[str]) -> str:
    """"In your answer you typed 12.000 ..." for the thousands-point numbers ``typed``."""
    first = typed[0]
    value = float(first)
    meant = int(first.replace(".", ""))
    return _("In your answer you typed {typed}. Python reads the point as a decimal point, "
             "so {first} is {value:g}, not {meant}. Write {meant} or {meant_}, without a "
             "point, and run the cell again.").format(
                 typed=_join(typed), first=first, value=value, meant=meant, meant_=f"{meant:_}")


def _caller_namespace(depth: int = 2) -> dict:
    return sys._getframe(depth).f_globals


_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_THOUSANDS_POINT = re.compile(r"^[1-9]\d{0,2}\.\d\d0$")


def _typed_amounts(source: str) -> list[str]:
    """NUMBER tokens of ``source`` that look like a point typed as thousands separator
    (``30.000``, ``12.000``, ``4.800``: 1-3 digits, a point, three digits ending in 0).
    Comments and strings are not looked at (Python's own ``tokenize``)."""
    import io
    import tokenize

    found = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.NUMBER and _THOUSANDS_POINT.match(tok.string) \
                    and tok.string not in found:
                found.append(tok.string)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return found


def answered(part: str, *names: str, typed_amounts: bool = False, namespace: dict | None = None
             ) -> None:
    """Check that a part's answer cell ran and stored every name in ``names``.

    Args:
        part: how the notebook names the part, e.g. ``"Part 3"`` (starts each message).
        names: the variable names the answer must store (str each, at least one).
        typed_amounts: also fail when the answer cell that stored them holds a number typed
            with a point as thousands separator (``30.000`` for thirty thousand, which Python
            reads as 30.0).
        namespace: where to look for the names; default the calling cell's globals.

    Raises:
        TypeError: ``part`` or a name is not a str, or no name is given.
        CheckFailed: with one of these plain messages: "<part> is not answered yet ...";
            "<part>: your answer cell stopped with an error, so <names> was not stored.
            <cause>" (a syntax error, a comma typed as decimal point, a name that does not
            exist, or Python's one-line message); "<part> is not complete: <name> is missing.
            Store it under exactly that name (check the spelling) ..."; or, with
            ``typed_amounts``, "In your answer you typed 12.000 ...".
    """
    if not isinstance(part, str) or not part.strip():
        raise TypeError("answered(part, *names): part must be the part's name, e.g. 'Part 3'")
    if not names or not all(isinstance(n, str) and n.isidentifier() for n in names):
        raise TypeError("answered(part, *names): give the variable names the answer stores, "
                        "each as a str, e.g. answered('Part 3', 'baskets_needed')")
    ns = namespace if namespace is not None else _caller_namespace()
    missing = [n for n in names if n not in ns]
    wanted = set(names)
    records = [r for r in _records if not _is_check_cell(r)]
    # the answer cell: the latest that assigns one of the names (a cell that only uses one of
    # them, e.g. a later part's, is not blamed for this part)
    cand_answer = next((r for r in reversed(records) if wanted & r.assigned), None)
    cand_stub = next((r for r in reversed(records) if r.ename == "NotImplementedError"), None)

    if not missing:
        rec = cand_answer
        if rec is not None and rec.ename:
            if rec.ename == "NotImplementedError":
                raise _not_answered(part)
            raise _stopped(part, names, rec, typed_amounts)
        if typed_amounts:
            assigning = next((r for r in reversed(records) if wanted & r.assigned), None)
            typed = _typed_amounts(assigning.source) if assigning else []
            if typed:
                raise CheckFailed(_typed_message(typed))
        return

    # Some names are missing: which cell was the answer, and what happened to it?
    candidates = [r for r in (cand_answer, cand_stub) if r is not None]
    rec = max(candidates, key=lambda r: _position(records, r)) if candidates else None
    later = records if rec is None else records[_position(records, rec):]
    stored = _close_names(missing, later)
    if stored:  # a cell run after the answer stored a look-alike name: a misspelling
        raise CheckFailed(_("{part} is not complete: {names} is missing, and your answer stored "
                            "{stored} instead. Store it under exactly the name {names} (check the "
                            "spelling) and run the answer cell.").format(
                                part=part, names=_join(missing), stored=_join(stored)))
    if rec is not None and rec.ename:
        if rec.ename == "NotImplementedError":
            raise _not_answered(part)
        raise _stopped(part, missing, rec, typed_amounts)
    if rec is None and len(missing) == len(names):
        if not _records:
            # No cell-run records (outside IPython, e.g. the grading tools' checker process):
            # an unanswered part and an answer cell that stopped cannot be told apart.
            raise CheckFailed(_ngettext(
                "{part} is not answered yet, or its answer cell stopped with an error (for example "
                "a syntax error: read the red message under that cell), so {names} was not stored.",
                "{part} is not answered yet, or its answer cell stopped with an error (for example "
                "a syntax error: read the red message under that cell), so {names} were not "
                "stored.", len(missing)).format(part=part, names=_join(missing)))
        raise _not_answered(part)
    raise CheckFailed(_("{part} is not complete: {names} is missing. Store it under exactly that "
                        "name (check the spelling) and run the answer cell.").format(
                            part=part, names=_join(missing)))


def _position(records: list, rec: Record) -> int:
    """Where ``rec`` (a record object, compared by identity) sits in ``records``."""
    return next(i for i in range(len(records) - 1, -1, -1) if records[i] is rec)


def _close_names(missing, records, look_back: int = 10) -> list[str]:
    """Names that cells run without error (the latest ``look_back``) assigned and that look like
    a misspelling of a missing name (difflib's similarity >= 0.7, or the same name in other
    capitals)."""
    import difflib

    assigned = []
    for rec in [r for r in records if not r.ename][-look_back:]:
        assigned.extend(n for n in rec.assigned if n not in assigned and n not in missing)
    close = []
    for name in missing:
        for match in difflib.get_close_matches(name, assigned, n=1, cutoff=0.7):
            if match not in close:
                close.append(match)
        close.extend(a for a in assigned if a.lower() == name.lower() and a not in close)
    return close


# ---------------------------------------------------------------------------------------------
# number()
# ---------------------------------------------------------------------------------------------

def _fmt(x) -> str:
    """A number as a student types it: no thousands separator, no needless decimals."""
    x = float(x)
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.6g}"


def _is_table(value) -> bool:
    # Duck typing, so pandas is not imported: DataFrame has columns, Series/Index have
    # shape + dtype, numpy arrays have shape + ndim > 0.
    if hasattr(value, "columns") and hasattr(value, "shape"):
        return True
    return type(value).__module__.split(".")[0] == "pandas" and hasattr(value, "shape")


def _type_problem(name: str, value, share: bool) -> str:
    """Plain-words sentence when ``value`` is not one real number, else ''."""
    if value is None:
        return _("{name} has no value (it is None): store the number itself, not the result of "
                 "print(...) or of a function that returns nothing.").format(name=name)
    if isinstance(value, bool):
        return _("{name} is {value}, a yes/no value, not a number.").format(name=name, value=value)
    if isinstance(value, str):
        text = value.strip()
        # The text is shown only when it is more than a number in quotes: a message never
        # repeats a value that could be the expected answer.
        if _PLAIN_NUMBER.match(text):
            msg = _("{name} is text (a number in quotes): type the number without quotes.").format(
                name=name)
        else:
            msg = _("{name} is text ({value!r}): type the number without quotes.").format(
                name=name, value=value[:40])
        if text.endswith("%"):
            msg += " " + _("Write a percentage as a share: 35 % is 0.35.")
        elif _COMMA_DECIMAL.search(text):
            msg += " " + _("Python writes 0.35, not 0,35.")
        return msg
    if isinstance(value, tuple):
        if value and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in value):
            return _("{name} is a pair of numbers (a tuple): did you type a comma as the decimal "
                     "point? Python writes 0.35, not 0,35 (and 37000, not 37,000).").format(
                         name=name)
        return _("{name} is a tuple (values between round brackets), not one number.").format(
            name=name)
    if _is_table(value):
        return _("{name} is a table (or a column of a table), not one number: take one value "
                 "from it.").format(name=name)
    if isinstance(value, (list, set, frozenset, dict)):
        return _("{name} is a {kind} of values, not one number.").format(
            name=name, kind=type(value).__name__)
    if getattr(value, "shape", None) not in (None, ()) and hasattr(value, "ndim"):
        return _("{name} is an array of values, not one number.").format(name=name)
    if hasattr(value, "__dataclass_fields__") and not isinstance(value, type):
        fields = [f for f in value.__dataclass_fields__
                  if isinstance(getattr(value, f, None), numbers.Real)]
        # Suggest a field only when the name asks for it (sroi_ratio -> .ratio): the first field
        # in the list sent students to the wrong value (sroi_ratio.present_value).
        words = set(name.lower().split("_"))
        matches = [f for f in fields if f.lower() in words or f.lower() == name.lower()
                   or set(f.lower().split("_")) <= words]
        if matches:
            return _("{name} is the result of a calculator, not a number: take one of its "
                     "values, e.g. {example} (its values: {fields}).").format(
                         name=name, example=f"{name}.{matches[0]}", fields=", ".join(fields))
        return _("{name} is the result of a calculator, not a number: take the one of its values "
                 "that the question asks for (its values: {fields}).").format(
                     name=name, fields=", ".join(fields) or "-")
    if not isinstance(value, numbers.Real):
        return _("{name} is a {kind}, not a number.").format(name=name, kind=type(value).__name__)
    if not math.isfinite(float(value)):
        return _("{name} is {value}, not a finite number: check for a division by zero.").format(
            name=name, value=value)
    return ""


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it yet (gettext's ``N_``, which
    Babel's extractor knows); :func:`_` translates it where it is used."""
    return message


# (factor, message when value * factor fits, message when value / factor fits). Order matters:
# the first fitting diagnosis is given.
_SCALES = (
    (1000,
     N_("{name} looks about 1000 times too small: did you type a point as thousands separator "
        "(37.000 for thirty-seven thousand)? Python writes 37000."),
     N_("{name} looks about 1000 times too large: check the number of zeros and the unit.")),
    (100,
     N_("{name} looks about 100 times too small: did you write a share (0.35) where a percentage "
        "is asked, or divide by 100 once too often?"),
     N_("{name} looks about 100 times too large: did you type a percentage (25) where a share "
        "(0.35) is asked? 35 percent is written 0.35.")),
    (12,
     N_("{name} looks about 12 times too small: a figure per month where one per year is asked?"),
     N_("{name} looks about 12 times too large: a figure per year where one per month is asked?")),
    (10,
     N_("{name} looks about 10 times too small: check the number of zeros and the decimal point."),
     N_("{name} looks about 10 times too large: check the number of zeros and the decimal point.")),
)


def number(name: str, value, *, whole: bool = False, share: bool = False, low=None, high=None,
           unit: str = "", why_low: str = "", why_high: str = "",
           scales=(1000, 100, 12, 10)) -> None:
    """Check that ``value`` (stored under ``name``) is one plausible number.

    Plausibility only, never equality with the expected answer: ``low`` and ``high`` are bounds
    that every sensible answer meets (inclusive: ``low <= value <= high`` passes).

    Args:
        name: the variable's name, as the student typed it (used in every message).
        value: the value to check.
        whole: the value must be a whole number (an int, or a float without decimals).
        share: the value is a share 0-1 (25 % is 0.25); ``low``/``high`` default to 0 and 1.
        low, high: plausible range, in the unit of the answer (None: no bound on that side).
        unit: the unit named after the range in the message ("EUR", "baskets per year").
        why_low, why_high: a sentence added when the value is below ``low`` / above ``high``.
        scales: the scale mistakes to name (a subset of 1000, 100, 12, 10); leave out 12 where
            no month/year mix-up is possible, so a tenfold mistake is not called "per month".

    Diagnoses, in this order: not one number (text, a pair of numbers from a comma typed as
    decimal point, a table, a list, None, a calculator's result object, NaN); not whole; a
    percentage where a share is asked (1 < value <= 100); outside the range, naming the wrong
    sign when -value falls in it, or (with both bounds) a scale mistake when value times or
    divided by 1000, 100, 12 or 10 falls in it (1000 first, then the factor whose corrected
    value lies nearest the middle of the range); else the range itself.

    Raises:
        TypeError: ``name`` is not a str, or ``low``/``high`` is not a number.
        ValueError: ``low`` > ``high``.
        CheckFailed: the value fails a check; the message names ``name`` and the likely cause.
    """
    if not isinstance(name, str) or not name:
        raise TypeError("number(name, value, ...): name must be the variable's name as a str")
    for field, bound in (("low", low), ("high", high)):
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, numbers.Real)):
            raise TypeError(f"number(...): {field} must be a number or None, not {bound!r}")
    if share:
        low = 0 if low is None else low
        high = 1 if high is None else high
    try:
        scales = tuple(scales)
    except TypeError:
        raise TypeError("number(...): scales must be a tuple of factors, e.g. (1000, 100, 10)"
                        ) from None
    unknown = [f for f in scales if f not in (1000, 100, 12, 10)]
    if unknown:
        raise ValueError(f"number(...): scales can hold 1000, 100, 12 and 10, not {unknown}")
    if low is not None and high is not None and low > high:
        raise ValueError(f"number(...): low ({low}) must not be above high ({high})")

    problem = _type_problem(name, value, share)
    if problem:
        raise CheckFailed(problem)
    v = float(value)
    if whole and not v.is_integer():
        raise CheckFailed(_("{name} should be a whole number, without decimals: round it (up or "
                            "down, as the question says).").format(name=name))
    if share and 1 < v <= 100:
        raise CheckFailed(_("{name} looks like a percentage: write it as a share, a number from 0 "
                            "to 1 (35 % is 0.35).").format(name=name))

    def fits(x: float) -> bool:
        return (low is None or x >= low) and (high is None or x <= high)

    if fits(v):
        return
    if v != 0 and fits(-v):
        raise CheckFailed(_("{name} has the wrong sign: check plus and minus, and which amount "
                            "is taken from which.").format(name=name))
    if v != 0 and low is not None and high is not None:  # a scale needs both bounds
        below = v < low
        fitting = [(f, small if below else large) for f, small, large in _SCALES
                   if f in scales and fits(v * f if below else v / f)]
        if len(fitting) > 1 and fitting[0][0] != 1000 and low and high and low > 0:
            # several scales fit a wide range: the one whose corrected value lies nearest the
            # middle of the range (on a log scale) first
            middle = math.log(low * high) / 2
            fitting.sort(key=lambda fm: abs(math.log(abs(v * fm[0] if below else v / fm[0]))
                                            - middle))
        if fitting:
            text = _(fitting[0][1]).format(name=name)
            others = [f for f, _msg in fitting[1:] if f != 1000 and fitting[0][0] != 1000]
            if others:
                text += " " + _("(Or about {factors} times: check each step and unit.)").format(
                    factors=_join(str(f) for f in others))
            raise CheckFailed(text + _join_why(why_low if below else why_high))
    if low is not None and high is not None:
        text = _("{name} should lie between {low} and {high}{unit}.")
    elif low is not None:
        text = _("{name} should be at least {low}{unit}.")
    else:
        text = _("{name} should be at most {high}{unit}.")
    text = text.format(name=name, low=_fmt(low) if low is not None else "",
                       high=_fmt(high) if high is not None else "",
                       unit=(" " + unit) if unit else "")
    why = why_low if low is not None and v < low else why_high
    raise CheckFailed(text + _join_why(why))


def _join_why(why: str) -> str:
    why = (why or "").strip()
    if not why:
        return ""
    return " " + why[0].upper() + why[1:]
