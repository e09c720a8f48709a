"""Tests of welfarelab.finance: the ORACLES.md finance oracles, hand-computed cases,
properties (hypothesis) and one test per kind of bad input."""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from welfarelab.finance import (
    BreakEvenMixResult,
    BreakEvenResult,
    break_even,
    break_even_mix,
    cash_flow,
    cost_per,
    irr,
    loan_payment,
    loan_schedule,
    margin_of_safety,
    npv,
    revenue_mix,
    runway,
)

MONEY = 0.01  # ORACLES.md: money compared with an absolute tolerance of 0.01
RATIO = 1e-4  # ratios with 1e-4

amounts = st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False)


# ------------------------------------------------------------------ oracles (ORACLES.md)

def test_oracle_L1_loan_payment():
    assert loan_payment(200000, 0.075, 180) == pytest.approx(-1854.0247200054619, abs=MONEY)
    assert loan_payment(200000, 0.075, 12 * 15) == pytest.approx(-1854.02, abs=MONEY)


def test_oracle_L1_schedule_payment_column():
    table = loan_schedule(200000, 0.075, 180)
    assert len(table) == 180
    assert np.allclose(table["payment"], -1854.0247200054619, atol=MONEY)
    # first month's interest: 200,000 * 0.075 / 12 = 1,250 paid
    assert table["interest"].iloc[0] == pytest.approx(-1250.0, abs=MONEY)
    assert table["principal_repaid"].iloc[0] == pytest.approx(-604.02, abs=MONEY)
    assert table["balance"].iloc[0] == pytest.approx(200000 - 604.0247200054619, abs=MONEY)
    assert table["principal_repaid"].sum() == pytest.approx(-200000, abs=MONEY)
    assert table["balance"].iloc[-1] == pytest.approx(0.0, abs=MONEY)


def test_oracle_N1_npv():
    assert npv(0.281, [-100, 39, 59, 55, 20]) == pytest.approx(-0.0084785916384548798, abs=MONEY)
    assert npv(0.281, [-100, 39, 59, 55, 20]) == pytest.approx(-0.0084785916384548798, abs=1e-12)


def test_oracle_N2_irr():
    assert round(irr([-100, 39, 59, 55, 20]), 5) == 0.28095
    assert irr([-100, 39, 59, 55, 20]) == pytest.approx(0.28095, abs=RATIO)


def test_oracle_C1_cost_per_outcome():
    result = cost_per(300000, reached=100, achieved=70)
    assert result.per_reached == pytest.approx(3000.0, abs=MONEY)
    assert result.per_achieved == pytest.approx(4285.71, abs=MONEY)
    assert result.per_completed is None
    # the same oracle as "cost per participant / success rate"
    assert result.per_reached / 0.70 == pytest.approx(result.per_achieved, abs=MONEY)


# ------------------------------------------------------------------ npv / irr

def test_npv_first_value_not_discounted():
    assert npv(0.10, [-100]) == pytest.approx(-100.0, abs=MONEY)
    assert npv(0.10, [0, 110]) == pytest.approx(100.0, abs=MONEY)
    assert npv(0.0, [-100, 50, 50]) == pytest.approx(0.0, abs=MONEY)


def test_npv_of_irr_is_zero():
    values = [-100, 39, 59, 55, 20]
    assert npv(irr(values), values) == pytest.approx(0.0, abs=MONEY)


def test_irr_simple_case():
    assert irr([-100, 110]) == pytest.approx(0.10, abs=RATIO)


def test_npv_accepts_numpy_and_series():
    values = [-100, 39, 59, 55, 20]
    assert npv(0.281, np.array(values)) == pytest.approx(npv(0.281, values), abs=1e-12)
    assert npv(0.281, pd.Series(values)) == pytest.approx(npv(0.281, values), abs=1e-12)


# ------------------------------------------------------------------ break-even

