"""The calculators of m04-m06 in Dutch (issue 17): labels, results, chart texts and messages.

Each calculator is made after ``welfarelab.set_language("nl")``, a Belgian number is typed
(``1.000,50``: a point between the thousands, a comma before the decimals), and the result,
the summary and the chart are read back: real values, Dutch words, Belgian numbers. A bad
value (``abc``, ``-5``, ``150 %``) gives a Dutch message that names the field and what is
allowed. The English texts stay as they were (also tests/test_widgets_*.py).
"""

from __future__ import annotations

import html
import re

import pytest

import welfarelab
from welfarelab import finance, impact, plotting
from welfarelab.money import eur_whole

NBSP = "\u00a0"


@pytest.fixture
def dutch():
    welfarelab.set_language("nl")
    yield
    welfarelab.set_language("en")


def _plain(html_text: str) -> str:
    """The text of an HTML widget value, tags removed, entities decoded, spaces squeezed."""
    # ordinary spaces only: the no-break space of "€ 1.000" stays as it is
    return re.sub(r"[ \t\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", html_text))).strip()


def _chart_texts(fig) -> list[str]:
    """Every visible text of a figure: title, axis labels, ticks, legend, annotations."""
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def _belgian(value: float, spec: str) -> str:
    """``format(value, spec)`` with Belgian separators (1,234.50 -> 1.234,50)."""
    return format(value, spec).replace(",", " ").replace(".", ",").replace(" ", ".")


# --- break-even (m05) -----------------------------------------------------------------------

def test_break_even_in_dutch_reads_belgian_numbers_and_labels_its_chart_in_dutch(dutch):
    from welfarelab.widgets.finance import BreakEvenCalculator

    calc = BreakEvenCalculator()
    calc.variable_cost.value = "2.000"
    calc.price.value = "6.000,40"
    units = (175_000 - 60_000) / (6_000.40 - 2_000)
    assert calc.inputs["price"] == 6000.4 and calc.inputs["variable_cost"] == 2000
    assert calc.result.units == pytest.approx(units)  # 28.747...
    summary = _plain(calc.summary.value)
    assert f"{_belgian(units, ',.2f')} deelnemers per jaar" in summary  # 28,75

    texts = _chart_texts(calc.figure)
    revenue = _belgian(units * 6_000.40, ",.0f")  # 172.494
    assert f"break-even: 28,75 deelnemers\n(€{NBSP}{revenue} inkomsten)" in texts
    assert f"inkomsten (€{NBSP}6.000 × deelnemers)" in texts
    assert f"kosten min werkingssubsidie (€{NBSP}60.000)" in texts
    assert "gepland: 36 deelnemers" in texts
    assert {"Break-evengrafiek", "deelnemers per jaar", "EUR per jaar", "overschot",
            "verlies", "totale kosten (vast + variabel)"} <= set(texts)
    assert f"€{NBSP}100.000" in texts  # a tick of the EUR axis, Belgian
    assert not any("revenue" in t or "planned" in t or "per year" in t for t in texts)


@pytest.mark.parametrize(("typed", "expected"), [
    ("abc", ("prijs moet een getal zijn, maar je typte 'abc'. Typ alleen cijfers, bijvoorbeeld "
            "6000.")),
    ("-5", ("prijs mag niet negatief zijn: typ een bedrag in EUR, bijvoorbeeld 6000 (je typte "
           "'-5').")),
    ("150 %", ("prijs is een bedrag in EUR, geen percentage: typ het zonder %, bijvoorbeeld "
              "6000 (je typte '150 %').")),
])
def test_break_even_in_dutch_names_the_field_of_a_bad_value(dutch, typed, expected):
    from welfarelab.widgets.finance import BreakEvenCalculator

    calc = BreakEvenCalculator(chart=False)
    calc.price.value = typed
    assert calc.result is None
    message = _plain(calc.message.value)
    assert "Controleer je invoer" in message and expected in message


