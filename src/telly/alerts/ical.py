"""The personal iCal feed (RFC 5545) built from "My calendar".

Timed events for known air times (UTC), all-day events for date-only releases (``DTEND`` is
the day after, exclusive), UIDs from the calendar entries (stable across refreshes, so
calendar apps update events instead of duplicating them). Estimates are ``TENTATIVE``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from telly.accounts.calendar import CalendarEntry, entries_for

LONG_WINDOW = 31  # days: a wider estimate is shown on its first day, not as a month-long block


def _event(entry: CalendarEntry, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    event.add("summary", entry.summary)
    if entry.all_day:
        first = entry.start if not isinstance(entry.start, dt.datetime) else entry.start.date()
        last = (
            entry.end
            if isinstance(entry.end, dt.date) and not isinstance(entry.end, dt.datetime)
            else first
        )
        if (last - first).days > LONG_WINDOW:
            last = first
        event.add("dtstart", first)
        event.add("dtend", last + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    elif isinstance(entry.start, dt.datetime):
        end = (
            entry.end
            if isinstance(entry.end, dt.datetime)
            else entry.start + dt.timedelta(minutes=30)
        )
        event.add("dtstart", entry.start.astimezone(dt.UTC))
        event.add("dtend", end.astimezone(dt.UTC))
    lines = []
    if entry.is_estimate:
        event.add("status", "TENTATIVE")
        lines.append(f"Estimated: {entry.window}. Not announced yet.")
    elif entry.certainty == "announced":
        lines.append("Announced date.")
    if entry.where:
        lines.append(
            "Where: " + ", ".join(w.name + (" (yours)" if w.mine else "") for w in entry.where)
        )
        event.add("location", entry.where[0].name)
    url = f"{settings.SITE_URL}{entry.title.get_absolute_url()}"
    lines.append(url)
    event.add("description", "\n".join(lines))
    event.add("url", url)
    event.add("categories", [entry.kind])
    return event


def build_calendar(
    user: Any, *, days: int = 60, premieres_only: bool = False, at: dt.datetime | None = None
) -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//My calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{settings.SITE_NAME}: my shows")
    cal.add("name", f"{settings.SITE_NAME}: my shows")
    cal.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")
    # DTSTAMP to the hour: refreshes within the hour give identical bytes (and ETags).
    stamp = (at or timezone.now()).astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    for entry in entries_for(user, days=days, premieres_only=premieres_only, at=at):
        cal.add_component(_event(entry, stamp))
    return cal.to_ical()
