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


_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(value: int) -> str:
    """A whole number from 0 to 999,999,999 in English words: 4800 -> 'four thousand eight
    hundred', 30000 -> 'thirty thousand', 45 -> 'forty-five' (without the British "and").

    Used only to make an ambiguous number plain in a message. The Dutch edition (issue 17)
    needs its own words; num2words (``lang="nl"``) is the library to use then.

    Raises:
        ValueError: ``value`` is negative, above 999,999,999 or not whole.
    """
    if isinstance(value, bool) or int(value) != value or not 0 <= value <= 999_999_999:
        raise ValueError(f"number_words needs a whole number from 0 to 999,999,999, not {value!r}.")
    value = int(value)
    if value < 20:
        return _ONES[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if value < 1000:
        hundreds, rest = divmod(value, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {number_words(rest)}" if rest else "")
    for size, word in ((1_000_000, "million"), (1000, "thousand")):
        if value >= size:
            high, rest = divmod(value, size)
            return f"{number_words(high)} {word}" + (f" {number_words(rest)}" if rest else "")
    raise AssertionError("unreachable")


def decimal_words(text: str) -> str:
    """A decimal written with digits in words: '4.8' -> 'four point eight', '30' -> 'thirty'.

    Digits after the point are read one by one, as people say them ("point two five").
    """
    whole_part, _, decimals = text.partition(".")
    words = number_words(int(whole_part or "0"))
    if decimals:
        words += " point " + " ".join(_ONES[int(d)] for d in decimals)
    return words


def _ambiguous(where: str, typed: str, whole_part: str, decimals: str, sign: str = "") -> str:
    """The message for one point or comma followed by exactly three digits (4.800, 1,500)."""
    thousands = int(whole_part + decimals)
    point = f"{whole_part}.{decimals}".rstrip("0").rstrip(".")
    point = f"{int(point.split('.')[0])}" + (f".{point.split('.')[1]}" if "." in point else "")
    try:
        said = f"{number_words(thousands)} or {decimal_words(point)}"
    except ValueError:  # beyond a billion: the digits say it
        said = f"{thousands} or {point}"
    if sign:
        said = " or ".join(f"minus {part}" for part in said.split(" or "))
    return (f"{where}: {typed} could be {said}: type {sign}{thousands} or {sign}{point} "
            "(no point or comma between the thousands).")


def parse_number(text, field: str, owner: str | None = None, example: str = "1200") -> float:
    """Read a number typed by a person into a text box, or raise naming the field.

    Accepts ``1200``, ``1 200``, ``1200.50``, ``1200,50`` (decimal comma), ``1.200.000`` and
    ``1,200,000`` (several separators group thousands), ``€ 1,200.50``, ``1.200,50`` and
    ``25%`` (returned as 25.0: the caller decides what a percentage means). Numbers pass through.

    One point or one comma followed by exactly three digits (``120.000``, ``1,500``) is refused:
    in Belgium it groups thousands, in English it marks decimals, and guessing wrong gives an
    answer a thousand times off. The message says both readings in words and what to type:
    "4.800 could be four thousand eight hundred or four point eight: type 4800 or 4.8".

    ``example`` is the number the messages suggest (for example "36" for a number of people).

    Raises:
        ValueError: the text is empty, ambiguous, not a number, or too large to be a finite
            float (``1e400``); the message names the field, quotes the text and says what to
            type.
    """
    if not isinstance(text, str):
        return number(text, field, owner)
    where = _where(field, owner)
    cleaned = text.strip().replace("€", "").replace("EUR", "").replace("%", "")
    cleaned = cleaned.replace("\u00a0", "").replace(" ", "").replace("_", "")
    if not cleaned:
        raise ValueError(f"{where} is empty: type a number, for example {example}.")
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
        # 1 to 3 digits before it: a thousands group or decimals? (1200.500 cannot be a
        # group: grouped it would be written 1.200.500, so it is read as decimals)
        if len(decimals) == 3 and whole_part.strip("0") and len(whole_part) <= 3:
            raise ValueError(_ambiguous(where, text.strip(), whole_part, decimals, sign))
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(sign + cleaned)
    except ValueError:
        raise ValueError(
            f"{where} must be a number, but you typed {text!r}. Type digits only, for example "
            f"{example}."
        ) from None
    if not math.isfinite(value):  # 1e400: too large for a float
        raise ValueError(f"{where}: {text.strip()!r} is too large to calculate with. Type the "
                         f"number in digits, for example {example}.")
    return number(value, field, owner)
