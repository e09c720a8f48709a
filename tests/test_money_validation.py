"""Money rounding and the input checks every calculator uses."""

from decimal import Decimal

import pytest

from welfarelab.money import eur, to_cents
from welfarelab.validation import parse_number, share, whole


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


@pytest.mark.parametrize("text", ["120.000", "14.000", "1,500", "1.200"])
def test_parse_number_refuses_an_ambiguous_thousands_separator(text):
    with pytest.raises(ValueError, match="without a thousands separator"):
        parse_number(text, "investment")


def test_share_and_whole_messages():
    with pytest.raises(ValueError, match="between 0 and 1"):
        share(-0.1, "deadweight")
    with pytest.raises(ValueError, match="from 1 to 12"):
        whole(13, "months", low=1, high=12)
    with pytest.raises(TypeError, match="must be a number"):
        share(True, "deadweight")
