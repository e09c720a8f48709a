"""Parity of the editions (issue 17): each Dutch notebook has the structure of its English twin.

Pairs come from course.yml (``notebook``/``notebook_nl`` of the modules and of the extras, and
the sources of ``assignment``/``assignment_nl``) and from ``source/<id>`` beside
``source/<id>-nl``. For each pair: the same
number, order and type of cells; the same code once string literals and comments are removed
(:mod:`tokenize`), except the one allowed added line ``welfarelab.set_language("nl")`` (and an
``import welfarelab`` added with it); the same nbgrader metadata (grade_id, points, locked,
solution, grade, task) per cell; the same widget factory calls. A failure names the first
difference: both files, the cell index and what differs. Runs on the pairs that exist.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import nbformat
import pytest
import yaml
from conftest import REPO

NBGRADER_KEYS = ("grade_id", "points", "locked", "solution", "grade", "task")
SET_LANGUAGE = re.compile(r"""^\s*welfarelab\.set_language\(\s*["']nl["']\s*\)\s*(#.*)?$""")
IMPORT_WELFARELAB = re.compile(r"^\s*import\s+welfarelab\s*(#.*)?$")
SKIP = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
        tokenize.ENDMARKER}


def _source_of(released: str) -> str:
    """``source/<id>/<name>`` for a course.yml ``release/<id>/<name>``."""
    parts = Path(released).parts
    return str(Path("source", *parts[1:])) if parts and parts[0] == "release" else released


def edition_pairs(root: Path = REPO) -> list[tuple[Path, Path]]:
    """(English, Dutch) notebook pairs that both exist: reading notebooks, the notebooks beyond
    the modules (course.yml ``extras``) and source assignments, from course.yml and from
    ``source/<id>-nl/``."""
    course = yaml.safe_load((root / "course.yml").read_text(encoding="utf-8"))
    pairs = []
    for m in course["modules"]:
        if m.get("notebook_nl"):
            pairs.append((root / m["notebook"], root / m["notebook_nl"]))
        en_src = root / _source_of(m["assignment"])
        if m.get("assignment_nl"):
            pairs.append((en_src, root / _source_of(m["assignment_nl"])))
        else:
            nl_folder = root / "source" / f"{m['id']}-nl"
            found = sorted(nl_folder.glob("*.ipynb")) if nl_folder.is_dir() else []
            if len(found) == 1:
                pairs.append((en_src, found[0]))
    for x in course.get("extras", []):
        if x.get("notebook_nl"):
            pairs.append((root / x["notebook"], root / x["notebook_nl"]))
    seen, unique = set(), []
    for en, nl in pairs:
        if (en, nl) not in seen and en.exists() and nl.exists():
            seen.add((en, nl))
            unique.append((en, nl))
    return unique


def code_shape(source: str) -> list[str]:
    """The tokens of ``source`` with each string literal as ``STR`` and without comments and
    layout tokens; a line magic or shell line (``%``/``!``) is kept as its text."""
    lines = []
    for line in source.splitlines():
        lines.append("" if line.lstrip().startswith(("%", "!")) else line)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return ["<untokenizable>", *source.split()]
    magics = [line.strip() for line in source.splitlines() if line.lstrip().startswith(("%", "!"))]
    return magics + ["STR" if t.type == tokenize.STRING else t.string
                     for t in tokens if t.type not in SKIP]


def strip_language_line(en_source: str, nl_source: str) -> str:
    """``nl_source`` without the allowed added ``welfarelab.set_language("nl")`` line and an
    ``import welfarelab`` line the English cell does not have."""
    lines = nl_source.splitlines()
    if not any(SET_LANGUAGE.match(line) for line in lines):
        return nl_source
    kept = [line for line in lines if not SET_LANGUAGE.match(line)]
    en_imports = sum(bool(IMPORT_WELFARELAB.match(line)) for line in en_source.splitlines())
    nl_imports = sum(bool(IMPORT_WELFARELAB.match(line)) for line in kept)
    if nl_imports > en_imports:
        first = next(i for i, line in enumerate(kept) if IMPORT_WELFARELAB.match(line))
        del kept[first]
    return "\n".join(kept)


def widget_calls(source: str) -> list[str]:
    """Names of widget factories called in ``source`` (``welfarelab.widgets`` names)."""
    from welfarelab.widgets import _WIDGETS

    found = []
    for name in re.findall(r"\b([A-Za-z_]\w*)\s*\(", source):
        if name in _WIDGETS:
            found.append(name)
    return found


def _rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else str(path)


def first_difference(en_path: Path, nl_path: Path) -> str | None:
    """The first structural difference of the pair, in words, or None."""
    en = nbformat.read(en_path, as_version=4).cells
    nl = nbformat.read(nl_path, as_version=4).cells
    where = f"{_rel(nl_path)} vs {_rel(en_path)}"
    set_language_lines = 0
    for i, (a, b) in enumerate(zip(en, nl)):
        if a.cell_type != b.cell_type:
            return f"{where}: cell {i} is {b.cell_type} in Dutch, {a.cell_type} in English"
        meta_a = {k: a.metadata.get("nbgrader", {}).get(k) for k in NBGRADER_KEYS}
        meta_b = {k: b.metadata.get("nbgrader", {}).get(k) for k in NBGRADER_KEYS}
        if meta_a != meta_b:
            diff = {k: (meta_a[k], meta_b[k]) for k in NBGRADER_KEYS if meta_a[k] != meta_b[k]}
            return f"{where}: cell {i} nbgrader metadata differs (English, Dutch): {diff}"
        if a.cell_type != "code":
            continue
        nl_source = strip_language_line(a.source, b.source)
        set_language_lines += nl_source != b.source
        if widget_calls(a.source) != widget_calls(nl_source):
            return (f"{where}: cell {i} widget calls differ: English {widget_calls(a.source)}, "
                    f"Dutch {widget_calls(nl_source)}")
        shape_a, shape_b = code_shape(a.source), code_shape(nl_source)
        if shape_a != shape_b:
            k = next((j for j, (x, y) in enumerate(zip(shape_a, shape_b)) if x != y),
                     min(len(shape_a), len(shape_b)))
            return (f"{where}: cell {i} code differs (strings and comments aside) at token {k}: "
                    f"English {shape_a[max(0, k - 3):k + 3]} vs Dutch {shape_b[max(0, k - 3):k + 3]}")
    if len(en) != len(nl):
        return f"{where}: {len(nl)} cells in Dutch, {len(en)} in English (first {min(len(en), len(nl))} agree)"
    if set_language_lines > 1:
        return f"{where}: welfarelab.set_language(\"nl\") is added in {set_language_lines} cells (one allowed)"
    return None


PAIRS = edition_pairs()


def test_parity_checks_every_existing_pair(capsys):
    """Prints how many pairs it checked (all of them exist on both sides)."""
    with capsys.disabled():
        print(f"\nedition parity: {len(PAIRS)} pair(s) checked: "
              + ", ".join(nl.relative_to(REPO).as_posix() for _, nl in PAIRS))
    for en, nl in PAIRS:
        assert en.exists() and nl.exists()


@pytest.mark.parametrize("en,nl", PAIRS, ids=[nl.name for _, nl in PAIRS])
def test_dutch_edition_has_the_structure_of_the_english(en, nl):
    assert first_difference(en, nl) is None, first_difference(en, nl)


# ---- the checker itself finds what it should (on copies of a real English notebook) ---------

def _twin(tmp_path: Path, change) -> tuple[Path, Path]:
    en = REPO / "source" / "m00" / "m00-warm-up.ipynb"
    nb = nbformat.read(en, as_version=4)
    change(nb)
    nl = tmp_path / "twin-nl.ipynb"
    nbformat.write(nb, nl)
    return en, nl


def _dutch_strings(source: str) -> str:
    """``source`` with every string literal replaced (tokenize; layout may change)."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return tokenize.untokenize((t.type, "'tekst'" if t.type == tokenize.STRING else t.string)
                               for t in tokens)


def _first_code(nb, pattern="import"):
    return next(c for c in nb.cells if c.cell_type == "code" and pattern in c.source)


def test_checker_allows_the_set_language_line_strings_and_comments(tmp_path):
    def dutch(nb):
        for c in nb.cells:
            if c.cell_type == "markdown":
                c.source = "Vertaald: " + c.source
            elif c.cell_type == "code":
                c.source = "# een Nederlandse uitleg\n" + _dutch_strings(c.source)
        cell = _first_code(nb)
        cell.source = "import welfarelab\n" + cell.source + "\nwelfarelab.set_language(\"nl\")"
    en, nl = _twin(tmp_path, dutch)
    assert first_difference(en, nl) is None


@pytest.mark.parametrize("what,change", [
    ("code differs", lambda nb: setattr(_first_code(nb), "source", _first_code(nb).source + "\nx = 1")),
    ("nbgrader metadata differs", lambda nb: next(
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("points")
    ).metadata["nbgrader"].update(points=99)),
    ("cells in Dutch", lambda nb: nb.cells.pop()),
    ("is markdown in Dutch", lambda nb: nb.cells.__setitem__(
        nb.cells.index(_first_code(nb)), nbformat.v4.new_markdown_cell(_first_code(nb).source))),
])
def test_checker_names_the_first_difference(tmp_path, what, change):
    en, nl = _twin(tmp_path, change)
    found = first_difference(en, nl)
    assert found and what in found, found
    assert "cell" in found


def test_the_extras_are_paired_with_their_dutch_twins():
    """course.yml's extras (interviews, teamwork, the open slot) each have a Dutch twin that
    the parity test checks; a twin missing from disk would silently drop out of PAIRS."""
    course = yaml.safe_load((REPO / "course.yml").read_text(encoding="utf-8"))
    extras = [(REPO / x["notebook"], REPO / x["notebook_nl"]) for x in course["extras"]
              if x.get("notebook_nl")]
    assert len(extras) == len(course["extras"]) == 3
    for pair in extras:
        assert pair in PAIRS, pair
