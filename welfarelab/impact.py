"""Social Return on Investment (SROI), following the SROI Guide.

Method source: *A Guide to Social Return on Investment* (Cabinet Office 2009, updated by the
SROI Network 2012; Flemish edition *Handleiding SROI*, 2014). The conventions, exactly:

Per outcome ``i`` (every share is the share REMOVED, as a decimal 0-1)::

    impact_i (year 1)  = quantity_i * financial_proxy_i
                         * (1 - deadweight_i) * (1 - displacement_i) * (1 - attribution_i)
    value_i,t          = impact_i * (1 - drop_off_i) ** (t - 1)   for t = 1 .. duration_i, else 0
    present value (PV) = sum over t of (sum over i of value_i,t) / (1 + r) ** t
                         (t starts at 1: year 1 IS discounted; computed with numpy-financial's
                         ``npv(r, [0] + yearly_values)``)
    NPV                = PV - investment             (the investment is made at t = 0)
    SROI ratio         = PV / investment;  net SROI ratio = NPV / investment
    payback (months)   = investment / (year-1 total value / 12)   (simple, undiscounted)

The default discount rate is 3.5 % a year (HM Treasury Green Book, social time preference rate).

Other SROI tools differ from the Guide (attribution taken as the share kept, drop-off applied
from year 1, adjustments subtracted instead of multiplied, year 1 not discounted); this module
follows the Guide.
"""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import ClassVar

import numpy as np
import numpy_financial as npf
import pandas as pd

from . import validation as check
from .i18n import N_, _, _ngettext, babel_locale, number_text
from .money import eur
from .plotting import OKABE_ITO

DEFAULT_DISCOUNT_RATE = 0.035
MAX_DURATION_YEARS = 100

#: The adjustments, in the order the Guide applies them, with a plain-words meaning.
SHARES = {
    "deadweight": N_("what would have happened anyway, without the activity"),
    "displacement": N_("how much of the outcome just pushes other outcomes out"),
    "attribution": N_("how much of the outcome is due to other people or organisations"),
    "drop_off": N_("how much of the outcome fades away each year after the first"),
}

#: Fields that :func:`switching_value` can move.
SWITCHABLE_FIELDS = ("deadweight", "displacement", "attribution", "drop_off",
                     "financial_proxy", "quantity")


@dataclass(frozen=True)
class Outcome:
    """One outcome of an activity, valued with a financial proxy (SROI Guide, stages 2-4).

    Attributes:
        name: short name of the outcome, e.g. ``"found a job"``. Must not be empty.
        stakeholder: who experiences the outcome, e.g. ``"young refugees"``.
        quantity: how many units of the outcome happen in year 1 (people, households, ...);
            zero or more.
        financial_proxy: value of one unit of the outcome, in EUR per unit per year; zero or more.
        deadweight: share 0-1 of the outcome that would have happened anyway.
        displacement: share 0-1 of the outcome that displaces other outcomes.
        attribution: share 0-1 of the outcome owed to others (other organisations, family, ...).
        drop_off: share 0-1 by which the outcome declines each year after year 1.
        duration: how many years the outcome lasts, a whole number from 1 to 100.
        indicator: optional, how the outcome is measured.
        proxy_source: optional, where the financial proxy comes from.

    Raises:
        ValueError: a share outside 0-1, a negative quantity or proxy, a duration that is not a
            whole number from 1 to 100, or an empty name. The message names the outcome and
            the field.
        TypeError: a field that should be a number is text or missing.
    """

    name: str
    stakeholder: str
    quantity: float
    financial_proxy: float
    deadweight: float = 0.0
    displacement: float = 0.0
    attribution: float = 0.0
    drop_off: float = 0.0
    duration: int = 1
    indicator: str | None = None
    proxy_source: str | None = None

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(_("Every outcome needs a name (a short text such as 'found a "
                               "job')."))
        who = self.name
        set_ = object.__setattr__
        set_(self, "stakeholder", str(self.stakeholder))
        set_(self, "quantity", check.non_negative(self.quantity, _("quantity"), who))
        set_(self, "financial_proxy",
             check.non_negative(self.financial_proxy, _("financial proxy (EUR per unit per year)"), who))
        for share_field in SHARES:
            set_(self, share_field,
                 check.share(getattr(self, share_field), share_field.replace("_", "-"), who))
        set_(self, "duration",
             check.whole(self.duration, _("duration (years)"), who, 1, MAX_DURATION_YEARS))

    @property
    def gross_value(self) -> float:
        """Quantity times financial proxy, in EUR for year 1, before any adjustment."""
        return self.quantity * self.financial_proxy

    @property
    def impact(self) -> float:
        """Year-1 impact in EUR: the gross value after deadweight, displacement and attribution."""
        return (self.gross_value * (1 - self.deadweight) * (1 - self.displacement)
                * (1 - self.attribution))

    def values_by_year(self, years: int | None = None) -> np.ndarray:
        """Value in EUR for years 1..``years`` (default: the duration); 0 after the duration."""
        years = self.duration if years is None else years
        t = np.arange(1, years + 1)
        values = self.impact * (1 - self.drop_off) ** (t - 1)
        return np.where(t <= self.duration, values, 0.0)


@dataclass(frozen=True)
class SROIResult:
    """What :func:`sroi` returns. Money in EUR; ratios are plain numbers (EUR of value per EUR).

    Attributes:
        yearly_values: total value of all outcomes per year, year 1 first (EUR per year).
        present_value: the yearly values discounted to t = 0 (EUR).
        npv: present value minus investment (EUR).
        ratio: SROI ratio, present value / investment (e.g. 3.2 reads "EUR 3.20 of social value
            for every euro invested").
        net_ratio: NPV / investment.
        payback_months: months until the investment is paid back by year-1 value (simple,
            undiscounted); None if year 1 creates no value.
        table: one row per outcome (DataFrame; see :func:`sroi`).
        investment: the investment (EUR, at t = 0).
        discount_rate: the discount rate used (share per year).
    """

    yearly_values: list[float]
    present_value: float
    npv: float
    ratio: float
    net_ratio: float
    payback_months: float | None
    table: pd.DataFrame = field(repr=False)
    investment: float = 0.0
    discount_rate: float = DEFAULT_DISCOUNT_RATE

    @property
    def waterfall(self) -> pd.Series:
        """How gross value shrinks to present value, in EUR summed over every outcome's duration.

        Index: ``gross value``, ``deadweight``, ``displacement``, ``attribution``, ``drop-off``,
        ``discounting`` (each the EUR removed by that step, as a negative number) and
        ``present value`` (what is left).
        """
        t = self.table
        gross = (t["gross value (EUR/yr)"] * t["duration (years)"]).sum()
        after_dw = (t["gross value (EUR/yr)"] * (1 - t["deadweight"]) * t["duration (years)"]).sum()
        after_disp = (t["gross value (EUR/yr)"] * (1 - t["deadweight"]) * (1 - t["displacement"])
                      * t["duration (years)"]).sum()
        after_attr = (t["impact year 1 (EUR)"] * t["duration (years)"]).sum()
        after_drop = float(sum(self.yearly_values))
        steps = {
            "gross value": gross,
            "deadweight": after_dw - gross,
            "displacement": after_disp - after_dw,
            "attribution": after_attr - after_disp,
            "drop-off": after_drop - after_attr,
            "discounting": self.present_value - after_drop,
            "present value": self.present_value,
        }
        return pd.Series(steps, name="EUR", dtype=float)


