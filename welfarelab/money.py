"""Money as people read it: rounded half-up to cents, written in euro.

Python's ``round()`` rounds half to even and works on binary floats (``round(2.675, 2)`` gives
2.67), so amounts shown to people go through :mod:`decimal` instead.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .validation import number

CENT = Decimal("0.01")


def to_cents(amount) -> Decimal:
    """Round an amount in EUR half-up to whole cents.

    Args:
        amount: a finite number of EUR (int, float or Decimal).

    Returns:
        Decimal with two decimals, e.g. ``to_cents(2.675) == Decimal("2.68")``.

    Raises:
        TypeError / ValueError: ``amount`` is not a finite number.
    """
    if not isinstance(amount, Decimal):
        amount = number(amount, "amount")
        amount = Decimal(repr(amount))
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def eur(amount) -> str:
    """Format an amount in EUR for people: ``eur(1234.5) == "€1,234.50"``, ``"−€80.00"`` if negative."""
    cents = to_cents(amount)
    sign = "\u2212" if cents < 0 else ""
    return f"{sign}€{abs(cents):,.2f}"
