"""Money for a social enterprise: break-even, revenue mix, cash flow, loans, NPV/IRR, cost per result.

Method sources: the course's stated conventions (below; no single standard exists) and, for loans, NPV and IRR,
numpy-financial's conventions, which this module calls and does not re-implement:

* **Sign convention** (numpy-financial): cash received is positive, cash paid is negative. A loan
  you receive is a positive principal, so its monthly payment comes out negative.
* **Rate and periods in the same unit**: loans take a yearly rate and a number of months and
  use ``annual_rate / 12`` per month.
* **Break-even units** = (fixed costs - operating subsidy + target surplus)
  / (price + subsidy per unit - variable cost). A lump-sum subsidy covers fixed costs; a
  subsidy paid per unit (per worker, participant or hour, e.g. a maatwerk wage premium) widens
  the contribution margin instead. A contribution margin of 0 or less
  has no break-even (each unit loses money) and raises an error. With a tariff mix, the
  share-weighted price is used. Units are reported exactly and rounded up.
* **Subsidy dependency** = (government subsidies + grants) / total revenue; **earned-income
  ratio** = market income / total revenue; **revenue concentration** = Herfindahl-Hirschman
  index, the sum of squared shares. (Yaron's "Subsidy Dependence Index" from microfinance is a
  different measure and is not used here.)
* **Cash runway** = cash / (monthly outflow - monthly inflow), infinite when nothing is burnt.
  A month-by-month balance with one-off tranches shows the first month whose closing balance
  is below zero (< 0, not <= 0). Optional Belgian flows put holiday pay, the year-end bonus,
  VAT (paid the month after each period) and customers' payment terms in their own months.
* **Winwinlening** and **PMV guarantee**: :func:`winwin_loan` and :func:`guarantee_premium`,
  with the rules and their sources in their docstrings.
* **Cost per beneficiary / completer / outcome** = total cost (direct + stated overhead)
  divided by the people reached / completing / achieving the outcome.

Shares are decimals 0-1 (25 % is 0.25). Bad input raises a ``ValueError`` or ``TypeError``
that names the field and the allowed range. No function returns NaN or inf, except
:func:`runway`, whose infinite answer is documented.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy_financial as npf
import pandas as pd

from . import validation as check
from .i18n import N_, _, babel_locale, number_text
from .money import eur

#: Longest loan or cash-flow plan accepted, in months (50 years).
MAX_MONTHS = 600

#: Smallest annual loan rate above 0 (0.01 % a year). numpy-financial's ``pmt`` loses precision
#: (or returns inf/NaN) for rates just above 0, so rates between 0 and this are refused.
MIN_ANNUAL_RATE = 1e-4

#: How far the tariff shares may be from adding up to 1.
SHARE_SUM_TOLERANCE = 1e-9

#: Amounts closer to zero than this (EUR) are floating-point noise and count as zero.
_NOISE = 1e-9

_WHEN = ("end", "begin")


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

def _amount(value: float) -> str:
    """An amount of EUR in a message. English keeps the plain number the message has always
    shown after its "EUR" (``"1400"``: ``number_text``); in another language the amount is
    written with :func:`welfarelab.money.eur` in that language's Belgian format
    (``"€ 1.400,00"``), and the translation leaves out the "EUR" before it."""
    if babel_locale() is None:
        return number_text(value)
    return eur(value)


def _finite(value: float, what: str) -> float:
    """Return ``value`` as a float, or raise if a calculation overflowed to inf or NaN."""
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(_(
            "The {what} cannot be calculated: the numbers are too large or too small. "
            "Check the amounts you typed (for example a missing decimal point)."
        ).format(what=_(what)))
    return value


def _round_up(units: float) -> int:
    """Round up to whole units, ignoring floating-point noise (15000.000000000002 -> 15000)."""
    return math.ceil(round(units, 9))


def _sequence(values, field_name: str) -> list:
    """Return ``values`` as a list, or raise if it is text, a single number or a dict."""
    if isinstance(values, (str, bytes, Mapping)) or not hasattr(values, "__iter__"):
        raise TypeError(_(
            "{field} must be a list of numbers, for example [-1000, 300, 400, 500], but it is "
            "{value} ({kind})."
        ).format(field=field_name, value=repr(values), kind=type(values).__name__))
    return list(values)


def _when(when) -> str:
    if when not in _WHEN:
        raise ValueError(_(
            'when must be "end" (payments at the end of each month, the usual loan) or '
            '"begin" (payments at the start of each month), but it is {when}.'
        ).format(when=repr(when)))
    return when


def _names(sources, field_name: str) -> list:
    """Return a list of source names; a single text is one name, not a list of letters."""
    if sources is None:
        return []
    if isinstance(sources, str):
        return [sources]
    if isinstance(sources, Mapping) or not hasattr(sources, "__iter__"):
        raise TypeError(_(
            "{field} must be a list of source names, for example ['Flemish subsidy'], but it "
            "is {value}."
        ).format(field=field_name, value=repr(sources)))
    names = []
    for name in sources:
        if name not in names:
            names.append(name)
    return names


# --------------------------------------------------------------------------------------------
# break-even
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BreakEvenResult:
    """What :func:`break_even` returns. All amounts are for the same period as the fixed costs.

    Attributes:
        units: exact number of units (sessions, meals, nights, ...) to sell to break even
            (float). 0 when the subsidy already covers the fixed costs and the target surplus.
        units_rounded: ``units`` rounded up to a whole unit (int): you cannot sell 434.8 meals.
        revenue: break-even revenue in EUR, ``units * price`` (from the exact units).
        contribution_margin: price - variable cost, in EUR per unit: what each unit sold
            contributes to the fixed costs.
        margin_ratio: contribution margin / price, a share 0-1.
    """

    units: float
    units_rounded: int
    revenue: float
    contribution_margin: float
    margin_ratio: float


@dataclass(frozen=True)
class BreakEvenMixResult(BreakEvenResult):
    """What :func:`break_even_mix` returns: :class:`BreakEvenResult` for a tariff mix, plus:

    Attributes:
        weighted_price: share-weighted average price, in EUR per unit.
        margin_per_tariff: for each tariff name, its price - variable cost, in EUR per unit
            (negative for a tariff sold below cost, e.g. a social tariff).

    ``units`` counts units over all tariffs together; ``contribution_margin`` is the
    share-weighted margin (weighted price - variable cost) and ``margin_ratio`` is that margin
    divided by the weighted price.
    """

    weighted_price: float
    margin_per_tariff: dict


def _break_even_units(fixed_costs, subsidy, target_surplus, margin) -> float:
    fixed_costs = check.non_negative(fixed_costs, _("fixed costs (EUR)"))
    subsidy = check.non_negative(subsidy, _("subsidy (EUR)"))
    target_surplus = check.non_negative(target_surplus, _("target surplus (EUR)"))
    to_cover = fixed_costs - subsidy + target_surplus
    if to_cover <= 0:
        return 0.0  # the subsidy already covers the fixed costs (and the target surplus)
    return _finite(to_cover / margin, N_("break-even number of units"))


def break_even(fixed_costs, price, variable_cost, subsidy=0.0,
               target_surplus=0.0, subsidy_per_unit=0.0) -> BreakEvenResult:
    """Break-even point: how many units must be sold to cover the fixed costs.

    ``units = (fixed_costs - subsidy + target_surplus) / (price + subsidy_per_unit - variable_cost)``.
    Use the same period for every amount (for example all per year).

    Two kinds of subsidy move the break-even point differently. A **lump sum** (``subsidy``,
    e.g. a project grant) lowers the fixed costs to cover: the numerator shrinks. A
    **per-unit subsidy** (``subsidy_per_unit``, e.g. a Flemish *loonpremie* paid for each
    target-group worker in *maatwerk*, see :func:`wage_premium`) is paid again for every unit,
    so it lowers the net variable cost and widens the contribution margin: the denominator
    grows. With ``subsidy_per_unit=0`` (the default) the formula is the one above without it.

    Args:
        fixed_costs: costs that do not change with the number of units (rent, staff), in EUR
            per period; 0 or more.
        price: price of one unit, in EUR per unit; 0 or more.
        variable_cost: cost of one more unit (ingredients, materials), in EUR per unit; 0 or
            more, and below the price.
        subsidy: operating subsidy for the same period, in EUR; 0 or more. It covers fixed
            costs. When it covers all of them (and the target surplus), ``units`` is 0, never
            negative.
        target_surplus: surplus (profit) you want on top of breaking even, in EUR; 0 or more.
        subsidy_per_unit: subsidy paid for each unit (each worker, participant or hour), in
            EUR per unit; 0 or more (default 0: no per-unit subsidy).

    Returns:
        :class:`BreakEvenResult` with ``units`` (exact), ``units_rounded`` (rounded up),
        ``revenue`` (EUR, sales only: ``units * price``), ``contribution_margin`` (EUR per
        unit, ``price + subsidy_per_unit - variable_cost``) and ``margin_ratio`` (0-1, the
        margin divided by the income per unit, ``price + subsidy_per_unit``).

    Raises:
        ValueError: a negative amount, NaN, or a price (plus per-unit subsidy) at or below the
            variable cost (then there is no break-even: each unit loses money).
        TypeError: an amount is text or missing.
    """
    price = check.non_negative(price, _("price (EUR per unit)"))
    variable_cost = check.non_negative(variable_cost, _("variable cost (EUR per unit)"))
    per_unit = check.non_negative(subsidy_per_unit, _("subsidy per unit (EUR per unit)"))
    margin = price + per_unit - variable_cost
    if margin <= 0:
        if per_unit:
            raise ValueError(_(
                "There is no break-even: the price (EUR {price}) plus the subsidy per unit "
                "(EUR {per_unit}) is not above the variable cost (EUR {variable_cost}), so "
                "each unit loses money (contribution margin EUR {margin})."
            ).format(price=_amount(price), per_unit=_amount(per_unit),
                     variable_cost=_amount(variable_cost), margin=_amount(margin)))
        raise ValueError(_(
            "There is no break-even: the price (EUR {price}) is not above the variable cost "
            "(EUR {variable_cost}), so each unit loses money (contribution margin "
            "EUR {margin}). The price must be more than the variable cost per unit."
        ).format(price=_amount(price), variable_cost=_amount(variable_cost),
                 margin=_amount(margin)))
    units = _break_even_units(fixed_costs, subsidy, target_surplus, margin)
    return BreakEvenResult(
        units=units,
        units_rounded=_round_up(units),
        revenue=_finite(units * price, N_("break-even revenue")),
        contribution_margin=margin,
        margin_ratio=margin / (price + per_unit),
    )


def margin_of_safety(planned_units, break_even_units) -> float:
    """Margin of safety: by what share planned sales may fall before you make a loss.

    ``(planned_units - break_even_units) / planned_units``.

    Args:
        planned_units: units you plan (or expect) to sell in the period; more than 0.
        break_even_units: break-even units for the same period (e.g. ``break_even(...).units``);
            0 or more.

    Returns:
        A share (float): 0.25 means sales may drop by 25 % before reaching break-even. It is
        negative when the plan is below break-even (the plan makes a loss).

    Raises:
        ValueError: planned units 0 or less, negative break-even units, NaN.
        TypeError: a value is text or missing.
    """
    planned = check.positive(planned_units, _("planned units"))
    be_units = check.non_negative(break_even_units, _("break-even units"))
    return _finite((planned - be_units) / planned, N_("margin of safety"))


def break_even_mix(fixed_costs, tariffs, variable_cost, subsidy=0.0,
                   target_surplus=0.0, subsidy_per_unit=0.0) -> BreakEvenMixResult:
    """Break-even point when units are sold at several tariffs (the share-weighted price).

    ``weighted_price = sum(share * price)``, then the break-even formula of :func:`break_even`
    with the weighted price. One tariff may be below the variable cost (a social tariff) as
    long as the mix as a whole earns a positive margin.

    Args:
        fixed_costs: EUR per period; 0 or more.
        tariffs: a dict ``{tariff name: (share, price)}``: the share of units sold at that
            tariff (0-1; the shares must add up to 1) and its price in EUR per unit (0 or
            more). Example: ``{"social": (0.4, 10), "standard": (0.6, 40)}``.
        variable_cost: EUR per unit, the same for every tariff; 0 or more.
        subsidy: operating subsidy in EUR for the period; 0 or more.
        target_surplus: wanted surplus in EUR for the period; 0 or more.
        subsidy_per_unit: subsidy paid for each unit whatever its tariff, in EUR per unit; 0 or
            more (default 0). It widens every tariff's margin, as in :func:`break_even`.

    Returns:
        :class:`BreakEvenMixResult`: the fields of :class:`BreakEvenResult` (``units`` over all
        tariffs together) plus ``weighted_price`` (EUR per unit) and ``margin_per_tariff``
        (dict, EUR per unit).

    Raises:
        ValueError: no tariffs, a share outside 0-1, shares not adding up to 1 (within 1e-9),
            a negative price or amount, or a weighted price at or below the variable cost.
        TypeError: tariffs is not a dict of (share, price) pairs, or a value is text.
    """
    if not isinstance(tariffs, Mapping):
        raise TypeError(_(
            "tariffs must be a dict {{tariff name: (share, price)}}, for example "
            "{{'social': (0.4, 10), 'standard': (0.6, 40)}}, but it is {value}."
        ).format(value=repr(tariffs)))
    if not tariffs:
        raise ValueError(_("tariffs is empty: give at least one tariff as {name: (share, "
                           "price)}."))
    variable_cost = check.non_negative(variable_cost, _("variable cost (EUR per unit)"))
    shares, prices = {}, {}
    for name, pair in tariffs.items():
        if isinstance(pair, (str, bytes, Mapping)) or not hasattr(pair, "__len__") \
                or len(pair) != 2:
            raise TypeError(_(
                "tariff {name} must be a pair (share, price), for example (0.4, 10), but it "
                "is {value}."
            ).format(name=repr(name), value=repr(pair)))
        owner = _("tariff {name}").format(name=name)
        shares[name] = check.share(pair[0], _("share"), owner)
        prices[name] = check.non_negative(pair[1], _("price (EUR per unit)"), owner)
    total_share = math.fsum(shares.values())
    if abs(total_share - 1.0) > SHARE_SUM_TOLERANCE:
        raise ValueError(_(
            "The shares of the tariffs must add up to 1 (100 %), but they add up to "
            "{total}. Shares are decimals: 40 % is 0.4."
        ).format(total=number_text(total_share)))
    per_unit = check.non_negative(subsidy_per_unit, _("subsidy per unit (EUR per unit)"))
    weighted_price = math.fsum(shares[n] * prices[n] for n in shares)
    margin = weighted_price + per_unit - variable_cost
    if margin <= 0:
        with_subsidy = (_(" plus the subsidy per unit (EUR {per_unit})").format(
            per_unit=_amount(per_unit)) if per_unit else "")
        raise ValueError(_(
            "There is no break-even: the weighted price of the tariff mix (EUR "
            "{weighted_price}){with_subsidy} is not above the variable cost (EUR "
            "{variable_cost}), so each unit loses money on average. Raise a price or the "
            "share of the higher tariffs."
        ).format(weighted_price=_amount(weighted_price), with_subsidy=with_subsidy,
                 variable_cost=_amount(variable_cost)))
    units = _break_even_units(fixed_costs, subsidy, target_surplus, margin)
    return BreakEvenMixResult(
        units=units,
        units_rounded=_round_up(units),
        revenue=_finite(units * weighted_price, N_("break-even revenue")),
        contribution_margin=margin,
        margin_ratio=margin / (weighted_price + per_unit),
        weighted_price=weighted_price,
        margin_per_tariff={n: prices[n] + per_unit - variable_cost for n in prices},
    )


# --------------------------------------------------------------------------------------------
# revenue mix
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RevenueMixResult:
    """What :func:`revenue_mix` returns. Ratios are shares 0-1.

    Attributes:
        shares: each source's share of total revenue (pandas Series, index = source names).
        subsidy_dependency: (government subsidies + grants) / total revenue.
        earned_income_ratio: market (earned) income / total revenue.
        concentration: Herfindahl-Hirschman index, the sum of squared shares: 1 when all
            money comes from one source, 1/n for n equal sources (lower = more spread).
        self_sufficiency: earned income / total expenses (1 or more: earned income pays all
            expenses); None when total expenses were not given.
        total: total revenue, in EUR per year.
    """

    shares: pd.Series = field(repr=False)
    subsidy_dependency: float
    earned_income_ratio: float
    concentration: float
    self_sufficiency: float | None
    total: float


def revenue_mix(revenues, subsidy_sources, earned_sources,
                total_expenses=None) -> RevenueMixResult:
    """Where the money comes from: subsidy dependency, earned income and concentration.

    Sources that are in neither list (donations, membership fees, ...) count in the total and
    in the concentration, but in neither ratio, so the two ratios need not add up to 1.

    Args:
        revenues: a dict (or pandas Series) ``{source name: EUR per year}``; each amount 0 or
            more, the total more than 0.
        subsidy_sources: list of the names in ``revenues`` that are government subsidies or
            grants (a single name may be given as text).
        earned_sources: list of the names in ``revenues`` that are market (earned) income:
            sales, fees, contracts.
        total_expenses: optional, total expenses in EUR per year, more than 0; needed for
            ``self_sufficiency``.

    Returns:
        :class:`RevenueMixResult` with ``shares``, ``subsidy_dependency``,
        ``earned_income_ratio``, ``concentration`` (HHI), ``self_sufficiency`` and ``total``.

    Raises:
        ValueError: no sources, a negative amount, a total of 0, a name in the lists that is
            not a source in ``revenues``, a source in both lists, total expenses of 0 or less.
        TypeError: revenues is not a dict, or an amount is text or missing.
    """
    if isinstance(revenues, pd.Series):
        revenues = dict(revenues.items())
    if not isinstance(revenues, Mapping):
        raise TypeError(_(
            "revenues must be a dict {{source name: EUR per year}}, for example "
            "{{'Flemish subsidy': 120000, 'shop sales': 80000}}, but it is {value}."
        ).format(value=repr(revenues)))
    if not revenues:
        raise ValueError(_("revenues is empty: give at least one source as {name: EUR per "
                           "year}."))
    amounts = {name: check.non_negative(value, _("revenue (EUR per year)"), str(name))
               for name, value in revenues.items()}
    total = _finite(math.fsum(amounts.values()), N_("total revenue"))
    if total <= 0:
        raise ValueError(_("The total of revenues must be more than 0 EUR per year, but it is "
                           "0."))

    subsidy = _names(subsidy_sources, "subsidy_sources")
    earned = _names(earned_sources, "earned_sources")
    for list_name, names in (("subsidy_sources", subsidy), ("earned_sources", earned)):
        unknown = [n for n in names if n not in amounts]
        if unknown:
            raise ValueError(_(
                "{list_name} names sources that are not in revenues: {unknown}. The sources "
                "in revenues are: {sources}. Check the spelling."
            ).format(list_name=list_name, unknown=unknown, sources=list(amounts)))
    both = [n for n in subsidy if n in earned]
    if both:
        raise ValueError(_(
            "{both} is in both subsidy_sources and earned_sources. A source is either a "
            "subsidy/grant or earned income, not both."
        ).format(both=both))
    if total_expenses is not None:
        total_expenses = check.positive(total_expenses, _("total expenses (EUR per year)"))

    shares = pd.Series({n: a / total for n, a in amounts.items()}, dtype=float, name="share")
    earned_income = math.fsum(amounts[n] for n in earned)
    return RevenueMixResult(
        shares=shares,
        subsidy_dependency=math.fsum(amounts[n] for n in subsidy) / total,
        earned_income_ratio=earned_income / total,
        concentration=math.fsum(s * s for s in shares),
        self_sufficiency=(None if total_expenses is None
                          else _finite(earned_income / total_expenses, N_("self-sufficiency"))),
        total=total,
    )


# --------------------------------------------------------------------------------------------
# cash
# --------------------------------------------------------------------------------------------

def runway(cash, monthly_inflow, monthly_outflow) -> float:
    """Cash runway: how many months the cash lasts at the current burn.

    ``months = cash / (monthly_outflow - monthly_inflow)``.

    Args:
        cash: cash in the bank now, in EUR; 0 or more.
        monthly_inflow: money coming in, in EUR per month; 0 or more.
        monthly_outflow: money going out, in EUR per month; 0 or more.

    Returns:
        Months (float). ``float('inf')`` when nothing is burnt (inflow at or above outflow):
        the cash never runs out at this pace. This is the only function in the package that
        returns inf; test for it with ``math.isinf``.

    Raises:
        ValueError: a negative amount or NaN.
        TypeError: an amount is text or missing.
    """
    cash = check.non_negative(cash, _("cash (EUR)"))
    inflow = check.non_negative(monthly_inflow, _("monthly inflow (EUR per month)"))
    outflow = check.non_negative(monthly_outflow, _("monthly outflow (EUR per month)"))
    burn = outflow - inflow
    if burn <= 0:
        return math.inf
    return cash / burn


@dataclass(frozen=True)
class CashFlowResult:
    """What :func:`cash_flow` returns.

    Attributes:
        table: one row per month, DataFrame with the columns ``month`` (1, 2, ...),
            ``opening``, ``inflow``, ``outflow``, ``tranche`` and ``closing``, all in EUR
            (closing = opening + inflow - outflow + tranche; opening = previous closing).
        first_negative_month: the first month whose closing balance is below 0 (< 0, not
            <= 0), or None if the balance never goes below 0.
        lowest_month: the plan month (1, 2, ...) with the lowest closing balance (the first
            one when several months tie).

    With any of :func:`cash_flow`'s Belgian options switched on, ``table`` has more columns:
    ``month``, ``calendar_month`` (1 = January ... 12 = December), ``opening``, ``sales``
    (invoiced in the month, EUR without VAT), ``inflow`` (received in the month, VAT
    included), ``outflow``, ``holiday_pay``, ``year_end_bonus``, ``vat_paid`` (net VAT paid
    to the state in the month), ``tranche`` and ``closing``; then closing = opening + inflow
    - outflow - holiday_pay - year_end_bonus - vat_paid + tranche.
    """

    table: pd.DataFrame = field(repr=False)
    first_negative_month: int | None
    lowest_month: int | None = None


def _monthly(values, field_name: str, months: int) -> np.ndarray:
    """A scalar or a list of ``months`` amounts, each 0 or more, as an array (EUR per month)."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        amount = check.non_negative(values, field_name)
        return np.full(months, amount)
    values = _sequence(values, field_name)
    if len(values) != months:
        raise ValueError(_(
            "{field} must be one number, or a list with one number per month "
            "({months} numbers), but the list has {count}."
        ).format(field=field_name, months=months, count=len(values)))
    return np.array([check.non_negative(v, _("{field}, month {i}").format(field=field_name,
                                                                            i=i))
                     for i, v in enumerate(values, start=1)])


