"""Pseudo-localisation for the tests: find every text a student sees that skips the catalogs.

A pseudo-language ``xx`` is made from the current template (``welfarelab/locale/welfarelab.pot``)
with every translation written as ``⟦<English>⟧`` (the technique Mozilla, Microsoft and Android
call pseudo-localisation: every marked message comes out visibly wrapped, so a text that
shows without brackets was never marked). :func:`pseudo_language` switches welfarelab to it;
:func:`visible_texts` collects what a widget shows (labels, buttons, options, HTML, outputs,
chart texts); :func:`unmarked_words` returns the words found outside the brackets.

Numbers are written the Belgian way in ``xx`` (Babel's ``nl_BE``), as in Dutch.
"""

from __future__ import annotations

import contextlib
import gc
import html
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import welfarelab
from welfarelab import i18n

REPO = Path(__file__).resolve().parents[1]
POT = REPO / "welfarelab" / "locale" / "welfarelab.pot"
OPEN, CLOSE = "\u27e6", "\u27e7"
CODE = "xx"

# Words that are the same in every language of the course: names of the course's cases,
# organisations, methods and units. A test adds its own data's names with ``allow=``.
ALWAYS_ALLOWED = {
    "EUR", "SROI", "EMES", "VZW", "vzw", "BV", "CV", "SRL", "ASBL", "OCMW", "CAW", "GBO",
    "Klusbus", "Rising", "You", "VDAB", "NIS", "OK", "CSV", "JSON", "PNG", "HTML", "URL",
    "MVP", "KPI", "ESF", "welfarelab", "nbgrader", "Python",
}


@contextlib.contextmanager
def pseudo_language(tmp_path: Path):
    """Switch welfarelab to the pseudo-language ``xx`` for the duration of the block.

    Args:
        tmp_path: a folder for the compiled catalog (pytest's ``tmp_path``).

    Yields:
        None. Every marked message now reads ``⟦message⟧``; numbers are Belgian.
    """
    with open(POT, "rb") as handle:
        template = read_po(handle)
    catalog = Catalog(locale="nl", domain=i18n.DOMAIN)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            catalog.add(message.id, tuple(OPEN + m + CLOSE for m in message.id),
                        context=message.context)
        else:
            catalog.add(message.id, OPEN + message.id + CLOSE, context=message.context)
    folder = tmp_path / "pseudo-locale" / CODE / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / f"{i18n.DOMAIN}.mo", "wb") as out:
        write_mo(out, catalog)
    saved_dir, saved_region = i18n._LOCALE_DIR, dict(i18n._REGION)
    saved_column = i18n.localized_column
    i18n._LOCALE_DIR = folder.parent.parent
    i18n._REGION[CODE] = "nl_BE"

    def pseudo_column(frame, column):
        # a data text (i18n.localized_column, called through the module) is marked when its
        # row has a Dutch translation in <column>_nl: it reads ⟦English⟧; a row without one
        # stays bare and is reported
        english = saved_column(frame, column).astype(object)
        if f"{column}_nl" not in frame.columns:
            return english
        dutch = frame[f"{column}_nl"]
        done = dutch.notna() & (dutch.astype(str).str.strip() != "")
        return english.where(~done, OPEN + english.astype(str) + CLOSE)

    i18n.localized_column = pseudo_column
    try:
        welfarelab.set_language(CODE)
        yield
    finally:
        i18n.localized_column = saved_column
        i18n._LOCALE_DIR = saved_dir
        i18n._REGION.clear()
        i18n._REGION.update(saved_region)
        welfarelab.set_language("en")


def _walk(widget, seen):
    if id(widget) in seen:
        return
    seen.add(id(widget))
    yield widget
    for name in ("children",):
        for child in getattr(widget, name, ()) or ():
            yield from _walk(child, seen)


def visible_texts(root, figures=()) -> list[str]:
    """The texts a student sees in the ipywidgets tree ``root`` and in ``figures``.

    Args:
        root: an ipywidgets widget (a calculator's box), or an object with ``.widget``/``.box``.
        figures: matplotlib figures whose texts (titles, axis labels, legends, annotations,
            tick labels) count too.

    Returns:
        A list of strings: descriptions, placeholders, tooltips, option labels, tab titles,
        HTML and Label values, and the text/html and text/plain of Output widgets.
    """
    import ipywidgets as w

    texts: list[str] = []
    for widget in _walk(root, set()):
        for attr in ("description", "placeholder", "tooltip"):
            value = getattr(widget, attr, None)
            if isinstance(value, str) and value:
                texts.append(value)
        if isinstance(widget, (w.HTML, w.HTMLMath, w.Label)):
            texts.append(widget.value)
        labels = getattr(widget, "_options_labels", None)
        if labels:
            texts.extend(str(label) for label in labels)
        titles = getattr(widget, "titles", None)
        if titles:
            texts.extend(t for t in titles if t)
        if isinstance(widget, w.Output):
            for output in widget.outputs:
                data = output.get("data", {})
                if output.get("output_type") == "stream":
                    texts.append(output.get("text", ""))
                for mime in ("text/html", "text/plain", "text/markdown"):
                    if mime in data:
                        texts.append(data[mime])
    for figure in figures:
        from matplotlib.text import Text

        for artist in figure.findobj(Text):
            if artist.get_visible() and artist.get_text():
                texts.append(artist.get_text())
    return texts


def new_figures(before: set[int]) -> list:
    """The matplotlib figures alive now whose id is not in ``before`` (made by the code under
    test; a calculator keeps its figure outside pyplot)."""
    from matplotlib.figure import Figure

    gc.collect()
    return [obj for obj in gc.get_objects()
            if isinstance(obj, Figure) and id(obj) not in before]


def figure_ids() -> set[int]:
    """The ids of the matplotlib figures alive now (see :func:`new_figures`)."""
    from matplotlib.figure import Figure

    gc.collect()
    return {id(obj) for obj in gc.get_objects() if isinstance(obj, Figure)}


_TAGS = re.compile(r"<(style|script)\b.*?</\1>|<[^>]*>", re.DOTALL | re.IGNORECASE)
_URL = re.compile(r"(https?://|data:)\S+")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’-]{2,}")


def unmarked_words(texts, allow=()) -> list[str]:
    """The words (three letters or more) of ``texts`` that stand outside ``⟦ ⟧``.

    HTML tags, ``<style>``/``<script>`` blocks, entities and URLs are removed first; words in
    :data:`ALWAYS_ALLOWED` or ``allow`` (names from the course's data) are not reported.

    Returns:
        The unmarked words with the text they were found in, as ``"word  (in: text…)"``.
    """
    allowed = set(ALWAYS_ALLOWED) | set(allow)
    found = []
    for text in texts:
        plain = html.unescape(_URL.sub(" ", _TAGS.sub(" ", str(text))))
        outside, depth = [], 0
        for char in plain:
            if char == OPEN:
                depth += 1
            elif char == CLOSE:
                depth = max(0, depth - 1)
            elif depth == 0:
                outside.append(char)
        for word in _WORD.findall("".join(outside)):
            if word.strip("'’-") not in allowed:
                found.append(f"{word}  (in: {plain.strip()[:120]!r})")
    return found
