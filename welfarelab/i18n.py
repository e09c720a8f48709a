"""The language welfarelab speaks: English by default, Dutch (Flemish) with ``set_language("nl")``.

Every user-facing message of the package (widget labels and units, validation errors, check
hints, figure texts) goes through GNU gettext, domain ``welfarelab``, with the catalogs in
``welfarelab/locale/<lang>/LC_MESSAGES/welfarelab.mo`` made by Babel's tooling (``babel.cfg``,
``tools/i18n.py``: pybabel extract / update / compile). A third language is a new catalog in
that folder, no code change: :func:`available_languages` lists every folder with a compiled
catalog.

Numbers follow the language too: in Dutch, money is written ``€ 1.234,50`` and widgets read
``1.000,50`` and ``0,25`` as Belgian numbers (Babel's CLDR data for the locale that
:func:`babel_locale` names, ``nl_BE``).

Usage in a notebook::

    import welfarelab
    welfarelab.set_language("nl")

The starting language is ``WELFARELAB_LANGUAGE`` when that environment variable names an
available language, else English.
"""

from __future__ import annotations

import gettext as _gettext
import os
from pathlib import Path

__all__ = ["DOMAIN", "N_", "Np_", "available_languages", "babel_locale", "get_language",
           "localized_column", "number_text", "set_language"]

DOMAIN = "welfarelab"
DEFAULT_LANGUAGE = "en"
# The Belgian variant of each language for Babel's number and currency formats (CLDR);
# a language not listed here uses its own code (Babel's default region for it).
_REGION = {"nl": "nl_BE", "fr": "fr_BE", "de": "de_BE"}

_LOCALE_DIR = Path(__file__).with_name("locale")
_language: str | None = None
_translation: _gettext.NullTranslations | None = None


def available_languages() -> list[str]:
    """The language codes :func:`set_language` accepts: ``"en"`` (the messages as written in
    the code) and every ``<code>`` with a compiled catalog
    ``welfarelab/locale/<code>/LC_MESSAGES/welfarelab.mo``, sorted."""
    found = {DEFAULT_LANGUAGE}
    if _LOCALE_DIR.is_dir():
        for folder in _LOCALE_DIR.iterdir():
            if (folder / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file():
                found.add(folder.name)
    return sorted(found)


def _load(code: str) -> _gettext.NullTranslations:
    if code == DEFAULT_LANGUAGE:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, localedir=_LOCALE_DIR, languages=[code])


def set_language(code: str) -> str:
    """Switch every message and number format of welfarelab to the language ``code``.

    Args:
        code: a language code, ``"en"`` (default) or ``"nl"`` (Flemish Dutch), or any other
            language with a catalog in ``welfarelab/locale``; case and spaces are ignored.

    Returns:
        The language now in use, e.g. ``"nl"``.

    Raises:
        ValueError: ``code`` is not text or names no available language; the message lists the
            allowed codes.

    Widgets made before the call keep their labels; run the cell that makes them again.
    """
    global _language, _translation
    allowed = available_languages()
    wanted = code.strip().lower().replace("-", "_") if isinstance(code, str) else None
    if wanted not in allowed:
        # the message is in the language in use, so it goes through the catalog too
        raise ValueError(_("set_language: the language {code} is not available; choose one "
                           "of {allowed}.").format(code=repr(code), allowed=", ".join(allowed)))
    _translation = _load(wanted)
    _language = wanted
    return wanted


def get_language() -> str:
    """The language welfarelab speaks now, e.g. ``"en"`` or ``"nl"``."""
    _current()
    return _language


def _current() -> _gettext.NullTranslations:
    """The translation in use; the first call picks ``WELFARELAB_LANGUAGE`` or English."""
    global _language, _translation
    if _translation is None:
        wanted = (os.environ.get("WELFARELAB_LANGUAGE") or "").strip().lower()
        if wanted and wanted in available_languages():
            _language, _translation = wanted, _load(wanted)
        else:
            _language, _translation = DEFAULT_LANGUAGE, _gettext.NullTranslations()
    return _translation


