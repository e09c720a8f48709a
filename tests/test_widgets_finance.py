"""The finance widgets: thin views that show the package's figures and readable errors.

Each test drives a widget by setting ``.value`` on its controls, as a student would, and
compares what it shows with the pure function in welfarelab.finance on the same inputs.
"""

import dataclasses
import math

import pandas as pd
import pytest

from welfarelab import finance, widgets
from welfarelab.widgets.finance import (
    BreakEvenCalculator,
    CashFlowCalculator,
    LoanCalculator,
    RevenueMixCalculator,
    break_even_calculator,
    cash_flow_calculator,
    loan_calculator,
    revenue_mix_calculator,
)

MONEY = 0.01
TARIFFS = {"partner company": (0.60, 7_000), "small company (SME)": (0.30, 5_000),
           "self-funded (social tariff)": (0.10, 1_000)}
REVENUES = {"Flemish subsidy (social economy)": 90_000, "European project grant": 40_000,
            "training paid by companies": 150_000, "rope-access assignments": 60_000,
            "foundations and donations": 25_000}
SUBSIDIES = ["Flemish subsidy (social economy)", "European project grant"]
EARNED = ["training paid by companies", "rope-access assignments"]


def q(text):
    """How html.escape shows quotes inside the message."""
    return text.replace("'", "&#x27;")


# ------------------------------------------------------------------ break-even

@pytest.fixture
def be():
    return BreakEvenCalculator(chart=False)


def test_break_even_shows_the_package_result(be):
    expected = finance.break_even(175_000, 6_000, 2_000, subsidy=60_000, target_surplus=0)
    assert be.result == expected
    assert be.result.units == pytest.approx(28.75)  # (175,000 - 60,000) / (6,000 - 2,000)
    assert be.result.units_rounded == 29
    assert be.margin_of_safety == pytest.approx(finance.margin_of_safety(36, 28.75))
    assert be.margin_of_safety == pytest.approx(7.25 / 36)
    text = be.summary.value
    for shown in ("28.75 participants per year", "29 participants per year",
                  "€172,500.00 per year", "€4,000.00 per participant", "66.7%", "20.1%",
                  "may fall by 20.1%"):
        assert shown in text
    assert be.message.value == ""


def test_break_even_recalculates_when_a_box_changes(be):
    be.subsidy.value = "0"
    assert be.result.units == pytest.approx(175_000 / 4_000)
    be.target_surplus.value = "25 000"
    assert be.result.units == pytest.approx(200_000 / 4_000)
    assert be.result == finance.break_even(175_000, 6_000, 2_000, 0, 25_000)
    assert be.inputs == {"fixed_costs": 175_000, "variable_cost": 2_000, "subsidy": 0,
                         "target_surplus": 25_000, "price": 6_000}


def test_break_even_with_a_tariff_mix(be):
    assert be.price.layout.display == "" and be.tariff_box.layout.display == "none"
    be.use_mix.value = True
    assert be.price.layout.display == "none" and be.tariff_box.layout.display == ""
    expected = finance.break_even_mix(175_000, TARIFFS, 2_000, subsidy=60_000)
    assert be.result == expected
    assert be.result.weighted_price == pytest.approx(5_800)
    assert be.result.units == pytest.approx(115_000 / 3_800)
    assert be.result.units_rounded == 31
    assert "€5,800.00 per participant" in be.summary.value
    assert "self-funded (social tariff) is sold below cost" in be.summary.value
    # percentages typed in the form become shares once
    be.tariff_rows[0]["share"].value = "50"
    be.tariff_rows[1]["share"].value = "40"
    assert be.tariffs()["partner company"] == (0.5, 7_000)
    assert be.result.weighted_price == pytest.approx(0.5 * 7_000 + 0.4 * 5_000 + 0.1 * 1_000)


def test_tariff_shares_must_add_up_to_100_percent(be):
    be.use_mix.value = True
    be.tariff_rows[0]["share"].value = "50"
    assert be.result is None and be.margin_of_safety is None
    assert "must add up to 100 %, but they add up to 90 %" in be.message.value
    assert be.summary.value == ""
    be.tariff_rows[2]["share"].value = "20"
    assert be.result.weighted_price == pytest.approx(0.5 * 7_000 + 0.3 * 5_000 + 0.2 * 1_000)
    assert be.message.value == ""