def test_break_even_hand_computed():
    # margin 45 - 15 = 30; 60,000 / 30 = 2,000 units; revenue 2,000 * 45 = 90,000
    r = break_even(60000, 45, 15)
    assert isinstance(r, BreakEvenResult)
    assert r.units == pytest.approx(2000.0, abs=1e-9)
    assert r.units_rounded == 2000 and isinstance(r.units_rounded, int)
    assert r.revenue == pytest.approx(90000.0, abs=MONEY)
    assert r.contribution_margin == pytest.approx(30.0, abs=MONEY)
    assert r.margin_ratio == pytest.approx(2 / 3, abs=RATIO)


def test_break_even_with_subsidy_and_target_surplus():
    # (60,000 - 24,000 + 6,000) / 30 = 1,400
    r = break_even(60000, 45, 15, subsidy=24000, target_surplus=6000)
    assert r.units == pytest.approx(1400.0, abs=1e-9)
    assert r.units_rounded == 1400
    assert r.revenue == pytest.approx(63000.0, abs=MONEY)


def test_break_even_rounds_up():
    # 10,000 / (35 - 12) = 434.78... -> 435 meals
    r = break_even(10000, 35, 12)
    assert r.units == pytest.approx(434.7826087, abs=1e-6)
    assert r.units_rounded == 435
    assert r.revenue == pytest.approx(10000 / 23 * 35, abs=MONEY)


def test_break_even_ignores_floating_point_noise_when_rounding():
    # 0.3 - 0.1 is 0.19999999999999998 in binary, so 3000 / margin is 15000.000000000002
    r = break_even(3000, 0.3, 0.1)
    assert r.units == pytest.approx(15000.0, abs=1e-6)
    assert r.units_rounded == 15000


def test_break_even_subsidy_covering_fixed_costs_gives_zero_not_negative():
    r = break_even(50000, 20, 5, subsidy=80000)
    assert r.units == 0.0
    assert r.units_rounded == 0
    assert r.revenue == 0.0
    assert r.contribution_margin == pytest.approx(15.0, abs=MONEY)
    assert break_even(50000, 20, 5, subsidy=50000).units == 0.0


def test_break_even_zero_fixed_costs():
    assert break_even(0, 10, 4).units == 0.0


def test_break_even_result_is_frozen():
    r = break_even(60000, 45, 15)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.units = 1  # type: ignore[misc]


@pytest.mark.parametrize("price, variable_cost", [(15, 15), (10, 15), (0, 0)])
def test_break_even_no_margin_raises(price, variable_cost):
    with pytest.raises(ValueError, match="no break-even.*loses money"):
        break_even(1000, price, variable_cost)


@settings(max_examples=200, deadline=None)
@given(fixed=amounts, variable=st.floats(0, 1000), margin=st.floats(0.01, 1000),
       s1=amounts, s2=amounts, target=amounts)
def test_more_subsidy_never_raises_break_even(fixed, variable, margin, s1, s2, target):
    low, high = sorted((s1, s2))
    price = variable + margin
    if price <= variable:  # margin lost to rounding of huge floats
        return
    a = break_even(fixed, price, variable, subsidy=low, target_surplus=target)
    b = break_even(fixed, price, variable, subsidy=high, target_surplus=target)
    assert b.units <= a.units
    assert b.units_rounded <= a.units_rounded
    assert b.units >= 0


@settings(max_examples=200, deadline=None)
@given(fixed=amounts, variable=st.floats(0, 1000), margin=st.floats(0.01, 1000),
       subsidy=amounts)
def test_break_even_units_cover_the_costs(fixed, variable, margin, subsidy):
    price = variable + margin
    r = break_even(fixed, price, variable, subsidy=subsidy)
    m = price - variable
    to_cover = max(fixed - subsidy, 0.0)
    assert r.units * m == pytest.approx(to_cover, rel=1e-9, abs=1e-6)
    assert r.units_rounded >= r.units - 1e-6
    assert r.units_rounded < r.units + 1
    assert math.isfinite(r.revenue) and math.isfinite(r.margin_ratio)


# ------------------------------------------------------------------ margin of safety

def test_margin_of_safety_hand_computed():
    assert margin_of_safety(2500, 2000) == pytest.approx(0.2, abs=RATIO)
    assert margin_of_safety(2000, 2000) == pytest.approx(0.0, abs=RATIO)
    assert margin_of_safety(1600, 2000) == pytest.approx(-0.25, abs=RATIO)
    assert margin_of_safety(100, 0) == pytest.approx(1.0, abs=RATIO)


