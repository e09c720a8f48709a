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

from dataclasses import dataclass, field, fields, replace
from typing import Iterable, Sequence

import numpy as np
import numpy_financial as npf
import pandas as pd

from . import validation as check

DEFAULT_DISCOUNT_RATE = 0.035
MAX_DURATION_YEARS = 100

#: The adjustments, in the order the Guide applies them, with a plain-words meaning.
SHARES = {
    "deadweight": "what would have happened anyway, without the activity",
    "displacement": "how much of the outcome just pushes other outcomes out",
    "attribution": "how much of the outcome is due to other people or organisations",
    "drop_off": "how much of the outcome fades away each year after the first",
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
            raise ValueError("Every outcome needs a name (a short text such as 'found a job').")
        who = self.name
        set_ = object.__setattr__
        set_(self, "stakeholder", str(self.stakeholder))
        set_(self, "quantity", check.non_negative(self.quantity, "quantity", who))
        set_(self, "financial_proxy",
             check.non_negative(self.financial_proxy, "financial proxy (EUR per unit per year)", who))
        for share_field in SHARES:
            set_(self, share_field,
                 check.share(getattr(self, share_field), share_field.replace("_", "-"), who))
        set_(self, "duration",
             check.whole(self.duration, "duration (years)", who, 1, MAX_DURATION_YEARS))

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
        raise TypeError("outcomes must be a list of Outcome(...) objects.") from None
    if not outcomes:
        raise ValueError("outcomes is empty: an SROI needs at least one outcome.")
    for i, o in enumerate(outcomes, start=1):
        if not isinstance(o, Outcome):
            raise TypeError(
                f"outcome number {i} is a {type(o).__name__}, not an Outcome(...). "
                "Make each one with Outcome(name=..., stakeholder=..., quantity=..., "
                "financial_proxy=..., ...)."
            )
    return outcomes


def _check_rate(discount_rate) -> float:
    return check.share(discount_rate, "discount rate (share per year)")


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
    investment = check.positive(investment, "investment (EUR)")
    rate = _check_rate(discount_rate)

    matrix = _yearly_matrix(outcomes)
    yearly = matrix.sum(axis=0)
    present_value = float(npf.npv(rate, np.concatenate([[0.0], yearly])))
    per_outcome_pv = [float(npf.npv(rate, np.concatenate([[0.0], row]))) for row in matrix]
    npv = present_value - investment
    year1 = float(yearly[0])
    payback = investment / (year1 / 12) if year1 > 0 else None

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
    investment = check.positive(investment, "investment (EUR)")
    rate = _check_rate(discount_rate)
    if field not in SWITCHABLE_FIELDS:
        raise ValueError(f"field must be one of {', '.join(SWITCHABLE_FIELDS)}; got {field!r}.")
    if outcome is None:
        moving = [True] * len(outcomes)
    else:
        names = [o.name for o in outcomes]
        if outcome not in names:
            raise ValueError(f"There is no outcome named {outcome!r}; the outcomes are {names}.")
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
