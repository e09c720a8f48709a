"""Finding an assignment's secrets in a page by content, in any encoding the course can think of.

Marker strings (``BEGIN HIDDEN TESTS``) are easy to strip: a student whose code once read the
hidden tests could print them base64-encoded, ROT13-shifted, reversed, as hex or with the
marker lines removed, and the feedback would carry them to the next student. So a feedback
page is checked against what is secret in the *source* notebooks:

- **expected values**: numeric literals in the hidden tests' code (string literals removed)
  that appear nowhere in what students are shown (the release: the source without hidden tests
  and solutions): the figures a hidden test compares an answer with; tolerances such as ``0.01`` and the
  task's own figures are shown to students and are not secret;
- **hidden-test code**: each hidden-test line holding an expected value, without its string
  literals (the messages of failed tests are meant for students) and without whitespace;
- **mark schemes**: the model answer of each manually graded answer, as sentences of 40 or more
  characters that students are not shown anyway.

The page's text is read in several forms: as it is (HTML entities decoded), ROT13, reversed,
URL-decoded, with ``\\uXXXX`` escapes decoded, every base64 or hex run decoded, and with spelled
digits ("six zero zero zero zero") turned into digits. Hidden-test code counts in every
form. An expected value or a mark-scheme sentence counts only in an *encoded* form: a student
whose answer is right legitimately prints the value, and may write what the model answer says,
but nobody prints a value base64-encoded by accident.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import html
import io
import json
import re
import tokenize
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"
#: Marker strings that never belong in a student's feedback (checked as before, plainly).
MARKERS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "BEGIN SOLUTION", "END SOLUTION",
           "BEGIN MARK SCHEME", "shown to graders only", "welfarelab_grader_note")
_DIGIT_WORDS = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
                "six": "6", "seven": "7", "eight": "8", "nine": "9", "point": ".", "dot": "."}
_NUMBER = re.compile(r"(?<![\w.])(\d+\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])")


def _nbgrader(cell) -> dict:
    return (cell.get("metadata") or {}).get("nbgrader") or {}


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _code_without_strings(code: str) -> str:
    """``code`` with its string literals and comments removed (tokenize; falls back to a regex
    for code that does not tokenize)."""
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(code).readline)
                  if t.type not in (tokenize.STRING, tokenize.COMMENT)]
        return " ".join(t.string for t in tokens if t.string.strip())
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return re.sub(r"(\"\"\"|''')[\s\S]*?\1|\"[^\"\n]*\"|'[^'\n]*'|#.*", " ", code)


def _numbers(text: str) -> set[str]:
    return {m.group(0) for m in _NUMBER.finditer(text)}


def _canonical(number: str) -> str:
    """A number as digits without trailing zeros after the point ('0.69300' → '0.693')."""
    if "." in number and "e" not in number.lower():
        number = number.rstrip("0").rstrip(".")
    return number


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _sentences(text: str, minimum: int = 40) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+|\n\s*\n", text)
    return [" ".join(p.split()).lower() for p in parts if len(" ".join(p.split())) >= minimum]


def _hidden_blocks(code: str) -> tuple[str, str]:
    """``(hidden part, visible part)`` of a test cell's code."""
    hidden, visible, inside = [], [], False
    for line in code.splitlines():
        if line.strip() == HIDDEN_BEGIN:
            inside = True
        elif line.strip() == HIDDEN_END:
            inside = False
        else:
            (hidden if inside else visible).append(line)
    return "\n".join(hidden), "\n".join(visible)


def _asserted_strings(code: str) -> list[str]:
    """String constants in the conditions of ``assert`` statements (not their messages)."""
    import ast

    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            found += [c.value for c in ast.walk(node.test)
                      if isinstance(c, ast.Constant) and isinstance(c.value, str)]
    return found


