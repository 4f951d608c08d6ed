from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from telly.streaming.money import Money, format_money, parse_amount, parse_money, valid_currency


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("£4.99", "4.99", "GBP"),
        ("GBP 4.99", "4.99", "GBP"),
        ("4.99 GBP", "4.99", "GBP"),
        ("€7,99", "7.99", "EUR"),
        ("7,99 €", "7.99", "EUR"),
        ("$1,234.50", "1234.50", "USD"),
        ("1.234,50 EUR", "1234.50", "EUR"),
    ],
)
def test_it_parses_prices_exactly(text, amount, currency):
    assert parse_money(text) == Money(Decimal(amount), currency)


def test_a_bare_amount_takes_the_currency_it_is_given():
    assert parse_money("12", "gbp") == Money(Decimal("12.00"), "GBP")


@pytest.mark.parametrize("text", ["", "abc", "-3", "1.499", "4.999", "£"])
def test_it_refuses_what_is_not_an_amount(text):
    with pytest.raises(ValueError):
        parse_money(text, "GBP")


def test_it_refuses_a_price_without_a_currency():
    with pytest.raises(ValueError, match="no currency"):
        parse_money("4.99")


def test_it_refuses_a_currency_that_contradicts_the_symbol():
    with pytest.raises(ValueError, match="not USD"):
        parse_money("£4.99", "USD")


def test_it_refuses_unknown_currency_codes():
    assert valid_currency("XYZ") is None
    with pytest.raises(ValueError, match="ISO 4217"):
        parse_money("4.99 XYZ")


def test_it_formats_for_the_region():
    assert format_money(Decimal("4.99"), "GBP", "GB") == "£4.99"
    assert format_money(Decimal("7.99"), "EUR", "DE") == "€7,99"
    assert format_money(Decimal("7.99"), "EUR", "IE") == "€7.99"
    assert format_money(Decimal("1234.5"), "USD", "US") == "$1,234.50"
    assert format_money(Decimal("1234.5"), "EUR", "FR") == "€1.234,50"
    assert format_money(Decimal("5"), "GBP", "GB") == "£5.00"


@given(st.decimals(min_value=0, max_value=Decimal("99999.99"), places=2))
def test_formatting_then_parsing_gives_back_the_same_amount(amount):
    for region in ("GB", "DE"):
        assert parse_amount(format_money(amount, "GBP", region).removeprefix("£")) == amount


def test_amounts_never_become_floats():
    assert isinstance(parse_amount("0.10"), Decimal)
    assert parse_amount("0.10") + parse_amount("0.20") == Decimal("0.30")
