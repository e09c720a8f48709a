"""welfarelab speaks the notebook's language (issue 17): set_language, the catalogs, Belgian
numbers in Dutch, and the English output left as it was."""

from __future__ import annotations

import fnmatch
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import welfarelab
from welfarelab import i18n
from welfarelab.money import eur
from welfarelab.validation import decimal_words, number_words, parse_number

REPO = Path(__file__).resolve().parents[1]
LOCALE = REPO / "welfarelab" / "locale"
POT = LOCALE / "welfarelab.pot"
NL_PO = LOCALE / "nl" / "LC_MESSAGES" / "welfarelab.po"
NL_MO = LOCALE / "nl" / "LC_MESSAGES" / "welfarelab.mo"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@pytest.fixture
def dutch():
    welfarelab.set_language("nl")
    yield
    welfarelab.set_language("en")


def _read(path: Path) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle)


def _ids(catalog: Catalog) -> set:
    return {m.id for m in catalog if m.id}


# --- set_language ---------------------------------------------------------------------------

def test_set_language_switches_and_resets():
    assert welfarelab.get_language() == "en"
    assert i18n._("price") == "price"
    assert welfarelab.set_language("NL") == "nl"
    try:
        assert welfarelab.get_language() == "nl"
        assert i18n._("price") == "prijs"
        assert i18n._ngettext("{n} month", "{n} months", 3).format(n=3) == "3 maanden"
    finally:
        welfarelab.set_language("en")
    assert welfarelab.get_language() == "en"
    assert i18n._("price") == "price"
    assert i18n._ngettext("{n} month", "{n} months", 1).format(n=1) == "1 month"


@pytest.mark.parametrize("bad", ["xx", "", "dutch", None, 3])
def test_set_language_refuses_an_unknown_code_naming_the_allowed_ones(bad):
    with pytest.raises(ValueError, match=r"choose one of en, nl\.$"):
        welfarelab.set_language(bad)
    assert welfarelab.get_language() == "en"


def test_a_third_language_is_a_catalog_and_no_code_change(tmp_path, monkeypatch):
    """A French catalog dropped in the locale folder is accepted by set_language at once."""
    catalog = Catalog(locale="fr", domain="welfarelab")
    catalog.add("price", "prix")
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "welfarelab.mo", "wb") as out:
        write_mo(out, catalog)
    monkeypatch.setattr(i18n, "_LOCALE_DIR", tmp_path)
    assert i18n.available_languages() == ["en", "fr"]
    try:
        welfarelab.set_language("fr")
        assert i18n._("price") == "prix"
        assert i18n.babel_locale() == "fr_BE"
        assert eur(1234.5) == "1\u202f234,50\u00a0€"  # CLDR fr_BE: narrow no-break space groups
    finally:
        welfarelab.set_language("en")


def test_the_starting_language_comes_from_the_environment():
    code = ("import welfarelab, welfarelab.i18n as i; "
            "print(welfarelab.get_language(), i._('price'))")
    for env_value, expected in [("nl", "nl prijs"), ("xx", "en price"), ("", "en price")]:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env={"WELFARELAB_LANGUAGE": env_value, "PATH": "/usr/bin"},
                             check=True, cwd=REPO).stdout.strip()
        assert out == expected, env_value


# --- the catalogs ---------------------------------------------------------------------------

def test_every_message_has_a_dutch_translation():
    template, dutch = _read(POT), _read(NL_PO)
    missing = []
    for message in template:
        if not message.id:
            continue
        found = dutch.get(message.id)
        strings = () if found is None else (
            found.string if isinstance(found.string, tuple) else (found.string,))
        if not strings or not all(s.strip() for s in strings) or (found and found.fuzzy):
            missing.append(message.id)
    assert not missing, f"{len(missing)} messages without a Dutch msgstr: {missing}"


def test_placeholders_match_between_english_and_dutch():
    wrong = []
    for message in _read(NL_PO):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            if set(PLACEHOLDER.findall(text)) != wanted:
                wrong.append((ids[0], text))
    assert not wrong, wrong


