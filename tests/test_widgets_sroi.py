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
    ("-5", "investment (EUR) must be more than 0"),
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