def _check_outcomes(outcomes) -> list[Outcome]:
    if isinstance(outcomes, Outcome):
        outcomes = [outcomes]
    try:
        outcomes = list(outcomes)
    except TypeError:
        raise TypeError(_("outcomes must be a list of Outcome(...) objects.")) from None
    if not outcomes:
        raise ValueError(_("outcomes is empty: an SROI needs at least one outcome."))
    for i, o in enumerate(outcomes, start=1):
        if not isinstance(o, Outcome):
            raise TypeError(_(
                "outcome number {i} is a {kind}, not an Outcome(...). Make each one with "
                "Outcome(name=..., stakeholder=..., quantity=..., financial_proxy=..., ...)."
            ).format(i=i, kind=type(o).__name__))
    return outcomes


def _check_rate(discount_rate) -> float:
    return check.share(discount_rate, _("discount rate (share per year)"))


def _yearly_matrix(outcomes: Sequence[Outcome]) -> np.ndarray:
    """Values in EUR, one row per outcome, one column per year (year 1 first)."""
    years = max(o.duration for o in outcomes)
    return np.vstack([o.values_by_year(years) for o in outcomes])


def sroi(outcomes: Iterable[Outcome], investment: float,
         discount_rate: float = DEFAULT_DISCOUNT_RATE) -> SROIResult:
    """Calculate a forecast or evaluative SROI (SROI Guide, stage 5).

    Args:
        outcomes: one or more :class:`Outcome` objects (a list).
        investment: the value of the inputs, in EUR, made at t = 0; more than 0.
        discount_rate: share per year, 0-1; default 0.035 (3.5 %, HM Treasury Green Book).

    Returns:
        :class:`SROIResult` with ``yearly_values`` (EUR per year, year 1 first), ``present_value``,
        ``npv``, ``ratio``, ``net_ratio``, ``payback_months`` and ``table``: a DataFrame with one
        row per outcome and the columns ``outcome``, ``stakeholder``, ``quantity``,
        ``financial proxy (EUR)``, ``gross value (EUR/yr)``, ``deadweight``, ``displacement``,
        ``attribution``, ``drop-off``, ``duration (years)``, ``impact year 1 (EUR)``,
        ``total value (EUR)`` (undiscounted, over the duration) and ``present value (EUR)``.

    Raises:
        ValueError: no outcomes, investment of 0 or less, discount rate outside 0-1.
        TypeError: an item is not an Outcome, or a number is text.
    """
    outcomes = _check_outcomes(outcomes)
    investment = check.positive(investment, _("investment (EUR)"))
    rate = _check_rate(discount_rate)

    matrix = _yearly_matrix(outcomes)
    yearly = matrix.sum(axis=0)
    present_value = float(npf.npv(rate, np.concatenate([[0.0], yearly])))
    per_outcome_pv = [float(npf.npv(rate, np.concatenate([[0.0], row]))) for row in matrix]
    npv = present_value - investment
    year1 = float(yearly[0])
    payback = investment * 12 / year1 if year1 > 0 else None
    if payback is not None and not np.isfinite(payback):
        payback = None  # a year-1 value too small to pay anything back

    table = pd.DataFrame({
        "outcome": [o.name for o in outcomes],
        "stakeholder": [o.stakeholder for o in outcomes],
        "quantity": [o.quantity for o in outcomes],
        "financial proxy (EUR)": [o.financial_proxy for o in outcomes],
        "gross value (EUR/yr)": [o.gross_value for o in outcomes],
        "deadweight": [o.deadweight for o in outcomes],
        "displacement": [o.displacement for o in outcomes],
        "attribution": [o.attribution for o in outcomes],
        "drop-off": [o.drop_off for o in outcomes],
        "duration (years)": [o.duration for o in outcomes],
        "impact year 1 (EUR)": [o.impact for o in outcomes],
        "total value (EUR)": matrix.sum(axis=1),
        "present value (EUR)": per_outcome_pv,
    })
    return SROIResult(
        yearly_values=[float(v) for v in yearly],
        present_value=present_value,
        npv=npv,
        ratio=present_value / investment,
        net_ratio=npv / investment,
        payback_months=payback,
        table=table,
        investment=investment,
        discount_rate=rate,
    )


def _pv_by_outcome(outcomes: Sequence[Outcome], rate: float) -> np.ndarray:
    matrix = _yearly_matrix(outcomes)
    return np.array([npf.npv(rate, np.concatenate([[0.0], row])) for row in matrix])


#: Below this many EUR an investment or a financial proxy looks like a share typed where
#: euros are meant (0.25 for 25 %), so :func:`implausible_amounts` warns.
PLAUSIBLE_MIN_EUR = 1.0


def implausible_amounts(outcomes: Iterable[Outcome], investment: float) -> list[str]:
    """Warnings, in plain words, for amounts in EUR that look like shares (more than 0, less
    than :data:`PLAUSIBLE_MIN_EUR`): an investment of 0.25 or a financial proxy of 0.5 EUR per
    unit was most likely meant as 25 % or typed in the wrong unit. The SROI is still
    calculated; the calculator shows these beside the result.

    Args:
        outcomes: :class:`Outcome` objects (their ``financial_proxy`` in EUR per unit per year).
        investment: EUR at t = 0.

    Returns:
        A list of messages in the language in use (empty when every amount looks like euros),
        e.g. "An investment of €0.25 is very small: did you mean a share? The investment is in
        euros (e.g. 25,000)." (Dutch: "€ 0,25", "25.000").

    Raises:
        TypeError / ValueError: ``investment`` is not a finite number.
    """
    investment = check.number(investment, _("investment (EUR)"))
    warnings_ = []
    if 0 < investment < PLAUSIBLE_MIN_EUR:
        warnings_.append(_(
            "An investment of {amount} is very small: did you mean a share? The investment is "
            "in euros (e.g. {example})."
        ).format(amount=eur(investment), example=number_text(25_000, ",.0f")))
    for o in outcomes:
        if 0 < o.financial_proxy < PLAUSIBLE_MIN_EUR:
            warnings_.append(_(
                "The financial proxy of {name} is {amount} per unit, very small: did you mean a "
                "share? The financial proxy is in euros per unit per year (e.g. {example})."
            ).format(name=repr(o.name), amount=eur(o.financial_proxy),
                     example=number_text(1_500, ",.0f")))
    return warnings_