def cash_flow(opening_cash, monthly_inflow, monthly_outflow, months,
              tranches=None, *, start_month=1, holiday_pay=0.0, holiday_pay_month=5,
              year_end_bonus=0.0, year_end_bonus_month=12, vat_rate=0.0, input_vat=0.0,
              vat_period="quarter", payment_term_days=0) -> CashFlowResult:
    """Month-by-month cash balance with one-off tranches, e.g. a subsidy paid late.

    Each month: ``closing = opening + inflow - outflow + tranche``; the next month opens with
    that closing balance. Amounts within a billionth of a euro of 0 count as 0.

    **Belgian options** (keyword-only, all off by default, so the plain plan above is
    unchanged). They make the plan follow how money really moves in a Belgian organisation:

    * ``holiday_pay``: EUR paid on top of the salaries in calendar month
      ``holiday_pay_month`` (default 5, May; June, 6, is also common), e.g. the double holiday
      pay of employees (*dubbel vakantiegeld*, 92 % of a monthly salary: see
      :func:`double_holiday_pay`).
    * ``year_end_bonus``: EUR paid in calendar month ``year_end_bonus_month`` (default 12,
      December), e.g. a sector's end-of-year bonus (*eindejaarspremie*, see
      :func:`year_end_bonus`).
    * ``vat_rate``: VAT charged on the sales (``monthly_inflow`` is then the sales without VAT;
      the customers pay them plus VAT). 0 for services exempt under art. 44 of the Belgian
      VAT code (most welfare services). ``input_vat``: the VAT included in what you pay
      suppliers (part of ``monthly_outflow``), which you may deduct: one number or a list per
      month. Each period's net VAT (VAT on sales - input VAT) is paid to the state in the month
      after the period (``vat_period`` "quarter": calendar quarters, or "month"). Belgian
      practice: quarterly filers by the 25th and monthly filers by the 20th of the next
      month (boekhouder123.be, 2025). A net credit is carried forward to the next period (not
      refunded); VAT falling due after the last month of the plan is not shown. VAT becomes
      due when the invoice is made, so it is owed on the sales of the period even when
      customers have not paid yet.
    * ``payment_term_days``: customers pay 0, 30, 60, ... days after the month of sale (30
      days counted as one month): a sale of month m is received in month m + days / 30.
      Sales whose payment falls after the plan are not received within it; the plan assumes
      nothing was owed to you from before month 1.
    * ``start_month``: the calendar month (1-12) of plan month 1, so that May, December and
      the quarters fall in the right plan months.

    The holiday pay and the bonus are the gross amounts the employer pays; add the employer's
    social-security contributions to them if you know them.

    Args:
        opening_cash: cash at the start of month 1, in EUR; 0 or more.
        monthly_inflow: EUR per month coming in: one number for every month, or a list of
            ``months`` numbers (0 or more each).
        monthly_outflow: EUR per month going out: one number or a list of ``months`` numbers.
        months: how many months to plan, a whole number from 1 to 600.
        tranches: optional dict ``{month number: EUR}`` of one-off amounts (month numbers
            from 1 to ``months``). Positive = money in (a subsidy tranche), negative = money
            out (a one-off purchase). :func:`subsidy_tranches` makes one from a grant.
        start_month: calendar month of plan month 1, a whole number 1-12 (default 1).
        holiday_pay: EUR, 0 or more, paid in every ``holiday_pay_month`` of the plan.
        holiday_pay_month: calendar month 1-12 (default 5, May).
        year_end_bonus: EUR, 0 or more, paid in every ``year_end_bonus_month`` of the plan.
        year_end_bonus_month: calendar month 1-12 (default 12, December).
        vat_rate: share 0-1 (21 % is 0.21; 0 = exempt or no VAT).
        input_vat: EUR per month, one number or a list of ``months`` numbers, 0 or more.
        vat_period: ``"quarter"`` (default) or ``"month"``.
        payment_term_days: 0 or a multiple of 30 up to 360 (default 0: paid at once).

    Returns:
        :class:`CashFlowResult` with ``table``, ``first_negative_month`` and ``lowest_month``.

    Raises:
        ValueError: negative opening cash or monthly amount, a list of the wrong length,
            months not a whole number from 1 to 600, a tranche month outside 1..months, a
            calendar month outside 1-12, a VAT rate outside 0-1, a VAT period other than
            "quarter" or "month", a payment term that is not 0, 30, 60, ... 360 days.
        TypeError: an amount is text or missing, tranches is not a dict.
    """
    opening_cash = check.non_negative(opening_cash, _("opening cash (EUR)"))
    months = check.whole(months, _("months"), low=1, high=MAX_MONTHS)
    inflow = _monthly(monthly_inflow, _("monthly inflow (EUR per month)"), months)
    outflow = _monthly(monthly_outflow, _("monthly outflow (EUR per month)"), months)
    start_month = check.whole(start_month, _("start month (calendar month)"), low=1, high=12)
    holiday = check.non_negative(holiday_pay, _("holiday pay (EUR)"))
    holiday_month = check.whole(holiday_pay_month, _("holiday pay month (calendar month)"),
                                low=1, high=12)
    bonus = check.non_negative(year_end_bonus, _("year-end bonus (EUR)"))
    bonus_month = check.whole(year_end_bonus_month, _("year-end bonus month (calendar month)"),
                              low=1, high=12)
    vat_rate = check.share(vat_rate, _("VAT rate (share)"))
    input_vat = _monthly(input_vat, _("input VAT (EUR per month)"), months)
    if vat_period not in ("quarter", "month"):
        raise ValueError(_(
            'VAT period must be "quarter" (a quarterly VAT return) or "month" (a monthly '
            'return), but it is {period}.'
        ).format(period=repr(vat_period)))
    term_days = check.whole(payment_term_days, _("payment term (days)"), low=0, high=360)
    if term_days % 30:
        raise ValueError(_(
            "payment term (days) must be 0, 30, 60, 90, ... (the plan counts 30 days as one "
            "month), but it is {days}."
        ).format(days=term_days))
    belgian = bool(start_month != 1 or holiday or bonus or vat_rate or input_vat.any()
                   or term_days)
    tranche = np.zeros(months)
    if tranches is not None:
        if not isinstance(tranches, Mapping):
            raise TypeError(_(
                "tranches must be a dict {{month number: EUR}}, for example {{4: 25000}} for a "
                "subsidy of EUR 25,000 paid in month 4, but it is {value}."
            ).format(value=repr(tranches)))
        for month, amount in tranches.items():
            m = check.whole(month, _("tranche month"), low=1, high=months)
            tranche[m - 1] += check.number(amount, _("tranche in month {m} (EUR)").format(m=m))

    if not belgian:
        net = inflow - outflow + tranche
        columns = {"inflow": inflow, "outflow": outflow, "tranche": tranche}
    else:
        calendar = (start_month - 1 + np.arange(months)) % 12 + 1
        sales = inflow
        shift = term_days // 30
        received = np.zeros(months)
        received[shift:] = (sales * (1 + vat_rate))[:months - shift]
        holiday_paid = np.where(calendar == holiday_month, holiday, 0.0)
        bonus_paid = np.where(calendar == bonus_month, bonus, 0.0)
        vat_paid = _vat_payments(sales * vat_rate - input_vat, calendar, vat_period)
        net = received - outflow - holiday_paid - bonus_paid - vat_paid + tranche
        columns = {"calendar_month": calendar, "sales": sales, "inflow": received,
                   "outflow": outflow, "holiday_pay": holiday_paid,
                   "year_end_bonus": bonus_paid, "vat_paid": vat_paid, "tranche": tranche}
    closing = opening_cash + np.cumsum(net)
    if not np.all(np.isfinite(closing)):
        _finite(math.inf, N_("cash balance"))
    closing = np.where(np.abs(closing) < _NOISE, 0.0, closing)
    opening = np.concatenate([[opening_cash], closing[:-1]])
    data = {"month": np.arange(1, months + 1)}
    if belgian:
        data["calendar_month"] = columns.pop("calendar_month")
    data["opening"] = opening
    data.update(columns)
    data["closing"] = closing
    table = pd.DataFrame(data)
    below = np.flatnonzero(closing < 0)
    first = int(below[0]) + 1 if below.size else None
    return CashFlowResult(table=table, first_negative_month=first,
                          lowest_month=int(np.argmin(closing)) + 1)


