"""welfarelab.impact against the published SROI cases (ORACLES.md) and its own rules."""

from dataclasses import replace

import numpy_financial as npf
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from welfarelab.impact import Outcome, SWITCHABLE_FIELDS, sroi, switching_value

MONEY = 0.01
RATIO = 1e-4


def p1_outcome(**changes):
    base = Outcome(name="P1", stakeholder="all", quantity=1, financial_proxy=5_200_000,
                   deadweight=0.20, displacement=0.05, attribution=0.0, drop_off=0.15, duration=3)
    return replace(base, **changes)


# --- published cases --------------------------------------------------------------------------

def test_p1_sicp_calculator_case():
    r = sroi([p1_outcome()], 500_000, discount_rate=0.08)
    assert r.yearly_values == pytest.approx([3_952_000, 3_359_200, 2_855_320], abs=MONEY)
    assert r.present_value == pytest.approx(8_805_876.90, abs=MONEY)
    assert round(r.ratio, 2) == 17.61
    assert r.npv == pytest.approx(8_805_876.90 - 500_000, abs=MONEY)


def test_p2_undiscounted_sroi_lite():
    o = Outcome(name="benefits", stakeholder="all", quantity=1, financial_proxy=185_000,
                duration=10)
    r = sroi([o], 500_000, discount_rate=0.0)
    assert r.ratio == pytest.approx(3.70, abs=RATIO)
    assert r.net_ratio == pytest.approx(2.70, abs=RATIO)


def test_p3_drop_off_illustration():
    o = Outcome(name="x", stakeholder="y", quantity=1, financial_proxy=100, drop_off=0.10,
                duration=3)
    assert sroi([o], 1).yearly_values == pytest.approx([100, 90, 81], abs=MONEY)


# --- the rest of the result -------------------------------------------------------------------

def test_outcomes_of_different_durations_add_up_per_year():
    a = Outcome("a", "s", 10, 100, duration=3)
    b = Outcome("b", "s", 5, 100, drop_off=0.5, duration=2)
    r = sroi([a, b], 1000, discount_rate=0.0)
    assert r.yearly_values == pytest.approx([1500, 1250, 1000])
    assert list(r.table["total value (EUR)"]) == pytest.approx([3000, 750])
    assert r.present_value == pytest.approx(3750)


def test_payback_months_is_simple_and_undiscounted():
    o = Outcome("a", "s", 1, 24_000, duration=2)
    assert sroi([o], 12_000).payback_months == pytest.approx(6.0)
    zero = Outcome("a", "s", 0, 24_000)
    assert sroi([zero], 12_000).payback_months is None


def test_table_has_one_row_per_outcome_and_named_columns():
    r = sroi([p1_outcome(), p1_outcome(name="second")], 500_000, 0.08)
    assert isinstance(r.table, pd.DataFrame)
    assert list(r.table["outcome"]) == ["P1", "second"]
    assert r.table["present value (EUR)"].sum() == pytest.approx(r.present_value, abs=MONEY)
    assert r.table.loc[0, "impact year 1 (EUR)"] == pytest.approx(3_952_000, abs=MONEY)


def test_waterfall_steps_add_up_to_present_value():
    r = sroi([p1_outcome(attribution=0.1)], 500_000, 0.08)
    w = r.waterfall
    assert w["gross value"] == pytest.approx(15_600_000)
    assert w["deadweight"] == pytest.approx(-0.20 * 15_600_000)
    assert w.drop("present value").sum() == pytest.approx(w["present value"], abs=MONEY)
    assert w["present value"] == pytest.approx(r.present_value)


# --- switching values -------------------------------------------------------------------------

@pytest.mark.parametrize("field", SWITCHABLE_FIELDS)
def test_switching_value_brings_the_ratio_to_one(field):
    outcomes = [p1_outcome(), Outcome("small", "s", 10, 1000, 0.1, 0, 0.2, 0.3, 4)]
    value = switching_value(outcomes, 5_000_000, field, outcome="P1", discount_rate=0.08)
    assert value is not None
    moved = [replace(outcomes[0], **{field: value}), outcomes[1]]
    assert sroi(moved, 5_000_000, 0.08).ratio == pytest.approx(1.0, abs=RATIO)


def test_switching_value_for_every_outcome_at_once():
    outcomes = [Outcome("a", "s", 10, 1000, duration=2), Outcome("b", "s", 5, 2000, duration=2)]
    value = switching_value(outcomes, 20_000, "deadweight", discount_rate=0.0)
    # PV at deadweight 0 is 40,000; the ratio is 1 when (1 - d) * 40,000 = 20,000
    assert value == pytest.approx(0.5, abs=RATIO)