def test_the_committed_mo_is_the_compiled_po(tmp_path):
    out = tmp_path / "welfarelab.mo"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile", "-D",
                    "welfarelab", "-i", str(NL_PO), "-o", str(out)], check=True,
                   capture_output=True)
    assert out.read_bytes() == NL_MO.read_bytes(), "run: .venv/bin/python tools/i18n.py compile"


def test_the_pot_is_up_to_date_with_the_code(tmp_path):
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import i18n as tool  # tools/i18n.py
    finally:
        sys.path.pop(0)
    fresh = tool.extract(tmp_path / "fresh.pot")
    new, committed = _ids(_read(fresh)), _ids(_read(POT))
    assert new == committed, ("run: .venv/bin/python tools/i18n.py all", sorted(new - committed),
                              sorted(committed - new))


def test_the_catalogs_are_package_data():
    """Every compiled catalog matches pyproject's package-data globs (a wheel then ships it;
    tests/test_runtime_env.py installs the package non-editably), and the installed package
    finds it."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    globs = config["tool"]["setuptools"]["package-data"]["welfarelab.locale"]
    packages = set(config["tool"]["setuptools"]["packages"])
    for mo in LOCALE.glob("*/LC_MESSAGES/*.mo"):
        relative = mo.relative_to(LOCALE).as_posix()
        assert any(fnmatch.fnmatch(relative, g) for g in globs), relative
        # listed as packages, else setuptools warns at every install (BuildBackendWarning:
        # "Package 'welfarelab.locale.nl.LC_MESSAGES' is absent from the packages
        # configuration"), the first thing a student saw in the Dutch edition's setup
        language = mo.parent.parent.name
        needed = {"welfarelab.locale", f"welfarelab.locale.{language}",
                  f"welfarelab.locale.{language}.LC_MESSAGES"}
        assert needed <= packages, sorted(needed - packages)
    assert "nl" in i18n.available_languages()
    assert (Path(welfarelab.__file__).parent / "locale" / "nl" / "LC_MESSAGES"
            / "welfarelab.mo").is_file()


# --- numbers in Dutch -----------------------------------------------------------------------

def test_eur_in_english_is_unchanged_and_in_dutch_is_belgian(dutch):
    assert eur(1234.5) == "€\u00a01.234,50"
    assert eur(-80) == "€\u00a0-80,00"
    assert eur(2.675) == "€\u00a02,68"  # half-up to cents, as in English
    welfarelab.set_language("en")
    assert eur(1234.5) == "€1,234.50"
    assert eur(-80) == "\u2212€80.00"


@pytest.mark.parametrize("text, value", [
    ("1.000,50", 1000.5), ("0,25", 0.25), ("25 %", 25.0), ("4.800", 4800.0),
    ("€ 1.234,50", 1234.5), ("-1.234,5", -1234.5), ("1.200.000", 1_200_000.0), ("36", 36.0),
])
def test_parse_number_reads_belgian_numbers_in_dutch(dutch, text, value):
    assert parse_number(text, "prijs") == value


@pytest.mark.parametrize("text, pattern", [
    ("abc", r"^prijs moet een getal zijn, maar je typte 'abc'\. Typ alleen cijfers"),
    ("0.25", (r"^prijs: '0\.25' is geen getal zoals we het in België schrijven .* Bedoel je "
             r"25 of 0,25\?")),
    ("", r"^prijs is leeg: typ een getal, bijvoorbeeld 1200\.$"),
])
def test_parse_number_says_what_is_wrong_in_dutch(dutch, text, pattern):
    with pytest.raises(ValueError, match=pattern):
        parse_number(text, "prijs")


def test_parse_number_keeps_its_english_behaviour():
    assert parse_number("1,200.50", "price") == 1200.5
    assert parse_number("0.25", "price") == 0.25
    with pytest.raises(ValueError, match="four thousand eight hundred or four point eight"):
        parse_number("4.800", "price")


@pytest.mark.parametrize("value, words", [
    (0, "nul"), (1, "een"), (13, "dertien"), (21, "eenentwintig"), (22, "tweeëntwintig"),
    (33, "drieëndertig"), (45, "vijfenveertig"), (80, "tachtig"), (100, "honderd"),
    (101, "honderdeen"), (250, "tweehonderdvijftig"), (1000, "duizend"),
    (4800, "vierduizend achthonderd"), (30_000, "dertigduizend"),
    (120_000, "honderdtwintigduizend"), (1_000_000, "een miljoen"),
    (2_500_000, "twee miljoen vijfhonderdduizend"),
])
def test_number_words_in_dutch(dutch, value, words):
    assert number_words(value) == words


def test_decimal_words_in_dutch(dutch):
    assert decimal_words("4,8") == "vier komma acht"
    assert decimal_words("0.25") == "nul komma twee vijf"


def test_number_text_uses_the_locale(dutch):
    assert i18n.number_text(1234.5, ",.2f") == "1.234,50"
    assert i18n.number_text(0.253, ".1%") == "25,3\u00a0%"
    assert i18n.number_text(0.25) == "0,25"
    welfarelab.set_language("en")
    assert i18n.number_text(1234.5, ",.2f") == "1,234.50"
    assert i18n.number_text(0.253, ".1%") == "25.3%"


# --- a calculator in Dutch ------------------------------------------------------------------

def _plain(html_text: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", " ", html_text))


def test_break_even_calculator_in_dutch(dutch):
    from welfarelab.widgets.finance import BreakEvenCalculator

    calc = BreakEvenCalculator(chart=False)
    assert calc.fixed_costs.description == "vaste kosten (EUR per jaar)"
    assert calc.price.description == "prijs (EUR per deelnemer)"
    calc.variable_cost.value = "500"
    calc.price.value = "1.000,50"
    assert calc.inputs["price"] == 1000.5
    units = (175_000 - 60_000) / (1000.5 - 500)
    assert calc.result.units == pytest.approx(units)
    summary = _plain(calc.summary.value)
    exact = f"{units:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    assert f"{exact} deelnemers per jaar" in summary
    assert "Dekkingsbijdrage" in summary and "€\u00a0500,50 per deelnemer" in summary
    calc.price.value = "abc"
    assert calc.result is None
    assert "prijs moet een getal zijn, maar je typte 'abc'" in _plain(calc.message.value)


def test_a_thousands_point_is_read_back_in_dutch_words(dutch):
    from welfarelab.widgets.finance import BreakEvenCalculator

    calc = BreakEvenCalculator(chart=False)
    calc.variable_cost.value = "4.800"
    assert calc.inputs["variable_cost"] == 4800
    assert ("variabele kost: je typte 4.800, gelezen als vierduizend achthonderd (4.800): in "
            "België scheidt een punt de duizendtallen.") in _plain(calc.message.value)


def test_break_even_calculator_in_english_is_unchanged():
    from welfarelab.widgets.finance import BreakEvenCalculator

    calc = BreakEvenCalculator(chart=False)
    assert calc.fixed_costs.description == "fixed costs (EUR per year)"
    calc.price.value = "abc"
    assert "price must be a number, but you typed 'abc'" in _plain(calc.message.value)


def test_localized_column_picks_the_language_column_and_falls_back_row_by_row():
    import pandas as pd

    from welfarelab.i18n import localized_column

    frame = pd.DataFrame({"event": ["Law passed", "Decree"], "event_nl": ["Wet gestemd", ""]})
    assert list(localized_column(frame, "event")) == ["Law passed", "Decree"]
    welfarelab.set_language("nl")
    try:
        assert list(localized_column(frame, "event")) == ["Wet gestemd", "Decree"]
        assert list(localized_column(frame.drop(columns="event_nl"), "event")) == [
            "Law passed", "Decree"]
        with pytest.raises(KeyError, match="no column 'what'"):
            localized_column(frame, "what")
    finally:
        welfarelab.set_language("en")


def test_one_english_word_with_two_meanings_gets_two_translations():
    """gettext contexts (msgctxt): the loan's "interest" stays "interest" (Flemish for rente),
    the stakeholder grid's "interest" is "belang"."""
    from welfarelab.i18n import Np_, _, _p

    marked = Np_("stakeholder grid", "interest")
    assert marked == "interest"
    welfarelab.set_language("nl")
    try:
        assert _(marked) == "belang"
        assert _p("stakeholder grid", "interest") == "belang"
        assert _("interest") == "interest"
    finally:
        welfarelab.set_language("en")
    assert _(marked) == "interest"