def _vat_payments(net_vat: np.ndarray, calendar: np.ndarray, period: str) -> np.ndarray:
    """VAT paid per plan month: each period's net VAT is paid in the month after it ends.

    ``net_vat`` is VAT on sales - deductible input VAT per plan month (EUR); ``calendar`` the
    calendar month (1-12) of each plan month. A period ends in every month ("month") or in
    March, June, September and December ("quarter"); a plan that starts mid-quarter has a
    short first period. A net credit is carried to the next period; a payment due after the
    plan's last month is dropped.
    """
    months = len(net_vat)
    paid = np.zeros(months)
    carried = 0.0
    running = 0.0
    for i in range(months):
        running += float(net_vat[i])
        period_ends = period == "month" or calendar[i] % 3 == 0
        if period_ends:
            due = running + carried
            running = 0.0
            if due > _NOISE:
                carried = 0.0
                if i + 1 < months:
                    paid[i + 1] = due
            else:
                carried = min(due, 0.0)
    return paid


# --------------------------------------------------------------------------------------------
# loans, NPV, IRR (numpy-financial)
# --------------------------------------------------------------------------------------------

def _loan_inputs(principal, annual_rate, months, when):
    principal = check.positive(principal, _("principal (EUR)"))
    rate = check.share(annual_rate, _("annual rate (share per year)"))
    if 0 < rate < MIN_ANNUAL_RATE:
        raise ValueError(_(
            "annual rate (share per year) must be 0 (an interest-free loan) or at least "
            "{minimum} (0.01 % a year), but it is {rate}. Shares are decimals: write 7.5 % as 0.075."
        ).format(minimum=number_text(MIN_ANNUAL_RATE, "g"), rate=number_text(rate)))
    months = check.whole(months, _("months"), low=1, high=MAX_MONTHS)
    return principal, rate / 12, months, _when(when)