def test_margin_of_safety_with_break_even_result():
    be = break_even(60000, 45, 15)
    assert margin_of_safety(2500, be.units) == pytest.approx(0.2, abs=RATIO)


# ------------------------------------------------------------------ break-even with a tariff mix

def test_break_even_mix_hand_computed_with_social_tariff_below_cost():
    # weighted price 0.4*10 + 0.6*40 = 28; margin 28 - 15 = 13; 60,000 / 13 = 4,615.38 -> 4,616
    r = break_even_mix(60000, {"social": (0.4, 10), "standard": (0.6, 40)}, 15)
    assert isinstance(r, BreakEvenMixResult) and isinstance(r, BreakEvenResult)
    assert r.weighted_price == pytest.approx(28.0, abs=MONEY)
    assert r.contribution_margin == pytest.approx(13.0, abs=MONEY)
    assert r.units == pytest.approx(60000 / 13, abs=1e-6)
    assert r.units_rounded == 4616
    assert r.revenue == pytest.approx(60000 / 13 * 28, abs=MONEY)
    assert r.margin_ratio == pytest.approx(13 / 28, abs=RATIO)
    assert r.margin_per_tariff == pytest.approx({"social": -5.0, "standard": 25.0})


def test_break_even_mix_single_tariff_equals_break_even():
    mix = break_even_mix(60000, {"all": (1.0, 45)}, 15, subsidy=24000, target_surplus=6000)
    plain = break_even(60000, 45, 15, subsidy=24000, target_surplus=6000)
    assert mix.units == pytest.approx(plain.units, abs=1e-9)
    assert mix.units_rounded == plain.units_rounded
    assert mix.revenue == pytest.approx(plain.revenue, abs=MONEY)


def test_break_even_mix_shares_with_float_noise_are_accepted():
    r = break_even_mix(1000, {"a": (0.1, 20), "b": (0.2, 20), "c": (0.7, 20)}, 10)
    assert r.units == pytest.approx(100.0, abs=1e-9)


def test_break_even_mix_shares_not_summing_to_one_names_the_sum():
    with pytest.raises(ValueError, match="add up to 1.*0.9"):
        break_even_mix(1000, {"social": (0.4, 10), "standard": (0.5, 40)}, 5)


def test_break_even_mix_share_outside_0_1():
    with pytest.raises(ValueError,
            match="share of 'tariff social' must be a share between 0 and 1"):
        break_even_mix(1000, {"social": (40, 10), "standard": (0.6, 40)}, 5)


def test_break_even_mix_weighted_margin_not_positive():
    with pytest.raises(ValueError, match="no break-even.*weighted price"):
        break_even_mix(1000, {"social": (0.8, 10), "standard": (0.2, 40)}, 16)


def test_break_even_mix_bad_tariff_shapes():
    with pytest.raises(TypeError, match="tariffs must be a dict"):
        break_even_mix(1000, [(1.0, 10)], 5)
    with pytest.raises(TypeError, match="tariff 'social' must be a pair"):
        break_even_mix(1000, {"social": 10}, 5)
    with pytest.raises(ValueError, match="tariffs is empty"):
        break_even_mix(1000, {}, 5)
    with pytest.raises(ValueError, match="price .* of 'tariff social' cannot be negative"):
        break_even_mix(1000, {"social": (1.0, -10)}, 5)


# ------------------------------------------------------------------ revenue mix

REVENUES = {"Flemish subsidy": 120000, "city grant": 30000, "shop sales": 40000,
            "catering contracts": 10000}


