"""Sensitivity analysis (± table, switching values) and the vectorised scenario run."""

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from welfarelab.impact import (
    OUTSIDE_SHARE_NOTE,
    SWITCHABLE_FIELDS,
    Outcome,
    format_field_value,
    sensitivity,
    sroi,
    sroi_scenarios,
    switching_value,
    switching_values,
)

MONEY = 0.01
RATIO = 1e-4

P1_PV = 8_805_876.90          # ORACLES P1: present value at r = 0.08
P1_RATIO = P1_PV / 500_000    # 17.6117538


def p1_outcome(**changes):
    base = Outcome(name="P1", stakeholder="all", quantity=1, financial_proxy=5_200_000,
                   deadweight=0.20, displacement=0.05, attribution=0.0, drop_off=0.15, duration=3)
    return replace(base, **changes)


def rising_you():
    return [
        Outcome("found a job", "young refugees", 12, 14_000, 0.30, 0.10, 0.20, 0.20, 3),
        Outcome("more self-confidence", "young refugees", 30, 1_500, 0.10, 0.0, 0.30, 0.50, 2),
        Outcome("vacancy filled", "employers", 12, 3_000, 0.25, 0.20, 0.20, 0.30, 2),
    ]


def row(table, outcome, field, step):
    hit = table[(table["outcome"] == outcome) & (table["field"] == field)
                & np.isclose(table["step"], step)]
    assert len(hit) == 1
    return hit.iloc[0]


# --- the ± table ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def p1():
    return sensitivity([p1_outcome()], 500_000, discount_rate=0.08)


def test_base_ratio_is_the_published_p1_ratio(p1):
    assert p1.base_ratio == pytest.approx(P1_RATIO, abs=RATIO)
    assert round(p1.base_ratio, 2) == 17.61


def test_deadweight_from_20_to_30_percent_by_hand(p1):
    # Value is proportional to (1 - deadweight): PV = 8,805,876.90 * 0.70 / 0.80 = 7,705,142.29
    r = row(p1.table, "P1", "deadweight", 0.1)
    assert r["base value"] == pytest.approx(0.20)
    assert r["moved value"] == pytest.approx(0.30)
    assert r["ratio"] == pytest.approx(7_705_142.29 / 500_000, abs=RATIO)  # 15.4103
    assert r["change in ratio"] == pytest.approx(15.410284575 - 17.6117538, abs=RATIO)
    assert r["note"] == ""


def test_deadweight_from_20_to_0_percent_by_hand(p1):
    r = row(p1.table, "P1", "deadweight", -0.2)
    assert r["moved value"] == pytest.approx(0.0)
    assert r["ratio"] == pytest.approx(P1_PV / 0.80 / 500_000, abs=RATIO)  # 22.0147


def test_drop_off_from_15_to_25_percent_by_hand(p1):
    # year 1: 5,200,000 * 0.8 * 0.95 = 3,952,000; then * 0.75 each year
    pv = 3_952_000 / 1.08 + 2_964_000 / 1.08 ** 2 + 2_223_000 / 1.08 ** 3
    r = row(p1.table, "P1", "drop_off", 0.1)
    assert r["moved value"] == pytest.approx(0.25)
    assert r["ratio"] == pytest.approx(pv / 500_000, abs=RATIO)


def test_proxy_and_quantity_move_relatively(p1):
    proxy = row(p1.table, "P1", "financial_proxy", 0.1)
    assert proxy["moved value"] == pytest.approx(5_720_000, abs=MONEY)
    assert proxy["ratio"] == pytest.approx(P1_RATIO * 1.1, abs=RATIO)
    quantity = row(p1.table, "P1", "quantity", -0.2)
    assert quantity["moved value"] == pytest.approx(0.8)
    assert quantity["ratio"] == pytest.approx(P1_RATIO * 0.8, abs=RATIO)
    assert quantity["change in ratio"] == pytest.approx(-0.2 * P1_RATIO, abs=RATIO)


