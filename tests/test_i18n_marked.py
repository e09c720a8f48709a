"""Issue 17: every message a student can meet goes through the catalogs. The pseudo test
(tests/test_i18n_pseudo.py) covers what the widgets show; this one reads the code (Python's own
``ast``): an error raised or a warning given with a plain string or f-string, not ``_()``, would
reach a Dutch student in English. Only messages for programmers (the lecturer's check-writing
API, import machinery, internal guards) may stay English; they are listed here by file and
opening words, so a new one has to be decided on."""

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: (file, opening words of the message): programmer-facing messages that stay English.
FOR_PROGRAMMERS = {
    ("welfarelab/__init__.py", "module 'welfarelab' has no attribute"),
    ("welfarelab/widgets/__init__.py", "module 'welfarelab.widgets' has no attribute"),
    ("welfarelab/capstone.py", "plan_words: no kind"),
    ("welfarelab/capstone.py", "plan_words: no language"),
    ("welfarelab/checks.py", "check(condition, message)"),
    ("welfarelab/checks.py", "answered(part, *names)"),
    ("welfarelab/checks.py", "number(name, value, ...)"),
    ("welfarelab/checks.py", "number(...)"),
    ("welfarelab/i18n.py", "number_text: unsupported"),
    ("welfarelab/i18n.py", "localized_column: the table"),
    ("welfarelab/validation.py", "unreachable"),
}


def _plain_text(node) -> str | None:
    """The opening text of a message written as a plain string or f-string, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values
                       if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(node, ast.BinOp):
        return _plain_text(node.left) or _plain_text(node.right)
    return None


def unmarked_messages(root: Path = REPO) -> list[tuple[str, int, str]]:
    """(file, line, text) of every ``raise X("...")`` and ``warnings.warn("...")`` in
    welfarelab whose message is a plain or f-string."""
    found = []
    for path in sorted((root / "welfarelab").rglob("*.py")):
        name = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            call = None
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                call = node.exc
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr == "warn"):
                call = node
            if call is None or not call.args:
                continue
            text = _plain_text(call.args[0])
            if text is not None:
                found.append((name, node.lineno, text))
    return found


def test_every_error_a_student_can_meet_is_marked_for_translation():
    left = [(f, line, text) for f, line, text in unmarked_messages()
            if not any(f == allowed_file and text.startswith(words)
                       for allowed_file, words in FOR_PROGRAMMERS)]
    assert not left, "messages not marked with _() (a Dutch student reads them in English):\n" + \
        "\n".join(f"{f}:{line}: {text[:100]!r}" for f, line, text in left)


def test_the_reader_finds_an_unmarked_message(tmp_path):
    (tmp_path / "welfarelab").mkdir()
    (tmp_path / "welfarelab" / "x.py").write_text(
        'from welfarelab.i18n import _\n'
        'def f(v):\n'
        '    if v < 0:\n'
        '        raise ValueError(f"price must be 0 or more, not {v}")\n'
        '    raise ValueError(_("price is fine"))\n', encoding="utf-8")
    assert unmarked_messages(tmp_path) == [("welfarelab/x.py", 4, "price must be 0 or more, not ")]