def test_revenue_mix_hand_computed():
    r = revenue_mix(REVENUES, ["Flemish subsidy", "city grant"],
                    ["shop sales", "catering contracts"], total_expenses=210000)
    assert r.total == pytest.approx(200000, abs=MONEY)
    assert isinstance(r.shares, pd.Series)
    assert list(r.shares.index) == list(REVENUES)
    assert r.shares["Flemish subsidy"] == pytest.approx(0.60, abs=RATIO)
    assert r.shares.sum() == pytest.approx(1.0, abs=RATIO)
    assert r.subsidy_dependency == pytest.approx(0.75, abs=RATIO)
    assert r.earned_income_ratio == pytest.approx(0.25, abs=RATIO)
    # HHI = 0.6² + 0.15² + 0.2² + 0.05² = 0.36 + 0.0225 + 0.04 + 0.0025
    assert r.concentration == pytest.approx(0.425, abs=RATIO)
    assert r.self_sufficiency == pytest.approx(50000 / 210000, abs=RATIO)


def test_revenue_mix_other_sources_in_neither_ratio():
    r = revenue_mix({"subsidy": 50, "sales": 30, "donations": 20}, ["subsidy"], ["sales"])
    assert r.subsidy_dependency == pytest.approx(0.5, abs=RATIO)
    assert r.earned_income_ratio == pytest.approx(0.3, abs=RATIO)
    assert r.self_sufficiency is None


def test_revenue_mix_accepts_series_and_single_name():
    r = revenue_mix(pd.Series({"subsidy": 75.0, "sales": 25.0}), "subsidy", "sales")
    assert r.subsidy_dependency == pytest.approx(0.75, abs=RATIO)
    assert r.earned_income_ratio == pytest.approx(0.25, abs=RATIO)


def test_revenue_mix_unknown_source_names_them():
    with pytest.raises(ValueError, match="subsidy_sources.*not in revenues.*'Flemish subsdy'"):
        revenue_mix(REVENUES, ["Flemish subsdy"], ["shop sales"])
    with pytest.raises(ValueError, match="earned_sources.*'bar'"):
        revenue_mix(REVENUES, ["city grant"], ["bar"])


def test_revenue_mix_source_in_both_lists():
    with pytest.raises(ValueError, match="'city grant'.*both subsidy_sources and earned_sources"):
        revenue_mix(REVENUES, ["city grant"], ["shop sales", "city grant"])


def test_revenue_mix_bad_amounts():
    with pytest.raises(ValueError,
            match="revenue \\(EUR per year\\) of 'sales' cannot be negative"):
        revenue_mix({"subsidy": 10, "sales": -5}, ["subsidy"], ["sales"])
    with pytest.raises(ValueError, match="total of revenues must be more than 0"):
        revenue_mix({"subsidy": 0, "sales": 0}, ["subsidy"], ["sales"])
    with pytest.raises(ValueError, match="revenues is empty"):
        revenue_mix({}, [], [])
    with pytest.raises(TypeError, match="revenues must be a dict"):
        revenue_mix([100, 200], [], [])
    with pytest.raises(ValueError, match="total expenses \\(EUR per year\\) must be more than 0"):
        revenue_mix({"sales": 10}, [], ["sales"], total_expenses=0)


def test_hhi_single_source_is_one():
    r = revenue_mix({"only": 12345}, ["only"], [])
    assert r.concentration == pytest.approx(1.0, abs=RATIO)
    assert r.subsidy_dependency == pytest.approx(1.0, abs=RATIO)


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 50), amount=st.floats(0.01, 1e7))
def test_hhi_of_n_equal_sources_is_one_over_n(n, amount):
    r = revenue_mix({f"source {i}": amount for i in range(n)}, [], [])
    assert r.concentration == pytest.approx(1 / n, abs=RATIO)


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.floats(0, 1e7), min_size=1, max_size=20).filter(lambda v: sum(v) > 0))
def test_hhi_between_one_over_n_and_one(values):
    r = revenue_mix({f"s{i}": v for i, v in enumerate(values)}, [], [])
    assert 1 / len(values) - 1e-9 <= r.concentration <= 1 + 1e-9
    assert r.shares.sum() == pytest.approx(1.0, abs=RATIO)


# ------------------------------------------------------------------ runway

def test_runway_hand_computed():
    assert runway(60000, 20000, 30000) == pytest.approx(6.0, abs=RATIO)
    assert runway(0, 0, 1000) == 0.0


