"""Money for the streaming guide: exact amounts (``Decimal``) with an ISO 4217 currency, parsed
from what feeds write and formatted the way the visitor's region writes prices.

    >>> parse_money("£4.99")
    Money(amount=Decimal('4.99'), currency='GBP')
    >>> parse_money("7,99 €")
    Money(amount=Decimal('7.99'), currency='EUR')
    >>> format_money(Decimal("7.99"), "EUR", "DE")
    '€7,99'
    >>> format_money(Decimal("1234.5"), "GBP", "GB")
    '£1,234.50'

Importers call ``parse_money`` (or ``parse_amount`` when the currency is a column of its own);
pages and the API call ``format_money``. Nothing here touches floats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

import pycountry

CENT = Decimal("0.01")

SYMBOLS: dict[str, str] = {
    "GBP": "£",
    "EUR": "€",
    "USD": "$",
    "JPY": "¥",
    "INR": "₹",
    "KRW": "₩",
    "CHF": "CHF ",
    "SEK": "kr ",
    "NOK": "kr ",
    "DKK": "kr ",
    "PLN": "zł ",
    "BRL": "R$",
    "CAD": "$",
    "AUD": "$",
    "NZD": "$",
    "MXN": "$",
}

# Symbols a feed may write in front of or after an amount, and the currency each means.
# "$" alone is taken as US dollars; other dollar currencies need their code.
_SYMBOL_CURRENCY = {
    "£": "GBP",
    "€": "EUR",
    "$": "USD",
    "US$": "USD",
    "¥": "JPY",
    "₹": "INR",
    "₩": "KRW",
    "R$": "BRL",
}

# Regions that write 7,99 (decimal comma, full stop between thousands).
_DECIMAL_COMMA = {
    "AR", "AT", "BE", "BR", "CL", "CO", "CZ", "DE", "DK", "ES", "FI", "FR", "GR", "HR", "HU", "ID",
    "IT", "LT", "LU", "LV", "NL", "NO", "PL", "PT", "RO", "RS", "RU", "SE", "SI", "SK", "TR", "UA",
    "UY", "VE", "EE", "BG", "IS",
}  # fmt: skip

# The currency a region's prices are in, for plans and offers that do not say.
REGION_CURRENCY: dict[str, str] = {
    "GB": "GBP", "US": "USD", "IE": "EUR", "DE": "EUR", "FR": "EUR", "ES": "EUR", "IT": "EUR",
    "NL": "EUR", "BE": "EUR", "AT": "EUR", "PT": "EUR", "FI": "EUR", "GR": "EUR", "LU": "EUR",
    "CA": "CAD", "AU": "AUD", "NZ": "NZD", "JP": "JPY", "IN": "INR", "KR": "KRW", "BR": "BRL",
    "MX": "MXN", "CH": "CHF", "SE": "SEK", "NO": "NOK", "DK": "DKK", "PL": "PLN",
}  # fmt: skip


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def format(self, region: str = "GB") -> str:
        return format_money(self.amount, self.currency, region)

    def __str__(self) -> str:
        return self.format()


def valid_currency(code: str | None) -> str | None:
    """The ISO 4217 code in upper case, or None if it is not one.

    >>> valid_currency("gbp"), valid_currency("XYZ")
    ('GBP', None)
    """
    if not code or len(code.strip()) != 3:
        return None
    code = code.strip().upper()
    return code if pycountry.currencies.get(alpha_3=code) else None


def currency_for_region(region: str) -> str | None:
    return REGION_CURRENCY.get(region.upper())


_AMOUNT = re.compile(r"^\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})*(?:[.,]\d{1,2})?$|^\d+(?:[.,]\d{1,2})?$")


def parse_amount(text: str) -> Decimal:
    """An amount as feeds write it, exactly: ``"4.99"``, ``"7,99"``, ``"1,234.50"``, ``"1.234,50"``.

    A separator followed by exactly three digits is a thousands separator unless it is the only
    separator and a full stop (``"1.499"`` is taken as 1.499 → rejected, not 1499: say which).
    Raises ``ValueError`` naming the problem.
    """
    raw = (text or "").strip()
    if not raw:
        raise ValueError("no amount")
    if not _AMOUNT.match(raw):
        raise ValueError(f"{text!r} is not an amount like 4.99")
    last_sep = max(raw.rfind("."), raw.rfind(","))
    decimals = ""
    whole = raw
    if last_sep != -1 and len(raw) - last_sep - 1 in (1, 2):
        whole, decimals = raw[:last_sep], raw[last_sep + 1 :]
    elif last_sep != -1 and raw.count(".") + raw.count(",") == 1 and raw[last_sep] == ".":
        # "1.499" is ambiguous (1,499 or 1.499): refuse rather than guess a price 1000x off.
        raise ValueError(f"{text!r} is ambiguous: write 1499 or 1.50")
    digits = re.sub(r"[ ,.\u00a0\u202f]", "", whole)
    try:
        amount = Decimal(f"{digits}.{decimals or '0'}")
    except InvalidOperation as exc:  # pragma: no cover - the pattern above rules this out
        raise ValueError(f"{text!r} is not an amount") from exc
    return amount.quantize(CENT, rounding=ROUND_HALF_EVEN)


def parse_money(text: str, currency: str | None = None) -> Money:
    """A price with its currency: ``"£4.99"``, ``"GBP 4.99"``, ``"4.99 GBP"``, ``"7,99 €"``;
    or a bare amount with ``currency`` given. Raises ``ValueError`` naming the problem."""
    raw = " ".join((text or "").replace("\u00a0", " ").split())
    found: str | None = None
    code = re.match(r"^([A-Za-z]{3})\s*(.+)$", raw) or re.match(r"^(.+?)\s*([A-Za-z]{3})$", raw)
    if code:
        letters, rest = (
            (code.group(1), code.group(2))
            if code.group(1).isalpha()
            else (code.group(2), code.group(1))
        )
        found = valid_currency(letters)
        if found is None:
            raise ValueError(f"{letters!r} is not an ISO 4217 currency code")
        raw = rest
    else:
        for symbol in sorted(_SYMBOL_CURRENCY, key=len, reverse=True):
            if raw.startswith(symbol) or raw.endswith(symbol):
                found = _SYMBOL_CURRENCY[symbol]
                raw = raw.removeprefix(symbol).removesuffix(symbol).strip()
                break
    given = valid_currency(currency) if currency else None
    if currency and given is None:
        raise ValueError(f"{currency!r} is not an ISO 4217 currency code")
    if found and given and found != given:
        raise ValueError(f"{text!r} is in {found}, not {given}")
    if not (found or given):
        raise ValueError(f"{text!r} has no currency")
    return Money(parse_amount(raw), found or given or "")


def format_money(amount: Decimal | None, currency: str, region: str = "GB") -> str:
    """``£4.99`` in GB, ``€7,99`` in DE, ``$9.99`` in the US; whole amounts keep their pence
    (``£5.00``) so that a list of prices lines up. Unknown currencies show their code."""
    if amount is None:
        return ""
    amount = Decimal(amount).quantize(
        CENT if currency != "JPY" and currency != "KRW" else Decimal(1)
    )
    sign = "-" if amount < 0 else ""
    whole, _, cents = f"{abs(amount):f}".partition(".")
    comma = region.upper() in _DECIMAL_COMMA
    group = "." if comma else ","
    grouped = f"{int(whole):,}".replace(",", group)
    text = f"{grouped}{(',' if comma else '.') + cents if cents else ''}"
    symbol = SYMBOLS.get(currency.upper(), f"{currency.upper()} ")
    return f"{sign}{symbol}{text}"