def test_a_share_leaving_0_1_is_marked_not_clamped(p1):
    below = row(p1.table, "P1", "attribution", -0.1)   # 0 - 0.1
    assert below["moved value"] == pytest.approx(-0.1)
    assert below["ratio"] is pd.NA and below["change in ratio"] is pd.NA
    assert below["note"] == OUTSIDE_SHARE_NOTE == "outside 0–1"
    also = row(p1.table, "P1", "displacement", -0.1)    # 0.05 - 0.1
    assert also["note"] == "outside 0–1" and pd.isna(also["ratio"])
    inside = row(p1.table, "P1", "displacement", 0.1)
    assert inside["note"] == "" and inside["ratio"] == pytest.approx(
        P1_RATIO * 0.85 / 0.95, abs=RATIO)


def test_table_has_no_nan_only_marked_missing_ratios(p1):
    t = p1.table
    assert str(t["ratio"].dtype) == "Float64" and str(t["change in ratio"].dtype) == "Float64"
    missing = t["ratio"].isna()
    assert (t.loc[missing, "note"] == "outside 0–1").all()
    assert (t.loc[~missing, "note"] == "").all()
    for value in t["ratio"]:
        assert value is pd.NA or math.isfinite(value)


def test_table_shape_columns_and_order(p1):
    t = p1.table
    assert list(t.columns) == ["outcome", "field", "step", "base value", "moved value", "ratio",
                               "change in ratio", "note"]
    assert len(t) == 1 * len(SWITCHABLE_FIELDS) * 4
    assert list(t["field"][:4]) == ["deadweight"] * 4
    assert list(t["step"][:4]) == [-0.2, -0.1, 0.1, 0.2]


def test_every_ratio_in_the_table_equals_sroi():
    outcomes = rising_you()
    result = sensitivity(outcomes, 120_000, steps=(-0.3, 0.1, 0.25))
    assert len(result.table) == 3 * 6 * 3
    names = [o.name for o in outcomes]
    for r in result.table.itertuples(index=False):
        if r.note:
            continue
        i = names.index(r.outcome)
        moved = list(outcomes)
        moved[i] = replace(outcomes[i], **{r.field: r[4]})
        expected = sroi(moved, 120_000).ratio
        assert r.ratio == pytest.approx(expected, abs=1e-9)
        assert r[6] == pytest.approx(expected - result.base_ratio, abs=1e-9)


def test_fields_and_steps_can_be_chosen():
    result = sensitivity([p1_outcome()], 500_000, 0.08, steps=0.05, fields="quantity")
    assert len(result.table) == 1
    assert result.table.loc[0, "ratio"] == pytest.approx(P1_RATIO * 1.05, abs=RATIO)
    assert list(result.switching_values["field"]) == ["quantity"]


def test_a_step_of_zero_changes_nothing():
    result = sensitivity(rising_you(), 120_000, steps=[0.0])
    assert (result.table["change in ratio"] == 0).all()


# --- switching values -------------------------------------------------------------------------

def test_switching_values_agree_with_switching_value():
    outcomes = rising_you()
    table = switching_values(outcomes, 120_000)
    assert len(table) == 3 * 6
    assert list(table.columns) == ["outcome", "field", "today", "switching value", "change",
                                   "in words"]
    for r in table.itertuples(index=False):
        expected = switching_value(outcomes, 120_000, r.field, outcome=r.outcome)
        if expected is None:
            assert r[3] is pd.NA and r.change is pd.NA
        else:
            assert r[3] == pytest.approx(expected, abs=1e-12)
            assert r.change == pytest.approx(expected - r.today, abs=1e-12)


def test_sensitivity_carries_the_switching_values(p1):
    sv = p1.switching_values.set_index("field")
    # PV at deadweight 0 is 8,805,876.90 / 0.8; the ratio is 1 when (1 - d) * that = 500,000
    expected = 1 - 500_000 / (P1_PV / 0.8)
    assert sv.loc["deadweight", "switching value"] == pytest.approx(expected, abs=RATIO)
    assert sv.loc["financial_proxy", "switching value"] == pytest.approx(
        5_200_000 / P1_RATIO, abs=1)


