"""The questions pages, API and exports ask of the listings, answered in one place.

Days are the visitor's local days: "Tuesday" in Europe/London runs from Tuesday 00:00 local to
Wednesday 00:00 local, which is 23 or 25 hours long on the two days the clocks change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch

from telly.listings.models import Airing, AiringQuerySet, Channel, ChannelQuerySet, LineupPlatform


def local_day_bounds(day: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants a local calendar day starts and ends at.

    >>> import zoneinfo; london = zoneinfo.ZoneInfo("Europe/London")
    >>> start, stop = local_day_bounds(dt.date(2026, 3, 29), london)
    >>> (stop - start).total_seconds() / 3600
    23.0
    """
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    stop = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return start.astimezone(dt.UTC), stop.astimezone(dt.UTC)


def guide_channels(
    region: str, platform: str | None = None, only: list[int] | None = None
) -> ChannelQuerySet:
    """The channels a guide lists for a region, in line-up order for ``platform``."""
    channels = Channel.objects.in_region(region)
    if platform in LineupPlatform.values:
        channels = channels.filter(lineups__platform=platform)
    if only is not None:
        channels = channels.filter(pk__in=only)
    return channels.select_related("catchup_provider").in_guide_order(platform)


@dataclass
class ChannelNowNext:
    channel: Channel
    now: Airing | None = None
    next: Airing | None = None
    later: list[Airing] = field(default_factory=list)


def now_and_next(
    channels: list[Channel], at: dt.datetime, horizon: dt.timedelta = dt.timedelta(hours=12)
) -> list[ChannelNowNext]:
    """What each channel shows at ``at`` and what follows, in one query for all channels.

    Reads only airings that end after ``at`` and start before ``at + horizon``: the
    ``(channel, stop)`` index keeps this to a few rows per channel.
    """
    by_channel = {c.pk: ChannelNowNext(c) for c in channels}
    rows = (
        Airing.objects.filter(channel_id__in=list(by_channel), stop__gt=at, start__lt=at + horizon)
        .select_related("title", "episode")
        .order_by("channel_id", "start")
    )
    for airing in rows:
        entry = by_channel[airing.channel_id]
        if airing.start <= at and entry.now is None:
            entry.now = airing
        elif entry.next is None:
            entry.next = airing
        else:
            entry.later.append(airing)
    return list(by_channel.values())


def channel_day(channel: Channel, day: dt.date, tz: dt.tzinfo) -> AiringQuerySet:
    """A channel's airings that overlap a local day, in order."""
    start, stop = local_day_bounds(day, tz)
    return (
        Airing.objects.filter(channel=channel)
        .on_between(start, stop)
        .select_related("title", "episode")
    )


def grid(
    channels: list[Channel], start: dt.datetime, stop: dt.datetime
) -> list[tuple[Channel, list[Airing]]]:
    """Each channel with the airings overlapping ``[start, stop)``, one query."""
    airings = Airing.objects.filter(channel_id__in=[c.pk for c in channels]).on_between(start, stop)
    by_channel: dict[int, list[Airing]] = {c.pk: [] for c in channels}
    for airing in airings.select_related("title"):
        by_channel[airing.channel_id].append(airing)
    return [(c, by_channel[c.pk]) for c in channels]


def export_airings(
    start: dt.datetime,
    stop: dt.datetime,
    region: str | None = None,
    channels: list[Channel] | None = None,
) -> AiringQuerySet:
    """The airings an XMLTV export carries: those overlapping ``[start, stop)``."""
    airings = Airing.objects.on_between(start, stop, region=region)
    if channels is not None:
        airings = airings.filter(channel__in=channels)
    return airings


def channels_by_keys(keys: list[str], region: str | None = None) -> tuple[list[Channel], list[str]]:
    """Channels named by slug or XMLTV id; also the keys that named none."""
    wanted = [k.strip() for k in keys if k.strip()]
    found = Channel.objects.filter(slug__in=wanted) | Channel.objects.filter(xmltv_id__in=wanted)
    if region:
        found = found.filter(region=region)
    channels = list(found.order_by("sort_order", "name").prefetch_related(Prefetch("lineups")))
    known = {c.slug for c in channels} | {c.xmltv_id for c in channels}
    return channels, [k for k in wanted if k not in known]