def switching_value(outcomes: Iterable[Outcome], investment: float, field: str,
                    outcome: str | None = None,
                    discount_rate: float = DEFAULT_DISCOUNT_RATE) -> float | None:
    """The value of one assumption at which the SROI ratio falls to exactly 1.0.

    The SROI Guide (stage 5, sensitivity analysis) asks how far each assumption must change
    before the social value no longer covers the investment: this is its switching value.

    Args:
        outcomes: the outcomes (a list of :class:`Outcome`).
        investment: EUR at t = 0, more than 0.
        field: one of ``"deadweight"``, ``"displacement"``, ``"attribution"``, ``"drop_off"``
            (shares 0-1), ``"financial_proxy"`` (EUR per unit per year) or ``"quantity"``.
        outcome: the name of the outcome whose field moves; ``None`` moves the field of every
            outcome at once, to the same value.
        discount_rate: share per year, 0-1; default 0.035.

    Returns:
        The field's value (a share 0-1 for the shares; EUR or units for the others) at which
        the ratio is 1.0, or ``None`` when no value in the allowed range (0-1 for shares, 0 or
        more otherwise) gets the ratio to 1.0.

    Raises:
        ValueError: an unknown field or outcome name, or any error :func:`sroi` raises.
    """
    outcomes = _check_outcomes(outcomes)
    investment = check.positive(investment, _("investment (EUR)"))
    rate = _check_rate(discount_rate)
    if field not in SWITCHABLE_FIELDS:
        raise ValueError(_("field must be one of {fields}; got {field}.").format(
            fields=", ".join(SWITCHABLE_FIELDS), field=repr(field)))
    if outcome is None:
        moving = [True] * len(outcomes)
    else:
        names = [o.name for o in outcomes]
        if outcome not in names:
            raise ValueError(_("There is no outcome named {outcome}; the outcomes are "
                               "{names}.").format(outcome=repr(outcome), names=names))
        moving = [o.name == outcome for o in outcomes]

    fixed_pv = float(sum(pv for pv, m in zip(_pv_by_outcome(outcomes, rate), moving) if not m))
    moved = [o for o, m in zip(outcomes, moving) if m]
    target = investment - fixed_pv  # PV the moving outcomes must reach for a ratio of 1.0

    if field == "drop_off":
        # PV of the moving outcomes is a polynomial in u = 1 - drop_off:
        # sum_i impact_i * sum_{t=1..D_i} u**(t-1) / (1 + r)**t  = target
        degree = max(o.duration for o in moved) - 1
        coeffs = np.zeros(degree + 1)  # coeffs[k] multiplies u**k
        for o in moved:
            for t in range(1, o.duration + 1):
                coeffs[t - 1] += o.impact / (1 + rate) ** t
        coeffs[0] -= target
        roots = np.polynomial.polynomial.polyroots(coeffs) if degree > 0 else np.array([])
        if degree == 0:
            # Value does not depend on drop-off when every moving outcome lasts one year.
            return None
        real = [1 - r.real for r in roots if abs(r.imag) < 1e-9 and -1e-12 <= r.real <= 1 + 1e-12]
        return float(min(max(real[0], 0.0), 1.0)) if real else None

    # Every other field enters PV linearly: PV_moving(x) = a * g(x), with g the factor below.
    if field in ("deadweight", "displacement", "attribution"):
        base = [replace(o, **{field: 0.0}) for o in moved]
        slope = float(_pv_by_outcome(base, rate).sum())  # PV of moving outcomes at share 0
        if slope <= 0:
            return None
        value = 1 - target / slope
        return float(value) if 0.0 <= value <= 1.0 else None

    # quantity or financial_proxy: PV_moving(x) = x * PV of the moving outcomes with field = 1
    base = [replace(o, **{field: 1.0}) for o in moved]
    slope = float(_pv_by_outcome(base, rate).sum())
    if slope <= 0:
        return None
    value = target / slope
    return float(value) if value >= 0 else None


def outcome_fields() -> list[str]:
    """Names of the fields of :class:`Outcome`, in order (for tables and forms)."""
    return [f.name for f in fields(Outcome)]


# --- sensitivity analysis -----------------------------------------------------------------------

#: How each field that sensitivity analysis can move reads for people.
FIELD_LABELS = {
    "deadweight": N_("deadweight"),
    "displacement": N_("displacement"),
    "attribution": N_("attribution"),
    "drop_off": N_("drop-off"),
    "financial_proxy": N_("financial proxy"),
    "quantity": N_("quantity"),
}

#: Marker in the ``note`` column of :func:`sensitivity` for a share moved outside 0-1.
#: English here; the table shows it in the language in use.
OUTSIDE_SHARE_NOTE = N_("outside 0–1")


def format_field_value(field: str, value: float) -> str:
    """How the value of an Outcome field reads for people.

    Args:
        field: one of :data:`SWITCHABLE_FIELDS`.
        value: shares 0-1, EUR per unit per year for ``financial_proxy``, units for ``quantity``.

    Returns:
        Shares as percentages (``0.3`` -> ``"30%"``, ``0.947`` -> ``"94.7%"``), the financial
        proxy in euro (``"€14,000.00"``, rounded half-up), a quantity with at most two decimals.

    Raises:
        ValueError: an unknown field.
    """
    locale = babel_locale()
    if field in SHARES:
        if locale is not None:  # Belgian text: 94,7 % (Babel, CLDR decimal symbols)
            return number_text(round(value * 100, 1)) + "\u00a0%"
        return _trim(f"{value * 100:.1f}") + "%"
    if field == "financial_proxy":
        return eur(value)
    if field == "quantity":
        if locale is not None:
            from babel.numbers import format_decimal

            return format_decimal(value, format="#,##0.##", locale=locale)
        return _trim(f"{value:,.2f}")
    raise ValueError(_("field must be one of {fields}; got {field}.").format(
        fields=", ".join(SWITCHABLE_FIELDS), field=repr(field)))


def _trim(number_text: str) -> str:
    return number_text.rstrip("0").rstrip(".") if "." in number_text else number_text


def _check_fields(fields_) -> tuple[str, ...]:
    if isinstance(fields_, str):
        fields_ = (fields_,)
    try:
        fields_ = list(fields_)
    except TypeError:
        raise TypeError(_("fields must be a list of field names, e.g. ['deadweight', "
                          "'financial_proxy'].")) from None
    if not fields_:
        raise ValueError(_("fields is empty: name at least one field, e.g. ['deadweight']."))
    for name in fields_:
        if name not in SWITCHABLE_FIELDS:
            raise ValueError(_("fields must be taken from {fields}; got {name}.").format(
                fields=", ".join(SWITCHABLE_FIELDS), name=repr(name)))
    return tuple(dict.fromkeys(fields_))


def _check_unique_names(outcomes: Sequence[Outcome]) -> None:
    seen = set()
    for o in outcomes:
        if o.name in seen:
            raise ValueError(_(
                "Two outcomes are called {name}: give every outcome its own name, so that the "
                "sensitivity table can tell them apart.").format(name=repr(o.name)))
        seen.add(o.name)


