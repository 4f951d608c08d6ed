"""Parsing the values editors type into CSV cells, each failure a short reason."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

TRUE = {"true", "yes", "y", "1"}
FALSE = {"false", "no", "n", "0", ""}


class BadValue(ValueError):
    pass


def region(text: str, column: str = "region") -> str:
    code = text.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise BadValue(f"{column} {text!r} is not an ISO 3166-1 alpha-2 code")
    return code


def currency(text: str) -> str:
    code = text.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise BadValue(f"currency {text!r} is not an ISO 4217 code")
    return code


def money(text: str, column: str = "price") -> Decimal:
    try:
        value = Decimal(text.strip().lstrip("£$€"))
    except InvalidOperation:
        raise BadValue(f"{column} {text!r} is not a number") from None
    if value < 0 or not value.is_finite():
        raise BadValue(f"{column} {text!r} is not a price")
    return value.quantize(Decimal("0.01"))


def date(text: str, column: str) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise BadValue(f"{column} {text!r} is not a date (YYYY-MM-DD)") from None


def instant(text: str, column: str) -> dt.datetime | None:
    """A date (midnight UTC) or an ISO 8601 instant (UTC if it names no offset)."""
    if not text.strip():
        return None
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadValue(f"{column} {text!r} is not a date or date-time") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def boolean(text: str, column: str) -> bool:
    value = text.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise BadValue(f"{column} {text!r} is not true or false")


def year(text: str, column: str = "year") -> int | None:
    if not text.strip():
        return None
    if not re.fullmatch(r"\d{4}", text.strip()):
        raise BadValue(f"{column} {text!r} is not a year")
    return int(text)


def seasons(text: str) -> list[int]:
    """``"1-2"`` → [1, 2]; ``"1,3,5-6"`` → [1, 3, 5, 6]; empty → [] (all seasons)."""
    numbers: set[int] = set()
    for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
        match = re.fullmatch(r"(\d+)(?:\s*[-–]\s*(\d+))?", part)
        if not match:
            raise BadValue(f"seasons {text!r} is not a list like 1-2 or 1,3")
        first, last = int(match[1]), int(match[2] or match[1])
        if last < first or last - first > 200:
            raise BadValue(f"seasons {text!r} has a backwards or huge range")
        numbers.update(range(first, last + 1))
    return sorted(numbers)
