"""Checks of user input that raise errors a student can read.

Every calculator in welfarelab checks its input through these helpers, so that a bad value
always ends in a ``ValueError`` (or ``TypeError``) that names the field and the allowed range,
and never in a NaN, an inf or a traceback from deep inside pandas.
"""

from __future__ import annotations

import math
import re
from numbers import Real


def _where(field: str, owner: str | None) -> str:
    return f"{field} of {owner!r}" if owner else field


def number(value, field: str, owner: str | None = None) -> float:
    """Return ``value`` as a float, or raise if it is not a finite real number.

    Raises:
        TypeError: ``value`` is text, None, a bool or another non-number.
        ValueError: ``value`` is NaN or infinite.
    """
    where = _where(field, owner)
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(
            f"{where} must be a number, but it is {value!r} ({type(value).__name__}). "
            "Type digits only, for example 1200 or 0.25, without quotes, spaces or a currency sign."
        )
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{where} must be a finite number, not {value}.")
    return value


def share(value, field: str, owner: str | None = None) -> float:
    """Return a share as a float in [0, 1], or raise naming the field.

    Shares are decimals: 25 % is written 0.25.
    """
    value = number(value, field, owner)
    if not 0.0 <= value <= 1.0:
        hint = " (write a percentage as a decimal: 25 % is 0.25)" if 1 < value <= 100 else ""
        raise ValueError(
            f"{_where(field, owner)} must be a share between 0 and 1, but it is {value:g}{hint}."
        )
    return value


def non_negative(value, field: str, owner: str | None = None) -> float:
    """Return ``value`` as a float that is zero or more, or raise naming the field."""
    value = number(value, field, owner)
    if value < 0:
        raise ValueError(f"{_where(field, owner)} cannot be negative, but it is {value:g}.")
    return value


def positive(value, field: str, owner: str | None = None) -> float:
    """Return ``value`` as a float above zero, or raise naming the field."""
    value = number(value, field, owner)
    if value <= 0:
        raise ValueError(f"{_where(field, owner)} must be more than 0, but it is {value:g}.")
    return value


def whole(value, field: str, owner: str | None = None, low: int = 1, high: int | None = None) -> int:
    """Return ``value`` as an int in [low, high], or raise naming the field and the range."""
    number(value, field, owner)
    if float(value) != int(value):
        raise ValueError(f"{_where(field, owner)} must be a whole number, but it is {value:g}.")
    value = int(value)
    if value < low or (high is not None and value > high):
        allowed = f"from {low} to {high}" if high is not None else f"{low} or more"
        raise ValueError(f"{_where(field, owner)} must be {allowed}, but it is {value}.")
    return value


def parse_number(text, field: str, owner: str | None = None) -> float:
    """Read a number typed by a person into a text box, or raise naming the field.

    Accepts ``1200``, ``1 200``, ``1200.50``, ``1200,50`` (decimal comma), ``1.200.000`` and
    ``1,200,000`` (several separators group thousands), ``€ 1,200.50``, ``1.200,50`` and
    ``25%`` (returned as 25.0: the caller decides what a percentage means). Numbers pass through.

    One point or one comma followed by exactly three digits (``120.000``, ``1,500``) is refused:
    in Belgium it groups thousands, in English it marks decimals, and guessing wrong gives an
    answer a thousand times off. The message asks for digits without a thousands separator.

    Raises:
        ValueError: the text is empty, ambiguous or not a number; the message quotes it.
    """
    if not isinstance(text, str):
        return number(text, field, owner)
    where = _where(field, owner)
    cleaned = text.strip().replace("€", "").replace("EUR", "").replace("%", "")
    cleaned = cleaned.replace("\u00a0", "").replace(" ", "").replace("_", "")
    if not cleaned:
        raise ValueError(f"{where} is empty: type a number, for example 1200.")
    sign = ""
    if cleaned[0] in "+-\u2212":
        sign, cleaned = ("-" if cleaned[0] != "+" else ""), cleaned[1:]
    points, commas = cleaned.count("."), cleaned.count(",")
    if points and commas:
        # the separator that comes last marks the decimals: 1,200.50 or 1.200,50
        decimal = "." if cleaned.rfind(".") > cleaned.rfind(",") else ","
        group = "," if decimal == "." else "."
        cleaned = cleaned.replace(group, "").replace(decimal, ".")
    elif points > 1 or commas > 1:
        if re.fullmatch(r"\d{1,3}([.,]\d{3})+", cleaned):
            cleaned = cleaned.replace(".", "").replace(",", "")  # 1.200.000 or 1,200,000
        else:
            cleaned = "not a number"
    elif points + commas == 1:
        whole_part, decimals = cleaned.replace(",", ".").split(".")
        if len(decimals) == 3 and whole_part.strip("0"):
            separator = "." if points else ","
            raise ValueError(
                f"{where}: {text.strip()!r} could mean {whole_part}{decimals} or "
                f"{whole_part}.{decimals}. Type the number without a thousands separator "
                f"(for example {whole_part}{decimals}), and use {separator!r} only for decimals "
                f"with one, two or four digits, like 12.5."
            )
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(sign + cleaned)
    except ValueError:
        raise ValueError(
            f"{where} must be a number, but you typed {text!r}. Use digits only, for example 1200 "
            "or 0.25."
        ) from None
    return number(value, field, owner)
