"""XMLTV date-times: ``YYYYMMDDhhmmss +hhmm``, with the seconds, minutes, hours and even the
time of day optional, and the zone written as an offset or (in old files) a name.

    >>> parse_xmltv_time("20010829000500 BST")
    datetime.datetime(2001, 8, 28, 23, 5, tzinfo=datetime.timezone.utc)

A time with no zone is UTC, as the XMLTV DTD says.
"""

from __future__ import annotations

import datetime as dt
import re

_TIME = re.compile(
    r"^\s*(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*([+-]\d{2}:?\d{2}|[A-Za-z]+)?\s*$"
)

# Zone names seen in real XMLTV files (the old Perl tools wrote them); offsets in minutes.
ZONE_NAMES = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "UT": 0,
    "WET": 0,
    "BST": 60,
    "IST": 60,
    "WEST": 60,
    "CET": 60,
    "MET": 60,
    "CEST": 120,
    "MEST": 120,
    "EET": 120,
    "EEST": 180,
    "EST": -300,
    "EDT": -240,
    "CST": -360,
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
    "AEST": 600,
    "AEDT": 660,
}


class BadTime(ValueError):
    pass


def parse_xmltv_time(text: str) -> dt.datetime:
    """The UTC instant an XMLTV time names; ``BadTime`` when it is not one."""
    match = _TIME.match(text or "")
    if not match:
        raise BadTime(f"not an XMLTV time: {text!r}")
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        naive = dt.datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
        )
    except ValueError as exc:
        raise BadTime(f"not an XMLTV time: {text!r} ({exc})") from None
    offset = 0
    if zone:
        if zone[0] in "+-":
            digits = zone[1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:])
            if hours > 14 or minutes > 59:
                raise BadTime(f"impossible time zone offset in {text!r}")
            offset = (hours * 60 + minutes) * (1 if zone[0] == "+" else -1)
        elif zone.upper() in ZONE_NAMES:
            offset = ZONE_NAMES[zone.upper()]
        else:
            raise BadTime(f"unknown time zone {zone!r} in {text!r}")
    return (naive - dt.timedelta(minutes=offset)).replace(tzinfo=dt.UTC)


def format_xmltv_time(at: dt.datetime) -> str:
    """``20250116210000 +0000``: always UTC, so no reader has to guess a zone."""
    return at.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S +0000")