def babel_locale() -> str | None:
    """The Babel locale for numbers and money in the language in use (``"nl_BE"`` for Dutch),
    or None in English, where welfarelab keeps its own formats (``€1,234.50``)."""
    language = get_language()
    if language == DEFAULT_LANGUAGE:
        return None
    return _REGION.get(language, language)


class _InContext(str):
    """An English message that carries its gettext context (``msgctxt``); made by
    :func:`Np_` and :func:`_p`, translated by :func:`_` with ``pgettext``."""

    context: str = ""


def _(message: str) -> str:
    """Translate ``message`` with the ``welfarelab`` catalog of the language in use (the
    message itself when it has no translation). Placeholders are named (``{field}``) and
    filled in after translation with ``str.format``. A message marked with :func:`Np_` is
    translated in its context."""
    if isinstance(message, _InContext):
        return _current().pgettext(message.context, str(message))
    return _current().gettext(message)


def _p(context: str, message: str) -> str:
    """Translate ``message`` in ``context`` (gettext's ``pgettext``): one English word with two
    meanings gets two translations, e.g. ``_p("stakeholder grid", "interest")`` ("belang") and
    the loan's "interest" ("interest", Flemish for rente)."""
    return _current().pgettext(context, message)


def Np_(context: str, message: str) -> str:
    """Mark ``message`` in ``context`` for the catalog without translating it now (for
    module-level tables); :func:`_` translates it later in that context. Returns the English
    text (a ``str``), which compares equal to ``message``."""
    marked = _InContext(message)
    marked.context = context
    return marked


def _ngettext(singular: str, plural: str, n: int) -> str:
    """Translate with the plural form for ``n`` (gettext's ``ngettext``)."""
    return _current().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it now (for texts kept in
    module-level tables); translate it with ``_()`` where it is shown."""
    return message


def number_text(value, spec: str = "g") -> str:
    """``value`` written for people in the language in use.

    Args:
        value: a real number.
        spec: a Python format spec of the forms ``"g"``, ``".2f"``, ``",.2f"`` (grouped) or
            ``".1%"`` (a share 0-1 as a percentage).

    Returns:
        In English exactly ``format(value, spec)`` (``1,234.50``, ``25.0%``); in another
        language the same digits with that language's Belgian separators, made by Babel's
        ``format_decimal`` / ``format_percent`` (CLDR patterns): ``1.234,50``, ``25,0 %``.

    Raises:
        ValueError: a spec not of these forms.
    """
    locale = babel_locale()
    if locale is None:
        return format(value, spec)
    from babel.numbers import format_decimal, format_percent

    body = spec.lstrip(",")
    group = "#,##0" if spec.startswith(",") else "0"
    if body == "g":
        return format_decimal(value, format=group + ".######", locale=locale)
    if body.startswith(".") and body[-1] in "f%" and body[1:-1].isdigit():
        places = int(body[1:-1])
        pattern = group + ("." + "0" * places if places else "")
        if body[-1] == "%":
            # Belgian text writes a space before % (25 %); a no-break space keeps them together
            return format_percent(value, format=pattern + "\u00a0%", locale=locale)
        return format_decimal(value, format=pattern, locale=locale)
    raise ValueError(f"number_text: unsupported format spec {spec!r}.")


def localized_column(frame, column: str):
    """The column ``column`` of a data table in the language in use.

    Texts of the course's data files (``data/*.csv``) are translated beside the English
    column, in a column named ``<column>_<language>`` (``event_nl``, later ``event_fr``): a new
    language is a new column, no code change. Empty cells of the translated column fall back
    to the English text, row by row.

    Args:
        frame: a pandas DataFrame holding ``column`` (and perhaps ``<column>_<language>``).
        column: the English column's name, e.g. ``"event"``.

    Returns:
        A pandas Series of text (object dtype), same index as ``frame``.

    Raises:
        KeyError: ``frame`` has no column ``column``; the message names it.
    """
    if column not in frame.columns:
        raise KeyError(f"localized_column: the table has no column {column!r}.")
    english = frame[column]
    translated = f"{column}_{get_language()}"
    if get_language() == DEFAULT_LANGUAGE or translated not in frame.columns:
        return english
    chosen = frame[translated]
    empty = chosen.isna() | (chosen.astype(str).str.strip() == "")
    return chosen.where(~empty, english)