def loan_payment(principal, annual_rate, months, when="end") -> float:
    """Monthly payment of a loan with fixed payments (an annuity), by numpy-financial's ``pmt``.

    Computes ``numpy_financial.pmt(annual_rate / 12, months, principal, when=when)``.
    numpy-financial's sign convention: the loan you receive is positive, so the payment you
    make is negative. Example: ``loan_payment(200000, 0.075, 180)`` is
    -1854.02 (EUR 200,000 at 7.5 % a year over 15 years).

    Args:
        principal: amount borrowed, in EUR; more than 0.
        annual_rate: interest rate as a share per year, 0-1 (7.5 % is 0.075); 0 is allowed,
            otherwise at least 0.0001 (numpy-financial is imprecise just above 0).
        months: number of monthly payments, a whole number from 1 to 600.
        when: ``"end"`` (payment at the end of each month, the usual case) or ``"begin"``.

    Returns:
        The monthly payment in EUR per month, a negative float.

    Raises:
        ValueError: principal 0 or less, a rate outside 0-1 or between 0 and 0.0001, months
            not a whole number from 1 to 600, ``when`` not "end" or "begin".
        TypeError: a value is text or missing.
    """
    principal, monthly_rate, months, when = _loan_inputs(principal, annual_rate, months, when)
    with np.errstate(divide="ignore", invalid="ignore"):  # rate 0: numpy-financial handles it
        payment = npf.pmt(monthly_rate, months, principal, when=when)
    return _finite(payment, N_("loan payment"))


