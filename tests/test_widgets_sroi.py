"""The SROI calculator widget: a thin view that shows the package's figures and readable errors."""

import pytest

from welfarelab.impact import sroi
from welfarelab.widgets.sroi import SROICalculator, sroi_calculator


@pytest.fixture
def calc():
    return SROICalculator(chart=True)


def test_widget_shows_the_package_result(calc):
    expected = sroi(calc.outcomes(), 120_000)
    assert calc.result.ratio == pytest.approx(expected.ratio)
    assert f"{expected.ratio:.2f} : 1" in calc.summary.value
    assert calc.message.value == ""


def test_moving_a_slider_recalculates(calc):
    before = calc.result.ratio
    calc.rows[0]["deadweight"].value = 60  # percent
    assert calc.result.ratio < before
    assert calc.result.table.loc[0, "deadweight"] == pytest.approx(0.60)


def test_percentages_are_converted_to_shares_once(calc):
    calc.rows[1]["attribution"].value = 25
    assert calc.outcomes()[1].attribution == pytest.approx(0.25)


@pytest.mark.parametrize("typed,shown", [
    ("abc", "investment must be a number, but you typed &#x27;abc&#x27;"),
    ("-5", "investment cannot be negative: type an amount in EUR, for example 120000"),
    ("0", "investment must be more than 0: type an amount in EUR"),
    ("35%", "investment is an amount in EUR, not a percentage"),
    ("", "investment is empty"),
])
def test_bad_investment_shows_a_message_not_a_traceback(calc, typed, shown):
    calc.investment.value = typed
    assert calc.result is None
    assert shown in calc.message.value
    assert calc.summary.value == ""
    calc.investment.value = "90 000"
    assert calc.result is not None and calc.message.value == ""


def test_bad_quantity_names_the_outcome(calc):
    calc.rows[2]["quantity"].value = "twelve"
    assert "quantity of &#x27;vacancy filled&#x27;" in calc.message.value


def test_unexpected_errors_are_shown_and_raised(calc, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("welfarelab.widgets.sroi.impact.sroi", broken)
    with pytest.raises(RuntimeError):
        calc.update()
    assert "Unexpected problem: boom" in calc.message.value


def test_widget_is_a_placeholder_while_nbgrader_grades(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert "switched off" in sroi_calculator().value


# --- sensitivity part -------------------------------------------------------------------------

def test_sensitivity_shows_switching_values_in_plain_words(calc):
    from dataclasses import replace

    from welfarelab.impact import switching_value

    outcomes = calc.outcomes()
    value = switching_value(outcomes, 120_000, "deadweight", outcome="found a job")
    moved = [replace(outcomes[0], deadweight=value), *outcomes[1:]]
    assert sroi(moved, 120_000).ratio == pytest.approx(1.0, abs=1e-4)
    shown = f"{value * 100:.1f}%"
    assert shown == "81.4%"
    assert (f"the ratio falls to 1 if the deadweight of &#x27;found a job&#x27; rises from 30% "
            f"to {shown}") in calc.sensitivity.value
    assert calc.sensitivity_table is not None and len(calc.sensitivity_table) == 18
    assert calc.sensitivity in calc.sensitivity_box.children
    assert calc.sensitivity_box in calc.widget.children


def test_sensitivity_follows_the_sliders(calc):
    calc.rows[0]["deadweight"].value = 60
    assert "deadweight of &#x27;found a job&#x27; rises from 60% to" in calc.sensitivity.value
    calc.rows[0]["deadweight"].value = 95   # now the ratio is below 1
    assert calc.result.ratio < 1
    assert "the ratio rises to 1 if" in calc.sensitivity.value
    assert "The ratio is 1 : 1 or less now" in calc.sensitivity.value


def test_bad_input_empties_the_sensitivity(calc):
    calc.investment.value = "abc"
    assert calc.sensitivity.value == "" and calc.sensitivity_table is None
    calc.investment.value = "120000"
    assert "switching value" in calc.sensitivity.value


def test_two_outcomes_with_one_name_keep_the_result(calc):
    calc.rows[1]["name"].value = "found a job"
    assert calc.result is not None and calc.message.value == ""
    assert calc.sensitivity_table is None
    assert "Two outcomes are called &#x27;found a job&#x27;" in calc.sensitivity.value
    calc.rows[1]["name"].value = "more self-confidence"
    assert calc.sensitivity_table is not None