def _switching_words(o: Outcome, field: str, today: float, value: float | None,
                     base_ratio: float) -> str:
    label = _(FIELD_LABELS[field])
    name = repr(o.name)
    show = format_field_value
    if value is None:
        if field == "drop_off" and o.duration == 1:
            return _("drop-off does not change the ratio: {name} lasts only one year, and "
                     "drop-off starts in year 2.").format(name=name)
        if base_ratio > 1:
            end = show(field, 1.0) if field in SHARES else show(field, 0.0)
            if babel_locale() is None and field in SHARES:
                end = "100%"
            why = ("" if field == "drop_off"
                   else _(": the other outcomes alone cover the investment"))
            if field in SHARES:
                text = _("the ratio stays above 1 even if the {label} of {name} rises to "
                         "{end}{why}.")
            else:
                text = _("the ratio stays above 1 even if the {label} of {name} falls to "
                         "{end}{why}.")
            return text.format(label=label, name=name, end=end, why=why)
        if field in SHARES:
            return _("the ratio stays below 1 even if the {label} of {name} falls to "
                     "{zero}.").format(label=label, name=name,
                                       zero=show(field, 0.0) if babel_locale() else "0%")
        other = _("financial proxy") if field == "quantity" else _("quantity")
        return _("the ratio stays below 1 whatever the {label} of {name}: this outcome counts "
                 "for nothing (a share of 100% or a {other} of 0 removes all its value).").format(
            label=label, name=name, other=other)
    if abs(value - today) <= 1e-9 * max(1.0, abs(today)):
        return _("the ratio is already 1 : 1 at today's {label} of {name} ({today}).").format(
            label=label, name=name, today=show(field, today))
    up = value > today
    said = {"label": label, "name": name, "today": show(field, today),
            "value": show(field, value)}
    if base_ratio > 1:
        words = (_("the ratio falls to 1 if the {label} of {name} rises from {today} to {value}")
                 if up else
                 _("the ratio falls to 1 if the {label} of {name} falls from {today} to {value}"))
    else:
        words = (_("the ratio rises to 1 if the {label} of {name} rises from {today} to {value}")
                 if up else
                 _("the ratio rises to 1 if the {label} of {name} falls from {today} to {value}"))
    words = words.format(**said)
    if field in SHARES:
        points = _trim(f"{abs(value - today) * 100:.1f}")
        count = 1 if points == "1" else 2
        shown = number_text(float(points)) if babel_locale() else points
        if up:
            extra = _ngettext(" ({points} percentage point more)",
                              " ({points} percentage points more)", count)
        else:
            extra = _ngettext(" ({points} percentage point less)",
                              " ({points} percentage points less)", count)
        words += extra.format(points=shown)
    elif today > 0:
        change = number_text(abs(value / today - 1), ".0%")
        words += (_(" ({change} more)") if up else _(" ({change} less)")).format(change=change)
    return words + "."


def switching_values(outcomes: Iterable[Outcome], investment: float,
                     discount_rate: float = DEFAULT_DISCOUNT_RATE,
                     fields: Iterable[str] = SWITCHABLE_FIELDS) -> pd.DataFrame:
    """The switching value of every field of every outcome, with what it means in words.

    Each row moves ONE field of ONE outcome and keeps everything else as it is, and gives the
    value at which the SROI ratio becomes exactly 1.0 (computed with :func:`switching_value`).
    Source: the SROI Guide (stage 5, sensitivity analysis).

    Args:
        outcomes: the outcomes (a list of :class:`Outcome`), each with its own name.
        investment: EUR at t = 0, more than 0.
        discount_rate: share per year, 0-1; default 0.035.
        fields: which fields to move; default all of :data:`SWITCHABLE_FIELDS`.

    Returns:
        A DataFrame, one row per (outcome, field), with the columns ``outcome``, ``field``
        (e.g. ``"deadweight"``, ``"financial_proxy"``), ``today`` (the value now: share 0-1,
        EUR per unit per year or units), ``switching value`` (same unit; ``<NA>`` when no
        allowed value gets the ratio to 1), ``change`` (switching value minus today, same unit;
        ``<NA>`` likewise) and ``in words``, e.g. "the ratio falls to 1 if the deadweight of
        'found a job' rises from 30% to 94.7% (64.7 percentage points more)." The two number
        columns use pandas' nullable ``Float64`` type: a missing value is ``<NA>``, never NaN.

    Raises:
        ValueError: two outcomes share a name, an unknown field, or any error of :func:`sroi`.
        TypeError: an item is not an Outcome, or a number is text.
    """
    outcomes = _check_outcomes(outcomes)
    investment = check.positive(investment, _("investment (EUR)"))
    rate = _check_rate(discount_rate)
    fields_ = _check_fields(fields)
    _check_unique_names(outcomes)
    base_ratio = float(_pv_by_outcome(outcomes, rate).sum()) / investment

    rows = []
    for o in outcomes:
        for f in fields_:
            today = float(getattr(o, f))
            value = switching_value(outcomes, investment, f, outcome=o.name, discount_rate=rate)
            rows.append({
                "outcome": o.name,
                "field": f,
                "today": today,
                "switching value": pd.NA if value is None else value,
                "change": pd.NA if value is None else value - today,
                "in words": _switching_words(o, f, today, value, base_ratio),
            })
    table = pd.DataFrame(rows, columns=["outcome", "field", "today", "switching value",
                                        "change", "in words"])
    return table.astype({"today": float, "switching value": "Float64", "change": "Float64"})


@dataclass(frozen=True)
class SensitivityResult:
    """What :func:`sensitivity` returns.

    Attributes:
        base_ratio: the SROI ratio with every assumption as given (as :func:`sroi` computes it).
        table: the ± scenario table, one row per (outcome, field, step); see :func:`sensitivity`.
        switching_values: the switching-value table of :func:`switching_values`.
        investment: EUR at t = 0.
        discount_rate: share per year.
        steps: the steps used.
    """

    base_ratio: float
    table: pd.DataFrame = field(repr=False)
    switching_values: pd.DataFrame = field(repr=False)
    investment: float = 0.0
    discount_rate: float = DEFAULT_DISCOUNT_RATE
    steps: tuple = ()


def _check_steps(steps) -> tuple[float, ...]:
    if isinstance(steps, (int, float)) and not isinstance(steps, bool):
        steps = (steps,)
    try:
        steps = list(steps)
    except TypeError:
        raise TypeError(_("steps must be a list of numbers, e.g. [-0.2, -0.1, 0.1, 0.2].")) \
            from None
    if not steps:
        raise ValueError(_("steps is empty: give at least one step, e.g. [-0.1, 0.1]."))
    result = []
    for s in steps:
        s = check.number(s, _("each step"))
        if not -1.0 <= s <= 1.0:
            raise ValueError(_(
                "each step must be between -1 and 1, but one is {step}. A step of 0.1 moves a "
                "share by 10 percentage points and multiplies a proxy or quantity by 1.1."
            ).format(step=number_text(s, "g")))
        result.append(s)
    return tuple(result)