def test_runway_is_infinite_when_nothing_is_burnt():
    assert runway(1000, 5000, 5000) == math.inf
    assert runway(1000, 6000, 5000) == math.inf
    assert runway(0, 0, 0) == math.inf


def test_runway_negative_cash():
    with pytest.raises(ValueError, match="cash \\(EUR\\) cannot be negative"):
        runway(-1, 0, 100)


# ------------------------------------------------------------------ cash flow

def test_cash_flow_late_subsidy_hand_computed():
    # 10,000 in the bank, 8,000 in and 12,000 out a month; subsidy of 20,000 in month 4.
    # closings: 6,000 / 2,000 / -2,000 / 14,000 / 10,000 / 6,000
    r = cash_flow(10000, 8000, 12000, 6, tranches={4: 20000})
    assert list(r.table.columns) == ["month", "opening", "inflow", "outflow", "tranche", "closing"]
    assert list(r.table["month"]) == [1, 2, 3, 4, 5, 6]
    assert np.allclose(r.table["closing"], [6000, 2000, -2000, 14000, 10000, 6000], atol=MONEY)
    assert np.allclose(r.table["opening"], [10000, 6000, 2000, -2000, 14000, 10000], atol=MONEY)
    assert np.allclose(r.table["tranche"], [0, 0, 0, 20000, 0, 0], atol=MONEY)
    assert r.first_negative_month == 3


def test_cash_flow_zero_is_not_negative():
    r = cash_flow(3000, 0, 1000, 4)
    assert list(r.table["closing"]) == [2000, 1000, 0, -1000]
    assert r.first_negative_month == 4


def test_cash_flow_float_noise_at_zero_is_not_negative():
    r = cash_flow(0.3, 0, 0.1, 3)
    assert r.table["closing"].iloc[-1] == 0.0
    assert r.first_negative_month is None


def test_cash_flow_lists_and_negative_tranche():
    r = cash_flow(1000, [500, 500, 500], [600, 700, 800], 3, tranches={2: -100})
    assert np.allclose(r.table["closing"], [900, 600, 300], atol=MONEY)
    assert r.first_negative_month is None


def test_cash_flow_never_negative():
    assert cash_flow(1000, 100, 100, 12).first_negative_month is None


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_cash_flow_closing_is_opening_plus_cumulative_net_flows(data):
    months = data.draw(st.integers(1, 60))
    monthly = st.lists(st.floats(0, 1e6), min_size=months, max_size=months)
    opening = data.draw(st.floats(0, 1e6))
    inflow = data.draw(monthly)
    outflow = data.draw(st.one_of(monthly, st.floats(0, 1e6)))
    tranches = data.draw(st.dictionaries(st.integers(1, months), st.floats(-1e6, 1e6),
                                         max_size=5))
    r = cash_flow(opening, inflow, outflow, months, tranches=tranches)
    out = np.full(months, outflow) if isinstance(outflow, float) else np.array(outflow)
    tr = np.array([tranches.get(m, 0.0) for m in range(1, months + 1)])
    expected = opening + np.cumsum(np.array(inflow) - out + tr)
    assert np.allclose(r.table["closing"], expected, rtol=0, atol=MONEY)
    assert np.allclose(r.table["opening"].iloc[1:], r.table["closing"].iloc[:-1])
    negative = [m for m, c in zip(r.table["month"], r.table["closing"], strict=True) if c < 0]
    assert r.first_negative_month == (negative[0] if negative else None)


def test_cash_flow_bad_inputs():
    with pytest.raises(ValueError, match="one number per month \\(3 numbers\\).*has 2"):
        cash_flow(1000, [1, 2], 0, 3)
    with pytest.raises(ValueError,
            match="monthly outflow \\(EUR per month\\), month 2 cannot be negative"):
        cash_flow(1000, 0, [1, -2, 3], 3)
    with pytest.raises(ValueError, match="tranche month must be from 1 to 6"):
        cash_flow(1000, 0, 0, 6, tranches={7: 500})
    with pytest.raises(ValueError, match="tranche month must be from 1 to 6"):
        cash_flow(1000, 0, 0, 6, tranches={0: 500})
    with pytest.raises(TypeError, match="tranches must be a dict"):
        cash_flow(1000, 0, 0, 6, tranches=[500])
    with pytest.raises(TypeError, match="tranche in month 2 \\(EUR\\) must be a number"):
        cash_flow(1000, 0, 0, 6, tranches={2: "500"})
    with pytest.raises(ValueError, match="opening cash \\(EUR\\) cannot be negative"):
        cash_flow(-5, 0, 0, 6)