def loan_schedule(principal, annual_rate, months, when="end") -> pd.DataFrame:
    """Repayment table of a fixed-payment loan, by numpy-financial's ``pmt``, ``ipmt``, ``ppmt``.

    Sign convention of numpy-financial: the loan received is positive, money paid is negative.
    So ``payment``, ``interest`` and ``principal_repaid`` are negative, and
    ``principal_repaid`` sums to -principal. ``balance`` is the debt still owed after the
    month's payment (positive, 0 at the end; within a millionth of a euro of 0 is shown as 0).

    Args:
        principal: amount borrowed, in EUR; more than 0.
        annual_rate: share per year, 0-1 (monthly rate = annual_rate / 12); 0 is allowed,
            otherwise at least 0.0001.
        months: number of monthly payments, a whole number from 1 to 600.
        when: ``"end"`` (usual) or ``"begin"`` (payment at the start of each month).

    Returns:
        DataFrame, one row per month, columns ``month`` (1, 2, ...), ``payment``,
        ``interest``, ``principal_repaid`` (EUR per month, negative) and ``balance`` (EUR).
        Each row: payment = interest + principal_repaid.

    Raises:
        The same errors as :func:`loan_payment`.
    """
    principal, monthly_rate, months, when = _loan_inputs(principal, annual_rate, months, when)
    per = np.arange(1, months + 1)
    with np.errstate(divide="ignore", invalid="ignore"):  # rate 0: numpy-financial handles it
        payment = npf.pmt(monthly_rate, months, principal, when=when)
        interest = npf.ipmt(monthly_rate, per, months, principal, when=when)
        repaid = npf.ppmt(monthly_rate, per, months, principal, when=when)
    payment = np.full(months, float(payment))
    interest = np.asarray(interest, dtype=float) + 0.0  # + 0.0 turns -0.0 into 0.0
    repaid = np.asarray(repaid, dtype=float)
    balance = principal + np.cumsum(repaid)
    balance = np.where(np.abs(balance) < 1e-6, 0.0, balance)
    for column in (payment, interest, repaid, balance):
        if not np.all(np.isfinite(column)):
            _finite(math.inf, N_("loan schedule"))
    return pd.DataFrame({
        "month": per,
        "payment": payment,
        "interest": interest,
        "principal_repaid": repaid,
        "balance": balance,
    })


def npv(rate, values) -> float:
    """Net present value of cash flows, by ``numpy_financial.npv`` (worked example from its documentation).

    ``npv = sum(values[t] / (1 + rate) ** t)`` for t = 0, 1, 2, ...: ``values[0]`` is at
    t = 0 and is NOT discounted (usually the investment, negative). Excel's ``NPV()``
    discounts the first value too, so it gives a different answer.

    Args:
        rate: discount rate as a share per period, 0-1 (3.5 % is 0.035).
        values: list of cash flows in EUR, one per period, first at t = 0; received positive,
            paid negative. At least one value.

    Returns:
        The net present value in EUR (float).

    Raises:
        ValueError: a rate outside 0-1, an empty list, a value that is NaN or inf.
        TypeError: values is not a list, or a value is text or missing.
    """
    rate = check.share(rate, _("rate (share per period)"))
    values = _sequence(values, _("values (EUR)"))
    if not values:
        raise ValueError(_("values (EUR) is empty: give at least one cash flow."))
    values = _values(values)
    return _finite(npf.npv(rate, values), N_("net present value"))


def _values(values: list) -> list:
    """Each cash flow checked as a finite number, named "value number 1 (EUR)" and so on."""
    return [check.number(v, _("value number {i} (EUR)").format(i=i))
            for i, v in enumerate(values, start=1)]


