"""Checks of user input that raise errors a student can read.

Every calculator in welfarelab checks its input through these helpers, so that a bad value
always ends in a ``ValueError`` (or ``TypeError``) that names the field and the allowed range,
and never in a NaN, an inf or a traceback from deep inside pandas.
"""

from __future__ import annotations

import math
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

    Accepts ``1200``, ``1 200``, ``1200.50``, ``1200,50`` (decimal comma), ``€ 1,200.50`` and
    ``25%`` (returned as 25.0: the caller decides what a percentage means). Numbers pass through.

    Raises:
        ValueError: the text is empty or is not a number; the message quotes what was typed.
    """
    if not isinstance(text, str):
        return number(text, field, owner)
    cleaned = text.strip().replace("€", "").replace("EUR", "").replace("%", "")
    cleaned = cleaned.replace("\u00a0", "").replace(" ", "").replace("_", "")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(",", "")  # 1,200.50: commas group thousands
    elif cleaned.count(",") == 1 and len(cleaned.split(",")[1]) != 3:
        cleaned = cleaned.replace(",", ".")  # 1200,5: a decimal comma
    else:
        cleaned = cleaned.replace(",", "")
    where = _where(field, owner)
    if not cleaned:
        raise ValueError(f"{where} is empty: type a number, for example 1200.")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(
            f"{where} must be a number, but you typed {text!r}. Use digits only, for example 1200 "
            "or 0.25."
        ) from None
    return number(value, field, owner)