def test_the_dutch_break_even_chart_is_moved_in_place_not_redrawn(dutch):
    """The shading is found by its gid: with the Dutch labels 'overschot' and 'verlies' a
    change still moves the kept chart instead of drawing it anew."""
    fig = plotting.break_even_figure(175_000, 6_000, 2_000, subsidy=60_000, planned_units=36,
                                     max_units=60)
    ax = fig.axes[0]
    moved = plotting.update_break_even(ax, 175_000, 6_500, 2_000, subsidy=60_000,
                                       planned_units=36, max_units=60)
    assert moved is not None
    units = (175_000 - 60_000) / (6_500 - 2_000)  # 25.56
    assert f"break-even: {_belgian(units, ',.2f')} deelnemers" in [
        t.get_text().split("\n")[0] for t in ax.texts]
    assert f"inkomsten (€{NBSP}6.500 × deelnemers)" in ax.get_legend_handles_labels()[1]


def test_break_even_chart_in_english_is_unchanged():
    fig = plotting.break_even_figure(175_000, 6_000, 2_000, subsidy=60_000, planned_units=36)
    fig.canvas.draw()  # the tick labels are written when the figure is drawn
    texts = _chart_texts(fig)
    assert "break-even: 28.75 participants\n(€172,500 revenue)" in texts
    assert {"revenue (€6,000 × participants)", "costs minus operating subsidy (€60,000)",
            "planned: 36 participants", "participants per year", "Break-even chart"} <= set(texts)
    assert "€100,000" in [t.get_text() for t in fig.axes[0].get_yticklabels()]


# --- SROI (m06) -----------------------------------------------------------------------------

def _default_outcomes(proxy_of_second: float) -> list[impact.Outcome]:
    from welfarelab.widgets.sroi import DEFAULT_OUTCOMES

    rows = [dict(o) for o in DEFAULT_OUTCOMES]
    rows[1]["financial_proxy"] = proxy_of_second
    return [impact.Outcome(**row) for row in rows]


def test_sroi_in_dutch_reads_belgian_numbers_and_names_the_steps_in_dutch(dutch):
    from welfarelab.widgets.sroi import SROICalculator

    calc = SROICalculator()
    calc.rows[1]["financial_proxy"].value = "1.000,50"
    expected = impact.sroi(_default_outcomes(1000.5), 120_000, 0.035)
    assert calc.result.present_value == pytest.approx(expected.present_value)  # 249,002.30
    summary = _plain(calc.summary.value)
    assert f"Contante waarde (CW) €{NBSP}{_belgian(expected.present_value, ',.2f')}" in summary
    assert f"SROI-ratio {_belgian(expected.ratio, '.2f')} : 1" in summary

    texts = _chart_texts(calc.chart_view.figure)
    steps = ["brutowaarde", "doodgewicht", "verplaatsing", "toerekening", "uitdoving",
             "verdiscontering", "contante waarde"]
    ticks = [t.get_text() for t in calc.chart_view.ax.get_xticklabels()]
    assert ticks == steps
    assert {"Van brutowaarde naar contante waarde", "investering (ratio 1 : 1)",
            "stap van de SROI-berekening"} <= set(texts)
    assert f"€{NBSP}200.000" in texts
    # the result keeps its English step names: code and notebooks look them up
    assert next(iter(calc.result.waterfall.index)) == "gross value"


def test_sroi_chart_in_english_names_the_steps_as_before():
    from welfarelab.widgets.sroi import SROICalculator

    calc = SROICalculator()
    ticks = [t.get_text() for t in calc.chart_view.ax.get_xticklabels()]
    assert ticks == ["gross value", "deadweight", "displacement", "attribution", "drop-off",
                     "discounting", "present value"]


@pytest.mark.parametrize(("typed", "expected"), [
    ("abc", "investering moet een getal zijn, maar je typte 'abc'."),
    ("-5", "investering mag niet negatief zijn: typ een bedrag in EUR, bijvoorbeeld 120000"),
    ("150 %", "investering is een bedrag in EUR, geen percentage"),
    ("0", "investering moet meer dan 0 zijn"),
])
def test_sroi_in_dutch_names_the_field_of_a_bad_value(dutch, typed, expected):
    from welfarelab.widgets.sroi import SROICalculator

    calc = SROICalculator(chart=False)
    calc.investment.value = typed
    assert calc.result is None
    assert expected in _plain(calc.message.value)