def test_switching_value_in_plain_words(p1):
    words = p1.switching_values.set_index("field")["in words"]
    assert words["deadweight"] == ("the ratio falls to 1 if the deadweight of 'P1' rises from "
                                   "20% to 95.5% (75.5 percentage points more).")
    assert words["financial_proxy"].startswith(
        "the ratio falls to 1 if the financial proxy of 'P1' falls from €5,200,000.00 to €295,")
    assert words["financial_proxy"].endswith("(94% less).")


def test_words_when_no_value_gets_the_ratio_to_one():
    one_year = Outcome("coaching", "pupils", 10, 100, duration=1)
    big = Outcome("big", "all", 1, 1_000_000, duration=1)
    table = switching_values([big, one_year], 1_000).set_index(["outcome", "field"])
    words = table["in words"]
    assert "lasts only one year" in words[("coaching", "drop_off")]
    assert words[("coaching", "deadweight")] == (
        "the ratio stays above 1 even if the deadweight of 'coaching' rises to 100%: the other "
        "outcomes alone cover the investment.")
    assert pd.isna(table.loc[("coaching", "deadweight"), "switching value"])
    low = switching_values([Outcome("a", "s", 1, 100, deadweight=0.5)], 1_000)
    assert "the ratio stays below 1 even if the deadweight of 'a' falls to 0%." in set(
        low["in words"])
    assert "the ratio rises to 1 if the quantity of 'a' rises from 1 to 20.7" in (
        low.set_index("field").loc["quantity", "in words"])


@pytest.mark.parametrize("field,value,shown", [
    ("deadweight", 0.3, "30%"), ("drop_off", 0.947, "94.7%"), ("attribution", 0.0, "0%"),
    ("financial_proxy", 14_000, "€14,000.00"), ("quantity", 12, "12"), ("quantity", 3.456, "3.46"),
])
def test_format_field_value(field, value, shown):
    assert format_field_value(field, value) == shown


# --- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs,error,message", [
    ({"steps": [0.1, 1.5]}, ValueError, "each step must be between -1 and 1, but one is 1.5"),
    ({"steps": []}, ValueError, "steps is empty"),
    ({"steps": ["0.1"]}, TypeError, "each step must be a number"),
    ({"fields": ["price"]}, ValueError, "fields must be taken from deadweight"),
    ({"fields": []}, ValueError, "fields is empty"),
    ({"discount_rate": 3.5}, ValueError, "discount rate"),
])
def test_sensitivity_rejects_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        sensitivity([p1_outcome()], 500_000, **kwargs)


def test_sensitivity_needs_distinct_outcome_names():
    with pytest.raises(ValueError, match="Two outcomes are called 'P1'"):
        sensitivity([p1_outcome(), p1_outcome()], 500_000)
    with pytest.raises(ValueError, match=r"investment \(EUR\) must be more than 0"):
        sensitivity([p1_outcome()], 0)


# --- scenarios --------------------------------------------------------------------------------

def test_scenarios_reproduce_the_p1_oracle():
    ratios = sroi_scenarios([p1_outcome()], 500_000, {"deadweight": np.array([0.20, 0.30])},
                            discount_rate=0.08)
    assert ratios.shape == (2,)
    assert ratios[0] == pytest.approx(P1_RATIO, abs=RATIO)
    assert ratios[1] == pytest.approx(7_705_142.29 / 500_000, abs=RATIO)