def sensitivity(outcomes: Iterable[Outcome], investment: float,
                discount_rate: float = DEFAULT_DISCOUNT_RATE,
                steps: Iterable[float] = (-0.2, -0.1, 0.1, 0.2),
                fields: Iterable[str] = SWITCHABLE_FIELDS) -> SensitivityResult:
    """Sensitivity analysis of an SROI: move one assumption at a time and see the ratio change.

    The SROI Guide (stage 5, sensitivity analysis) asks how sensitive the ratio is to each
    assumption, and how far each must move for the ratio to fall to 1 : 1 (the switching
    value). This function gives both: a ± scenario table and the switching values.

    How a value moves by a step ``s``:

    * the shares (``deadweight``, ``displacement``, ``attribution``, ``drop_off``) move by
      ``s`` in absolute terms: 0.30 with step 0.1 becomes 0.40 (10 percentage points more).
      A share that would leave 0-1 is NOT clipped: its row keeps the would-be value, gets no
      ratio (``<NA>``) and the note ``"outside 0–1"``;
    * ``financial_proxy`` and ``quantity`` move relatively: with step 0.1 they are multiplied
      by 1.1, with step -0.2 by 0.8.

    Only one field of one outcome moves in each row; the rest stays as given.

    Args:
        outcomes: the outcomes (a list of :class:`Outcome`), each with its own name.
        investment: EUR at t = 0, more than 0.
        discount_rate: share per year, 0-1; default 0.035.
        steps: the steps, each from -1 to 1; default (-0.2, -0.1, 0.1, 0.2).
        fields: which fields to move; default all of :data:`SWITCHABLE_FIELDS`.

    Returns:
        :class:`SensitivityResult` with ``base_ratio``, ``switching_values`` (see
        :func:`switching_values`) and ``table``: a DataFrame, one row per (outcome, field,
        step) in that order, with the columns ``outcome``, ``field``, ``step``, ``base value``
        and ``moved value`` (share 0-1, EUR per unit per year or units), ``ratio`` (the SROI
        ratio with the moved value), ``change in ratio`` (ratio minus the base ratio) and
        ``note`` (``""`` or ``"outside 0–1"``). ``ratio`` and ``change in ratio`` use pandas'
        nullable ``Float64`` type: a row without a ratio shows ``<NA>``, never NaN.

    Raises:
        ValueError: a step outside -1 to 1, no steps, an unknown field, two outcomes with the
            same name, or any error of :func:`sroi`.
        TypeError: an item is not an Outcome, or a number is text.
    """
    outcomes = _check_outcomes(outcomes)
    investment = check.positive(investment, _("investment (EUR)"))
    rate = _check_rate(discount_rate)
    steps_ = _check_steps(steps)
    fields_ = _check_fields(fields)
    _check_unique_names(outcomes)

    rows = []
    for i, o in enumerate(outcomes):
        for f in fields_:
            base = float(getattr(o, f))
            for s in steps_:
                if f in SHARES:
                    moved = round(base + s, 12)  # 0.7 + 0.3 is 1.0, not 0.9999999999999999
                    inside = 0.0 <= moved <= 1.0
                else:
                    moved = base * (1 + s)
                    inside = True
                rows.append((i, o.name, f, s, base, moved, inside))

    # One vectorised run: scenario 0 is the base case, scenario r + 1 is row r of the table.
    n = len(rows) + 1
    draws = {f: np.tile([float(getattr(o, f)) for o in outcomes], (n, 1)) for f in fields_}
    for r, (i, _name, f, _low, _high, moved, inside) in enumerate(rows, start=1):
        if inside:
            draws[f][r, i] = moved
    ratios = sroi_scenarios(outcomes, investment, draws, rate)
    engine_base = ratios[0]

    table = pd.DataFrame({
        "outcome": [row[1] for row in rows],
        "field": [row[2] for row in rows],
        "step": [row[3] for row in rows],
        "base value": [row[4] for row in rows],
        "moved value": [row[5] for row in rows],
        "ratio": pd.array([float(ratios[r]) if row[6] else pd.NA
                           for r, row in enumerate(rows, start=1)], dtype="Float64"),
        "change in ratio": pd.array([float(ratios[r] - engine_base) if row[6] else pd.NA
                                     for r, row in enumerate(rows, start=1)], dtype="Float64"),
        "note": ["" if row[6] else _(OUTSIDE_SHARE_NOTE) for row in rows],
    })
    return SensitivityResult(
        base_ratio=sroi(outcomes, investment, rate).ratio,
        table=table,
        switching_values=switching_values(outcomes, investment, rate, fields_),
        investment=investment,
        discount_rate=rate,
        steps=steps_,
    )


def _scenario_draws(outcomes: Sequence[Outcome], draws) -> tuple[dict, int]:
    """Check ``draws`` and return them as float arrays of shape (n, n_outcomes), and n."""
    if not isinstance(draws, Mapping):
        raise TypeError(_(
            "draws must be a dictionary from field name to a numpy array, e.g. "
            "{{'deadweight': rng.uniform(0.2, 0.4, size=1000)}}; got {kind}."
        ).format(kind=type(draws).__name__))
    if not draws:
        raise ValueError(_(
            "draws is empty: give at least one field to vary, e.g. "
            "{'deadweight': rng.uniform(0.2, 0.4, size=1000)}."))
    k = len(outcomes)
    names = [o.name for o in outcomes]
    arrays, n, first = {}, None, None
    for name, raw in draws.items():
        if name not in SWITCHABLE_FIELDS:
            raise ValueError(_("draws has an unknown field {name}; the fields that can vary "
                               "are {fields}.").format(name=repr(name),
                                                       fields=", ".join(SWITCHABLE_FIELDS)))
        where = f"draws[{name!r}]"
        arr = np.asarray(raw)
        if arr.dtype.kind not in "iuf":
            raise TypeError(_("{where} must hold numbers only (a numpy array of floats), but "
                              "it holds {dtype} values.").format(where=where, dtype=arr.dtype))
        arr = arr.astype(float, copy=False)
        if arr.ndim == 1:
            arr = np.broadcast_to(arr[:, None], (arr.shape[0], k))
        elif not (arr.ndim == 2 and arr.shape[1] == k):
            raise ValueError(_(
                "{where} has shape {shape}; it must be (n_scenarios,) to give every outcome the "
                "same value, or (n_scenarios, {k}) with one column per outcome ({names})."
            ).format(where=where, shape=arr.shape, k=k, names=", ".join(map(repr, names))))
        if arr.shape[0] == 0:
            raise ValueError(_("{where} holds no scenarios: it needs at least one row.").format(
                where=where))
        if n is None:
            n, first = arr.shape[0], name
        elif arr.shape[0] != n:
            raise ValueError(_(
                "{where} has {count} scenarios but draws[{first}] has {n}: every field needs "
                "the same number of scenarios (rows)."
            ).format(where=where, count=arr.shape[0], first=repr(first), n=n))
        bad = ~np.isfinite(arr)
        if bad.any():
            r, c = np.argwhere(bad)[0]
            raise ValueError(_("{where} holds {value} in row {row} (outcome {name}): every "
                               "value must be a finite number.").format(
                where=where, value=arr[r, c], row=r, name=repr(names[c])))
        if name in SHARES:
            bad = (arr < 0) | (arr > 1)
            if bad.any():
                r, c = np.argwhere(bad)[0]
                v = arr[r, c]
                hint = (_(" (write a percentage as a decimal: 25 % is 0.25)") if 1 < v <= 100
                        else "")
                raise ValueError(_(
                    "{where} must hold shares between 0 and 1, but row {row} (outcome {name}) "
                    "is {value}{hint}."
                ).format(where=where, row=r, name=repr(names[c]), value=number_text(v, "g"),
                         hint=hint))
        elif (arr < 0).any():
            r, c = np.argwhere(arr < 0)[0]
            raise ValueError(_("{where} cannot be negative, but row {row} (outcome {name}) is "
                               "{value}.").format(where=where, row=r, name=repr(names[c]),
                                                  value=number_text(arr[r, c], "g")))
        arrays[name] = arr
    return arrays, n