@pytest.mark.parametrize("typed", ["0,25", "0.25"])
def test_an_investment_that_looks_like_a_share_is_calculated_with_a_warning(typed):
    from welfarelab.widgets.sroi import SROICalculator

    calc = SROICalculator(chart=False)
    calc.investment.value = typed
    assert calc.result is not None and calc.result.investment == 0.25
    assert calc.result.ratio == pytest.approx(calc.result.present_value / 0.25)
    assert ("An investment of €0.25 is very small: did you mean a share? The investment is in "
            "euros (e.g. 25,000).") in _plain(calc.message.value)
    calc.investment.value = "25000"
    assert "very small" not in _plain(calc.message.value)


def test_an_investment_that_looks_like_a_share_is_warned_about_in_dutch(dutch):
    from welfarelab.widgets.sroi import SROICalculator

    calc = SROICalculator(chart=False)
    calc.investment.value = "0,25"
    assert calc.result is not None and calc.result.investment == 0.25
    assert (f"Een investering van €{NBSP}0,25 is heel klein: bedoelde je een aandeel? De "
            "investering is in euro (bv. 25.000).") in _plain(calc.message.value)


def test_an_investment_typed_0_point_25_in_dutch_is_asked_about_first(dutch):
    """In Belgium 0.25 is not how a number is written: the calculator asks which was meant
    (tests/test_i18n.py); typed as 0,25 it is calculated with the warning above."""
    from welfarelab.widgets.sroi import SROICalculator

    calc = SROICalculator(chart=False)
    calc.investment.value = "0.25"
    assert calc.result is None
    assert ("investering: '0.25' is geen getal zoals we het in België schrijven") in \
        _plain(calc.message.value)
    assert "Bedoel je 25 of 0,25?" in _plain(calc.message.value)


def test_a_financial_proxy_below_one_euro_is_warned_about_in_english_and_dutch():
    from welfarelab.widgets.sroi import SROICalculator

    calc = SROICalculator(chart=False)
    calc.rows[0]["financial_proxy"].value = "0.5"
    assert calc.result is not None
    assert ("The financial proxy of 'found a job' is €0.50 per unit, very small: did you mean "
            "a share? The financial proxy is in euros per unit per year (e.g. 1,500).") in \
        _plain(calc.message.value)
    welfarelab.set_language("nl")
    try:
        calc = SROICalculator(chart=False)
        calc.rows[0]["financial_proxy"].value = "0,5"
        assert calc.result is not None
        assert (f"De financiële proxy van 'vond werk' is €{NBSP}0,50 per eenheid, heel klein: "
                "bedoelde je een aandeel? De financiële proxy is in euro per eenheid per jaar "
                "(bv. 1.500).") in _plain(calc.message.value)
    finally:
        welfarelab.set_language("en")


def test_implausible_amounts_says_nothing_for_euros():
    outcomes = _default_outcomes(1500)
    assert impact.implausible_amounts(outcomes, 120_000) == []
    assert len(impact.implausible_amounts(outcomes, 0.5)) == 1


# --- revenue mix, cash flow, loan (m05) -----------------------------------------------------

def test_revenue_mix_in_dutch(dutch):
    from welfarelab.widgets.finance import RevenueMixCalculator

    calc = RevenueMixCalculator()
    calc.rows[0]["amount"].value = "90.000,50"
    total = 90_000.50 + 40_000 + 150_000 + 60_000 + 25_000
    assert calc.result.total == pytest.approx(total)
    share = 90_000.50 / total  # 24.66 %
    summary = _plain(calc.summary.value)
    assert f"€{NBSP}90.000,50 {_belgian(share * 100, '.1f')}{NBSP}%" in summary
    assert f"totaal €{NBSP}{_belgian(total, ',.2f')}" in summary
    texts = _chart_texts(calc.figure)
    assert f"{_belgian(share * 100, '.1f')}{NBSP}%" in texts  # 24,7 %
    assert {"Waar het geld vandaan komt", "aandeel in de totale inkomsten (%)",
            "inkomstenbron", "subsidie of toelage"} <= set(texts)
    calc.rows[0]["amount"].value = "-5"
    assert calc.result is None
    assert ("bedrag van 'Vlaamse subsidie (sociale economie)' mag niet negatief zijn: typ een "
            "bedrag in EUR") in _plain(calc.message.value)