def test_a_bad_tariff_names_the_tariff(be):
    be.use_mix.value = True
    be.tariff_rows[1]["price"].value = "cheap"
    assert q("price of 'small company (SME)' must be a number, but you typed 'cheap'. Type "
             "digits only") in be.message.value
    be.tariff_rows[1]["price"].value = "5000"
    be.tariff_rows[1]["name"].value = "partner company"
    assert q("Two tariffs are called 'partner company'") in be.message.value


@pytest.mark.parametrize("box,typed,shown", [
    ("fixed_costs", "abc", "fixed costs must be a number, but you typed 'abc'"),
    ("price", "six thousand", "price must be a number, but you typed 'six thousand'"),
    ("subsidy", "-5", "operating subsidy cannot be negative: type an amount in EUR"),
    ("variable_cost", "", "variable cost is empty: type an amount in EUR, for example 2000"),
    ("fixed_costs", "35%", "fixed costs is an amount in EUR, not a percentage: type it without"),
    ("price", "4.800", ("price: 4.800 could be four thousand eight hundred or four point "
                        "eight: type 4800 or 4.8")),
    ("planned_units", "36.5", "planned participants must be a whole number: type 36 or 37"),
    ("planned_units", "0", "planned participants must be 1 or more"),
    ("planned_units", "lots", "planned participants must be a number, but you typed 'lots'"),
])
def test_bad_break_even_input_shows_a_message_naming_the_field(be, box, typed, shown):
    getattr(be, box).value = typed
    assert be.result is None
    assert q(shown) in be.message.value
    assert be.summary.value == ""


def test_no_break_even_when_the_price_is_not_above_the_variable_cost(be):
    be.price.value = "2000"
    assert be.result is None
    assert "There is no break-even" in be.message.value


def test_margin_of_safety_in_words(be):
    be.planned_units.value = "25"
    assert be.margin_of_safety == pytest.approx((25 - 28.75) / 25)
    assert "below break-even" in be.summary.value
    assert "You need 3.75 more participants" in be.summary.value
    be.planned_units.value = ""
    assert be.margin_of_safety is None and be.result is not None
    assert "Type the planned participants" in be.summary.value


def test_a_subsidy_that_covers_everything_means_no_participants_needed(be):
    be.subsidy.value = "200000"
    assert be.result.units == 0 and be.result.units_rounded == 0
    assert "already covers the fixed costs" in be.summary.value


def test_break_even_chart():
    calc = BreakEvenCalculator(planned_units=36)
    ax = calc.figure.axes[0]
    assert ax.get_xlabel() == "participants per year"
    assert ax.get_ylabel() == "EUR per year"
    assert [line.get_gid() for line in ax.lines] == [
        "revenue", "total costs", "costs minus subsidy", "planned"]
    point = next(c for c in ax.collections if c.get_gid() == "break-even point")
    assert tuple(point.get_offsets()[0]) == pytest.approx((28.75, 28.75 * 6_000))
    calc.planned_units.value = "not sure"
    assert calc.figure is None


# ------------------------------------------------------------------ revenue mix

@pytest.fixture
def rm():
    return RevenueMixCalculator(rows=6, chart=False)


def test_revenue_mix_shows_the_package_result(rm):
    expected = finance.revenue_mix(REVENUES, SUBSIDIES, EARNED, total_expenses=370_000)
    got = rm.result
    pd.testing.assert_series_equal(got.shares, expected.shares)
    for f in dataclasses.fields(expected):
        if f.name != "shares":
            assert getattr(got, f.name) == pytest.approx(getattr(expected, f.name))
    assert got.subsidy_dependency == pytest.approx(130_000 / 365_000)
    assert got.earned_income_ratio == pytest.approx(210_000 / 365_000)
    assert got.self_sufficiency == pytest.approx(210_000 / 370_000)
    assert len(got.shares) == 5  # the sixth, empty row is left out
    text = rm.summary.value
    for shown in ("35.6%", "57.5%", f"{expected.concentration:.3f}", "56.8%",
                  "36 cents of every euro", f"{1 / expected.concentration:.1f} sources",
                  "a deficit of €5,000.00"):
        assert shown in text


def test_changing_a_type_moves_money_between_the_ratios(rm):
    rm.rows[1]["type"].value = "other"  # the European grant is no longer counted as subsidy
    assert rm.result.subsidy_dependency == pytest.approx(90_000 / 365_000)
    rm.rows[4]["type"].value = "earned"
    assert rm.result.earned_income_ratio == pytest.approx(235_000 / 365_000)


