"""Money as people read it: rounded half-up to cents, written in euro.

Python's ``round()`` rounds half to even and works on binary floats (``round(2.675, 2)`` gives
2.67), so amounts shown to people go through :mod:`decimal` instead.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .i18n import _, babel_locale
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
        amount = number(amount, _("amount"))
        amount = Decimal(repr(amount))
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def eur(amount) -> str:
    """Format an amount in EUR for people, rounded half-up to cents (:func:`to_cents`).

    English: ``eur(1234.5) == "€1,234.50"``, ``"−€80.00"`` if negative. In another language
    (``welfarelab.set_language("nl")``) Babel's ``format_currency`` with that language's
    Belgian locale (CLDR pattern of ``nl_BE``): ``"€ 1.234,50"``, ``"€ -80,00"`` (with a
    no-break space after €).

    Raises:
        TypeError / ValueError: ``amount`` is not a finite number.
    """
    cents = to_cents(amount)
    locale = babel_locale()
    if locale is not None:
        from babel.numbers import format_currency

        return format_currency(cents, "EUR", locale=locale)
    sign = "\u2212" if cents < 0 else ""
    return f"{sign}€{abs(cents):,.2f}"


def eur_whole(amount) -> str:
    """An amount in EUR rounded to whole euros, for chart labels and ticks.

    English: ``"€60,000"`` (``f"€{amount:,.0f}"``, a minus before € when negative). In another
    language (``welfarelab.set_language("nl")``) that language's Belgian format: ``"€ 60.000"``
    (a no-break space after €; :func:`welfarelab.i18n.number_text`).

    Args:
        amount: a finite number of EUR.

    Returns:
        The text, e.g. ``"€ 172.500"`` in Dutch.

    Raises:
        TypeError / ValueError: ``amount`` is not a finite number.
    """
    from .i18n import number_text

    value = number(amount, _("amount"))
    if babel_locale() is None:
        return f"€{value:,.0f}"
    return "€\u00a0" + number_text(value, ",.0f")
