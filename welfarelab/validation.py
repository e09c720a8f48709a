"""Checks of user input that raise errors a student can read.

Every calculator in welfarelab checks its input through these helpers, so that a bad value
always ends in a ``ValueError`` (or ``TypeError``) that names the field and the allowed range,
and never in a NaN, an inf or a traceback from deep inside pandas.
"""

from __future__ import annotations

import math
import re
from numbers import Real

from .i18n import _, babel_locale, number_text


def _where(field: str, owner: str | None) -> str:
    return _("{field} of {owner}").format(field=field, owner=repr(owner)) if owner else field


def number(value, field: str, owner: str | None = None) -> float:
    """Return ``value`` as a float, or raise if it is not a finite real number.

    Raises:
        TypeError: ``value`` is text, None, a bool or another non-number.
        ValueError: ``value`` is NaN or infinite.
    """
    where = _where(field, owner)
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(_(
            "{where} must be a number, but it is {value} ({kind}). Type digits only, for "
            "example 1200 or 0.25, without quotes, spaces or a currency sign."
        ).format(where=where, value=repr(value), kind=type(value).__name__))
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(_("{where} must be a finite number, not {value}.").format(
            where=where, value=value))
    return value


def share(value, field: str, owner: str | None = None) -> float:
    """Return a share as a float in [0, 1], or raise naming the field.

    Shares are decimals: 25 % is written 0.25.
    """
    value = number(value, field, owner)
    if not 0.0 <= value <= 1.0:
        hint = _(" (write a percentage as a decimal: 25 % is 0.25)") if 1 < value <= 100 else ""
        raise ValueError(_("{where} must be a share between 0 and 1, but it is {value}{hint}.")
                         .format(where=_where(field, owner), value=number_text(value), hint=hint))
    return value


def non_negative(value, field: str, owner: str | None = None) -> float:
    """Return ``value`` as a float that is zero or more, or raise naming the field."""
    value = number(value, field, owner)
    if value < 0:
        raise ValueError(_("{where} cannot be negative, but it is {value}.").format(
            where=_where(field, owner), value=number_text(value)))
    return value


def positive(value, field: str, owner: str | None = None) -> float:
    """Return ``value`` as a float above zero, or raise naming the field."""
    value = number(value, field, owner)
    if value <= 0:
        raise ValueError(_("{where} must be more than 0, but it is {value}.").format(
            where=_where(field, owner), value=number_text(value)))
    return value


def whole(value, field: str, owner: str | None = None, low: int = 1, high: int | None = None) -> int:
    """Return ``value`` as an int in [low, high], or raise naming the field and the range."""
    number(value, field, owner)
    if float(value) != int(value):
        raise ValueError(_("{where} must be a whole number, but it is {value}.").format(
            where=_where(field, owner), value=number_text(value)))
    value = int(value)
    if value < low or (high is not None and value > high):
        allowed = (_("from {low} to {high}").format(low=low, high=high) if high is not None
                   else _("{low} or more").format(low=low))
        raise ValueError(_("{where} must be {allowed}, but it is {value}.").format(
            where=_where(field, owner), allowed=allowed, value=value))
    return value


_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(value: int) -> str:
    """A whole number from 0 to 999,999,999 in words, in the language in use.

    English: 4800 -> 'four thousand eight hundred', 30000 -> 'thirty thousand', 45 ->
    'forty-five' (without the British "and"). Dutch (``set_language("nl")``): 4800 ->
    'vierduizend achthonderd', 45 -> 'vijfenveertig', 22 -> 'tweeëntwintig', written as the
    Taalunie's spelling rules say (Woordenlijst / Taaladvies "Getallen in letters": one word up
    to a thousand, a space after duizend and around miljoen; "ën" after twee and drie).
    Neither num2words nor Babel (which has no spell-out) is in the environment, hence this
    small function.

    Used only to make an ambiguous number plain in a message.

    Raises:
        ValueError: ``value`` is negative, above 999,999,999 or not whole.
    """
    if isinstance(value, bool) or int(value) != value or not 0 <= value <= 999_999_999:
        raise ValueError(_("number_words needs a whole number from 0 to 999,999,999, not "
                           "{value}.").format(value=repr(value)))
    if babel_locale() is not None and babel_locale().startswith("nl"):
        return _dutch_words(int(value))
    return _english_words(int(value))