def test_switching_value_none_when_out_of_reach():
    o = Outcome("a", "s", 1, 100)
    assert switching_value([o], 1_000_000, "deadweight") is None  # ratio below 1 even at 0
    assert switching_value([o], 1_000_000, "drop_off") is None     # one year: no drop-off


def test_switching_value_rejects_unknown_names():
    with pytest.raises(ValueError, match="field must be one of"):
        switching_value([p1_outcome()], 1, "price")
    with pytest.raises(ValueError, match="no outcome named 'nope'"):
        switching_value([p1_outcome()], 1, "deadweight", outcome="nope")


# --- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize("field,value,message", [
    ("deadweight", 1.5, r"deadweight of 'P1' must be a share between 0 and 1"),
    ("attribution", 25, r"25 % is 0.25"),
    ("drop_off", -0.1, r"drop-off of 'P1' must be a share"),
    ("quantity", -3, r"quantity of 'P1' cannot be negative"),
    ("financial_proxy", -1, r"financial proxy .* of 'P1' cannot be negative"),
    ("duration", 0, r"duration \(years\) of 'P1' must be from 1 to 100"),
    ("duration", 2.5, r"duration \(years\) of 'P1' must be a whole number"),
    ("quantity", float("nan"), r"quantity of 'P1' must be a finite number"),
])
def test_bad_outcome_fields_name_the_outcome_and_field(field, value, message):
    with pytest.raises(ValueError, match=message):
        p1_outcome(**{field: value})


def test_text_instead_of_a_number_is_a_type_error():
    with pytest.raises(TypeError, match=r"quantity of 'P1' must be a number, but it is '12'"):
        p1_outcome(quantity="12")


def test_empty_name_is_refused():
    with pytest.raises(ValueError, match="needs a name"):
        Outcome(" ", "s", 1, 1)


@pytest.mark.parametrize("investment", [0, -100])
def test_investment_must_be_positive(investment):
    with pytest.raises(ValueError, match=r"investment \(EUR\) must be more than 0"):
        sroi([p1_outcome()], investment)


def test_empty_outcomes_and_wrong_items():
    with pytest.raises(ValueError, match="outcomes is empty"):
        sroi([], 100)
    with pytest.raises(TypeError, match="outcome number 1 is a dict"):
        sroi([{"name": "x"}], 100)


def test_discount_rate_outside_zero_one():
    with pytest.raises(ValueError, match="discount rate"):
        sroi([p1_outcome()], 100, discount_rate=3.5)


# --- properties -------------------------------------------------------------------------------

shares = st.floats(min_value=0, max_value=1, allow_nan=False)
outcome_st = st.builds(
    Outcome, name=st.sampled_from(["a", "b", "c"]), stakeholder=st.just("s"),
    quantity=st.floats(0, 1000), financial_proxy=st.floats(0, 50_000),
    deadweight=shares, displacement=shares, attribution=shares, drop_off=shares,
    duration=st.integers(1, 10))


@settings(max_examples=150, deadline=None)
@given(outcome_st, st.sampled_from(["deadweight", "displacement", "attribution", "drop_off"]),
       shares, st.floats(0, 0.2))
def test_ratio_never_rises_when_a_share_rises(outcome, field, new_share, rate):
    low, high = sorted([getattr(outcome, field), new_share])
    r_low = sroi([replace(outcome, **{field: low})], 10_000, rate).ratio
    r_high = sroi([replace(outcome, **{field: high})], 10_000, rate).ratio
    assert r_high <= r_low + 1e-9


@settings(max_examples=150, deadline=None)
@given(st.lists(outcome_st, min_size=1, max_size=4), st.floats(0, 0.3))
def test_present_value_equals_numpy_financial_npv(outcomes, rate):
    r = sroi(outcomes, 1000, rate)
    expected = sum(v / (1 + rate) ** t for t, v in enumerate(r.yearly_values, start=1))
    assert r.present_value == pytest.approx(npf.npv(rate, [0] + r.yearly_values), rel=1e-9, abs=1e-6)
    assert r.present_value == pytest.approx(expected, rel=1e-9, abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(outcome_st, st.floats(0.001, 0.2), st.floats(0.001, 0.2))
def test_higher_discount_rate_never_raises_present_value(outcome, r1, r2):
    low, high = sorted([r1, r2])
    assert sroi([outcome], 1000, high).present_value <= sroi([outcome], 1000, low).present_value + 1e-9
