"""The questions pages, API and exports ask of the listings, answered in one place.

Days are the visitor's local days: "Tuesday" in Europe/London runs from Tuesday 00:00 local to
Wednesday 00:00 local, which is 23 or 25 hours long on the two days the clocks change.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Prefetch

from telly.catalog.models import Title, TitleKind
from telly.listings.models import (
    Airing,
    AiringFacts,
    AiringQuerySet,
    Channel,
    ChannelQuerySet,
    Lineup,
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


# The guide's channel lists, remembered per process: the API's now & next asks for the same
# 500 channels (with their line-ups) on every request, and they change a few times a day.
# An entry is used while the channels' fingerprint (counts, highest ids, last update) matches,
# nothing was saved or deleted through the ORM in this process (``forget_channel_lists``,
# connected in apps.py), and it is younger than CHANNEL_LIST_SECONDS (changes the fingerprint
# cannot see, made by another process, show within that).
CHANNEL_LIST_SECONDS = 60.0
_channel_lists: dict[tuple[str, str | None], tuple[tuple[Any, ...], float, list[Channel]]] = {}
_generation = 0


def forget_channel_lists(*args: Any, **kwargs: Any) -> None:
    """Drop the remembered channel lists (a signal receiver: any arguments)."""
    global _generation
    _generation += 1
    _channel_lists.clear()


def _channels_fingerprint(region: str) -> tuple[Any, ...]:
    channels = Channel.objects.filter(region=region.upper()).aggregate(
        n=Count("id"), top=Max("id"), changed=Max("updated_at")
    )
    lineups = Lineup.objects.aggregate(n=Count("id"), top=Max("id"))
    return (_generation, *channels.values(), *lineups.values())


def cached_guide_channels(region: str, platform: str | None = None) -> list[Channel]:
    """``guide_channels(region, platform)`` with line-ups and catch-up providers loaded, as a
    list shared between requests while it is current (see above). Do not change its items."""
    key = (region.upper(), platform)
    fingerprint = _channels_fingerprint(region)
    now = time.monotonic()
    held = _channel_lists.get(key)
    if held and held[0] == fingerprint and now - held[1] < CHANNEL_LIST_SECONDS:
        return held[2]
    channels = list(guide_channels(region, platform).prefetch_related("lineups"))
    _channel_lists[key] = (fingerprint, now, channels)
    return channels


@dataclass
class ChannelNowNext:
    channel: Channel
    now: NowNextAiring | None = None
    next: NowNextAiring | None = None


# The flags of a now & next airing, read as one integer (bit i is FLAGS[i]): nine columns
# turned into Python values for each of 1,000 rows cost more than the rest of the row.
FLAGS = (
    "is_new",
    "is_premiere",
    "is_finale",
    "is_repeat",
    "is_live",
    "has_subtitles",
    "has_audio_description",
    "has_signing",
    "is_hd",
)
_FLAG_VALUES = [tuple(bool(bits >> i & 1) for i in range(len(FLAGS))) for bits in range(512)]


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


def _now_next_sql(channel_ids: list[int]) -> str:
    """The one statement now & next runs.

    Per channel, one seek on the ``(channel, stop)`` index finds the stop of the second airing
    ending after ``at``; the airings ending after ``at`` up to that stop (the first two) are
    then a short range of the same index. The flags come back as one integer. Channel ids are
    inlined as integers (they come from our own rows, and 500 bound parameters cost more to
    prepare than the query takes). Parameters: ``_now_next_params(at)``.
    """
    quote = connection.ops.quote_name
    airing, title = quote(Airing._meta.db_table), quote(Title._meta.db_table)
    channel = quote(Channel._meta.db_table)

    def col(name: str) -> str:
        return f"a.{quote(Airing._meta.get_field(name).column)}"

    plain = col
    if connection.vendor == "sqlite":  # booleans are 0 and 1 already
        bits = " + ".join(f"{col(name)} * {1 << i}" for i, name in enumerate(FLAGS))

        def plain(name: str) -> str:
            # Django has sqlite3 parse every datetime column it reads; an expression (``+x``
            # is x) has no declared type, so the text comes back as it is and
            # ``now_and_next`` reads each distinct instant once instead of every value.
            return f"+{col(name)}"
    else:
        bits = " + ".join(
            f"CASE WHEN {col(name)} THEN {1 << i} ELSE 0 END" for i, name in enumerate(FLAGS)
        )
    columns = [
        col(name) if name not in ("start", "stop") else plain(name)
        for name in (
            "id",
            "channel",
            "start",
            "stop",
            "raw_title",
            "raw_subtitle",
            "title",
            "episode",
            "season_number",
            "episode_number",
            "categories",
        )
    ]
    columns += [f"({bits})", plain("catchup_until"), "t.slug", "t.kind"]
    ids = ", ".join(str(int(pk)) for pk in channel_ids)
    if connection.vendor == "postgresql":
        # A lateral join reads each channel's two rows in one index scan; PostgreSQL pays for
        # every scan it starts, so this is half the work of the seek-then-range form below.
        # Only the columns read go through the join (``SELECT *`` carried descriptions and
        # credits for every row).
        first_two = (
            f"SELECT {', '.join(columns[:-2])} FROM {airing} a "
            "WHERE a.channel_id = c.id AND a.stop > %s ORDER BY a.stop LIMIT 2"
        )
        return (
            f"SELECT a.*, t.slug, t.kind FROM {channel} c "
            f"CROSS JOIN LATERAL ({first_two}) a "
            f"LEFT JOIN {title} t ON t.id = a.title_id "
            f"WHERE c.id IN ({ids})"
        )
    second_stop = (
        f"SELECT x.stop FROM {airing} x WHERE x.channel_id = c.id AND x.stop > %s "
        "ORDER BY x.stop LIMIT 1 OFFSET 1"
    )
    return (
        f"SELECT {', '.join(columns)} FROM {channel} c "
        f"JOIN {airing} a ON a.channel_id = c.id AND a.stop > %s "
        f"AND a.stop <= COALESCE(({second_stop}), %s) "
        f"LEFT JOIN {title} t ON t.id = a.title_id "
        f"WHERE c.id IN ({ids})"
    )


_FAR_FUTURE = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


def _now_next_params(at: dt.datetime) -> list[Any]:
    """``at`` for PostgreSQL's form; ``at``, ``at`` and a far-future instant (the bound for a
    channel with only one airing left) for the other."""
    adapt = connection.ops.adapt_datetimefield_value
    if connection.vendor == "postgresql":
        return [adapt(at)]
    return [adapt(at), adapt(at), adapt(_FAR_FUTURE)]


def now_and_next(channels: list[Channel], at: dt.datetime) -> list[ChannelNowNext]:
    """What each channel shows at ``at`` and what follows, for all channels in one query.

    Reads the first two airings of each channel that end after ``at`` (see ``_now_next_sql``)
    as plain values, not model instances. If the first has started it is on now and the
    second is next; if not, the channel is between programmes and the first is next.
    """
    by_channel = {c.pk: ChannelNowNext(c) for c in channels}
    if not by_channel:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_now_next_sql(list(by_channel)), _now_next_params(at))
        raw_rows = cursor.fetchall()
    instants: dict[object, dt.datetime] = {}
    categories: dict[object, list[str]] = {}

    def instant_of(value: Any) -> dt.datetime:
        # SQLite gives naive UTC text, PostgreSQL aware datetimes; the same instants repeat
        # (one airing's stop is the next one's start): convert each once.
        found = instants.get(value)
        if found is None:
            found = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
            if found.tzinfo is None:
                found = found.replace(tzinfo=dt.UTC)
            instants[value] = found
        return found

    for row in raw_rows:
        (pk, channel_id, start, stop, name, subtitle, title_id, episode_id, season, episode) = row[
            :10
        ]
        cats, bits, catchup_until, slug, kind = row[10:]
        if cats.__class__ is not list:  # SQLite: JSON text; few distinct lists repeat
            text = cats
            cats = categories.get(text)
            if cats is None:
                cats = categories[text] = json.loads(text) if text else []
        airing = NowNextAiring(
            pk,
            channel_id,
            instant_of(start),
            instant_of(stop),
            name,
            subtitle,
            title_id,
            episode_id,
            season,
            episode,
            list(cats),
            *_FLAG_VALUES[bits],  # type: ignore[call-arg]
            instant_of(catchup_until) if catchup_until is not None else None,
            slug,
            kind,
        )
        entry = by_channel[channel_id]
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
