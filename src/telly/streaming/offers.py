"""Reading what feeds say about offers: season ranges and ways to watch.

    >>> parse_seasons("1-2")
    [1, 2]
    >>> parse_seasons("1, 3-4")
    [1, 3, 4]
    >>> parse_monetization("flatrate")
    'subscription'

Both raise ``ValueError`` naming the problem, so an importer can report ``file:line: ...``.
"""

from __future__ import annotations

import re

from telly.streaming.models import Monetization

MAX_SEASON = 200

# Words feeds use for a way to watch → our Monetization value.
_MONETIZATION_WORDS = {
    "subscription": "subscription",
    "flatrate": "subscription",
    "svod": "subscription",
    "stream": "subscription",
    "free": "free",
    "avod": "ads",
    "ads": "ads",
    "freewithads": "ads",
    "fast": "ads",
    "rent": "rent",
    "rental": "rent",
    "tvod": "rent",
    "buy": "buy",
    "purchase": "buy",
    "est": "buy",
}


def parse_monetization(text: str) -> str:
    """A ``Monetization`` value from a feed's word for it (case and punctuation ignored)."""
    key = re.sub(r"[^a-z]", "", (text or "").lower())
    value = _MONETIZATION_WORDS.get(key)
    if value is None:
        choices = ", ".join(Monetization.values)
        raise ValueError(f"{text!r} is not a way to watch ({choices})")
    return value


def parse_seasons(text: str) -> list[int]:
    """Season numbers from ``"1-2"``, ``"1,3"``, ``"1, 3-4"``, ``"2"``; empty means every season
    (``[]``). Sorted, without repeats."""
    numbers: set[int] = set()
    for part in (text or "").replace(" ", "").replace("–", "-").split(","):
        if not part:
            continue
        match = re.fullmatch(r"(\d{1,3})(?:-(\d{1,3}))?", part)
        if match is None:
            raise ValueError(f"{text!r} is not a list of seasons like 1-2 or 1,3")
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first or last > MAX_SEASON:
            raise ValueError(f"{part!r} is not a range of seasons")
        numbers.update(range(first, last + 1))
    return sorted(numbers)