@dataclass
class Secrets:
    """What must never reach a student's feedback, from an assignment's source notebooks."""

    #: expected numbers (canonical digits) and expected strings of the hidden tests
    expected_values: set = field(default_factory=set)
    hidden_code: list = field(default_factory=list)
    mark_scheme: list = field(default_factory=list)

    @classmethod
    def from_source(cls, folder: Path) -> Secrets:
        """The secrets of every notebook in ``folder`` (``source/<id>/``).

        Raises ``FileNotFoundError`` if the folder holds no notebook.
        """
        paths = sorted(Path(folder).glob("*.ipynb"))
        if not paths:
            raise FileNotFoundError(f"no source notebook in {folder}")
        secrets, shown = cls(), set()
        hidden_lines, shown_texts = [], []
        for path in paths:
            nb = json.loads(path.read_text(encoding="utf-8"))
            for cell in nb.get("cells", []):
                meta, src = _nbgrader(cell), _source(cell)
                if cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution"):
                    hidden, visible = _hidden_blocks(src)
                    shown_texts.append(visible)
                    shown |= {_canonical(n) for n in _numbers(_code_without_strings(visible))}
                    shown |= {_canonical(n) for n in _numbers(visible)}  # messages are shown too
                    hidden_lines += [line for line in hidden.splitlines() if line.strip()]
                elif meta.get("solution"):
                    if cell.get("cell_type") == "markdown" and meta.get("grade"):
                        secrets.mark_scheme += _sentences(src)
                    # the code around a solution block is shown; the solution itself is not
                    outside = re.sub(rf"{re.escape(SOLUTION_BEGIN)}[\s\S]*?{re.escape(SOLUTION_END)}",
                                     "", src)
                    shown |= {_canonical(n) for n in _numbers(outside)}
                    shown_texts.append(outside)
                else:
                    shown |= {_canonical(n) for n in _numbers(src)}
                    shown_texts.append(src)
        for line in hidden_lines:
            code = _code_without_strings(line)
            values = {_canonical(n) for n in _numbers(code)} - shown
            # not secret: tolerances (1e-4) and short numbers (3, 12)
            values = {v for v in values if "e" not in v.lower()
                      and len(v.replace(".", "").lstrip("0")) >= 3}
            if values:
                secrets.expected_values |= values
                squashed = _squash(code).rstrip(",\\")
                if len(squashed) >= 12:
                    secrets.hidden_code.append(squashed)
        shown_text = "\n".join(shown_texts)
        flat = " ".join(shown_text.split()).lower()
        secrets.mark_scheme = [x for x in secrets.mark_scheme if x not in flat]
        for text in _asserted_strings("\n".join(hidden_lines)):
            if len(text) >= 4 and text not in shown_text:
                secrets.expected_values.add(text)
        return secrets

    # -- looking for them ---------------------------------------------------------------------

    def find(self, text: str) -> str | None:
        """The first secret found in ``text`` (a page, any format), described in words, or None.

        Checks, in order: marker strings; hidden-test code and mark-scheme sentences in every
        decoded form; expected values in encoded forms only (see the module docstring).
        """
        plain = html.unescape(text)
        for marker in MARKERS:
            if marker in plain:
                return f"the marker {marker!r}"
        forms = decoded_forms(plain)
        for name, form in forms.items():
            squashed = _squash(form)
            for code in self.hidden_code:
                if code in squashed:
                    return f"hidden-test code ({name}): {code[:60]!r}"
            if name == "as written":
                continue  # (a student may write what the model answer says: their own text)
            lowered = " ".join(form.split()).lower()
            for sentence in self.mark_scheme:
                if sentence in lowered:
                    return f"mark-scheme text ({name}): {sentence[:60]!r}"
        # an expected value printed plainly may be the student's own right answer; encoded,
        # it is a leak (unless the same value is on the page plainly anyway)
        plainly = {_canonical(n) for n in _numbers(plain)}
        for name in ("reversed", "unicode escapes", "spelled digits", "base64/hex"):
            form = forms.get(name, "")
            found = {_canonical(n) for n in _numbers(form)}
            for value in sorted(self.expected_values - plainly):
                textual = not _NUMBER.fullmatch(value)
                if textual and value in plain:
                    continue
                if value in found or ((name == "base64/hex" or textual) and value in form):
                    return f"the expected value {value} ({name})"
        return None


def decoded_forms(text: str) -> dict[str, str]:
    """``{name of the form: text}``: the forms of ``text`` that :meth:`Secrets.find` reads."""
    forms = {"as written": text,
             "ROT13": codecs.encode(text, "rot13"),
             "reversed": text[::-1],
             "URL-encoded": urllib.parse.unquote(text)}
    try:
        forms["unicode escapes"] = re.sub(
            r"\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})",
            lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    except ValueError:
        pass
    word = "(?:" + "|".join(_DIGIT_WORDS) + ")"
    forms["spelled digits"] = " ".join(
        "".join(_DIGIT_WORDS[w.lower()] for w in re.findall(word, run, flags=re.IGNORECASE))
        for run in re.findall(rf"\b{word}(?:[\s,-]+{word})+\b", text, flags=re.IGNORECASE))
    blobs = []
    for run in re.findall(r"[A-Za-z0-9+/_-]{8,}={0,2}", text):
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                padded = run + "=" * (-len(run) % 4)
                blobs.append(decode(padded).decode("utf-8", errors="ignore"))
                break
            except (binascii.Error, ValueError):
                continue
    for run in re.findall(r"(?:[0-9a-fA-F]{2}){4,}", text):
        try:
            blobs.append(bytes.fromhex(run).decode("utf-8", errors="ignore"))
        except ValueError:
            pass
    forms["base64/hex"] = "\n".join(blobs)
    return forms