def test_a_new_source_in_the_empty_row(rm):
    rm.rows[5]["name"].value = "membership fees"
    rm.rows[5]["amount"].value = "5000"
    assert rm.result.total == pytest.approx(370_000)
    assert rm.result.shares["membership fees"] == pytest.approx(5_000 / 370_000)
    assert "a surplus of €0.00" in rm.summary.value


def test_bad_revenue_input_shows_a_message_naming_the_source(rm):
    rm.rows[1]["amount"].value = "abc"
    assert rm.result is None
    assert q("amount of 'European project grant' must be a number, but you typed 'abc'") in (
        rm.message.value)
    rm.rows[1]["amount"].value = "40000"
    rm.rows[1]["name"].value = "rope-access assignments"
    assert q("Two sources are called 'rope-access assignments'") in rm.message.value


def test_total_expenses_may_be_left_empty(rm):
    rm.total_expenses.value = ""
    assert rm.result.self_sufficiency is None
    assert "no total expenses given" in rm.summary.value
    rm.total_expenses.value = "zero"
    assert q("total expenses must be a number, but you typed 'zero'") in rm.message.value


def test_revenue_mix_chart():
    calc = RevenueMixCalculator()
    ax = calc.figure.axes[0]
    assert ax.get_xlabel() == "share of total revenue (%)"
    assert ax.get_ylabel() == "revenue source"
    assert len(ax.patches) == 5


# ------------------------------------------------------------------ cash flow

@pytest.fixture
def cf():
    return CashFlowCalculator(chart=False)


def test_cash_flow_shows_the_package_result(cf):
    expected = finance.cash_flow(30_000, 18_000, 26_000, 12, tranches={6: 75_000})
    pd.testing.assert_frame_equal(cf.result.table, expected.table)
    # 30,000 - 8,000 a month: month 4 closes at -2,000, before the subsidy in month 6
    assert cf.result.first_negative_month == expected.first_negative_month == 4
    assert cf.runway == pytest.approx(finance.runway(30_000, 18_000, 26_000)) == 3.75
    text = cf.summary.value
    for shown in ("3.75 months", "month 4", "−€10,000.00 (month 5)", "arrives too late",
                  "at least €10,000.00 more cash"):
        assert shown in text


def test_moving_the_tranche_later_makes_the_balance_dip(cf):
    cf.tranche_month.value = 3  # as promised: month 3 closes at 6,000 + 75,000
    assert cf.result.first_negative_month is None
    assert cf.result.table["closing"].min() == pytest.approx(9_000)  # month 12
    assert "stays at €0 or above in all 12 months" in cf.summary.value
    cf.tranche_month.value = 4  # month 4: 30,000 - 32,000 + 75,000 >= 0
    assert cf.result.first_negative_month is None
    cf.tranche_month.value = 5  # month 4 closes at -2,000
    assert cf.result.first_negative_month == 4
    assert cf.result.table["closing"].min() == pytest.approx(-2_000)


def test_a_longer_plan_runs_out_even_with_the_subsidy(cf):
    cf.tranche_month.value = 3
    cf.months.value = 24  # 105,000 - 8,000 * 14 < 0
    assert cf.result.first_negative_month == 14
    assert len(cf.result.table) == 24
    assert "even with the tranche the cash runs out" in cf.summary.value
    cf.tranche_month.value = 20
    cf.months.value = 12  # the tranche month is pulled back into the plan
    assert cf.tranche_month.value == 12
    assert cf.inputs["tranches"] == {12: 75_000}


def test_no_burn_means_an_unlimited_runway(cf):
    cf.monthly_inflow.value = "30000"
    assert math.isinf(cf.runway)
    assert "unlimited" in cf.summary.value
    assert cf.result.first_negative_month is None


def test_bad_cash_input_shows_a_message_naming_the_field(cf):
    cf.tranche.value = "abc"
    assert cf.result is None and cf.runway is None
    assert q("subsidy tranche must be a number, but you typed 'abc'") in cf.message.value
    cf.tranche.value = "75000"
    cf.opening_cash.value = "-1"
    assert "opening cash cannot be negative: type an amount in EUR" in cf.message.value


def test_cash_flow_chart():
    from matplotlib.colors import to_rgba

    from welfarelab.plotting import OKABE_ITO

    calc = CashFlowCalculator()
    ax = calc.figure.axes[0]
    assert ax.get_xlabel() == "month" and ax.get_ylabel() == "closing balance (EUR)"
    assert len(ax.patches) == 12
    below = [p for p in ax.patches if p.get_facecolor() == to_rgba(OKABE_ITO["vermillion"])]
    assert len(below) == 2  # months 4 and 5