def test_scenarios_equal_sroi_for_each_scenario():
    outcomes = rising_you()
    rng = np.random.default_rng(42)
    n = 50
    draws = {
        "deadweight": rng.uniform(0.1, 0.5, size=(n, 3)),
        "attribution": rng.uniform(0.0, 0.4, size=n),            # one value for every outcome
        "drop_off": rng.uniform(0.0, 0.7, size=(n, 3)),
        "financial_proxy": rng.uniform(500, 20_000, size=(n, 3)),
        "quantity": rng.integers(0, 40, size=(n, 3)),
    }
    ratios = sroi_scenarios(outcomes, 120_000, draws, discount_rate=0.05)
    assert ratios.shape == (n,)
    for s in (0, 1, 17, n - 1):
        moved = [replace(o, deadweight=draws["deadweight"][s, i],
                         attribution=draws["attribution"][s],
                         drop_off=draws["drop_off"][s, i],
                         financial_proxy=draws["financial_proxy"][s, i],
                         quantity=int(draws["quantity"][s, i]))
                 for i, o in enumerate(outcomes)]
        assert ratios[s] == pytest.approx(sroi(moved, 120_000, 0.05).ratio, rel=1e-12)


def test_fields_not_drawn_keep_the_outcomes_values():
    outcomes = rising_you()
    same = np.tile([o.displacement for o in outcomes], (5, 1))
    ratios = sroi_scenarios(outcomes, 120_000, {"displacement": same})
    assert ratios == pytest.approx([sroi(outcomes, 120_000).ratio] * 5, rel=1e-12)


shares = st.floats(0, 1, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(shares, shares, st.floats(0, 50_000), st.integers(1, 8)),
                min_size=1, max_size=4),
       st.floats(0, 0.2))
def test_scenarios_equal_sroi_property(rows, rate):
    outcomes = [Outcome(f"o{i}", "s", 10, 1_000, deadweight=0.1, drop_off=0.1, duration=d)
                for i, (_, _, _, d) in enumerate(rows)]
    draws = {"deadweight": np.array([[r[0] for r in rows]]),
             "drop_off": np.array([[r[1] for r in rows]]),
             "financial_proxy": np.array([[r[2] for r in rows]])}
    moved = [replace(o, deadweight=r[0], drop_off=r[1], financial_proxy=r[2])
             for o, r in zip(outcomes, rows)]
    got = sroi_scenarios(outcomes, 5_000, draws, rate)[0]
    assert got == pytest.approx(sroi(moved, 5_000, rate).ratio, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("draws,error,message", [
    ({}, ValueError, "draws is empty"),
    ([0.1], TypeError, "draws must be a dictionary"),
    ({"price": np.ones(3)}, ValueError, "unknown field 'price'"),
    ({"deadweight": np.ones((4, 2))}, ValueError,
     r"has shape \(4, 2\); it must be \(n_scenarios,\) .* \(n_scenarios, 3\)"),
    ({"deadweight": np.ones((2, 2, 3))}, ValueError, "has shape"),
    ({"deadweight": np.full(4, 0.1), "quantity": np.ones(5)}, ValueError,
     "has 5 scenarios but draws\\['deadweight'\\] has 4"),
    ({"deadweight": np.array([[0.1, 0.2, 0.3], [0.1, 1.2, 0.3]])}, ValueError,
     "must hold shares between 0 and 1, but row 1 \\(outcome 'more self-confidence'\\) is 1.2"),
    ({"attribution": np.array([30.0])}, ValueError, "25 % is 0.25"),
    ({"financial_proxy": np.array([100.0, -1.0])}, ValueError,
     "cannot be negative, but row 1 .* is -1"),
    ({"quantity": np.array([1.0, np.nan])}, ValueError, "holds nan in row 1"),
    ({"deadweight": np.array(["0.1", "0.2"])}, TypeError, "must hold numbers only"),
    ({"deadweight": np.array([], dtype=float)}, ValueError, "holds no scenarios"),
])
def test_scenarios_reject_bad_draws(draws, error, message):
    with pytest.raises(error, match=message):
        sroi_scenarios(rising_you(), 120_000, draws)


def test_scenarios_check_investment_and_rate():
    with pytest.raises(ValueError, match=r"investment \(EUR\) must be more than 0"):
        sroi_scenarios(rising_you(), -1, {"deadweight": np.ones(2) * 0.1})
    with pytest.raises(ValueError, match="discount rate"):
        sroi_scenarios(rising_you(), 1, {"deadweight": np.ones(2) * 0.1}, discount_rate=2)