def sroi_scenarios(outcomes: Iterable[Outcome], investment: float, draws,
                   discount_rate: float = DEFAULT_DISCOUNT_RATE) -> np.ndarray:
    """The SROI ratio of many scenarios at once (e.g. a Monte Carlo run), without a loop.

    Each scenario replaces some fields of the outcomes by drawn values; the fields not in
    ``draws`` keep the value of the outcomes. The ratio of scenario ``s`` equals
    ``sroi(outcomes_s, investment, discount_rate).ratio`` with the same conventions (SROI
    Guide: impact = quantity x proxy x (1 - deadweight) x (1 - displacement) x
    (1 - attribution), drop-off from year 2, year 1 discounted), computed with numpy
    broadcasting over a (scenario, outcome, year) array.

    Args:
        outcomes: the outcomes (a list of :class:`Outcome`); their durations are kept.
        investment: EUR at t = 0, more than 0 (the same in every scenario).
        draws: a dictionary from field name (``"deadweight"``, ``"displacement"``,
            ``"attribution"``, ``"drop_off"`` as shares 0-1; ``"financial_proxy"`` in EUR per
            unit per year and ``"quantity"``, 0 or more) to a numpy array of shape
            ``(n_scenarios, n_outcomes)`` (one column per outcome, in order) or
            ``(n_scenarios,)`` (the same value for every outcome). Every array has the same
            number of scenarios.
        discount_rate: share per year, 0-1; default 0.035.

    Returns:
        A numpy array of ``n_scenarios`` SROI ratios (present value / investment).

    Raises:
        ValueError: an unknown field, a wrong shape, different numbers of scenarios, a value
            that is not finite, a share outside 0-1 or a negative proxy or quantity (the
            message names the field, the row and the outcome), or any error of :func:`sroi`.
        TypeError: ``draws`` is not a dictionary or holds something other than numbers.

    Example:
        >>> rng = np.random.default_rng(1)
        >>> ratios = sroi_scenarios(outcomes, 120_000,
        ...                         {"deadweight": rng.uniform(0.2, 0.4, size=10_000)})
        >>> (ratios < 1).mean()   # share of scenarios in which the ratio is below 1 : 1
    """
    outcomes = _check_outcomes(outcomes)
    investment = check.positive(investment, _("investment (EUR)"))
    rate = _check_rate(discount_rate)
    arrays, n = _scenario_draws(outcomes, draws)

    def value(name):  # (n, k) if drawn, else (1, k) from the outcomes
        if name in arrays:
            return arrays[name]
        return np.array([[float(getattr(o, name)) for o in outcomes]])

    impact = (value("quantity") * value("financial_proxy") * (1 - value("deadweight"))
              * (1 - value("displacement")) * (1 - value("attribution")))      # (n|1, k)
    durations = np.array([o.duration for o in outcomes])                        # (k,)
    t = np.arange(1, durations.max() + 1)                                       # (T,)
    weight = (t[None, :] <= durations[:, None]) / (1 + rate) ** t               # (k, T)
    decay = (1 - value("drop_off"))[:, :, None] ** (t - 1)                      # (n|1, k, T)
    per_outcome = impact * np.einsum("nkt,kt->nk", decay, weight)              # (n|1, k) EUR
    present_value = np.broadcast_to(per_outcome.sum(axis=1), (n,))
    return present_value / investment


# --- theory of change ---------------------------------------------------------------------------

#: The five stages of a theory of change / logic model, in order.
TOC_STAGES = ("inputs", "activities", "outputs", "outcomes", "impact")

#: What each stage (and the assumptions) holds, in plain words.
TOC_PROMPTS = {
    "inputs": N_("what we put in: people, money, time, partners"),
    "activities": N_("what we do with the inputs"),
    "outputs": N_("what we deliver and can count: services, participants, products"),
    "outcomes": N_("what changes for people, in the short and medium term"),
    "impact": N_("the lasting change in society we contribute to"),
    "preconditions": N_("mapped backwards from the impact: what must be brought about first "
                        "for the next change to happen"),
    "assumptions": N_("what must hold true for each step to lead to the next"),
}

#: The stage ids as words in a sentence ("Still empty: impact"), marked for the catalog.
TOC_WORDS = (N_("inputs"), N_("activities"), N_("outputs"), N_("outcomes"), N_("impact"))

#: How each stage is named for people (translated with ``stage_name``).
TOC_NAMES = {"inputs": N_("Inputs"), "activities": N_("Activities"), "outputs": N_("Outputs"),
             "outcomes": N_("Outcomes"), "impact": N_("Impact"),
             "preconditions": N_("Preconditions"), "assumptions": N_("Assumptions")}


def stage_name(stage: str) -> str:
    """The name of a theory-of-change stage in the language in use ("Inputs", "Outcomes";
    Dutch "Middelen", "Effecten")."""
    return _(TOC_NAMES[stage])


def stage_prompt(stage: str) -> str:
    """What a stage holds, in plain words, in the language in use (:data:`TOC_PROMPTS`)."""
    return _(TOC_PROMPTS[stage])

#: What a theory of change holds beside the five stages: the preconditions found by backwards
#: mapping (changes still to be brought about) and the assumptions (conditions believed to be
#: in place already), after the Center for Theory of Change's glossary.
TOC_EXTRAS = ("preconditions", "assumptions")

_TOC_KIND = "theory-of-change"
_TOC_VERSION = 1
_TOC_ALIASES = {"input": "inputs", "activity": "activities", "output": "outputs",
                "outcome": "outcomes", "impacts": "impact", "assumption": "assumptions",
                "precondition": "preconditions"}
_TOC_COLOURS = ("orange", "sky blue", "bluish green", "blue", "reddish purple")


