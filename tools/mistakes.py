"""The beginner-mistake corpus: typical wrong answers for every auto-graded part, and a runner.

    .venv/bin/python tools/mistakes.py run m04 [--json out.json] [--root DIR] [--verbose]
    .venv/bin/python tools/mistakes.py list m04          # the mistakes, without running them

Nothing here is stored student work: every mistake is made at run time from the *source*
assignment's solution cells (issue 14, "The corpus" in the shared contract):

- a **part** is a solution code cell ``mXX-...-answer`` followed by the grade (check) cells up
  to the next answer cell; the part's **output names** are the names its solution assigns that
  its check cells mention;
- **typing mistakes** on the numeric literals of the solution (found with :mod:`tokenize`):
  ``thousands_point`` (30000 → 30.000: the Belgian/Dutch thousands separator, the issue's
  first report), ``comma_decimal`` (0.25 → 0,25), ``percent_whole`` (0.25 → 25) and
  ``percent_text`` (0.25 → "25%");
- **result mistakes** on each numeric output name (a line inserted after its assignment, so
  later lines of the same cell see the wrong value, as they would in a student's cell):
  ``wrong_sign``, ``times_10``, ``div_10``, ``times_1000``, ``div_1000``, ``months_for_years``
  (× or ÷ 12, from the unit the name states: :func:`time_unit`) and ``total_for_per_unit``
  (a per-unit value times a count of the case: :data:`PER_UNIT_COUNTS`);
- **type mistakes**: ``as_text`` (``str(value)``) and ``as_table`` (a one-row DataFrame);
- ``renamed`` (the output name misspelt where it is assigned: its last letter dropped, the
  commonest slip, "study_hour" for "study_hours"), ``syntax_error`` (the last closing bracket
  dropped; an opening bracket left unclosed when the cell has none) and ``stub`` (the release's
  ``raise NotImplementedError`` left in place);
- a ``near_miss`` control per numeric part whose hidden tests compare with a value (its last
  numeric output ± 1 when whole, × 1.07 or × 0.93 otherwise): a genuinely wrong value that, one
  way or the other, must *pass* the visible checks and *fail* the hidden test, which proves the
  visible checks are plausibility checks, not the answer.

The runner pairs each release notebook with its source by nbgrader ``grade_id``, builds the
correct student notebook (the release with the source's solutions, markers stripped), and runs
it once in ONE kernel (jupyter_client; kernel ``python3`` of this venv, working folder the
release folder as nbgrader runs it, ``MPLBACKEND=Agg``). Then per mistake: delete the names
the part's answer cell assigns, run the mutated answer cell, the release's check cells of the
part (the *visible* checks, as Validate runs them) and the source's check cells (with the
hidden tests, as autograde runs them), then re-run the correct answer cell.

A mistake the source's check cells accept is *harmless* (the student keeps the points) and is
not counted. For every counted mistake a visible check must fail (else: a false "Success"),
with a ``CheckFailed`` (else: a bare Python exception or a plain ``AssertionError`` that
nbgrader shows with its code), whose message holds the phrase the mistake kind requires
(:data:`REQUIRED_PHRASES`) and none of the hidden tests' expected values.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import keyword
import os
import re
import subprocess
import sys
import time
import tokenize
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
from babel.numbers import format_decimal, format_percent

REPO = Path(__file__).resolve().parents[1]

# nbgrader's default delimiters (nbgrader.preprocessors.ClearSolutions.begin_solution_delimeter,
# ClearHiddenTests.begin_test_delimeter, nbgrader 0.9.6), with the course's "###" comment mark.
SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"

TYPING_KINDS = ("thousands_point", "comma_decimal", "percent_whole", "percent_text")
RESULT_KINDS = ("wrong_sign", "times_10", "div_10", "times_1000", "div_1000",
                "months_for_years", "total_for_per_unit")
TYPE_KINDS = ("as_text", "as_table")
FORM_KINDS = ("renamed", "syntax_error", "stub")
CONTROL_KIND = "near_miss"
ALL_KINDS = TYPING_KINDS + RESULT_KINDS + TYPE_KINDS + FORM_KINDS + (CONTROL_KIND,)

# The phrase the visible message must hold, per mistake kind (shared contract, "The corpus").
# Each entry: a list of alternatives, each a regular expression (case-insensitive); "{name}"
# stands for the output name the mistake is about.
# The Dutch edition's assignments (ids ending in -nl) show the same messages from the Dutch
# catalog (welfarelab/locale/nl): the second list of each kind holds their words.
REQUIRED_PHRASES: dict[str, list[str]] = {
    "stub": [r"not answered yet", r"nog niet beantwoord"],
    "syntax_error": [r"syntax error", r"syntaxfout"],
    "renamed": [r"(?=.*\b{name}\b)(?=.*spelling)", r"(?=.*\b{name}\b)(?=.*schrijfwijze)"],
    "thousands_point": [r"\b\d{1,3}\.\d{3}\b", r"1000 times", r"1000 keer"],
    "comma_decimal": [r"comma", r"komma"],
    "percent_whole": [r"\b0\.\d+\b", r"percent", r"procent"],
    "percent_text": [r"\btext\b", r"quotes", r"\btekst\b", r"aanhalingstekens"],
    "as_text": [r"\btext\b", r"quotes", r"\btekst\b", r"aanhalingstekens"],
}

# Time units a name states (months_for_years): the token of the name → what the value is.
# "duration in months" mistaken as years gives value / 12; "amount per month" given per year
# gives value * 12; and the other way round for years.
_TIME_TOKENS = {
    "month": "months", "months": "months", "monthly": "per_month",
    "year": "years", "years": "years", "yearly": "per_year", "annual": "per_year",
    "year1": "per_year",
}
# Names whose unit is not what their tokens say: a month *number* (an index, not a duration)
# has no months-for-years mistake.
TIME_UNIT_OVERRIDES: dict[str, str | None] = {
    "first_negative_month": None,
}
_TIME_FACTOR = {"months": "/ 12", "years": "* 12", "per_month": "* 12", "per_year": "/ 12"}

# total_for_per_unit: the count of the case a per-unit value is mistakenly multiplied by, as a
# Python expression over the notebook's names (so no value is written here). Only names listed
# here get this mistake; each entry says where the count comes from.
PER_UNIT_COUNTS: dict[str, str] = {
    "hours_per_credit": "ects",                                   # m00: hours for all credits
    "my_soft_average": "5",                                       # m00: sum of the 5 soft skills
    "employees_per_enterprise": 'values["estimated number of social enterprises"]',  # m01
    "contribution_margin": "45",                                  # m04: the 45 planned trainees
    "weighted_price": "45",                                       # m04: idem (part 4)
    "cost_per_started": 'year_2023["trainees_started"].sum()',    # m04: the totals per group
    "cost_per_completer": 'year_2023["trainees_completed"].sum()',
    "cost_per_job": 'year_2023["found_work"].sum()',
    "mean_trajectory_months": "len(per_partnership)",             # m03: sum over partnerships
    "monthly_payment": "72",                                      # m05: all 72 payments
}

# How a Flemish student writes numbers outside Python: the Unicode CLDR conventions for Dutch in
# Belgium, as Babel formats them (decimal symbol ",", group symbol ".", percent "25%"):
# babel.numbers.format_decimal(30000, locale="nl_BE") == "30.000", format_decimal(0.25, ...) ==
# "0,25", format_percent(0.25, ...) == "25%". The typing mistakes are these forms typed in code.
STUDENT_LOCALE = "nl_BE"

# A 4-digit literal between these on a line that mentions "year" is a year (2023), never typed
# with a thousands point.
_YEARS = range(1900, 2101)


# ---------------------------------------------------------------------------------------------
# Notebooks and parts
# ---------------------------------------------------------------------------------------------

def _nbg(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def strip_markers(source: str) -> str:
    """The solution cell as a student who answered it would have it: marker lines removed."""
    return "\n".join(line for line in source.splitlines()
                     if line.strip() not in (SOLUTION_BEGIN, SOLUTION_END))


def hidden_region(source: str) -> str:
    """The code between the hidden-test markers of a source grade cell ('' if none)."""
    out, inside = [], False
    for line in source.splitlines():
        if line.strip() == HIDDEN_BEGIN:
            inside = True
        elif line.strip() == HIDDEN_END:
            inside = False
        elif inside:
            out.append(line)
    return "\n".join(out)


@dataclass
class Part:
    """One auto-graded part: its answer cell and the check cells that follow it."""

    answer_id: str
    correct: str            # the source solution cell, markers stripped
    stub: str               # the release's answer cell
    region: tuple[int, int]  # 1-based line numbers of the solution lines in ``correct``
    visible: list[str]      # release check cells (sources)
    hidden: list[str]       # source check cells (sources, with hidden tests)
    check_ids: list[str]
    points: float
    output_names: list[str] = field(default_factory=list)
    assigned: list[str] = field(default_factory=list)
    expected_values: list[float] = field(default_factory=list)  # not given in the notebook
    compares_values: bool = False  # a hidden assert compares with a number


@dataclass
class Assignment:
    """A release notebook paired with its source notebook."""

    aid: str
    release_path: Path
    source_path: Path
    cells: list  # the correct student notebook's code cells, in order: (kind, grade_id, source)
    parts: list[Part]


def load_assignment(aid: str, root: Path = REPO) -> Assignment:
    """Pair ``root/release/<aid>/*.ipynb`` with ``root/source/<aid>/*.ipynb`` by ``grade_id``.

    Raises ``FileNotFoundError`` naming the folder when a notebook is missing, and
    ``ValueError`` naming the grade_id when a release answer cell has no source cell.
    """
    root = Path(root)
    rel_dir, src_dir = root / "release" / aid, root / "source" / aid
    rel = sorted(rel_dir.glob("*.ipynb"))
    if not rel:
        raise FileNotFoundError(f"assignment {aid!r}: no notebook in {rel_dir}")
    rel_path = rel[0]
    src_path = src_dir / rel_path.name
    if not src_path.is_file():
        raise FileNotFoundError(f"assignment {aid!r}: no source notebook {src_path}")
    rnb = nbformat.read(rel_path, as_version=4)
    snb = nbformat.read(src_path, as_version=4)
    src_by_id = {_nbg(c).get("grade_id"): c for c in snb.cells if _nbg(c).get("grade_id")}

    cells, parts, current = [], [], None
    for cell in rnb.cells:
        if cell.cell_type != "code":
            continue
        md = _nbg(cell)
        gid = md.get("grade_id")
        if md.get("solution") and not md.get("grade"):
            if gid not in src_by_id:
                raise ValueError(f"assignment {aid!r}: release answer cell {gid!r} has no source cell")
            src = src_by_id[gid].source
            correct = strip_markers(src)
            lines = correct.splitlines()
            raw = src.splitlines()
            begin = next(i for i, line in enumerate(raw) if line.strip() == SOLUTION_BEGIN)
            end = next(i for i, line in enumerate(raw) if line.strip() == SOLUTION_END)
            # in the stripped text the solution lines are raw[begin+1:end] shifted by one
            region = (begin + 1, begin + (end - begin - 1))
            assert lines[region[0] - 1:region[1]] == raw[begin + 1:end]
            current = Part(gid, correct, cell.source, region, [], [], [], 0.0)
            parts.append(current)
            cells.append(("answer", gid, correct))
        elif md.get("grade") and current is not None and gid in src_by_id:
            current.visible.append(cell.source)
            current.hidden.append(src_by_id[gid].source)
            current.check_ids.append(gid)
            current.points += float(md.get("points") or 0)
            cells.append(("check", gid, cell.source))
        else:
            cells.append(("other", gid, cell.source))
    parts = [p for p in parts if p.visible]
    # numbers the student is given (instructions, setup and other non-graded cells): showing
    # them is no leak, even when a hidden test compares with one (m00: 30 credits, 25 hours)
    given = {v for c in rnb.cells if not _nbg(c).get("grade") and not _nbg(c).get("solution")
             for _, v in numbers_in(c.source)}
    for p in parts:
        p.assigned = assigned_names(p.correct, p.region)
        checks_text = "\n".join(p.hidden)
        p.output_names = [n for n in p.assigned if re.search(rf"\b{re.escape(n)}\b", checks_text)]
        p.compares_values = bool(expected_values(p.hidden))
        p.expected_values = [v for v in expected_values(p.hidden) if v not in given]
    return Assignment(aid, rel_path, src_path, cells, parts)


def assigned_names(code: str, region: tuple[int, int]) -> list[str]:
    """Top-level names the solution lines assign, in order of their (last) assignment."""
    order: dict[str, int] = {}
    for stmt in ast.parse(code).body:
        if not region[0] <= stmt.lineno <= region[1]:
            continue
        targets = []
        if isinstance(stmt, ast.Assign):
            targets = stmt.targets
        elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
            targets = [stmt.target]
        for t in targets:
            for node in ast.walk(t):
                if isinstance(node, ast.Name):
                    order.pop(node.id, None)
                    order[node.id] = stmt.lineno
    return list(order)


def expected_values(hidden_sources: list[str]) -> list[float]:
    """Numbers the hidden asserts compare with: ``x == 4500`` and ``abs(x - 3200) < tol``."""
    found: list[float] = []
    for src in hidden_sources:
        try:
            tree = ast.parse(hidden_region(src))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Assert):
                continue
            for sub in ast.walk(node.test):
                nums = []
                if isinstance(sub, ast.Compare) and any(isinstance(o, ast.Eq) for o in sub.ops):
                    nums = [sub.left, *sub.comparators]
                elif (isinstance(sub, ast.Call) and getattr(sub.func, "id", "") == "abs"
                      and sub.args and isinstance(sub.args[0], ast.BinOp)
                      and isinstance(sub.args[0].op, ast.Sub)):
                    nums = [sub.args[0].right]
                for n in nums:
                    if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub):
                        n, sign = n.operand, -1
                    else:
                        sign = 1
                    if isinstance(n, ast.Constant) and isinstance(n.value, (int, float)) \
                            and not isinstance(n.value, bool):
                        found.append(sign * float(n.value))
    return found


def static_value_kinds(part: Part) -> dict[str, str]:
    """Without a kernel: the output names the hidden asserts compare with a number, as 'int'
    (``name == 4500``) or 'real' (``abs(name - 0.25) < tol``, ``name == 0.5``)."""
    found: dict[str, str] = {}
    for src in part.hidden:
        try:
            tree = ast.parse(hidden_region(src))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and any(isinstance(o, ast.Eq) for o in node.ops):
                left, right = node.left, node.comparators[0]
                if isinstance(left, ast.Name) and isinstance(right, ast.Constant) \
                        and isinstance(right.value, (int, float)) and not isinstance(right.value, bool):
                    found[left.id] = "int" if isinstance(right.value, int) else "real"
            elif (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "abs"
                  and node.args and isinstance(node.args[0], ast.BinOp)
                  and isinstance(node.args[0].op, ast.Sub)
                  and isinstance(node.args[0].left, ast.Name)):
                found.setdefault(node.args[0].left.id, "real")
    return {n: k for n, k in found.items() if n in part.output_names}


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------

@dataclass
class Mistake:
    """One wrong answer for one part: the answer cell as the student would have typed it."""

    part: str
    kind: str
    target: str   # the literal or name it changes
    code: str     # the whole mutated answer cell
    line: str     # the mutated line, for the report


def time_unit(name: str) -> str | None:
    """What a name says about time: 'months', 'years', 'per_month', 'per_year' or None.

    From the name's underscore-separated words (``runway_months`` → 'months',
    ``monthly_payment`` → 'per_month', ``impact_year1_a`` → 'per_year'), unless
    :data:`TIME_UNIT_OVERRIDES` says otherwise.
    """
    if name in TIME_UNIT_OVERRIDES:
        return TIME_UNIT_OVERRIDES[name]
    for word in name.lower().split("_"):
        if word in _TIME_TOKENS:
            return _TIME_TOKENS[word]
    return None


def _fmt(value: float) -> str:
    text = repr(round(value, 10))
    return text.removesuffix(".0")


def _literal_mistakes(part: Part) -> list[Mistake]:
    out = []
    lines = part.correct.splitlines()
    toks = tokenize.generate_tokens(io.StringIO(part.correct + "\n").readline)
    for tok in toks:
        if tok.type != tokenize.NUMBER or not part.region[0] <= tok.start[0] <= part.region[1]:
            continue
        text = tok.string
        if any(c in text.lower() for c in "ejxob"):
            continue
        value = ast.literal_eval(text)
        row, c0, c1 = tok.start[0], tok.start[1], tok.end[1]
        line = lines[row - 1]
        subs = []
        if isinstance(value, int) and value >= 1000 and not (
                value in _YEARS and "year" in line.lower()):
            subs.append(("thousands_point", format_decimal(value, locale=STUDENT_LOCALE)))
        if isinstance(value, float) and not value.is_integer():
            subs.append(("comma_decimal", format_decimal(value, locale=STUDENT_LOCALE,
                                                         decimal_quantization=False)))
            if 0 < value < 1:
                subs.append(("percent_whole", _fmt(value * 100)))
                subs.append(("percent_text", '"' + format_percent(
                    value, locale=STUDENT_LOCALE, decimal_quantization=False) + '"'))
        for kind, new in subs:
            new_line = line[:c0] + new + line[c1:]
            code = "\n".join(lines[:row - 1] + [new_line] + lines[row:])
            out.append(Mistake(part.answer_id, kind, text, code, new_line.strip()))
    return out


def _insert_after(part: Part, name: str, new_line: str) -> str | None:
    lines = part.correct.splitlines()
    last = None
    for stmt in ast.parse(part.correct).body:
        if _region_has(part, stmt) and name in _stmt_targets(stmt):
            last = stmt
    if last is None or last.col_offset != 0:
        return None
    end = last.end_lineno
    return "\n".join(lines[:end] + [new_line] + lines[end:])


def _region_has(part: Part, stmt) -> bool:
    return part.region[0] <= stmt.lineno <= part.region[1]


def _stmt_targets(stmt) -> list[str]:
    targets = []
    if isinstance(stmt, ast.Assign):
        targets = stmt.targets
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        targets = [stmt.target]
    return [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]


def generate(part: Part, kinds_of_values: dict[str, str]) -> list[Mistake]:
    """Every mistake of the corpus for one part.

    ``kinds_of_values`` maps each output name to 'int', 'real' or 'other', as the correct answer
    left it in the kernel (result, type and near-miss mistakes apply to numbers only).
    Deterministic: the same part gives the same list in the same order.
    """
    out = _literal_mistakes(part)
    numeric = [n for n in part.output_names if kinds_of_values.get(n) in ("int", "real")]
    for name in numeric:
        whole = kinds_of_values[name] == "int"
        div = "//" if whole else "/"
        lines = {
            "wrong_sign": f"{name} = -{name}",
            "times_10": f"{name} = {name} * 10",
            "div_10": f"{name} = {name} {div} 10",
            "times_1000": f"{name} = {name} * 1000",
            "div_1000": f"{name} = {name} {div} 1000",
        }
        unit = time_unit(name)
        if unit:
            lines["months_for_years"] = f"{name} = {name} {_TIME_FACTOR[unit]}"
        if name in PER_UNIT_COUNTS:
            lines["total_for_per_unit"] = f"{name} = {name} * ({PER_UNIT_COUNTS[name]})"
        lines["as_text"] = f"{name} = str({name})"
        lines["as_table"] = f'{name} = __import__("pandas").DataFrame({{"{name}": [{name}]}})'
        for kind, new_line in lines.items():
            code = _insert_after(part, name, new_line)
            if code is not None:
                out.append(Mistake(part.answer_id, kind, name, code, new_line))
    out += _form_mistakes(part)
    if numeric and part.compares_values:
        # the control: only where the hidden tests compare with a value (m08's capstone checks
        # consistency with the student's own inputs, so there is no "near" answer to miss)
        name = numeric[-1]
        variants = ((f"{name} = {name} + 1", f"{name} = {name} - 1")
                    if kinds_of_values[name] == "int"
                    else (f"{name} = {name} * 1.07", f"{name} = {name} * 0.93"))
        for new_line in variants:
            code = _insert_after(part, name, new_line)
            if code is not None:
                out.append(Mistake(part.answer_id, CONTROL_KIND, name, code, new_line))
    return out


def misspell(name: str) -> str:
    """The commonest slip: the last letter dropped (study_hours → study_hour)."""
    new = name[:-1]
    if not new.isidentifier() or keyword.iskeyword(new) or new.endswith("_"):
        new = name[:-2] + name[-1]
    return new


def _form_mistakes(part: Part) -> list[Mistake]:
    out = []
    lines = part.correct.splitlines()
    tree = ast.parse(part.correct)
    for name in part.output_names:
        for stmt in tree.body:
            if _region_has(part, stmt) and name in _stmt_targets(stmt):
                node = next(n for t in (stmt.targets if isinstance(stmt, ast.Assign)
                                        else [stmt.target])
                            for n in ast.walk(t) if isinstance(n, ast.Name) and n.id == name)
                row = node.lineno
                line = lines[row - 1]
                new_line = line[:node.col_offset] + misspell(name) + line[node.end_col_offset:]
                code = "\n".join(lines[:row - 1] + [new_line] + lines[row:])
                out.append(Mistake(part.answer_id, "renamed", name, code, new_line.strip()))
                break
    closing = [t for t in tokenize.generate_tokens(io.StringIO(part.correct + "\n").readline)
               if t.type == tokenize.OP and t.string in ")]}"
               and part.region[0] <= t.start[0] <= part.region[1]]
    if closing:
        t = closing[-1]
        row, c0 = t.start
        line = lines[row - 1]
        new_line = line[:c0] + line[c0 + 1:]
        what = t.string
    else:
        stmt = next(s for s in tree.body if _region_has(part, s) and isinstance(s, ast.Assign))
        row = stmt.value.lineno
        line = lines[row - 1]
        c0 = stmt.value.col_offset
        new_line = line[:c0] + "(" + line[c0:]
        what = "("
    code = "\n".join(lines[:row - 1] + [new_line] + lines[row:])
    shown = new_line.strip() or f"(line {row}: its {what} removed)"
    out.append(Mistake(part.answer_id, "syntax_error", what, code, shown))
    out.append(Mistake(part.answer_id, "stub", "", part.stub,
                       next((ln for ln in part.stub.splitlines() if "raise" in ln), "")))
    return out


# ---------------------------------------------------------------------------------------------
# The kernel
# ---------------------------------------------------------------------------------------------

class Kernel:
    """One IPython kernel of this Python (``python3``), driven cell by cell (jupyter_client)."""

    def __init__(self, cwd: Path, root: Path, timeout: float = 60):
        from jupyter_client.manager import KernelManager

        env = dict(os.environ)
        env["MPLBACKEND"] = "Agg"
        # the course's own package first, so a --root checkout is run with its own welfarelab
        env["PYTHONPATH"] = os.pathsep.join([str(root), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        self.km = KernelManager(kernel_name="python3")
        self.km.kernel_cmd = None
        # the kernel's own start-up warnings (TCP without encryption) are not the report's
        self.km.start_kernel(cwd=str(cwd), env=env, stderr=subprocess.DEVNULL)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=timeout)
        self.timeout = timeout
        self.leftover: set[str] = set()  # names a mistake left, forgotten before the next run

    def run(self, code: str, silent: bool = False) -> dict:
        """Run ``code``; return {'status', 'ename', 'evalue', 'stdout'}."""
        stdout: list[str] = []
        err: dict = {}

        def hook(msg):
            t = msg["msg_type"]
            if t == "stream" and msg["content"]["name"] == "stdout":
                stdout.append(msg["content"]["text"])
            elif t == "error":
                err.update(ename=msg["content"]["ename"], evalue=msg["content"]["evalue"])

        reply = self.kc.execute_interactive(code, silent=silent, store_history=not silent,
                                            timeout=self.timeout, output_hook=hook)
        content = reply["content"]
        if content["status"] == "error":
            err.setdefault("ename", content.get("ename", ""))
            err.setdefault("evalue", content.get("evalue", ""))
        return {"status": content["status"], "ename": err.get("ename", ""),
                "evalue": err.get("evalue", ""), "stdout": "".join(stdout)}

    def query(self, expr: str):
        """The JSON value of a Python expression, evaluated silently (no cell-run record)."""
        res = self.run(f"print(__import__('json').dumps({expr}))", silent=True)
        if res["status"] != "ok":
            raise RuntimeError(f"kernel query failed: {res['ename']}: {res['evalue']}")
        return json.loads(res["stdout"].strip().splitlines()[-1])

    def forget(self, names, then: str = "") -> None:
        """Delete names from the kernel's globals, then run ``then``, silently."""
        code = f"[globals().pop(_n, None) for _n in {sorted(set(names))!r}]\n{then}"
        self.run(code, silent=True)

    def close(self) -> None:
        try:
            self.kc.stop_channels()
        finally:
            self.km.shutdown_kernel(now=True)


def _kinds_expr(names: list[str]) -> str:
    return ("{_n: ('int' if isinstance(globals()[_n], __import__('numbers').Integral) "
            "else 'real' if isinstance(globals()[_n], __import__('numbers').Real) else 'other') "
            f"for _n in {names!r} if _n in globals() "
            "and not isinstance(globals()[_n], bool)}")


# ---------------------------------------------------------------------------------------------
# The runner
# ---------------------------------------------------------------------------------------------

@dataclass
class Result:
    """What one mistake did: hidden verdict, visible verdict and the visible message."""

    part: str
    kind: str
    target: str
    line: str
    hidden_pass: bool
    visible_pass: bool
    ename: str = ""
    evalue: str = ""
    answer_error: str = ""
    verdict: str = ""          # harmless | caught | false_success | control_ok | control_failed
    problems: list[str] = field(default_factory=list)


_NUMBER = re.compile(r"(?<![\w.])-?\d{1,3}(?:[,_ ]\d{3})+(?:\.\d+)?(?!\d)|(?<![\w.])-?\d+(?:\.\d+)?")


def numbers_in(text: str) -> list[tuple[str, float]]:
    """The numbers written in a text, as (as written, value): 4500, 4,500, 4 500, 0.0946."""
    out = []
    for tok in _NUMBER.findall(text):
        try:
            out.append((tok, float(re.sub(r"[,_ ]", "", tok))))
        except ValueError:
            continue
    return out


def _leaks(message: str, expected: list[float]) -> list[str]:
    """Numbers of ``message`` that show an expected value of the hidden tests: exactly, or
    rounded to two or more decimals (0.09 for 0.0946)."""
    text = re.sub(r"\bPart \d+[a-z]?\b", "", message)
    found = []
    for tok, v in numbers_in(text):
        decimals = len(tok.split(".")[1]) if "." in tok else 0
        for e in expected:
            if abs(v - e) <= 1e-9 + 1e-6 * abs(e) or (
                    not float(e).is_integer() and decimals >= 2
                    and abs(v - e) <= 0.5 * 10 ** -decimals and abs(v - e) <= 0.01 * abs(e)):
                found.append(tok)
    return found


def judge(m: Mistake, hidden_pass: bool, visible_pass: bool, ename: str, evalue: str,
          expected: list[float]) -> tuple[str, list[str]]:
    """The verdict of one mistake and the problems its visible message has."""
    problems: list[str] = []
    if m.kind == CONTROL_KIND:
        if hidden_pass:
            return "control_failed", ["near miss passes the hidden test"]
        if not visible_pass:
            return "control_failed", [f"near miss fails visibly: {ename}: {evalue[:120]}"]
        return "control_ok", []
    if hidden_pass:
        return "harmless", []
    if visible_pass:
        return "false_success", ["false Success"]
    if ename != "CheckFailed":
        problems.append("bare exception" if ename != "AssertionError" else "plain AssertionError")
    phrases = REQUIRED_PHRASES.get(m.kind)
    if phrases:
        pats = [p.replace("{name}", re.escape(m.target)) for p in phrases]
        flat = " ".join(evalue.split())  # a message may be wrapped over lines
        if not any(re.search(p, flat, re.IGNORECASE | re.DOTALL) for p in pats):
            problems.append("phrase missing")
    if _leaks(evalue, expected):
        problems.append("leaks " + ", ".join(_leaks(evalue, expected)))
    return "caught", problems


def run_assignment(aid: str, root: Path = REPO, kinds: set[str] | None = None,
                   parts: set[str] | None = None, log=None) -> dict:
    """Run the corpus of one assignment in one kernel; return {'aid', 'results', 'sanity', ...}.

    ``kinds`` / ``parts`` restrict the run (None: all). ``sanity`` lists check cells that fail
    on the correct answers (they make every verdict of their part meaningless).
    """
    t0 = time.monotonic()
    a = load_assignment(aid, root)
    k = Kernel(a.release_path.parent, Path(root))
    results: list[Result] = []
    sanity: list[str] = []
    value_kinds: dict[str, dict[str, str]] = {}
    try:
        by_answer = {p.answer_id: p for p in a.parts}
        for kind_, gid, src in a.cells:
            if kind_ == "answer":
                k.run(_SNAPSHOT.format(gid=gid), silent=True)
            res = k.run(src)
            if kind_ == "answer" and gid in by_answer:
                value_kinds[gid] = k.query(_kinds_expr(by_answer[gid].output_names))
                if res["status"] != "ok":
                    sanity.append(f"{gid}: the correct answer raises {res['ename']}: {res['evalue']}")
            if kind_ == "check" and res["status"] != "ok":
                sanity.append(f"{gid}: the release check fails on the correct answer: "
                              f"{res['ename']}: {res['evalue'][:200]}")
        for part in a.parts:
            if parts and part.answer_id not in parts:
                continue
            for hsrc, cid in zip(part.hidden, part.check_ids):
                res = k.run(hsrc)
                if res["status"] != "ok":
                    sanity.append(f"{cid}: the source check fails on the correct answer: "
                                  f"{res['ename']}: {res['evalue'][:200]}")
            for m in generate(part, value_kinds.get(part.answer_id, {})):
                if kinds and m.kind not in kinds:
                    continue
                results.append(run_mistake(k, part, m))
                if log:
                    log(results[-1])
            restore(k, part)
    finally:
        k.close()
    return {"aid": aid, "root": str(root), "seconds": round(time.monotonic() - t0, 1),
            "sanity": sanity, "results": [asdict(r) for r in results]}


def _names_in(code: str) -> list[str]:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return re.findall(r"^\s*(\w+)\s*=", code, re.MULTILINE)
    return [n for s in tree.body for n in _stmt_targets(s)]


# welfarelab.checks (issue 14) records every executed cell (IPython's post_run_cell) and
# answered() reads those records. A student who makes a mistake has run the cells above the
# answer once, not the correct answer and other mistakes before it: so before each mistake the
# records are put back to what they were just before the part's answer cell first ran
# (silent runs, which IPython does not announce to post_run_cell, record nothing).
_SNAPSHOT = """
_m = __import__("sys").modules.get("welfarelab.checks")
if _m is not None and hasattr(_m, "_records"):
    globals().setdefault("__mistakes_records__", {{}})["{gid}"] = list(_m._records)
del _m
"""
_RESET = """
_m = __import__("sys").modules.get("welfarelab.checks")
if _m is not None and hasattr(_m, "_records") and "{gid}" in globals().get("__mistakes_records__", {{}}):
    _m._records.clear()
    _m._records.extend(globals()["__mistakes_records__"]["{gid}"])
del _m
"""


def restore(k: Kernel, part: Part) -> None:
    """Put the part's correct answer back (after its mistakes)."""
    k.forget(set(part.assigned) | set(_names_in(part.correct)) | k.leftover,
             then=_RESET.format(gid=part.answer_id))
    k.leftover = set()
    k.run(part.correct)


def run_mistake(k: Kernel, part: Part, m: Mistake) -> Result:
    """Run one mistake of ``part`` as a student would meet it: the names the answer cell
    assigns deleted, the cell-run records as before the answer first ran, then the mutated
    answer cell, the visible checks and the source (hidden) checks. The caller restores the
    correct answer after the part's last mistake (:func:`restore`)."""
    # the names of the previous mistake go too (a misspelt name must not linger)
    forget = (set(part.assigned) | set(_names_in(part.correct)) | set(_names_in(m.code))
              | k.leftover)
    k.forget(forget, then=_RESET.format(gid=part.answer_id))
    ans = k.run(m.code)
    visible = [k.run(src) for src in part.visible]
    hidden = [k.run(src) for src in part.hidden]
    k.leftover = set(_names_in(m.code)) - set(part.assigned)
    first = next((v for v in visible if v["status"] != "ok"), None)
    hidden_pass = all(h["status"] == "ok" for h in hidden)
    visible_pass = first is None
    ename, evalue = (first["ename"], first["evalue"]) if first else ("", "")
    verdict, problems = judge(m, hidden_pass, visible_pass, ename, evalue, part.expected_values)
    return Result(part.answer_id, m.kind, m.target, m.line, hidden_pass, visible_pass, ename,
                  evalue, f"{ans['ename']}: {ans['evalue']}" if ans["status"] != "ok" else "",
                  verdict, problems)


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

COLUMNS = ("tried", "harmless", "counted", "caught", "false_success", "bare", "plain_assert",
           "phrase_missing", "leaks", "near_miss_failed")


def summarize(results: list[dict]) -> dict[str, int]:
    """Counts over results (dicts of :class:`Result`): the table's columns."""
    c = dict.fromkeys(COLUMNS, 0)
    controls: dict[str, bool] = {}
    for r in results:
        if r["kind"] == CONTROL_KIND:
            # a part's control holds when one of its near misses (up or down) passes the
            # visible checks and fails the hidden test
            controls[r["part"]] = controls.get(r["part"], False) or r["verdict"] == "control_ok"
            continue
        c["tried"] += 1
        c["harmless"] += r["verdict"] == "harmless"
        c["counted"] += r["verdict"] in ("caught", "false_success")
        c["caught"] += r["verdict"] == "caught"
        c["false_success"] += r["verdict"] == "false_success"
        c["bare"] += "bare exception" in r["problems"]
        c["plain_assert"] += "plain AssertionError" in r["problems"]
        c["phrase_missing"] += "phrase missing" in r["problems"]
        c["leaks"] += any(p.startswith("leaks") for p in r["problems"])
    c["near_miss_failed"] = sum(not ok for ok in controls.values())
    return c


def format_table(rows: dict[str, dict[str, int]]) -> str:
    """A fixed-width table: one row per key, the :data:`COLUMNS`, and a total row."""
    width = max([len(k) for k in rows] + [5]) + 1
    head = f"{'':<{width}}" + "".join(f"{c:>{len(c) + 2}}" for c in COLUMNS)
    lines = [head]
    total = dict.fromkeys(COLUMNS, 0)
    for key, c in rows.items():
        lines.append(f"{key:<{width}}" + "".join(f"{c[col]:>{len(col) + 2}}" for col in COLUMNS))
        for col in COLUMNS:
            total[col] += c[col]
    if len(rows) > 1:
        lines.append(f"{'total':<{width}}" + "".join(f"{total[col]:>{len(col) + 2}}" for col in COLUMNS))
    return "\n".join(lines)


def report(run: dict, verbose: bool = False) -> str:
    """The per-part table of one run and every problem, one line each."""
    parts: dict[str, list[dict]] = {}
    for r in run["results"]:
        parts.setdefault(r["part"], []).append(r)
    out = [f"{run['aid']} ({run['root']}, {run['seconds']} s)"]
    out += [f"  SANITY: {s}" for s in run["sanity"]]
    out.append(format_table({p: summarize(rs) for p, rs in parts.items()}))
    for p, rs in parts.items():
        for r in rs:
            if r["problems"] or verbose:
                msg = (r["evalue"] or "").replace("\n", " ")[:160]
                vis = f"{r['ename']}: {msg}" if not r["visible_pass"] else "visible checks pass"
                out.append(f"  {p} {r['kind']:<18} {r['verdict']:<14} `{r['line'][:70]}` -> {vis}"
                           f"  [{'; '.join(r['problems'])}]")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("run", "list"):
        s = sub.add_parser(name)
        s.add_argument("aids", nargs="+", help="assignment ids, e.g. m04")
        s.add_argument("--root", type=Path, default=REPO, help="course root (default: this repo)")
        s.add_argument("--kinds", nargs="*", choices=ALL_KINDS, help="only these kinds")
        s.add_argument("--json", type=Path, help="write every result to this JSON file")
        s.add_argument("--verbose", action="store_true", help="print every mistake")
    args = ap.parse_args(argv)
    if args.cmd == "list":
        for aid in args.aids:
            a = load_assignment(aid, args.root)
            for p in a.parts:
                for m in generate(p, static_value_kinds(p)):  # without a kernel
                    print(f"{aid} {p.answer_id} {m.kind:<18} {m.target:<24} {m.line}")
        return 0
    runs = []
    for aid in args.aids:
        run = run_assignment(aid, args.root, set(args.kinds) if args.kinds else None)
        runs.append(run)
        print(report(run, args.verbose), flush=True)
    if len(runs) > 1:
        print(format_table({r["aid"]: summarize(r["results"]) for r in runs}))
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
