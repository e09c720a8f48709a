"""Tests of welfarelab.finance's Belgian money flows (issue 16 §2): per-unit subsidies in the
break-even, holiday pay, year-end bonus, VAT and payment terms in the cash-flow plan, subsidy
tranches, the Winwinlening and the PMV guarantee premium. Oracles are the sources' own figures
(named in each test) or cases computed by hand; properties with hypothesis."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from welfarelab.finance import (
    DOUBLE_HOLIDAY_PAY_SHARE,
    WINWIN_TAX_CREDIT,
    break_even,
    break_even_mix,
    cash_flow,
    double_holiday_pay,
    guarantee_premium,
    loan_payment,
    subsidy_tranches,
    wage_premium,
    winwin_loan,
    year_end_bonus,
)

MONEY = 0.01
RATIO = 1e-6


# ------------------------------------------------------------------ per-unit vs lump-sum subsidy

def test_per_unit_subsidy_widens_the_margin_hand_computed():
    # 160,000 / (4,800 + 1,500 - 1,400) = 32.653...
    r = break_even(160_000, 4_800, 1_400, subsidy_per_unit=1_500)
    assert r.contribution_margin == pytest.approx(4_900)
    assert r.units == pytest.approx(160_000 / 4_900)
    assert r.units_rounded == 33
    assert r.revenue == pytest.approx(160_000 / 4_900 * 4_800)
    assert r.margin_ratio == pytest.approx(4_900 / 6_300)


def test_lump_sum_and_per_unit_subsidy_shift_break_even_differently():
    # the same EUR 60,000 a year: as a lump sum it lowers the fixed costs (29.41 units);
    # as EUR 60,000 / 40 = 1,500 per unit it widens the margin (32.65 units)
    lump = break_even(160_000, 4_800, 1_400, subsidy=60_000)
    per_unit = break_even(160_000, 4_800, 1_400, subsidy_per_unit=60_000 / 40)
    assert lump.units == pytest.approx(100_000 / 3_400)
    assert per_unit.units == pytest.approx(160_000 / 4_900)
    assert lump.units < per_unit.units


def test_per_unit_subsidy_default_leaves_break_even_unchanged():
    a = break_even(120_000, 14, 6, subsidy=40_000)
    b = break_even(120_000, 14, 6, subsidy=40_000, subsidy_per_unit=0)
    assert a == b
    assert a.units == pytest.approx(10_000)


def test_per_unit_subsidy_rescues_a_price_below_cost():
    r = break_even(10_000, 5, 6, subsidy_per_unit=3)
    assert r.contribution_margin == pytest.approx(2)
    assert r.units == pytest.approx(5_000)
    with pytest.raises(ValueError, match="plus the subsidy per unit"):
        break_even(10_000, 5, 6, subsidy_per_unit=1)
    with pytest.raises(ValueError, match="subsidy per unit"):
        break_even(10_000, 5, 6, subsidy_per_unit=-1)


def test_per_unit_subsidy_in_a_tariff_mix():
    # weighted price 0.5 x 6,000 + 0.3 x 4,000 + 0.2 x 1,000 = 4,400; + 500 - 1,400 = 3,500
    tariffs = {"large": (0.5, 6_000), "SME": (0.3, 4_000), "social": (0.2, 1_000)}
    r = break_even_mix(160_000, tariffs, 1_400, subsidy=60_000, subsidy_per_unit=500)
    assert r.contribution_margin == pytest.approx(3_500)
    assert r.units == pytest.approx(100_000 / 3_500)
    assert r.margin_per_tariff["social"] == pytest.approx(100)
    assert r.margin_ratio == pytest.approx(3_500 / 4_900)
    assert break_even_mix(160_000, tariffs, 1_400, subsidy=60_000, subsidy_per_unit=0) == \
        break_even_mix(160_000, tariffs, 1_400, subsidy=60_000)


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 1e6), st.floats(1, 1e4), st.floats(0, 1e3), st.floats(0.01, 1e3))
def test_more_per_unit_subsidy_never_raises_break_even(fixed, price, extra, per_unit):
    variable = price / 2
    low = break_even(fixed, price, variable, subsidy_per_unit=extra)
    high = break_even(fixed, price, variable, subsidy_per_unit=extra + per_unit)
    assert high.units <= low.units + 1e-9


# ------------------------------------------------------------------ maatwerk wage premium

def test_wage_premium_share_of_capped_wage_plus_support():
    assert wage_premium(30_000, 0.55) == pytest.approx(16_500)
    assert wage_premium(30_000, 0.55, wage_ceiling=25_000) == pytest.approx(13_750)
    assert wage_premium(30_000, 0.40, wage_ceiling=40_000, support_premium=2_000) == \
        pytest.approx(14_000)


def test_wage_premium_bad_inputs():
    with pytest.raises(ValueError, match="wage premium"):
        wage_premium(30_000, 55)
    with pytest.raises(ValueError, match="annual wage cost"):
        wage_premium(-1, 0.5)
    with pytest.raises(ValueError, match="support premium"):
        wage_premium(30_000, 0.5, support_premium=-5)
    with pytest.raises(TypeError):
        wage_premium("30000", 0.5)


# ------------------------------------------------------------------ payroll extras

def test_double_holiday_pay_is_92_percent_of_a_monthly_salary():
    # Knack Moneytalk / vacature.com: "92 procent van een gewoon maandloon"
    assert DOUBLE_HOLIDAY_PAY_SHARE == 0.92
    assert double_holiday_pay(3_000) == pytest.approx(2_760)
    assert double_holiday_pay(3_000, share=0.5) == pytest.approx(1_500)
    with pytest.raises(ValueError, match="share of a monthly salary"):
        double_holiday_pay(3_000, share=92)


def test_year_end_bonus_pc_319_01_form():
    # ACV LBC-NVK, PC 319.01: 130.54 EUR + 7.57 % of (October gross salary x 12)
    assert year_end_bonus(2_500, 0.0757, 130.54) == pytest.approx(130.54 + 0.0757 * 30_000)
    assert year_end_bonus(2_500, 0.0757, 130.54) == pytest.approx(2_401.54, abs=MONEY)
    with pytest.raises(ValueError, match="fixed part"):
        year_end_bonus(2_500, 0.0757, -1)


# ------------------------------------------------------------------ the cash-flow plan

def test_cash_flow_defaults_unchanged():
    r = cash_flow(40_000, 14_000, 22_000, 12, tranches={7: 90_000})
    assert list(r.table.columns) == ["month", "opening", "inflow", "outflow", "tranche", "closing"]
    assert r.first_negative_month == 6
    assert r.lowest_month == 6
    assert r.table["closing"].iloc[-1] == pytest.approx(34_000)


def test_cash_flow_holiday_pay_and_bonus_fall_in_their_calendar_months():
    r = cash_flow(10_000, 1_000, 1_000, 12, holiday_pay=2_760, year_end_bonus=2_400)
    t = r.table
    assert list(t.columns) == ["month", "calendar_month", "opening", "sales", "inflow", "outflow",
                               "holiday_pay", "year_end_bonus", "vat_paid", "tranche", "closing"]
    assert t.loc[t["holiday_pay"] > 0, "month"].tolist() == [5]
    assert t.loc[t["year_end_bonus"] > 0, "month"].tolist() == [12]
    assert t["closing"].iloc[4] == pytest.approx(10_000 - 2_760)
    assert t["closing"].iloc[-1] == pytest.approx(10_000 - 2_760 - 2_400)
    assert r.lowest_month == 12


def test_cash_flow_start_month_and_june_holiday_pay_over_two_years():
    # the plan starts in March: June is plan month 4 and 16, December plan month 10 and 22
    r = cash_flow(0, 5_000, 5_000, 24, start_month=3, holiday_pay=1_000, holiday_pay_month=6,
                  year_end_bonus=500)
    t = r.table
    assert t["calendar_month"].tolist()[:3] == [3, 4, 5]
    assert t.loc[t["holiday_pay"] > 0, "month"].tolist() == [4, 16]
    assert t.loc[t["year_end_bonus"] > 0, "month"].tolist() == [10, 22]
    assert r.first_negative_month == 4
    assert t["closing"].iloc[-1] == pytest.approx(-3_000)


def test_cash_flow_quarterly_vat_paid_the_month_after_the_quarter():
    # sales 10,000 a month at 21 %: 2,100 VAT a month; input VAT 500: net 1,600 a month,
    # 4,800 a quarter, paid in April, July and October; December's quarter falls after the plan
    r = cash_flow(10_000, 10_000, 9_000, 12, vat_rate=0.21, input_vat=500)
    t = r.table
    assert t.loc[t["vat_paid"] > 0, "month"].tolist() == [4, 7, 10]
    assert t["vat_paid"].sum() == pytest.approx(3 * 4_800)
    assert t["inflow"].iloc[0] == pytest.approx(12_100)
    assert t["closing"].iloc[-1] == pytest.approx(10_000 + 12 * (12_100 - 9_000) - 3 * 4_800)


def test_cash_flow_monthly_vat_and_a_credit_carried_forward():
    r = cash_flow(0, [1_000, 1_000, 1_000], 0, 3, vat_rate=0.21, input_vat=[500, 0, 0],
                  vat_period="month")
    # month 1: 210 - 500 = -290 carried; month 2: 210 - 290 = -80 carried; month 3: 210 - 80
    # = 130 due in month 4, after the plan
    assert r.table["vat_paid"].tolist() == [0, 0, 0]
    r = cash_flow(0, 1_000, 0, 4, vat_rate=0.21, vat_period="month")
    assert r.table["vat_paid"].tolist() == pytest.approx([0, 210, 210, 210])


def test_cash_flow_payment_term_shifts_receipts():
    r = cash_flow(5_000, 3_000, 2_000, 6, payment_term_days=60)
    t = r.table
    assert t["sales"].tolist() == [3_000] * 6
    assert t["inflow"].tolist() == [0, 0, 3_000, 3_000, 3_000, 3_000]
    assert r.first_negative_month is None
    assert r.lowest_month == 2
    assert t["closing"].iloc[1] == pytest.approx(1_000)
    r = cash_flow(3_000, 3_000, 2_000, 6, payment_term_days=60)
    assert r.first_negative_month == 2


def test_cash_flow_vat_is_due_on_invoices_not_on_receipts():
    # sold in January with 90 days' credit: the VAT of Q1 is paid in April, the customer's
    # money for March's sale only arrives in June
    r = cash_flow(0, 1_000, 0, 5, vat_rate=0.21, payment_term_days=90)
    t = r.table
    assert t["inflow"].tolist() == [0, 0, 0, 1_210, 1_210]
    assert t["vat_paid"].tolist() == pytest.approx([0, 0, 0, 630, 0])
    assert r.first_negative_month is None
    assert t["closing"].tolist() == pytest.approx([0, 0, 0, 580, 1_790])


def test_cash_flow_belgian_options_bad_inputs():
    with pytest.raises(ValueError, match="payment term"):
        cash_flow(0, 0, 0, 6, payment_term_days=45)
    with pytest.raises(ValueError, match="VAT period"):
        cash_flow(0, 0, 0, 6, vat_rate=0.21, vat_period="year")
    with pytest.raises(ValueError, match="VAT rate"):
        cash_flow(0, 0, 0, 6, vat_rate=21)
    with pytest.raises(ValueError, match="holiday pay month"):
        cash_flow(0, 0, 0, 6, holiday_pay=100, holiday_pay_month=13)
    with pytest.raises(ValueError, match="start month"):
        cash_flow(0, 0, 0, 6, start_month=0)
    with pytest.raises(ValueError, match="input VAT"):
        cash_flow(0, 0, 0, 3, input_vat=[1, 2])
    with pytest.raises(ValueError, match="year-end bonus"):
        cash_flow(0, 0, 0, 3, year_end_bonus=-1)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 36), st.integers(1, 12), st.floats(0, 1e5), st.floats(0, 1e5))
def test_extras_lower_the_closing_balance_by_exactly_what_is_paid(months, start, holiday, bonus):
    plain = cash_flow(1_000, 2_000, 1_500, months, start_month=start)
    extra = cash_flow(1_000, 2_000, 1_500, months, start_month=start, holiday_pay=holiday,
                      year_end_bonus=bonus)
    # with nothing switched on the plain table comes back, without these two columns
    paid = extra.table.filter(["holiday_pay", "year_end_bonus"]).to_numpy().sum()
    assert np.isclose(plain.table["closing"].iloc[-1] - extra.table["closing"].iloc[-1], paid)
    assert (extra.table["closing"] <= plain.table["closing"] + 1e-6).all()


# ------------------------------------------------------------------ subsidy tranches

def test_subsidy_tranches_split():
    assert subsidy_tranches(90_000, {3: 0.6, 14: 0.4}) == {3: 54_000.0, 14: 36_000.0}
    with pytest.raises(ValueError, match="add up to 1"):
        subsidy_tranches(90_000, {3: 0.6, 14: 0.5})
    with pytest.raises(TypeError, match="dict"):
        subsidy_tranches(90_000, [0.6, 0.4])
    with pytest.raises(ValueError, match="empty"):
        subsidy_tranches(90_000, {})


# ------------------------------------------------------------------ Winwinlening, guarantee

def test_winwin_bullet_loan_lender_earns_rate_plus_credit():
    # all capital repaid at the end: each year the lender gets rate + 2.5 % on the principal,
    # so the lender's yearly return is exactly 3 % + 2.5 % = 5.5 %
    r = winwin_loan(20_000, 0.03, 8)
    assert WINWIN_TAX_CREDIT == 0.025
    assert r.enterprise_interest == pytest.approx(8 * 600)
    assert r.lender_tax_credit == pytest.approx(8 * 500)
    assert r.lender_net_income == pytest.approx(8 * 1_100)
    assert r.enterprise_rate == pytest.approx(0.03, abs=RATIO)
    assert r.lender_rate == pytest.approx(0.055, abs=RATIO)
    assert r.table["repaid"].tolist() == [0] * 7 + [20_000]


def test_winwin_annuity_with_withholding_tax():
    # on every euro outstanding the lender earns 3 % x (1 - 30 %) + 2.5 % = 4.6 % a year
    r = winwin_loan(20_000, 0.03, 8, repayment="annuity", withholding_tax=0.30)
    t = r.table
    payment = -loan_payment(20_000, 0.03, 8 * 12)  # a monthly loan, only to check the size
    assert payment > 0
    assert (t["interest"] + t["repaid"]).to_numpy() == pytest.approx(
        [(t["interest"] + t["repaid"]).iloc[0]] * 8)
    assert t["repaid"].sum() == pytest.approx(20_000)
    assert r.lender_rate == pytest.approx(0.03 * 0.7 + 0.025, abs=RATIO)
    assert r.enterprise_rate == pytest.approx(0.03, abs=RATIO)
    assert t["tax_credit"].sum() == pytest.approx(0.025 * t["outstanding"].sum())


def test_winwin_bad_inputs():
    with pytest.raises(ValueError, match="repayment"):
        winwin_loan(20_000, 0.03, 8, repayment="balloon")
    with pytest.raises(ValueError, match="years"):
        winwin_loan(20_000, 0.03, 0)
    with pytest.raises(ValueError, match="principal"):
        winwin_loan(0, 0.03, 8)


def test_guarantee_premium_cultuurloket_worked_example():
    # Cultuurloket: (35,000 x 75 %) x 10 x 0.5 % = 1,312.50; over 4 years 525
    assert guarantee_premium(35_000, 10, 0.005) == pytest.approx(1_312.50, abs=MONEY)
    assert guarantee_premium(35_000, 4, 0.005) == pytest.approx(525, abs=MONEY)
    assert guarantee_premium(35_000, 4, 0.005, coverage=0.5) == pytest.approx(350, abs=MONEY)
    with pytest.raises(ValueError, match="coverage"):
        guarantee_premium(35_000, 4, 0.005, coverage=75)


def test_compare_loans_puts_both_loans_side_by_side():
    from welfarelab.finance import compare_loans, loan_schedule

    table = compare_loans(60_000, 5, bank_rate=0.035, winwin_rate=0.03, guarantee_rate=0.005)
    assert list(table.index) == ["bank loan", "Winwinlening"]
    bank_interest = -loan_schedule(60_000, 0.035, 60)["interest"].sum()
    assert table.loc["bank loan", "enterprise_interest"] == pytest.approx(bank_interest)
    # numpy-financial: 60 x 1,091.50... - 60,000 = 5,490.28
    assert table.loc["bank loan", "enterprise_interest"] == pytest.approx(5_490.28, abs=MONEY)
    # Cultuurloket's rule: 60,000 x 75 % x 5 years x 0.5 % = 1,125
    assert table.loc["bank loan", "guarantee_premium"] == pytest.approx(1_125)
    assert table.loc["bank loan", "enterprise_cost"] == pytest.approx(bank_interest + 1_125)
    winwin = winwin_loan(60_000, 0.03, 5, repayment="annuity")
    assert table.loc["Winwinlening", "enterprise_cost"] == pytest.approx(winwin.enterprise_interest)
    assert table.loc["Winwinlening", "lender_tax_credit"] == pytest.approx(winwin.lender_tax_credit)
    assert table.loc["Winwinlening", "lender_income"] == pytest.approx(
        winwin.enterprise_interest + winwin.lender_tax_credit)
    no_guarantee = compare_loans(60_000, 5, bank_rate=0.035, winwin_rate=0.03)
    assert no_guarantee.loc["bank loan", "guarantee_premium"] == 0