# ------------------------------------------------------------------ loans

def test_loan_at_zero_rate():
    assert loan_payment(1200, 0, 12) == pytest.approx(-100.0, abs=MONEY)
    table = loan_schedule(1200, 0.0, 12)
    assert np.allclose(table["interest"], 0.0)
    assert np.allclose(table["principal_repaid"], -100.0)
    assert table["balance"].iloc[-1] == pytest.approx(0.0, abs=MONEY)


def test_loan_zero_rate_emits_no_warning():
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        assert loan_payment(1200, 0, 12) == pytest.approx(-100.0, abs=MONEY)
        assert loan_schedule(1200, 0, 12, when="begin")["balance"].iloc[-1] == 0.0


def test_loan_schedule_columns_and_rows():
    table = loan_schedule(10000, 0.05, 24)
    assert list(table.columns) == ["month", "payment", "interest", "principal_repaid", "balance"]
    assert list(table["month"]) == list(range(1, 25))
    assert np.allclose(table["payment"], table["interest"] + table["principal_repaid"])
    assert (table["payment"] < 0).all()
    assert table["interest"].iloc[0] == pytest.approx(-10000 * 0.05 / 12, abs=MONEY)


def test_loan_payment_in_advance_is_smaller():
    end = loan_payment(10000, 0.05, 24)
    begin = loan_payment(10000, 0.05, 24, when="begin")
    assert begin == pytest.approx(end / (1 + 0.05 / 12), abs=MONEY)
    table = loan_schedule(10000, 0.05, 24, when="begin")
    assert table["interest"].iloc[0] == pytest.approx(0.0, abs=MONEY)


@settings(max_examples=150, deadline=None)
@given(principal=st.floats(100, 2e6), rate=st.one_of(st.just(0.0), st.floats(1e-4, 0.25)),
       months=st.integers(1, 480), when=st.sampled_from(["end", "begin"]))
def test_loan_principal_repayments_sum_to_principal(principal, rate, months, when):
    table = loan_schedule(principal, rate, months, when=when)
    assert table["principal_repaid"].sum() == pytest.approx(-principal, abs=MONEY)
    assert table["balance"].iloc[-1] == pytest.approx(0.0, abs=MONEY)
    assert np.allclose(table["payment"], loan_payment(principal, rate, months, when=when))
    assert np.all(np.isfinite(table.drop(columns="month").to_numpy()))


def test_loan_bad_inputs():
    with pytest.raises(ValueError,
            match=r"annual rate \(share per year\) must be a share between 0 and 1.*7.5.*decimal"):
        loan_payment(200000, 7.5, 180)
    with pytest.raises(ValueError, match="months must be from 1 to 600"):
        loan_payment(200000, 0.075, 0)
    with pytest.raises(ValueError,
            match="annual rate \\(share per year\\) must be 0 .* or at least 0.0001"):
        loan_schedule(200000, 1e-9, 12)
    with pytest.raises(ValueError, match="months must be a whole number"):
        loan_schedule(200000, 0.075, 12.5)
    with pytest.raises(ValueError, match="principal \\(EUR\\) must be more than 0"):
        loan_payment(0, 0.075, 180)
    with pytest.raises(ValueError, match='when must be "end".*or "begin"'):
        loan_schedule(1000, 0.05, 12, when="start")


# ------------------------------------------------------------------ cost per result

def test_cost_per_all_three():
    r = cost_per(120000, reached=200, completed=150, achieved=60)
    assert r.total_cost == pytest.approx(120000, abs=MONEY)
    assert r.per_reached == pytest.approx(600.0, abs=MONEY)
    assert r.per_completed == pytest.approx(800.0, abs=MONEY)
    assert r.per_achieved == pytest.approx(2000.0, abs=MONEY)