def irr(values) -> float:
    """Internal rate of return of cash flows, by ``numpy_financial.irr`` (worked example from its documentation).

    The rate (share per period) at which :func:`npv` of the values is 0.

    Args:
        values: list of cash flows in EUR, one per period, first at t = 0; received positive,
            paid negative. At least two values, with at least one below 0 (an investment)
            and one above 0 (money received).

    Returns:
        The IRR as a share per period (float): 0.28 means 28 % per period.

    Raises:
        ValueError: fewer than two values, no negative or no positive value, a value that is
            NaN or inf, or cash flows for which no IRR exists.
        TypeError: values is not a list, or a value is text or missing.
    """
    values = _values(_sequence(values, _("values (EUR)")))
    if len(values) < 2:
        raise ValueError(_(
            "values (EUR) needs at least two cash flows (an investment and a return), but it "
            "has {count}."
        ).format(count=len(values)))
    if not (min(values) < 0 < max(values)):
        raise ValueError(_(
            "values (EUR) needs at least one negative amount (money paid, e.g. the investment) "
            "and at least one positive amount (money received); otherwise there is no IRR."
        ))
    result = float(npf.irr(values))
    if not math.isfinite(result):
        raise ValueError(_(
            "No internal rate of return exists for these cash flows (no rate makes the net "
            "present value 0). Compare options with npv() instead."
        ))
    return result


# --------------------------------------------------------------------------------------------
# cost per result
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CostPerResult:
    """What :func:`cost_per` returns. All amounts in EUR per person.

    Attributes:
        total_cost: the total cost in EUR (direct costs + stated overhead).
        per_reached: cost per person reached (beneficiary); None if ``reached`` was not given.
        per_completed: cost per person who completed; None if ``completed`` was not given.
        per_achieved: cost per person who achieved the outcome; None if ``achieved`` was not
            given.
    """

    total_cost: float
    per_reached: float | None
    per_completed: float | None
    per_achieved: float | None


def cost_per(total_cost, reached=None, completed=None, achieved=None) -> CostPerResult:
    """Cost per beneficiary, per completer and per outcome.

    Each is ``total_cost / number of people``. Example (C-1): EUR 3,000 per participant with
    a success rate of 0.70 gives EUR 4,285.71 per outcome: ``cost_per(300000, reached=100,
    achieved=70).per_achieved``.

    Args:
        total_cost: total cost in EUR, direct costs plus the overhead you state; 0 or more.
        reached: people reached (beneficiaries), a whole number 1 or more; optional.
        completed: people who completed the programme, a whole number 1 or more, at most
            ``reached``; optional.
        achieved: people who achieved the outcome, a whole number 1 or more, at most
            ``reached``; optional.

    Returns:
        :class:`CostPerResult`; a figure is None when its count was not given.

    Raises:
        ValueError: a negative cost, a count that is not a whole number of 1 or more, or
            more people completing or achieving than were reached.
        TypeError: a value is text.
    """
    total_cost = check.non_negative(total_cost, _("total cost (EUR)"))
    counts = {}
    # the messages name the counts in the language in use; the keys stay as they are
    said = {"reached": _("reached (people)"), "completed": _("completed (people)"),
            "achieved": _("achieved (people)")}
    for name, value in (("reached", reached), ("completed", completed), ("achieved", achieved)):
        counts[name] = None if value is None else check.whole(value, said[name], low=1)
    if counts["reached"] is not None:
        for name in ("completed", "achieved"):
            if counts[name] is not None and counts[name] > counts["reached"]:
                raise ValueError(_(
                    "{field} cannot be more than reached (people): {count} {name} but only "
                    "{reached} reached."
                ).format(field=said[name], count=counts[name], name={"completed": _("completed"), "achieved": _("achieved")}[name],
                         reached=counts["reached"]))

    def per(count):
        return None if count is None else total_cost / count

    return CostPerResult(
        total_cost=total_cost,
        per_reached=per(counts["reached"]),
        per_completed=per(counts["completed"]),
        per_achieved=per(counts["achieved"]),
    )


# --------------------------------------------------------------------------------------------
# Belgian money as it really flows: per-worker subsidies, payroll extras, tranches, loans
# --------------------------------------------------------------------------------------------

#: Double holiday pay of an employee (*bediende*) as a share of one month's gross salary:
#: "92 procent van een gewoon maandloon" (Knack Moneytalk / Belga, "Hoe wordt het vakantiegeld
#: berekend?", https://moneytalk.knack.be/geld-en-beurs/hoe-wordt-het-vakantiegeld-berekend/
#: article-normal-334791.html; also vacature.com, "Hoeveel vakantiegeld krijg je?"). It is paid
#: by the employer, usually with the salary of May or June. Manual workers (*arbeiders*) get
#: their holiday pay (15.38 % of the previous year's gross annual wage) from the national
#: holiday office (Rijksdienst voor Jaarlijkse Vakantie) instead (same sources).
DOUBLE_HOLIDAY_PAY_SHARE = 0.92

#: Yearly tax credit of the lender of a Winwinlening, as a share of the outstanding capital:
#: "Fiscaal voordeel 2,5% op jaarbasis" (PMV, "Winwinlening", https://www.pmv.eu/product/
#: winwinlening/, page read for this course in its version with the rates for 2024).
WINWIN_TAX_CREDIT = 0.025

#: One-off tax credit of a Winwinlening lender on capital definitively lost when the borrower
#: goes bankrupt or is liquidated: 30 % (PMV, "Het eenmalig belastingkrediet van 30%",
#: https://www.pmv.eu/faq-item/het-eenmalig-belastingkrediet-van-30/).
WINWIN_LOSS_TAX_CREDIT = 0.30


def wage_premium(annual_wage_cost, premium_share, wage_ceiling=None, support_premium=0.0) -> float:
    """Per-worker subsidy of Flemish *maatwerk*: a wage premium plus a support premium, per year.

    ``premium = premium_share * min(annual_wage_cost, wage_ceiling) + support_premium``.

    The rule, not the amounts, comes from the sources: in collective *maatwerk* (a
    *maatwerkbedrijf*) each target-group worker brings a work-support package with a
    *loonpremie*, "een tussenkomst in de loonkost van 40 tot 75 procent", and a *begeleidings-
    premie* for coaching; the amount depends on the worker's support need and loss of output as
    assessed by VDAB (Departement Werk en Sociale Economie, "Premies voor maatwerk",
    https://www.socialeeconomie.be/premies-voor-maatwerk). The premium is a percentage "van het
    geplafonneerde referteloon" (a capped reference wage); possible percentages 40, 45, ... 75
    (Herwin, "Wat is de loonpremie?", https://herwin.be/question/wat-is-de-loonpremie/). In
    *individueel maatwerk* (an ordinary employer) the wage premium falls over 5 years and the
    support premium is a fixed amount (Vlaanderen.be, "Individueel maatwerk voor werkgevers").
    The *lokale diensteneconomie* (LDE) accepts no new recognitions since 1 July 2023, when
    individueel maatwerk came in (socialeeconomie.be, "Lokale diensteneconomie"). The course
    found no official euro amounts for the ceiling or the support premium, so both are inputs.

    Args:
        annual_wage_cost: the worker's wage cost in EUR per year; 0 or more.
        premium_share: the wage-premium percentage as a share 0-1 (55 % is 0.55); VDAB sets it.
        wage_ceiling: the cap on the reference wage in EUR per year, or None for no cap.
        support_premium: the support (coaching) premium in EUR per year; 0 or more.

    Returns:
        The subsidy for this worker in EUR per year (float).

    Raises:
        ValueError: a negative amount, a share outside 0-1, NaN. TypeError: text or missing.
    """
    wage = check.non_negative(annual_wage_cost, _("annual wage cost (EUR per year)"))
    share = check.share(premium_share, _("wage premium (share)"))
    if wage_ceiling is not None:
        wage = min(wage, check.non_negative(wage_ceiling, _("wage ceiling (EUR per year)")))
    support = check.non_negative(support_premium, _("support premium (EUR per year)"))
    return _finite(share * wage + support, N_("wage premium"))