def test_cash_flow_in_dutch(dutch):
    from welfarelab.widgets.finance import CashFlowCalculator

    calc = CashFlowCalculator()
    calc.opening_cash.value = "30.000,50"
    closing = calc.result.table["closing"].tolist()
    assert closing[:3] == pytest.approx([22_000.50, 14_000.50, 6_000.50])  # +18,000 -26,000
    texts = _chart_texts(calc.figure)
    assert f"subsidie\n+€{NBSP}75.000" in texts
    assert {"Eindsaldo, maand per maand", "maand", "onder nul"} <= set(texts)
    assert f"€{NBSP}-20.000" in texts
    calc.opening_cash.value = "abc"
    assert calc.result is None
    assert "beginkas moet een getal zijn, maar je typte 'abc'" in _plain(calc.message.value)


def test_loan_in_dutch(dutch):
    from welfarelab.widgets.finance import LoanCalculator

    calc = LoanCalculator()
    calc.principal.value = "40.000,50"
    payment = finance.loan_payment(40_000.50, 0.045, 60)
    assert calc.payment == pytest.approx(payment)  # -745.73
    summary = _plain(calc.summary.value)
    assert f"€{NBSP}{_belgian(abs(payment), ',.2f')} per maand" in summary
    assert "Eerste en laatste maand van het aflossingsplan (betaalde bedragen):" in summary
    assert "First" not in summary
    texts = _chart_texts(calc.figure)
    assert {"maand", "betaald per maand (EUR)", "afgelost kapitaal"} <= set(texts)
    assert f"€{NBSP}1.000" in texts
    calc.annual_rate.value = "150 %"
    assert calc.result is None
    assert ("jaarlijkse rentevoet mag hoogstens 100 % zijn: typ een percentage van 0 tot 100 % "
            "(je typte '150 %')") in _plain(calc.message.value)
    calc.annual_rate.value = "-5"
    assert "jaarlijkse rentevoet mag niet negatief zijn" in _plain(calc.message.value)


def test_theory_of_change_builder_in_dutch(dutch):
    from welfarelab.widgets.toc import TheoryOfChangeBuilder

    builder = TheoryOfChangeBuilder(chart=False)
    assert builder.title.description == "titel"
    assert not builder.load_bytes(b"{not json", "x.json")
    assert ("Kan 'x.json' niet laden: Dit is geen bestand met een veranderingstheorie: het is "
            "geen geldige JSON (het probleem zit op regel 1, kolom 2).") in \
        _plain(builder.message.value)


# --- the pure modules' messages and numbers -------------------------------------------------

def test_pure_modules_speak_dutch(dutch):
    with pytest.raises(ValueError, match="bedragen \\(EUR\\) heeft minstens twee kasstromen"):
        finance.irr([100])
    with pytest.raises(ValueError, match="Elk effect heeft een naam nodig"):
        impact.Outcome(name=" ", stakeholder="x", quantity=1, financial_proxy=1)
    with pytest.raises(ValueError, match="elke stap moet tussen -1 en 1 liggen, maar één stap "
                                         "is 1,5"):
        impact.sensitivity(_default_outcomes(1500), 120_000, steps=[1.5])
    with pytest.raises(ValueError, match='kind moet "split" of "balance" zijn'):
        plotting.loan_figure(finance.loan_schedule(1000, 0.05, 12), kind="pie")
    with pytest.raises(ValueError, match="shares is leeg"):
        plotting.revenue_mix_figure({})
    assert eur_whole(172_494.25) == f"€{NBSP}172.494"
    assert plotting.eur_tick(1_500_000) == f"€{NBSP}1,5 mln"


def test_pure_modules_in_english_are_unchanged():
    with pytest.raises(ValueError, match=r"values \(EUR\) needs at least two cash flows \(an "
                                         r"investment and a return\), but it has 1\."):
        finance.irr([100])
    with pytest.raises(ValueError, match="each step must be between -1 and 1, but one is 1.5."):
        impact.sensitivity(_default_outcomes(1500), 120_000, steps=[1.5])
    assert eur_whole(172_494.25) == "€172,494"
    assert plotting.eur_tick(1_500_000) == "€1.5M"
    assert plotting.eur_tick(45_000) == "€45,000"
