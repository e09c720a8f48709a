"""Money rounding and the input checks every calculator uses."""

from decimal import Decimal

import pytest

from welfarelab.money import eur, to_cents
from welfarelab.validation import decimal_words, number_words, parse_number, share, whole


def test_half_up_rounding_to_cents():
    assert to_cents(2.675) == Decimal("2.68")   # round() would give 2.67
    assert to_cents(0.125) == Decimal("0.13")
    assert to_cents(-1.005) == Decimal("-1.01")


def test_eur_format():
    assert eur(1234.5) == "€1,234.50"
    assert eur(-80) == "\u2212€80.00"


@pytest.mark.parametrize("text,value", [
    ("1200", 1200), (" 1 200 ", 1200), ("1200,50", 1200.5), ("€ 1,200.50", 1200.5),
    ("25%", 25), ("1.5", 1.5), (3, 3.0), ("1.200.000", 1_200_000), ("1,200,000", 1_200_000),
    ("1.200,50", 1200.5), ("0.250", 0.25), ("-80", -80), ("12,5", 12.5), ("120000", 120000),
])
def test_parse_number_reads_what_people_type(text, value):
    assert parse_number(text, "amount") == pytest.approx(value)


@pytest.mark.parametrize("text", ["abc", "", "12 apples", "1..2"])
def test_parse_number_refuses_text_with_the_field_name(text):
    with pytest.raises(ValueError, match="investment"):
        parse_number(text, "investment")


@pytest.mark.parametrize("text,thousands,point", [
    ("120.000", "120000", "120"), ("14.000", "14000", "14"), ("1,500", "1500", "1.5"),
    ("1.200", "1200", "1.2"), ("4.800", "4800", "4.8"), ("-30.000", "-30000", "-30"),
])
def test_parse_number_refuses_an_ambiguous_thousands_separator(text, thousands, point):
    with pytest.raises(ValueError) as err:
        parse_number(text, "investment")
    message = str(err.value)
    assert message.startswith(f"investment: {text} could be ")
    assert f"type {thousands} or {point} " in message


def test_the_ambiguity_message_says_both_readings_in_words():
    """Issue 14: the message for "4.800" must be plain: both readings in words, then what to
    type."""
    with pytest.raises(ValueError) as err:
        parse_number("4.800", "price")
    assert str(err.value) == ("price: 4.800 could be four thousand eight hundred or four point "
                              "eight: type 4800 or 4.8 (no point or comma between the "
                              "thousands).")


@pytest.mark.parametrize("value,words", [
    (0, "zero"), (7, "seven"), (19, "nineteen"), (20, "twenty"), (45, "forty-five"),
    (100, "one hundred"), (120, "one hundred twenty"), (1500, "one thousand five hundred"),
    (30_000, "thirty thousand"), (120_000, "one hundred twenty thousand"),
    (2_000_001, "two million one"), (999_999_999, ("nine hundred ninety-nine million nine "
     "hundred ninety-nine thousand nine hundred ninety-nine")),
])
def test_number_words(value, words):
    assert number_words(value) == words


@pytest.mark.parametrize("bad", [-1, 1_000_000_000, 2.5, True])
def test_number_words_refuses_what_it_cannot_say(bad):
    with pytest.raises(ValueError, match="whole number from 0 to 999,999,999"):
        number_words(bad)


def test_decimal_words_reads_digits_one_by_one():
    assert decimal_words("4.8") == "four point eight"
    assert decimal_words("12.345") == "twelve point three four five"
    assert decimal_words("30") == "thirty"


def test_a_decimal_with_more_than_three_whole_digits_is_not_ambiguous():
    # grouped, it would be written 1.200.500; so 1200.500 can only be decimals
    assert parse_number("1200.500", "amount") == pytest.approx(1200.5)


def test_too_large_and_not_a_number_say_what_to_type():
    with pytest.raises(ValueError, match=r"price: '1e400' is too large .* for example 6000"):
        parse_number("1e400", "price", example="6000")
    with pytest.raises(ValueError, match=r"price must be a number, but you typed 'abc'\. Type "
                                         r"digits only, for example 6000"):
        parse_number("abc", "price", example="6000")


def test_share_and_whole_messages():
    with pytest.raises(ValueError, match="between 0 and 1"):
        share(-0.1, "deadweight")
    with pytest.raises(ValueError, match="from 1 to 12"):
        whole(13, "months", low=1, high=12)
    with pytest.raises(TypeError, match="must be a number"):
        share(True, "deadweight")
