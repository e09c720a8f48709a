"""What each submission should score, worked out without nbgrader's grading code.

    python tools/expected_scores.py m06 [--course .] [NOTEBOOK ...]

The end-to-end tests (tests/grading/test_platform_roundtrip.py) need an *independent oracle*:
if the collector, the autograder and the exports all agreed on a wrong score, comparing them
with each other would not notice. This module computes the expected automatic score the plain
way a lecturer would check it by hand:

1. read the assignment's **source** notebook (``source/<id>/*.ipynb``, with the solutions and
   the hidden tests); nbgrader's cell metadata (``metadata.nbgrader``: ``solution``, ``grade``,
   ``grade_id``, ``points``; schema in nbgrader's docs, "Developer / metadata",
   nbgrader.readthedocs.io/en/stable/contributor_guide/metadata.html) says which cells are
   answers and which are auto-graded tests with how many points;
2. put the student's answer cells (matched by ``grade_id``) in place of the source's
   solutions; every other cell (setup, tests, hidden tests) stays the source's own, which is
   what nbgrader's ``OverwriteCells`` does for locked cells;
3. run the notebook with **nbclient** (not nbgrader's ``Execute``/``Autograde``) in a scratch
   folder holding a copy of ``source/<id>/``'s other files;
4. add up the points of the test cells that ran without an error. That is nbgrader's rule for
   a code grade cell ("if the cell raises an error it gets 0 points, otherwise full points",
   nbgrader docs, "Autograder tests"); the partial-credit case (a test cell whose output is
   a number) is not used by this course's tests and is refused here.

Nothing is stored: :func:`make_answers` derives the students' answers (full marks, some wrong
values, blank, broken JSON, a deleted grade cell, ...) from the release and source notebooks at
run time. Written (manually graded) answers are not scored here: they count as 0 until a
lecturer marks them, as in the course's grades CSV (welfaregrading/export.py).
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"
#: Error output types of a Jupyter code cell (nbformat v4 schema, ``output_type``).
ERROR_OUTPUT = "error"
#: The made-up written answer used in every generated submission that answers in full.
WRITTEN = ("The ratio adds up value across stakeholders, so it hides who gains least; dignity "
           "and trust cannot be priced. (A made-up answer for a test.)")


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


@dataclass(frozen=True)
class Part:
    """One auto-graded test cell of the source notebook."""

    grade_id: str
    points: float


@dataclass
class Assignment:
    """The parts of an assignment as its source notebook declares them.

    ``answers``: grade_id → source code of each *code* solution cell (with the solution);
    ``tests``: the auto-graded test cells in notebook order; ``manual``: grade_id → points of
    each manually graded answer (a grade cell that is also a solution cell).
    """

    notebook: Path
    answers: dict[str, str]
    tests: list[Part]
    manual: dict[str, float]

    @property
    def auto_max(self) -> float:
        return float(sum(p.points for p in self.tests))

    @property
    def max_score(self) -> float:
        return self.auto_max + float(sum(self.manual.values()))


def read_assignment(source_dir: Path) -> Assignment:
    """Read the one notebook of ``source_dir`` (``source/<id>/``) and list its graded parts.

    Raises ``FileNotFoundError`` when the folder holds no notebook, ``ValueError`` when it holds
    several (say which with :func:`read_assignment_notebook`), when a grade cell has no
    ``grade_id`` or ``points``, or when a grade_id occurs twice.
    """
    notebooks = sorted(Path(source_dir).glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"source_dir: no notebook in {source_dir}")
    if len(notebooks) > 1:
        raise ValueError(f"source_dir: {source_dir} holds {len(notebooks)} notebooks; "
                         "call read_assignment_notebook with the one to grade")
    return read_assignment_notebook(notebooks[0])


def read_assignment_notebook(path: Path) -> Assignment:
    """The graded parts of one source notebook (see :class:`Assignment`); errors as
    :func:`read_assignment`."""
    nb = nbformat.read(path, as_version=4)
    answers, tests, manual, seen = {}, [], {}, set()
    for index, cell in enumerate(nb.cells):
        meta = _meta(cell)
        if not (meta.get("solution") or meta.get("grade")):
            continue
        gid = meta.get("grade_id")
        if not gid:
            raise ValueError(f"{path.name}: cell {index} is graded but has no grade_id")
        if gid in seen:
            raise ValueError(f"{path.name}: grade_id {gid!r} occurs twice")
        seen.add(gid)
        if meta.get("grade"):
            points = meta.get("points")
            if not isinstance(points, (int, float)) or points <= 0:
                raise ValueError(f"{path.name}: grade cell {gid!r} has points={points!r}, "
                                 "a number above 0 is needed")
            if meta.get("solution"):
                manual[gid] = float(points)
            elif cell.cell_type == "code":
                tests.append(Part(gid, float(points)))
        if meta.get("solution") and cell.cell_type == "code":
            answers[gid] = cell.source
    return Assignment(Path(path), answers, tests, manual)


@dataclass
class Expected:
    """What one submission should score.

    ``gradable`` is False when the file is not a notebook nbformat can read (then ``score`` is
    None and ``reason`` says why). ``score`` is the automatic points earned (written answers
    count 0 until marked), ``auto_max`` and ``max_score`` in the same points. ``tests`` maps
    each test's grade_id to ``(points earned, first line of the error or "")``.
    """

    gradable: bool
    score: float | None
    auto_max: float
    max_score: float
    reason: str = ""
    tests: dict[str, tuple[float, str]] = field(default_factory=dict)


def _student_cells(data: bytes) -> dict[str, object]:
    """grade_id → the student's cell, from the raw bytes of their file (first cell wins).

    Raises ValueError with a plain reason when the bytes are not a readable notebook."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValueError("the file is not UTF-8 text") from err
    if not text.strip():
        raise ValueError("the file is empty")
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as err:  # nbformat raises NotJSONError, ValueError or its own errors
        raise ValueError(f"not a readable notebook ({type(err).__name__})") from err
    cells = {}
    for cell in nb.get("cells", []):
        gid = _meta(cell).get("grade_id")
        if gid and gid not in cells:
            cells[gid] = cell
    return cells