def double_holiday_pay(monthly_gross_salary, share=DOUBLE_HOLIDAY_PAY_SHARE) -> float:
    """Double holiday pay (*dubbel vakantiegeld*) of an employee, in EUR: ``share * salary``.

    Belgian employees (*bedienden*) keep their salary during their holidays and get on top,
    once a year, 92 % of a monthly gross salary, usually paid with the salary of May or June
    (source: :data:`DOUBLE_HOLIDAY_PAY_SHARE`). For a whole team, pass the team's total
    monthly gross salaries. It is the gross amount, before the employee's deductions.

    Args:
        monthly_gross_salary: EUR per month; 0 or more.
        share: share of one monthly salary, 0-1 (default 0.92).

    Returns:
        EUR (float), e.g. ``double_holiday_pay(3000)`` is 2760.0.

    Raises:
        ValueError: a negative salary, a share outside 0-1, NaN. TypeError: text or missing.
    """
    salary = check.non_negative(monthly_gross_salary, _("monthly gross salary (EUR per month)"))
    return _finite(check.share(share, _("holiday pay (share of a monthly salary)")) * salary,
                   N_("holiday pay"))


def year_end_bonus(monthly_gross_salary, annual_share, fixed_part=0.0) -> float:
    """End-of-year bonus (*eindejaarspremie*), in EUR: ``fixed_part + annual_share * 12 * salary``.

    No law sets one bonus for everybody: each joint committee (*paritair comité*, PC) sets its
    own. An example of this form: in PC 319.01 (Flemish educational and housing facilities) the
    bonus was "130,54 euro + 7,57% van bruto jaarloon (= brutoloon maand oktober ... x 12)",
    paid in December, for a reference period in 2016 (ACV LBC-NVK, "Eindejaarspremie PC 319",
    https://lbc-nvk.acv-online.be/lbc-nvk/Ik-werk/Non-profit/Sectoren/PC-319-Gehandicaptenzorg/
    Je-rechten/Eindejaarspremie/Eindejaarspremie.html). The fixed part is indexed: look up the
    current figures of your PC. Other PCs use other forms (a whole monthly salary, 2.5 weekly
    wages per month worked, ...): compute those by hand and pass the amount to
    :func:`cash_flow` directly.

    Args:
        monthly_gross_salary: the reference monthly gross salary (for PC 319.01 October's),
            EUR per month; 0 or more.
        annual_share: share of the gross annual salary (12 x the monthly one), 0-1.
        fixed_part: fixed amount in EUR; 0 or more.

    Returns:
        EUR (float). ``year_end_bonus(2500, 0.0757, 130.54)`` is 2401.54.

    Raises:
        ValueError: a negative amount, a share outside 0-1, NaN. TypeError: text or missing.
    """
    salary = check.non_negative(monthly_gross_salary, _("monthly gross salary (EUR per month)"))
    share = check.share(annual_share, _("year-end bonus (share of the annual salary)"))
    fixed = check.non_negative(fixed_part, _("fixed part (EUR)"))
    return _finite(fixed + share * 12 * salary, N_("year-end bonus"))


def subsidy_tranches(total, shares) -> dict:
    """Split a subsidy into tranches for :func:`cash_flow`: ``{month: share * total}``.

    Subsidies are often paid as an advance and a balance after the final report, months after
    the costs. Example: ``subsidy_tranches(90000, {3: 0.6, 14: 0.4})`` is
    ``{3: 54000.0, 14: 36000.0}``. The split is yours to state (a funder's decision says it).

    Args:
        total: the subsidy in EUR; 0 or more.
        shares: dict ``{plan month: share}``, months whole numbers 1-600, shares 0-1 that add up
            to 1 (within 1e-9).

    Returns:
        dict ``{month: EUR}``.

    Raises:
        ValueError: a negative total, a month outside 1-600, a share outside 0-1, shares not
            adding up to 1, no shares. TypeError: shares is not a dict.
    """
    total = check.non_negative(total, _("subsidy total (EUR)"))
    if not isinstance(shares, Mapping):
        raise TypeError(_(
            "shares must be a dict {{month: share}}, for example {{3: 0.6, 14: 0.4}}, but it "
            "is {value}."
        ).format(value=repr(shares)))
    if not shares:
        raise ValueError(_("shares is empty: give at least one tranche as {month: share}."))
    result = {}
    for month, part in shares.items():
        m = check.whole(month, _("tranche month"), low=1, high=MAX_MONTHS)
        result[m] = result.get(m, 0.0) + check.share(
            part, _("share of the tranche in month {m}").format(m=m))
    added = math.fsum(result.values())
    if abs(added - 1.0) > SHARE_SUM_TOLERANCE:
        raise ValueError(_(
            "The shares of the tranches must add up to 1 (100 %), but they add up to {total}."
        ).format(total=number_text(added)))
    return {m: part * total for m, part in sorted(result.items())}


@dataclass(frozen=True)
class WinwinResult:
    """What :func:`winwin_loan` returns. Amounts in EUR; rates as shares per year.

    Attributes:
        table: one row per year: ``year`` (1, 2, ...), ``outstanding`` (capital owed at the
            start of the year), ``interest`` (paid by the enterprise), ``repaid`` (capital
            repaid at the end of the year), ``withholding_tax`` (taken at source from the
            lender's interest), ``tax_credit`` (the lender's yearly credit) and
            ``lender_receives`` (interest - withholding tax + repaid + tax credit).
        enterprise_interest: total interest the enterprise pays.
        enterprise_rate: the enterprise's cost as a yearly rate (the IRR of its cash flows);
            equal to the loan's rate, since the tax credit goes to the lender.
        lender_tax_credit: the lender's total tax credit.
        lender_net_income: interest after withholding tax plus tax credits (what the lender
            earns above getting the capital back).
        lender_rate: the lender's net return as a yearly rate (IRR of -principal and the
            yearly ``lender_receives``), if the enterprise repays in full.
    """

    table: pd.DataFrame = field(repr=False)
    enterprise_interest: float
    enterprise_rate: float
    lender_tax_credit: float
    lender_net_income: float
    lender_rate: float