def _toc_items(value, where: str) -> list[str]:
    """A stage's items as a list of non-empty, stripped texts (a text is split into lines)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    if not isinstance(value, (list, tuple)):
        raise TypeError(_("{where} must be a list of texts (or one text), not a {kind}.").format(
            where=where, kind=type(value).__name__))
    items = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise TypeError(_("item {number} of {where} is a {kind} ({item}); every item must "
                              "be a text, in quotes.").format(
                number=number, where=where, kind=type(item).__name__, item=repr(item)))
        if item.strip():
            items.append(item.strip())
    return items


@dataclass
class TheoryOfChange:
    """A theory of change drawn as a logic model: inputs → activities → outputs → outcomes →
    impact, with the assumptions.

    What it holds and draws is the linear chain, with two lists beside it: the
    **preconditions** found by backwards mapping from the impact (changes that must still be
    brought about) and the **assumptions** (conditions believed to be in place already), as
    the Center for Theory of Change's glossary (theoryofchange.org) distinguishes them. It
    draws no branching pathways: draw those on paper with the stakeholders; use this chain for
    the outcomes an SROI values.

    Method source: the logic model of the W.K. Kellogg Foundation, *Logic Model Development
    Guide* (2004), and theory-of-change practice (e.g. Weiss 1995; the Center for Theory of
    Change): each stage leads to the next, and the assumptions say why we expect it to.

    Attributes:
        title: what the theory of change is about, e.g. ``"Rising You"``.
        inputs, activities, outputs, outcomes: lists of short texts, one item each. A single
            text is accepted too and split into its lines.
        impact: a list of texts, or one text (kept as a list of its lines).
        preconditions: list of texts: what must be brought about first, found by working
            backwards from the impact (optional).
        assumptions: list of texts: what must hold true for each step to lead to the next.

    Raises:
        TypeError: the title or an item is not a text, or a stage is not a list of texts.

    Example:
        >>> toc = TheoryOfChange("Rising You", inputs=["climbing coaches"])
        >>> toc.add("activities", "weekly climbing clubs for young refugees")
        >>> toc.empty_stages()
        ['outputs', 'outcomes', 'impact']
    """

    title: str = ""
    inputs: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    outputs: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)
    impact: list | str = field(default_factory=list)
    assumptions: list = field(default_factory=list)
    preconditions: list = field(default_factory=list)

    STAGES: ClassVar[tuple] = TOC_STAGES

    def __post_init__(self):
        if self.title is None:
            self.title = ""
        if not isinstance(self.title, str):
            raise TypeError(_("title must be a text, not a {kind}.").format(
                kind=type(self.title).__name__))
        self.title = self.title.strip()
        for stage in (*TOC_STAGES, *TOC_EXTRAS):
            setattr(self, stage, _toc_items(getattr(self, stage), stage))

    @staticmethod
    def _stage_name(stage, allow_assumptions: bool = True) -> str:
        known = (*TOC_STAGES, *TOC_EXTRAS) if allow_assumptions else TOC_STAGES
        name = stage.strip().lower() if isinstance(stage, str) else stage
        name = _TOC_ALIASES.get(name, name)
        if name not in known:
            message = (_("Unknown stage {stage}. The stages are: {stages} (and preconditions, "
                         "assumptions).") if allow_assumptions
                       else _("Unknown stage {stage}. The stages are: {stages}."))
            raise ValueError(message.format(stage=repr(stage), stages=", ".join(TOC_STAGES)))
        return name

    def items(self, stage: str) -> list[str]:
        """The items of one stage (or ``"assumptions"``), as a new list of texts.

        Raises:
            ValueError: an unknown stage; the message lists the stages.
        """
        stage = self._stage_name(stage)
        return _toc_items(getattr(self, stage), stage)

    def add(self, stage: str, text: str) -> None:
        """Add an item to a stage (or to ``"assumptions"``); a text with several lines adds one
        item per line.

        Args:
            stage: ``"inputs"``, ``"activities"``, ``"outputs"``, ``"outcomes"``, ``"impact"``
                or ``"assumptions"`` (singular forms such as ``"outcome"`` work too).
            text: what to add, e.g. ``"weekly climbing clubs"``.

        Raises:
            ValueError: an unknown stage (the message lists the stages) or an empty text.
            TypeError: ``text`` is not a text.
        """
        stage = self._stage_name(stage)
        if not isinstance(text, str):
            raise TypeError(_("The text to add to {stage} must be a text in quotes, not a "
                              "{kind}.").format(stage=stage, kind=type(text).__name__))
        new = _toc_items(text, stage)
        if not new:
            raise ValueError(_("The text to add to {stage} is empty: write what to add.").format(
                stage=stage))
        setattr(self, stage, self.items(stage) + new)

    def empty_stages(self) -> list[str]:
        """The stages (of the five; not the assumptions) that have no item yet, in order."""
        return [stage for stage in TOC_STAGES if not self.items(stage)]

    def to_markdown(self) -> str:
        """The theory of change as Markdown: a heading, one section per stage, the assumptions.

        Paste it into a Markdown cell or a report. Empty stages read ``*(nothing yet)*``.
        """
        heading = (_("Logic model: {title}").format(title=self.title) if self.title
                   else _("Logic model"))
        lines = [f"## {heading}", "",
                 " → ".join(f"**{stage_name(s)}**" for s in TOC_STAGES), ""]
        for number, stage in enumerate((*TOC_STAGES, *TOC_EXTRAS), start=1):
            title = (f"### {number}. {stage_name(stage)}" if stage not in TOC_EXTRAS
                     else f"### {stage_name(stage)}")
            lines += [f"{title} ({stage_prompt(stage)})", ""]
            items = self.items(stage)
            lines += ([f"- {item}" for item in items] if items
                      else ["*({})*".format(_("nothing yet"))])
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"

    def to_figure(self, wrap: int = 24):
        """Draw the logic model: five boxes from left to right with arrows, and below them two
        dashed boxes, the preconditions and the assumptions (headed "Logic model", since no
        branching pathways are drawn).

        Args:
            wrap: how many characters fit on one line of a box (default 24).

        Returns:
            A matplotlib Figure (closed in pyplot, so it shows once). Colours: Okabe-Ito.
        """
        import matplotlib.pyplot as plt
        from matplotlib.colors import to_rgba
        from matplotlib.patches import FancyBboxPatch

        from .plotting import _detached

        max_lines = 30
        boxes = {}
        for stage in TOC_STAGES:
            items = self.items(stage)
            lines = []
            for item in items:
                parts = textwrap.wrap(item, width=wrap) or [item]
                lines += ["• " + parts[0]] + ["   " + p for p in parts[1:]]
            if not items:
                lines = textwrap.wrap(_("(nothing yet: {prompt})").format(
                    prompt=stage_prompt(stage)), width=wrap)
            if len(lines) > max_lines:
                lines = lines[:max_lines - 1] + ["…"]
            boxes[stage] = (lines, not items)
        extras = {}
        for extra in TOC_EXTRAS:
            extra_lines = []
            for item in self.items(extra):
                parts = textwrap.wrap(item, width=wrap * 3) or [item]
                extra_lines += ["• " + parts[0]] + ["   " + p for p in parts[1:]]
            empty = not extra_lines
            if empty:
                extra_lines = textwrap.wrap(_("(nothing yet: {prompt})").format(
                    prompt=stage_prompt(extra)), width=wrap * 3)
            extras[extra] = (extra_lines[:max_lines], empty)

        # Geometry in inches: the axes span the whole figure, 1 data unit = 1 inch.
        line_h, head_h, pad = 0.175, 0.5, 0.12
        width, margin, gap = 12.5, 0.15, 0.45
        box_w = (width - 2 * margin - 4 * gap) / 5
        n_lines = max(len(lines) for lines, _ in boxes.values())
        box_h = head_h + n_lines * line_h + 2 * pad
        ass_h = 0.4 + max(len(lines) for lines, _ in extras.values()) * line_h + pad
        title_h, foot_h = 0.55, 0.3
        height = title_h + box_h + 0.3 + ass_h + foot_h

        fig = plt.figure(figsize=(width, height))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, width)
        ax.set_ylim(0, height)
        ax.axis("off")
        heading = (_("Logic model: {title}").format(title=self.title) if self.title
                   else _("Logic model"))
        ax.text(margin, height - 0.15, heading, ha="left", va="top", fontsize=14,
                fontweight="bold", parse_math=False)

        top = height - title_h
        for number, stage in enumerate(TOC_STAGES):
            x = margin + number * (box_w + gap)
            colour = OKABE_ITO[_TOC_COLOURS[number]]
            ax.add_patch(FancyBboxPatch((x, top - box_h), box_w, box_h,
                                        boxstyle="round,pad=0,rounding_size=0.08",
                                        facecolor=to_rgba(colour, 0.15), edgecolor=colour,
                                        linewidth=2))
            ax.text(x + pad, top - pad, f"{number + 1}. {stage_name(stage)}", ha="left",
                    va="top", fontsize=11, fontweight="bold", parse_math=False)
            lines, empty = boxes[stage]
            ax.text(x + pad, top - head_h, "\n".join(lines), ha="left", va="top", fontsize=9,
                    linespacing=1.35, color="#555555" if empty else "black",
                    fontstyle="italic" if empty else "normal", parse_math=False)
            if number < len(TOC_STAGES) - 1:
                y = top - box_h / 2
                ax.annotate("", xy=(x + box_w + gap - 0.04, y), xytext=(x + box_w + 0.04, y),
                            arrowprops={"arrowstyle": "-|>", "color": "black",
                                        "linewidth": 1.5, "mutation_scale": 18})

        ass_top = top - box_h - 0.3
        extra_w = (width - 2 * margin - gap) / 2
        extra_titles = {"preconditions": _("Preconditions (mapped backwards from the impact)"),
                        "assumptions": _("Assumptions (believed to be in place already)")}
        for number, extra in enumerate(TOC_EXTRAS):
            x = margin + number * (extra_w + gap)
            lines, empty = extras[extra]
            ax.add_patch(FancyBboxPatch((x, ass_top - ass_h), extra_w, ass_h,
                                        boxstyle="round,pad=0,rounding_size=0.08",
                                        facecolor=to_rgba(OKABE_ITO["grey"], 0.12),
                                        edgecolor=OKABE_ITO["grey"], linewidth=1.5,
                                        linestyle="--", gid=f"extra:{extra}"))
            ax.text(x + pad, ass_top - pad, extra_titles[extra], ha="left", va="top",
                    fontsize=11, fontweight="bold", parse_math=False)
            ax.text(x + pad, ass_top - 0.4, "\n".join(lines), ha="left", va="top",
                    fontsize=9, linespacing=1.35, color="#555555" if empty else "black",
                    fontstyle="italic" if empty else "normal", parse_math=False)
        ax.text(margin, 0.1, _("Logic model: inputs → activities → outputs → outcomes → impact "
                               "(W.K. Kellogg Foundation 2004), with preconditions and "
                               "assumptions (Center for Theory of Change). Branching pathways "
                               "are not drawn."), ha="left",
                va="bottom", fontsize=7, color="#555555")
        return _detached(fig)

    # ---------------------------------------------------------------- saving and loading

    def to_dict(self) -> dict:
        """The theory of change as a plain dictionary, ready for JSON.

        Returns:
            ``{"kind": "theory-of-change", "version": 1, "title": str, "inputs": [...],
            "activities": [...], "outputs": [...], "outcomes": [...], "impact": [...],
            "assumptions": [...], "preconditions": [...]}``.
        """
        data = {"kind": _TOC_KIND, "version": _TOC_VERSION, "title": self.title}
        for stage in (*TOC_STAGES, *TOC_EXTRAS):
            data[stage] = self.items(stage)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> TheoryOfChange:
        """Make a theory of change from a dictionary made by :meth:`to_dict`.

        Raises:
            TypeError: ``data`` is not a dictionary, or an item is not a text.
            ValueError: ``"kind"`` is not ``"theory-of-change"``, the version is not a whole
                number from 1 or is newer than this welfarelab reads, or a key is unknown.
        """
        if not isinstance(data, dict):
            raise TypeError(_("A theory of change must be read from a dictionary (JSON "
                              "object), but this is a {kind}.").format(kind=type(data).__name__))
        kind = data.get("kind")
        if kind != _TOC_KIND:
            raise ValueError(_('This is not a theory of change: its "kind" is {kind}, expected '
                               '{expected}.').format(kind=repr(kind), expected=repr(_TOC_KIND)))
        version = data.get("version", _TOC_VERSION)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise ValueError(_('The "version" must be a whole number from 1, not {version}.')
                             .format(version=repr(version)))
        if version > _TOC_VERSION:
            raise ValueError(_(
                "This theory of change was saved by a newer welfarelab (format version "
                "{version}); this one reads up to version {known}. Update welfarelab."
            ).format(version=version, known=_TOC_VERSION))
        allowed = ("kind", "version", "title", *TOC_STAGES, *TOC_EXTRAS)
        unknown = [key for key in data if key not in allowed]
        if unknown:
            raise ValueError(_("Unknown key(s) {unknown} in a theory of change. The keys are: "
                               "{keys}.").format(unknown=", ".join(map(repr, unknown)),
                                                 keys=", ".join(allowed)))
        return cls(title=data.get("title", ""),
                   **{stage: data.get(stage, []) for stage in (*TOC_STAGES, *TOC_EXTRAS)})

    def to_json(self) -> str:
        """The theory of change as JSON text (UTF-8 characters kept, indented)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> TheoryOfChange:
        """Read a theory of change from JSON text made by :meth:`to_json` or :meth:`save`.

        Raises:
            ValueError: the text is not valid JSON or is not a theory of change.
            TypeError: ``text`` is not a text, or an item in it is not a text.
        """
        if not isinstance(text, str):
            raise TypeError(_("from_json needs the JSON as a text, not a {kind}.").format(
                kind=type(text).__name__))
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(_(
                "This is not a theory-of-change file: it is not valid JSON (the problem is at "
                "line {line}, column {column})."
            ).format(line=error.lineno, column=error.colno)) from None
        return cls.from_dict(data)

    def save(self, path) -> Path:
        """Save as a JSON file (UTF-8), replacing the file if it exists.

        Args:
            path: file name or path, e.g. ``"theory-of-change.json"``.

        Returns:
            The path written, as a ``pathlib.Path``.

        Raises:
            TypeError: ``path`` is not a file name.
            OSError: the folder does not exist or cannot be written.
        """
        path = _toc_path(path)
        path.write_text(self.to_json(), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path) -> TheoryOfChange:
        """Read a theory of change saved with :meth:`save`.

        Raises:
            ValueError: the file is not valid JSON or not a theory of change; the message
                names the file.
            FileNotFoundError: there is no such file.
            TypeError: ``path`` is not a file name.
        """
        path = _toc_path(path)
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            return cls.from_json(text)
        except (TypeError, ValueError) as error:
            raise ValueError(_("Cannot load {name}: {error}").format(
                name=repr(str(path)), error=error)) from None


def _toc_path(path) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(_("path must be a file name such as 'theory-of-change.json', not "
                          "{path}.").format(path=repr(path)))
    return Path(path)