def combined_notebook(assignment: Assignment, data: bytes):
    """The source notebook with the student's code answers in place of the solutions.

    An answer cell the student deleted (or turned into markdown) runs as an empty cell, so
    the tests that need it fail. Raises ValueError when ``data`` is not a readable notebook."""
    student = _student_cells(data)
    nb = nbformat.read(assignment.notebook, as_version=4)
    for cell in nb.cells:
        meta = _meta(cell)
        gid = meta.get("grade_id")
        if cell.cell_type == "code" and meta.get("solution") and gid in assignment.answers:
            theirs = student.get(gid)
            cell.source = theirs.source if theirs is not None and theirs.cell_type == "code" else ""
    return nb


_CACHE: dict[tuple[str, str, float], Expected] = {}


def expected_score(source_dir: Path, data: bytes, timeout: float = 30.0,
                   notebook: str | None = None) -> Expected:
    """The score a submission (``data``: the raw bytes of the student's notebook) should get.

    ``source_dir`` is ``source/<id>/`` (its other files are copied next to the notebook while
    it runs); ``notebook`` names the source notebook when the folder holds several.
    ``timeout``: seconds per cell (an endless cell is interrupted and its tests fail).
    Results are cached by (source, submission bytes, timeout), so the same answer handed in
    on several platforms runs once. Raises FileNotFoundError/ValueError for a bad source
    (see :func:`read_assignment`); a bad *submission* gives ``gradable=False`` instead.
    """
    from nbclient import NotebookClient

    source_dir = Path(source_dir).resolve()
    assignment = (read_assignment_notebook(source_dir / notebook) if notebook
                  else read_assignment(source_dir))
    key = (hashlib.sha256(assignment.notebook.read_bytes()).hexdigest(),
           hashlib.sha256(bytes(data)).hexdigest(), float(timeout))
    if key in _CACHE:
        return copy.deepcopy(_CACHE[key])
    try:
        nb = combined_notebook(assignment, bytes(data))
    except ValueError as err:
        result = Expected(False, None, assignment.auto_max, assignment.max_score, str(err))
        _CACHE[key] = result
        return copy.deepcopy(result)
    with tempfile.TemporaryDirectory(prefix="expected-scores-") as tmp:
        work = Path(tmp) / source_dir.name
        shutil.copytree(source_dir, work, ignore=shutil.ignore_patterns(
            "*.ipynb", ".ipynb_checkpoints", "__pycache__"))
        env_before = os.environ.get("MPLBACKEND")
        os.environ.setdefault("MPLBACKEND", "Agg")
        try:
            NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                           interrupt_on_timeout=True,
                           resources={"metadata": {"path": str(work)}}).execute()
        finally:
            if env_before is None:
                os.environ.pop("MPLBACKEND", None)
    tests = {}
    by_id = {_meta(c).get("grade_id"): c for c in nb.cells}
    for part in assignment.tests:
        cell = by_id[part.grade_id]
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == ERROR_OUTPUT]
        if errors:
            tests[part.grade_id] = (0.0, f"{errors[0].get('ename')}: {errors[0].get('evalue')}"
                                    .splitlines()[0])
            continue
        if any(o.get("output_type") == "execute_result" for o in cell.get("outputs", [])):
            raise ValueError(f"test cell {part.grade_id!r} shows a value: nbgrader would give "
                             "partial credit, which this oracle does not model")
        tests[part.grade_id] = (part.points, "")
    result = Expected(True, float(sum(p for p, _ in tests.values())), assignment.auto_max,
                      assignment.max_score, "", tests)
    _CACHE[key] = result
    return copy.deepcopy(result)