def winwin_loan(principal, annual_rate, years, repayment="bullet", withholding_tax=0.0,
                tax_credit=WINWIN_TAX_CREDIT) -> WinwinResult:
    """A Flemish Winwinlening year by year: its cost to the enterprise and its return to the lender.

    The Winwinlening is a subordinated loan from a private person (a friend, a relative) to a
    small or medium-sized enterprise in Flanders, also in the social economy; the lender gets a
    yearly tax credit on the outstanding capital and 30 % of capital lost in a bankruptcy.
    PMV's page (read in its version for 2024) states: a subordinated loan of 5 to 10 years, up to
    EUR 300,000 per borrower and EUR 75,000 per lender, a rate for 2024 between 2.875 % and
    5.75 %, tax benefit 2.5 % a year, repayment monthly, quarterly, half-yearly, yearly or in
    one go at the end (PMV, "Winwinlening", https://www.pmv.eu/product/winwinlening/). The
    interest is taxed at source (*roerende voorheffing*; zelfstandige.vlaanderen, "Wat is het
    belastingkrediet voor de winwinlening?"): pass the rate as ``withholding_tax``.

    The course's simplifications: the loan starts on 1 January and runs whole years; interest
    and repayments are yearly, at the end of each year; the tax credit of a year is
    ``tax_credit * capital outstanding at the start of the year`` and reaches the lender in the
    same year (in reality it comes with the tax assessment, and a loan starting later in the
    year gets half the credit in its first and last year: PMV FAQ, "Wat is het belastingvoordeel
    als ik de Winwinlening afsluit na 1 januari?"). The enterprise repays in full.

    Args:
        principal: EUR lent; more than 0.
        annual_rate: gross interest rate, share per year 0-1 (3 % is 0.03).
        years: whole years, 1-50 (the Winwinlening: 5 to 10).
        repayment: ``"bullet"`` (all capital at the end, the default) or ``"annuity"`` (equal
            yearly payments of interest + capital, by numpy-financial's ``pmt``).
        withholding_tax: share 0-1 of the interest withheld at source for the lender (default
            0: no tax counted).
        tax_credit: the lender's yearly credit as a share of the outstanding capital, 0-1
            (default :data:`WINWIN_TAX_CREDIT`, 0.025).

    Returns:
        :class:`WinwinResult`.

    Raises:
        ValueError: principal 0 or less, a rate or share outside 0-1, years not a whole number
            1-50, an unknown repayment. TypeError: text or missing.
    """
    principal = check.positive(principal, _("principal (EUR)"))
    rate = check.share(annual_rate, _("annual rate (share per year)"))
    years = check.whole(years, _("years"), low=1, high=MAX_MONTHS // 12)
    wht = check.share(withholding_tax, _("withholding tax (share of the interest)"))
    credit = check.share(tax_credit, _("tax credit (share of the outstanding capital)"))
    if repayment not in ("bullet", "annuity"):
        raise ValueError(_(
            'repayment must be "bullet" (all capital at the end) or "annuity" (equal yearly '
            'payments), but it is {repayment}.'
        ).format(repayment=repr(repayment)))
    outstanding = np.zeros(years)
    interest = np.zeros(years)
    repaid = np.zeros(years)
    owed = principal
    if repayment == "annuity":
        with np.errstate(divide="ignore", invalid="ignore"):
            payment = -float(npf.pmt(rate, years, principal))
    for y in range(years):
        outstanding[y] = owed
        interest[y] = owed * rate
        if repayment == "bullet":
            repaid[y] = principal if y == years - 1 else 0.0
        else:
            repaid[y] = owed if y == years - 1 else payment - interest[y]
        owed -= repaid[y]
    withheld = interest * wht
    credits = outstanding * credit
    lender = interest - withheld + repaid + credits
    table = pd.DataFrame({
        "year": np.arange(1, years + 1),
        "outstanding": outstanding,
        "interest": interest,
        "repaid": repaid,
        "withholding_tax": withheld,
        "tax_credit": credits,
        "lender_receives": lender,
    })
    enterprise_flows = [principal] + list(-(interest + repaid))
    lender_flows = [-principal] + list(lender)
    enterprise_rate = rate if rate == 0 else irr(enterprise_flows)
    lender_rate = irr(lender_flows) if max(lender_flows) > 0 else 0.0
    return WinwinResult(
        table=table,
        enterprise_interest=_finite(interest.sum(), N_("total interest")),
        enterprise_rate=float(enterprise_rate),
        lender_tax_credit=_finite(credits.sum(), N_("tax credit")),
        lender_net_income=_finite((interest - withheld + credits).sum(), N_("lender's income")),
        lender_rate=float(lender_rate),
    )


def guarantee_premium(loan_amount, years, premium_rate, coverage=0.75) -> float:
    """One-off premium for a PMV guarantee on a bank loan, in EUR.

    ``premium = loan_amount * coverage * years * premium_rate``.

    Through PMV's *Waarborgregeling* the Flemish government guarantees at most 75 % of a loan
    (up to EUR 2.25 million of guarantee), also for VZWs with an economic activity, for "een
    eenmalige premie volgens de omvang en looptijd van de waarborg" (PMV, "Waarborgen",
    https://www.pmv.eu/product/waarborgen/). PMV's page gives no rate; Cultuurloket's worked
    example uses 0.5 % a year: EUR 35,000 x 75 % x 10 years x 0.5 % = EUR 1,312.50, or EUR 525
    for a 4-year guarantee (Cultuurloket, "PMV-waarborgregeling",
    https://www.cultuurloket.be/kennisbank/financiele-instrumenten/pmv-waarborgregeling), so
    the rate is an input here: check it with the bank or PMV. (Guarantees above EUR 1.5 million
    were formerly called Gigarant: Vlaanderen.be, "Waarborgregeling boven 1,5 miljoen euro".)

    Args:
        loan_amount: EUR borrowed; more than 0.
        years: how long the guarantee runs, in years (may be shorter than the loan); more than 0.
        premium_rate: share of the guaranteed amount per year, 0-1 (0.5 % is 0.005).
        coverage: share of the loan guaranteed, 0-1 (default 0.75, PMV's maximum).

    Returns:
        EUR (float).

    Raises:
        ValueError: an amount or duration 0 or less, a share outside 0-1, NaN.
        TypeError: text or missing.
    """
    amount = check.positive(loan_amount, _("loan amount (EUR)"))
    years = check.positive(years, _("guarantee years"))
    rate = check.share(premium_rate, _("premium rate (share per year)"))
    cover = check.share(coverage, _("coverage (share of the loan)"))
    return _finite(amount * cover * years * rate, N_("guarantee premium"))


def compare_loans(principal, years, bank_rate, winwin_rate, guarantee_rate=0.0,
                  coverage=0.75, winwin_repayment="annuity", withholding_tax=0.0) -> pd.DataFrame:
    """A bank loan (with a PMV guarantee) beside a Winwinlening: cost to the enterprise, gain to the lender.

    The bank loan is an annuity with monthly payments (:func:`loan_schedule`, numpy-financial);
    its guarantee premium is :func:`guarantee_premium` over the whole term. The Winwinlening is
    :func:`winwin_loan` (yearly payments; the lender's tax credit of 2.5 % a year). For the
    bank, "lender's income" is the interest it receives; its own costs and taxes are not known.

    Args:
        principal: EUR borrowed; more than 0.
        years: term of both loans in whole years, 1-50.
        bank_rate: the bank loan's rate, share per year 0-1 (0 allowed, else at least 0.0001).
        winwin_rate: the Winwinlening's gross rate, share per year 0-1.
        guarantee_rate: the guarantee premium as a share of the guaranteed amount per year, 0-1
            (default 0: no guarantee).
        coverage: share of the bank loan guaranteed, 0-1 (default 0.75).
        winwin_repayment: ``"annuity"`` (default) or ``"bullet"``.
        withholding_tax: share 0-1 withheld from the Winwinlening lender's interest.

    Returns:
        DataFrame indexed by ``"bank loan"`` and ``"Winwinlening"``, columns
        ``enterprise_interest``, ``guarantee_premium``, ``enterprise_cost`` (interest + premium),
        ``lender_income`` (interest received, after withholding tax, plus tax credits) and
        ``lender_tax_credit`` (EUR).

    Raises:
        The errors of :func:`loan_schedule`, :func:`winwin_loan` and :func:`guarantee_premium`.
    """
    years = check.whole(years, _("years"), low=1, high=MAX_MONTHS // 12)
    schedule = loan_schedule(principal, bank_rate, years * 12)
    bank_interest = float(-schedule["interest"].sum())
    premium = (guarantee_premium(principal, years, guarantee_rate, coverage)
               if guarantee_rate else 0.0)
    winwin = winwin_loan(principal, winwin_rate, years, repayment=winwin_repayment,
                         withholding_tax=withholding_tax)
    return pd.DataFrame(
        {
            "enterprise_interest": [bank_interest, winwin.enterprise_interest],
            "guarantee_premium": [premium, 0.0],
            "enterprise_cost": [bank_interest + premium, winwin.enterprise_interest],
            "lender_income": [bank_interest, winwin.lender_net_income],
            "lender_tax_credit": [0.0, winwin.lender_tax_credit],
        },
        index=pd.Index(["bank loan", "Winwinlening"], name="loan"),
    )