def test_cost_per_nothing_given():
    r = cost_per(5000)
    assert (r.per_reached, r.per_completed, r.per_achieved) == (None, None, None)


def test_cost_per_bad_counts():
    with pytest.raises(ValueError, match="reached \\(people\\) must be 1 or more"):
        cost_per(1000, reached=0)
    with pytest.raises(ValueError, match="achieved \\(people\\) must be a whole number"):
        cost_per(1000, achieved=7.5)
    with pytest.raises(ValueError, match="achieved \\(people\\) cannot be more than reached"):
        cost_per(1000, reached=10, achieved=20)
    with pytest.raises(ValueError, match="total cost \\(EUR\\) cannot be negative"):
        cost_per(-1000, reached=10)


# ------------------------------------------------------------------ bad input, one kind per test

def test_negative_amount_names_the_field():
    with pytest.raises(ValueError, match="fixed costs \\(EUR\\) cannot be negative"):
        break_even(-1000, 45, 15)
    with pytest.raises(ValueError, match="subsidy \\(EUR\\) cannot be negative"):
        break_even(1000, 45, 15, subsidy=-5)
    with pytest.raises(ValueError, match="monthly inflow \\(EUR per month\\) cannot be negative"):
        runway(1000, -5, 10)


def test_missing_amount_names_the_field():
    with pytest.raises(TypeError, match="price \\(EUR per unit\\) must be a number.*None"):
        break_even(1000, None, 15)
    with pytest.raises(TypeError, match="monthly outflow \\(EUR per month\\) must be a number"):
        runway(1000, 0, None)


def test_text_instead_of_number_names_the_field():
    with pytest.raises(TypeError, match="variable cost \\(EUR per unit\\) must be a number.*'15'"):
        break_even(1000, 45, "15")
    with pytest.raises(TypeError, match="value number 2 \\(EUR\\) must be a number"):
        npv(0.05, [-100, "39"])
    with pytest.raises(TypeError, match="values \\(EUR\\) must be a list of numbers"):
        irr("-100, 39, 59")


def test_nan_names_the_field():
    with pytest.raises(ValueError, match="fixed costs \\(EUR\\) must be a finite number"):
        break_even(float("nan"), 45, 15)
    with pytest.raises(ValueError, match="cash \\(EUR\\) must be a finite number"):
        runway(float("nan"), 0, 10)
    with pytest.raises(ValueError, match="value number 3 \\(EUR\\) must be a finite number"):
        irr([-100, 50, float("nan")])


def test_share_outside_0_1_names_the_field():
    with pytest.raises(ValueError,
            match="rate \\(share per period\\) must be a share between 0 and 1"):
        npv(3.5, [-100, 50, 60])
    with pytest.raises(ValueError,
            match="rate \\(share per period\\) must be a share between 0 and 1"):
        npv(-0.1, [-100, 50, 60])


def test_zero_months_names_the_field():
    with pytest.raises(ValueError, match="months must be from 1 to 600, but it is 0"):
        cash_flow(1000, 0, 100, 0)


def test_planned_units_must_be_positive():
    with pytest.raises(ValueError, match="planned units must be more than 0"):
        margin_of_safety(0, 100)
    with pytest.raises(ValueError, match="break-even units cannot be negative"):
        margin_of_safety(100, -1)


def test_irr_needs_money_in_and_out():
    with pytest.raises(ValueError, match="at least two cash flows"):
        irr([-100])
    with pytest.raises(ValueError, match="at least one negative amount"):
        irr([100, 10, 20])
    with pytest.raises(ValueError, match="at least one negative amount"):
        irr([-100, -10])


def test_npv_empty_values():
    with pytest.raises(ValueError, match="values \\(EUR\\) is empty"):
        npv(0.05, [])


def test_overflow_is_an_error_not_inf():
    with pytest.raises(ValueError, match="break-even number of units cannot be calculated"):
        break_even(1e308, 1e-300, 0)