# ---------------------------------------------------------------------------------------------
# Made-up students' answers, derived from the release and source notebooks at run time
# ---------------------------------------------------------------------------------------------

def solution_code(text: str) -> str:
    """The code between nbgrader's ``### BEGIN/END SOLUTION`` lines (the lines removed)."""
    return "\n".join(line for line in text.splitlines()
                     if line.strip() not in (SOLUTION_BEGIN, SOLUTION_END))


def wrong_code(text: str) -> str:
    """A plausible wrong answer: the solution, then every name it assigns at top level moved
    off its value (numbers × 1.5 + 1; lists of numbers element by element; other values kept).
    Whether the tests notice is for the oracle to find out, not assumed here."""
    code = solution_code(text)
    names = []
    for node in ast.parse(code).body:
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
        names += [t.id for t in targets if isinstance(t, ast.Name) and t.id not in names]
    lines = [code, "# a made-up mistake"]
    for n in names:
        lines.append(f"if isinstance({n}, (int, float)) and not isinstance({n}, bool):\n"
                     f"    {n} = {n} * 1.5 + 1\n"
                     f"elif isinstance({n}, list) and all(isinstance(v, (int, float)) for v in {n}):\n"
                     f"    {n} = [v * 1.5 + 1 for v in {n}]")
    return "\n".join(lines)


#: The kinds of made-up submissions :func:`make_answers` writes, with what each is.
CASES = {
    "full": "every answer from the source's solution",
    "some-wrong": "the first and third answers moved off their right values",
    "first-only": "only the first answer given, the rest left as the stub",
    "blank": "the release notebook handed in unchanged",
    "deleted-test": "full answers, but the first test cell deleted",
    "broken-json": "a notebook cut off in the middle (not valid JSON)",
    "last-wrong": "every answer right except the last one",
}


def make_answers(release_notebook: Path, source_notebook: Path, case: str) -> bytes:
    """The bytes of a made-up submission of kind ``case`` (a key of :data:`CASES`), from the
    release notebook (what students get) and the source notebook (its solutions).

    Raises ValueError naming ``case`` when it is not one of :data:`CASES`."""
    if case not in CASES:
        raise ValueError(f"case must be one of {sorted(CASES)}, not {case!r}")
    release = nbformat.read(release_notebook, as_version=4)
    if case == "blank":
        return nbformat.writes(release).encode("utf-8")
    source = nbformat.read(source_notebook, as_version=4)
    solutions = {_meta(c)["grade_id"]: c for c in source.cells
                 if _meta(c).get("solution") and _meta(c).get("grade_id")}
    nb = copy.deepcopy(release)
    code_ids = [_meta(c)["grade_id"] for c in nb.cells
                if _meta(c).get("solution") and c.cell_type == "code"]
    wrong = {"some-wrong": set(code_ids[0:1] + code_ids[2:3]),
             "last-wrong": set(code_ids[-1:])}.get(case, set())
    keep_stub = set(code_ids[1:]) if case == "first-only" else set()
    for cell in nb.cells:
        gid = _meta(cell).get("grade_id")
        if not _meta(cell).get("solution") or gid not in solutions or gid in keep_stub:
            continue
        if cell.cell_type == "markdown":
            cell.source = WRITTEN
        elif gid in wrong:
            cell.source = wrong_code(solutions[gid].source)
        else:
            cell.source = solution_code(solutions[gid].source)
    if case == "deleted-test":
        first_test = next(c for c in nb.cells if _meta(c).get("grade")
                          and not _meta(c).get("solution") and c.cell_type == "code")
        nb.cells.remove(first_test)
    text = nbformat.writes(nb)
    if case == "broken-json":
        text = text[: len(text) // 2]
    return text.encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignment")
    parser.add_argument("--course", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="submissions to score (default: one of each made-up case)")
    args = parser.parse_args(argv)
    source_dir = args.course / "source" / args.assignment
    release_dir = args.course / "release" / args.assignment
    if args.notebooks:
        items = [(str(p), p.read_bytes()) for p in args.notebooks]
    else:
        name = read_assignment(source_dir).notebook.name
        items = [(case, make_answers(release_dir / name, source_dir / name, case))
                 for case in CASES]
    for label, data in items:
        got = expected_score(source_dir, data)
        shown = f"{got.score:g}/{got.auto_max:g}" if got.gradable else f"not gradable: {got.reason}"
        print(f"{label:<16} {shown}  " + json.dumps({k: v[0] for k, v in got.tests.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
