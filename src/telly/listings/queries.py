"""The questions pages, API and exports ask of the listings, answered in one place.

Days are the visitor's local days: "Tuesday" in Europe/London runs from Tuesday 00:00 local to
Wednesday 00:00 local, which is 23 or 25 hours long on the two days the clocks change.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch

from telly.catalog.models import Title, TitleKind
from telly.listings.models import (
    Airing,
    AiringFacts,
    AiringQuerySet,
    Channel,
    ChannelQuerySet,
    LineupPlatform,
)


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
    now: NowNextAiring | None = None
    next: NowNextAiring | None = None


# What the grid, the API and the home page read of a now & next airing.
NOW_NEXT_FIELDS = (
    "id",
    "channel_id",
    "start",
    "stop",
    "raw_title",
    "raw_subtitle",
    "title_id",
    "episode_id",
    "season_number",
    "episode_number",
    "categories",
    "is_new",
    "is_premiere",
    "is_finale",
    "is_repeat",
    "is_live",
    "has_subtitles",
    "has_audio_description",
    "has_signing",
    "is_hd",
    "catchup_until",
    "title__slug",
    "title__kind",
)


@dataclass(slots=True)
class NowNextAiring(AiringFacts):
    """An airing as "now & next" reads it: the fields a guide shows, no model instance."""

    id: int
    channel_id: int
    start: dt.datetime
    stop: dt.datetime
    raw_title: str
    raw_subtitle: str
    title_id: int | None
    episode_id: int | None
    season_number: int | None
    episode_number: int | None
    categories: list[str]
    is_new: bool
    is_premiere: bool
    is_finale: bool
    is_repeat: bool
    is_live: bool
    has_subtitles: bool
    has_audio_description: bool
    has_signing: bool
    is_hd: bool
    catchup_until: dt.datetime | None
    title_slug: str | None
    title_kind: str | None

    @property
    def pk(self) -> int:
        return self.id

    @property
    def title_url(self) -> str:
        if not self.title_slug:
            return ""
        return f"/{TitleKind(self.title_kind).url_prefix}/{self.title_slug}/"


_DATETIMES = {NOW_NEXT_FIELDS.index(name) for name in ("start", "stop", "catchup_until")}
_BOOLEANS = {i for i, name in enumerate(NOW_NEXT_FIELDS) if name.startswith(("is_", "has_"))}
_JSON = NOW_NEXT_FIELDS.index("categories")


def _typed(values: tuple, categories: dict) -> list:
    """Database values as Python ones: SQLite gives datetimes as text, JSON as text and booleans
    as 0/1; PostgreSQL gives them typed already."""
    typed = list(values)
    for i in _DATETIMES:
        value = typed[i]
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        typed[i] = value
    for i in _BOOLEANS:
        typed[i] = bool(typed[i])
    text = typed[_JSON]
    if isinstance(text, (str, bytes)):
        # Few distinct category lists repeat across channels: decode each once per call.
        if text not in categories:
            categories[text] = json.loads(text)
        typed[_JSON] = list(categories[text])
    return typed


def _now_next_sql(channel_ids: list[int]) -> str:
    """The one statement now & next runs; channel ids are inlined as integers (they come from
    our own rows, and 500 bound parameters cost more to prepare than the query takes)."""
    quote = connection.ops.quote_name
    airing, title = Airing._meta.db_table, Title._meta.db_table
    columns = []
    for name in NOW_NEXT_FIELDS:
        if name.startswith("title__"):
            columns.append(f"t.{quote(name.removeprefix('title__'))}")
        else:
            columns.append(f"a.{quote(Airing._meta.get_field(name.removesuffix('_id')).column)}")
    ids = ", ".join(str(int(pk)) for pk in channel_ids)
    pick = (
        f"SELECT (SELECT x.id FROM {quote(airing)} x WHERE x.channel_id = c.id AND x.stop > %s "
        f"ORDER BY x.stop LIMIT 1 OFFSET {{offset}}) FROM {quote(Channel._meta.db_table)} c "
        f"WHERE c.id IN ({ids})"
    )
    return (
        f"SELECT {', '.join(columns)} FROM {quote(airing)} a "
        f"LEFT JOIN {quote(title)} t ON t.id = a.title_id "
        f"WHERE a.id IN ({pick.format(offset=0)} UNION ALL {pick.format(offset=1)})"
    )


def now_and_next(channels: list[Channel], at: dt.datetime) -> list[ChannelNowNext]:
    """What each channel shows at ``at`` and what follows, for all channels in one query.

    For each channel two scalar subqueries pick the first and second airing that end after
    ``at`` (seeks on the ``(channel, stop)`` index, whatever the size of the listings); the
    rows are read as plain values, not model instances. If the first has started it is on now
    and the second is next; if not, the channel is between programmes and the first is next.
    """
    by_channel = {c.pk: ChannelNowNext(c) for c in channels}
    if not by_channel:
        return []
    instant = connection.ops.adapt_datetimefield_value(at)
    with connection.cursor() as cursor:
        cursor.execute(_now_next_sql(list(by_channel)), [instant, instant])
        raw_rows = cursor.fetchall()
    categories: dict[str, list[str]] = {}
    for values in raw_rows:
        airing = NowNextAiring(*_typed(values, categories))
        entry = by_channel[airing.channel_id]
        if airing.start <= at:
            entry.now = airing
        elif entry.next is None or airing.start < entry.next.start:
            entry.next = airing
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