def _english_words(value: int) -> str:
    if value < 20:
        return _ONES[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if value < 1000:
        hundreds, rest = divmod(value, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {_english_words(rest)}" if rest else "")
    for size, word in ((1_000_000, "million"), (1000, "thousand")):
        if value >= size:
            high, rest = divmod(value, size)
            return f"{_english_words(high)} {word}" + (f" {_english_words(rest)}" if rest else "")
    raise AssertionError("unreachable")


_NL_ONES = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien",
            "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien",
            "achttien", "negentien"]
_NL_TENS = ["", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig",
            "negentig"]


def _dutch_words(value: int) -> str:
    """Dutch words for 0 <= value < 10**9 (see :func:`number_words`)."""
    if value < 20:
        return _NL_ONES[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        if not ones:
            return _NL_TENS[tens]
        unit = _NL_ONES[ones]
        joint = "ën" if unit.endswith("e") else "en"  # tweeëntwintig, drieëndertig
        return f"{unit}{joint}{_NL_TENS[tens]}"
    if value < 1000:
        hundreds, rest = divmod(value, 100)
        head = "honderd" if hundreds == 1 else f"{_NL_ONES[hundreds]}honderd"
        return head + (_dutch_words(rest) if rest else "")
    if value < 1_000_000:
        high, rest = divmod(value, 1000)
        head = "duizend" if high == 1 else f"{_dutch_words(high)}duizend"
        return head + (f" {_dutch_words(rest)}" if rest else "")
    high, rest = divmod(value, 1_000_000)
    return f"{_dutch_words(high)} miljoen" + (f" {_dutch_words(rest)}" if rest else "")


def decimal_words(text: str) -> str:
    """A decimal written with digits in words: '4.8' -> 'four point eight', '30' -> 'thirty'
    (Dutch: '4,8' or '4.8' -> 'vier komma acht').

    Digits after the point are read one by one, as people say them ("point two five").
    """
    dutch = babel_locale() is not None and babel_locale().startswith("nl")
    whole_part, _sep, decimals = text.replace(",", ".").partition(".") if dutch else text.partition(".")
    words = number_words(int(whole_part or "0"))
    if decimals:
        if dutch:
            words += " komma " + " ".join(_NL_ONES[int(d)] for d in decimals)
        else:
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
    # reached in English only (another language reads numbers with _parse_local)
    return _("{where}: {typed} could be {said}: type {thousands} or {point} (no point or comma "
             "between the thousands).").format(where=where, typed=typed, said=said,
                                               thousands=f"{sign}{thousands}",
                                               point=f"{sign}{point}")


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
    locale = babel_locale()
    if locale is not None:
        return _parse_local(text, field, owner, example, locale)
    cleaned = text.strip().replace("€", "").replace("EUR", "").replace("%", "")
    cleaned = cleaned.replace("\u00a0", "").replace(" ", "").replace("_", "")
    if not cleaned:
        raise ValueError(_("{where} is empty: type a number, for example {example}.").format(
            where=where, example=example))
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
        raise ValueError(_(
            "{where} must be a number, but you typed {text}. Type digits only, for example "
            "{example}.").format(where=where, text=repr(text), example=example)) from None
    if not math.isfinite(value):  # 1e400: too large for a float
        raise ValueError(_too_large(where, text, example))
    return number(value, field, owner)


def _too_large(where: str, text: str, example: str) -> str:
    return _("{where}: {text} is too large to calculate with. Type the number in digits, for "
             "example {example}.").format(where=where, text=repr(text.strip()), example=example)


def _parse_local(text: str, field: str, owner: str | None, example: str, locale: str) -> float:
    """:func:`parse_number` in a language other than English: the locale's own convention,
    read strictly by Babel's ``parse_decimal`` (CLDR symbols of ``locale``, e.g. ``nl_BE``:
    ``1.000,50``, ``0,25``; a point that cannot group thousands, ``0.25``, is refused with
    Babel's suggestions, ``0,25``)."""
    from babel.numbers import NumberFormatError, parse_decimal

    where = _where(field, owner)
    cleaned = text.strip().replace("€", "").replace("EUR", "").replace("%", "")
    for space in (" ", "\u00a0", "\u202f", "_"):
        cleaned = cleaned.replace(space, "")
    if not cleaned:
        raise ValueError(_("{where} is empty: type a number, for example {example}.").format(
            where=where, example=example))
    sign = ""
    if cleaned[0] in "+-\u2212":
        sign, cleaned = ("-" if cleaned[0] != "+" else ""), cleaned[1:]
    try:
        value = float(parse_decimal(cleaned, locale=locale, strict=True))
    except NumberFormatError as err:
        suggestions = [s for s in (getattr(err, "suggestions", None) or []) if s]
        if suggestions and re.fullmatch(r"[\d.,]+", cleaned):
            raise ValueError(_(
                "{where}: {text} is not a number as written in Belgium (a comma before the "
                "decimals, a point between the thousands). Did you mean {choices}? For example "
                "{example}.").format(where=where, text=repr(text.strip()),
                                    choices=_(" or ").join(sign + c for c in suggestions),
                                    example=example)) from None
        raise ValueError(_(
            "{where} must be a number, but you typed {text}. Type digits only, for example "
            "{example}.").format(where=where, text=repr(text), example=example)) from None
    if not math.isfinite(value):
        raise ValueError(_too_large(where, text, example))
    return number(-value if sign else value, field, owner)
