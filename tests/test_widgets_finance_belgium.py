"""The finance widgets' Belgian extras (issue 16 §2): a subsidy per participant in the
break-even calculator; holiday pay, a year-end bonus, VAT and payment terms in the cash-flow
calculator. Each test drives the form as a student would and compares what it shows with the
pure function in welfarelab.finance on the same inputs."""

import pytest

from welfarelab import finance
from welfarelab.widgets.finance import BreakEvenCalculator, CashFlowCalculator


def test_break_even_subsidy_per_participant_widens_the_margin():
    be = BreakEvenCalculator(chart=False, subsidy_per_unit=1_500)
    expected = finance.break_even(175_000, 6_000, 2_000, subsidy=60_000, subsidy_per_unit=1_500)
    assert be.result == expected
    assert be.result.units == pytest.approx(115_000 / 5_500)
    assert "€1,500.00 per participant included" in be.summary.value
    be.subsidy_per_unit.value = "0"
    assert be.result == finance.break_even(175_000, 6_000, 2_000, subsidy=60_000)
    assert "subsidy_per_unit" not in be.inputs


def test_break_even_subsidy_per_participant_with_a_chart():
    be = BreakEvenCalculator(subsidy_per_unit=2_500)  # more than the variable cost of 2,000
    assert be.result.contribution_margin == pytest.approx(6_500)
    assert be.figure is not None
    assert be.message.value == ""
    be.subsidy_per_unit.value = "-5"
    assert be.result is None
    assert "subsidy per participant" in be.message.value


def test_break_even_mix_with_a_subsidy_per_participant():
    be = BreakEvenCalculator(chart=False, use_mix=True, subsidy_per_unit=500)
    tariffs = {"partner company": (0.60, 7_000), "small company (SME)": (0.30, 5_000),
               "self-funded (social tariff)": (0.10, 1_000)}
    assert be.result == finance.break_even_mix(175_000, tariffs, 2_000, subsidy=60_000,
                                               subsidy_per_unit=500)


def test_cash_flow_holiday_pay_and_bonus_from_the_form():
    calc = CashFlowCalculator(chart=False, holiday_pay=13_800, year_end_bonus=12_000)
    expected = finance.cash_flow(30_000, 18_000, 26_000, 12, tranches={6: 75_000},
                                 holiday_pay=13_800, year_end_bonus=12_000)
    assert calc.result.table.equals(expected.table)
    assert calc.result.first_negative_month == 4
    assert calc.result.lowest_month == 5
    assert "holiday pay of €13,800.00 in May" in calc.summary.value
    calc.holiday_pay.value = "0"
    calc.year_end_bonus.value = "0"
    plain = finance.cash_flow(30_000, 18_000, 26_000, 12, tranches={6: 75_000})
    assert calc.result.table.equals(plain.table)


def test_cash_flow_vat_and_payment_term_dropdowns():
    calc = CashFlowCalculator(chart=False)
    calc.vat_rate.value = 0.21
    calc.payment_term.value = 60
    expected = finance.cash_flow(30_000, 18_000, 26_000, 12, tranches={6: 75_000},
                                 vat_rate=0.21, payment_term_days=60)
    assert calc.result.table.equals(expected.table)
    assert calc.result.table["inflow"].tolist()[:3] == [0, 0, 18_000 * 1.21]
    assert "VAT of 21%" in calc.summary.value
    assert "60 days" in calc.summary.value


def test_cash_flow_refuses_a_vat_rate_the_form_does_not_offer():
    with pytest.raises(ValueError, match="not one of the choices"):
        CashFlowCalculator(chart=False, vat_rate=0.12)


def test_loan_calculator_compares_with_a_winwinlening():
    from welfarelab.widgets.finance import LoanCalculator

    calc = LoanCalculator(60_000, 0.035, 60, chart=False, winwin_rate=0.03, guarantee_rate=0.005)
    expected = finance.compare_loans(60_000, 5, bank_rate=0.035, winwin_rate=0.03,
                                     guarantee_rate=0.005)
    assert calc.comparison.equals(expected)
    text = calc.summary.value
    assert "€5,490.28 + €1,125.00 = €6,615.28" in text
    assert "For the enterprise the Winwinlening costs less" in text
    calc.compare.value = False
    assert calc.comparison is None
    assert "Winwinlening" not in calc.summary.value
    assert calc.compare_box.layout.display == "none"
    calc.compare.value = True
    calc.guarantee_rate.value = "0"
    assert calc.comparison.loc["bank loan", "guarantee_premium"] == 0


def test_loan_calculator_comparison_needs_whole_years_and_a_rate():
    from welfarelab.widgets.finance import LoanCalculator

    calc = LoanCalculator(60_000, 0.035, 66, chart=False, winwin_rate=0.03)
    assert calc.result is None
    assert "whole years" in calc.message.value
    calc.months.value = "60"
    assert calc.comparison is not None
    calc.winwin_rate.value = ""
    assert calc.result is None
    assert "Winwinlening rate" in calc.message.value
    off = LoanCalculator(60_000, 0.035, 66, chart=False)
    assert off.result is not None and off.comparison is None