# ------------------------------------------------------------------ loan

@pytest.fixture
def loan():
    return LoanCalculator(chart=False)


def test_loan_shows_the_package_result(loan):
    assert loan.payment == finance.loan_payment(40_000, 0.045, 60)
    pd.testing.assert_frame_equal(loan.result, finance.loan_schedule(40_000, 0.045, 60))
    assert loan.payment == pytest.approx(-745.72, abs=MONEY)
    interest = -loan.result["interest"].sum()
    assert interest == pytest.approx(60 * 745.7208 - 40_000, abs=0.1)
    text = loan.summary.value
    assert "You pay €745.72 a month for 60 months" in text
    assert "€150.00" in text  # first month's interest: 40,000 * 4.5 % / 12
    assert "€4,743.25 interest" in text


def test_loan_oracle_L1_in_the_widget(loan):
    loan.principal.value = "200 000"
    loan.annual_rate.value = "7,5"  # a decimal comma is read as 7.5 %
    loan.months.value = "180"
    assert loan.inputs == {"principal": 200_000, "annual_rate": 0.075, "months": 180}
    assert loan.payment == pytest.approx(-1854.0247200054619, abs=MONEY)
    assert "You pay €1,854.02 a month" in loan.summary.value


def test_an_interest_free_loan(loan):
    loan.annual_rate.value = "0"
    assert loan.payment == pytest.approx(-40_000 / 60)
    assert "plus €0.00 interest" in loan.summary.value


@pytest.mark.parametrize("box,typed,shown", [
    ("principal", "abc", "amount borrowed must be a number, but you typed 'abc'"),
    ("annual_rate", "abc", "annual interest rate must be a number, but you typed 'abc'"),
    ("annual_rate", "150", "annual interest rate must be 100 % or less: type a percentage"),
    ("months", "60.5", "repaid over must be a whole number of months: type 60 or 61"),
    ("months", "601", "repaid over must be 600 months or less"),
    ("principal", "0", "amount borrowed must be more than 0: type an amount in EUR"),
])
def test_bad_loan_input_shows_a_message_naming_the_field(loan, box, typed, shown):
    getattr(loan, box).value = typed
    assert loan.result is None and loan.payment is None
    assert q(shown) in loan.message.value
    assert loan.summary.value == ""


def test_loan_chart_switches_between_split_and_balance():
    calc = LoanCalculator()
    ax = calc.figure.axes[0]
    assert ax.get_ylabel() == "paid per month (EUR)" and len(ax.patches) == 120
    calc.chart_kind.value = "balance"
    ax = calc.figure.axes[0]
    assert ax.get_ylabel() == "balance still owed (EUR)" and len(ax.lines) == 1


# ------------------------------------------------------------------ all four

CALCULATORS = [
    (BreakEvenCalculator, "break_even"),
    (RevenueMixCalculator, "revenue_mix"),
    (CashFlowCalculator, "cash_flow"),
    (LoanCalculator, "loan_schedule"),
]


@pytest.mark.parametrize("cls,function", CALCULATORS)
def test_unexpected_errors_are_shown_and_raised(cls, function, monkeypatch):
    calc = cls(chart=False)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(f"welfarelab.widgets.finance.finance.{function}", broken)
    with pytest.raises(RuntimeError, match="boom"):
        calc.update()
    assert "Unexpected problem: boom" in calc.message.value
    assert calc.result is None


FACTORIES = [break_even_calculator, revenue_mix_calculator, cash_flow_calculator,
             loan_calculator]


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_widget_is_a_placeholder_while_nbgrader_grades(factory, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    placeholder = factory()
    assert "switched off while nbgrader grades" in placeholder.value


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_factories_are_in_the_registry_and_return_a_form(factory, monkeypatch):
    import ipywidgets as w

    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert getattr(widgets, factory.__name__) is factory
    assert isinstance(factory(), w.Box)


def test_break_even_accepts_the_package_tariff_format():
    calc = BreakEvenCalculator(tariffs={"social": (0.4, 10), "standard": (0.6, 40)},
                               fixed_costs=1_000, variable_cost=8, subsidy=0, use_mix=True,
                               chart=False)
    assert [row["share"].value for row in calc.tariff_rows] == ["40", "60"]
    assert calc.result == finance.break_even_mix(1_000, {"social": (0.4, 10),
                                                         "standard": (0.6, 40)}, 8)
    assert calc.result.units == pytest.approx(1_000 / (28 - 8))
