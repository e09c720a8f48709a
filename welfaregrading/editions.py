"""The course's language editions: English (the module's own id, ``m06``) and Dutch (``m06-nl``).

A Dutch assignment is a separate nbgrader assignment ``<id>-nl`` in ``source/<id>-nl/`` with the
same grade ids, points, locked cells and hidden tests as ``source/<id>`` (tests/test_edition_parity.py
checks this). What differs per edition at release time is the answer stub nbgrader writes in
place of a removed solution (``ClearSolutions.code_stub`` / ``text_stub``, see nbgrader's
ClearSolutions preprocessor) and a notebook metadata tag ``metadata.welfarelab.language`` that
the release adds to each Dutch notebook.

A third language (``fr``) is one more entry in :data:`STUBS` and its catalogs and notebooks.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

#: The default language: an assignment id without a language suffix.
DEFAULT_LANGUAGE = "en"

#: What a student sees in place of a removed solution, per language (nbgrader's
#: ``ClearSolutions.code_stub`` is a dict per kernel language, ``text_stub`` a string). The
#: English ones are those of nbgrader_config.py; the Dutch ones are the edition's (issue 17).
STUBS: dict[str, dict] = {
    "nl": {
        "code_stub": {"python": "# JOUW ANTWOORD HIER: vervang deze regel door je code\n"
                                "raise NotImplementedError('Je hebt dit deel nog niet beantwoord')"},
        "text_stub": "JOUW ANTWOORD HIER (schrijf in volzinnen)",
    },
}

#: ``m06-nl`` -> (``m06``, ``nl``). A module id is ``m`` and two digits (course.yml).
_EDITION_ID = re.compile(r"^(?P<base>m\d\d)-(?P<lang>[a-z]{2})$")

#: The notebook metadata key the release writes into each non-English notebook:
#: ``metadata["welfarelab"]["language"]``.
METADATA_KEY = "welfarelab"


def split_id(assignment: str) -> tuple[str, str]:
    """``("m06", "nl")`` for ``"m06-nl"``, ``("m06", "en")`` for ``"m06"``.

    Raises ValueError for an id with a language suffix that has no stubs in :data:`STUBS`.
    """
    match = _EDITION_ID.match(assignment)
    if not match:
        return assignment, DEFAULT_LANGUAGE
    lang = match["lang"]
    if lang not in STUBS:
        raise ValueError(f"assignment {assignment!r}: no edition for language {lang!r} "
                         f"(known: {', '.join(sorted(STUBS))})")
    return match["base"], lang


def edition_id(base: str, language: str) -> str:
    """The assignment id of ``base`` in ``language``: ``m06`` (en) or ``m06-nl``."""
    return base if language == DEFAULT_LANGUAGE else f"{base}-{language}"


def editions_of(base: str, root: Path) -> dict[str, str]:
    """``{language: assignment id}`` for each edition of module ``base`` that has a
    ``root/source/<id>/`` with a notebook (English first)."""
    found = {}
    for lang in (DEFAULT_LANGUAGE, *sorted(STUBS)):
        aid = edition_id(base, lang)
        folder = Path(root) / "source" / aid
        if folder.is_dir() and any(folder.glob("*.ipynb")):
            found[lang] = aid
    return found


def apply_stubs(config, assignment: str) -> None:
    """Set ``config.ClearSolutions.code_stub``/``text_stub`` for ``assignment``'s language
    (nothing for English: nbgrader_config.py's own stubs stay)."""
    _, lang = split_id(assignment)
    if lang in STUBS:
        config.ClearSolutions.code_stub = dict(STUBS[lang]["code_stub"])
        config.ClearSolutions.text_stub = STUBS[lang]["text_stub"]


def tag_release(folder: Path, assignment: str) -> list[Path]:
    """Write ``metadata.welfarelab.language`` (and ``assignment``) into each notebook of a
    released non-English assignment ``folder``; English releases are left as they are.
    Returns the notebooks tagged."""
    import nbformat

    _, lang = split_id(assignment)
    if lang == DEFAULT_LANGUAGE:
        return []
    tagged = []
    for path in sorted(Path(folder).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nb.metadata.setdefault(METADATA_KEY, {}).update({"language": lang,
                                                         "assignment": assignment})
        nbformat.write(nb, path)
        tagged.append(path)
    return tagged


def set_language_call(source: str) -> str | None:
    """The language of a ``welfarelab.set_language("xx")`` call in code ``source`` (comments and
    strings elsewhere do not count; read with :mod:`tokenize`), or None."""
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
                  if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE,
                                    tokenize.INDENT, tokenize.DEDENT)]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    for i in range(len(tokens) - 5):
        a, dot, name, paren, arg, close = (t.string for t in tokens[i:i + 6])
        if (a, dot, name, paren, close) == ("welfarelab", ".", "set_language", "(", ")") \
                and tokens[i + 4].type == tokenize.STRING:
            value = arg.strip("'\"").lower()
            if re.fullmatch(r"[a-z]{2}", value):
                return value
    return None
