"""When an alert is due, in the user's time zone: at once, on the air day's morning, or at the
user's daily digest hour.

    >>> due_for(now=utc(2025, 6, 1, 12), tz="Europe/London", cadence="digest", digest_hour=8)
    2025-06-02 07:00 UTC   (08:00 BST the next day)
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings

from telly.alerts.models import Cadence

MORNING = dt.time(7, 0)


def zone_of(name: str | None) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_moment(day: dt.date, at: dt.time, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=tz).astimezone(dt.UTC)


def due_for(
    *,
    now: dt.datetime,
    tz: str | None,
    cadence: str | None,
    digest_hour: int | None,
    not_before: dt.datetime | None = None,
    on_day: dt.date | None = None,
) -> dt.datetime:
    """The instant to deliver an alert.

    ``on_day``: the alert is about that local day (an episode airing): deliver that morning
    (never before). ``not_before``: the fact only becomes true then (an offer that starts
    later). Digest users get it at their next digest hour at or after that moment.
    """
    zone = zone_of(tz)
    earliest = max(now, not_before or now)
    if on_day is not None:
        earliest = max(earliest, local_moment(on_day, MORNING, zone))
    if (cadence or Cadence.INSTANT) != Cadence.DIGEST:
        return earliest
    hour = digest_hour if digest_hour is not None and 0 <= digest_hour <= 23 else 8
    local = earliest.astimezone(zone)
    candidate = local_moment(local.date(), dt.time(hour), zone)
    if candidate < earliest:
        candidate = local_moment(local.date() + dt.timedelta(days=1), dt.time(hour), zone)
    return candidate
