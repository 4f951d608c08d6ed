"""My calendar: upcoming episodes, premieres, finales and TV airings of what I follow or have
on my watchlist, each with where to watch it.

One list of ``CalendarEntry`` feeds the page, the API and the iCal feed. An entry is timed
(``all_day`` False: an air time known to the minute, a TV airing) or a date (``all_day``:
an episode dated to the day, an announced premiere). Estimates keep their window and are
marked ``certainty="estimated"`` so they are shown differently. A fixed number of queries,
whatever the number of follows.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from telly.accounts.models import Follow, WatchlistItem, profile_for
from telly.catalog.models import AirPrecision, Episode, Title
from telly.listings.models import Airing
from telly.releases.models import Certainty, DatePrecision, EventKind, ReleaseEvent
from telly.streaming.models import Offer

MAX_DAYS = 366


@dataclass(frozen=True)
class Where:
    name: str
    kind: str  # "channel" or "service"
    mine: bool
    url: str = ""


@dataclass
class CalendarEntry:
    uid: str
    kind: str  # episode, premiere, finale, airing
    title: Title
    summary: str
    start: dt.datetime | dt.date
    all_day: bool
    end: dt.datetime | dt.date | None = None
    certainty: str = "confirmed"  # a Certainty: announced, confirmed or estimated
    window: str = ""
    where: list[Where] = field(default_factory=list)
    episode_code: str = ""

    @property
    def day(self) -> dt.date:
        return (
            self.start
            if isinstance(self.start, dt.date) and not isinstance(self.start, dt.datetime)
            else self.start.date()
        )

    @property
    def is_estimate(self) -> bool:
        return self.certainty == Certainty.ESTIMATED

    @property
    def is_premiere(self) -> bool:
        return self.kind == "premiere"

    def sort_key(self) -> tuple:
        moment = (
            self.start
            if isinstance(self.start, dt.datetime)
            else dt.datetime.combine(self.start, dt.time(), tzinfo=dt.UTC)
        )
        return (moment, self.title.name, self.uid)


def _uid(kind: str, key: str) -> str:
    host = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "telly"
    return f"{kind}-{key}@{host}"


def _local_day(moment: dt.datetime, tz: dt.tzinfo) -> dt.date:
    return moment.astimezone(tz).date()


def entries_for(
    user: Any,
    *,
    days: int = 30,
    premieres_only: bool = False,
    at: dt.datetime | None = None,
    include_airings: bool = True,
) -> list[CalendarEntry]:
    """What is coming up for the user in the next ``days`` days (in their time zone), soonest first."""
    at = at or timezone.now()
    days = max(1, min(int(days), MAX_DAYS))
    profile = profile_for(user)
    tz = zoneinfo.ZoneInfo(profile.time_zone_or_default)
    region = profile.region_or_default
    today = at.astimezone(tz).date()
    last = today + dt.timedelta(days=days)
    start_utc = dt.datetime.combine(today, dt.time(), tzinfo=tz).astimezone(dt.UTC)
    stop_utc = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=tz).astimezone(
        dt.UTC
    )

    title_ids = set(
        Follow.objects.filter(user=user, title__isnull=False).values_list("title_id", flat=True)
    )
    title_ids |= set(WatchlistItem.objects.filter(user=user).values_list("title_id", flat=True))
    if not title_ids:
        return []
    my_services = set(profile.services.values_list("id", flat=True))
    my_channels = set(profile.channels.values_list("id", flat=True))
    titles = Title.objects.in_bulk(title_ids)

    services: dict[int, list[Where]] = {}
    offers = (
        Offer.objects.available(region, at)
        .filter(title_id__in=title_ids)
        .select_related("provider")
        .order_by("provider__display_priority", "provider__name")
    )
    for offer in offers:
        listed = services.setdefault(offer.title_id, [])
        if all(w.name != offer.provider.name for w in listed):
            listed.append(
                Where(offer.provider.name, "service", offer.provider_id in my_services, offer.url)
            )
    for listed in services.values():
        listed.sort(key=lambda w: not w.mine)

    def where_for(title: Title) -> list[Where]:
        found = list(services.get(title.pk, []))
        if not found and title.network:
            found.append(Where(title.network, "network", False))
        return found

    entries: list[CalendarEntry] = []
    first_episodes: set[tuple[int, int | None]] = set()
    episodes = Episode.objects.filter(
        title_id__in=title_ids, air_at__gte=start_utc - dt.timedelta(days=1), air_at__lt=stop_utc
    ).order_by("air_at")
    for episode in episodes:
        title = titles[episode.title_id]
        timed = episode.air_precision == AirPrecision.MINUTE
        # A date-only air time is stored at some hour of that day in UTC: keep its UTC date.
        day = _local_day(episode.air_at, tz) if timed else episode.air_at.astimezone(dt.UTC).date()
        if not today <= day <= last:
            continue
        kind = "premiere" if episode.number == 1 else "episode"
        if premieres_only and kind != "premiere":
            continue
        if episode.number == 1:
            first_episodes.add((episode.title_id, episode.season_number))
        runtime = episode.runtime or title.runtime or 30
        summary = f"{title.name} {episode.code}".strip() + (
            f": {episode.name}" if episode.name else ""
        )
        entries.append(
            CalendarEntry(
                uid=_uid("episode", str(episode.pk)),
                kind=kind,
                title=title,
                summary=summary,
                start=episode.air_at if timed else day,
                end=episode.air_at + dt.timedelta(minutes=runtime) if timed else None,
                all_day=not timed,
                where=where_for(title),
                episode_code=episode.code,
            )
        )

    wanted_kinds = (
        [EventKind.PREMIERE] if premieres_only else [EventKind.PREMIERE, EventKind.FINALE]
    )
    events = (
        ReleaseEvent.objects.current()
        .filter(title_id__in=title_ids, kind__in=wanted_kinds)
        .filter(Q(region="") | Q(region=region))
        .filter(
            Q(date__gte=today, date__lte=last)
            | Q(certainty=Certainty.ESTIMATED, window_start__lte=last, window_end__gte=today)
        )
        .select_related("provider")
    )
    for event in events:
        if (
            event.kind == EventKind.PREMIERE
            and (event.title_id, event.season_number) in first_episodes
        ):
            continue  # the episode itself is already on the calendar
        title = titles[event.title_id]
        season = f" season {event.season_number}" if event.season_number else ""
        label = "premiere" if event.kind == EventKind.PREMIERE else "finale"
        where = where_for(title)
        if event.provider:
            where = [Where(event.provider.name, "service", event.provider_id in my_services)] + [
                w for w in where if w.name != event.provider.name
            ]
        elif event.network and not where:
            where = [Where(event.network, "network", False)]
        exact = event.precision == DatePrecision.DAY and not event.is_estimate
        entries.append(
            CalendarEntry(
                uid=_uid("release", str(event.pk)),
                kind=label,
                title=title,
                summary=f"{title.name}{season} {label}"
                + (
                    ""
                    if exact
                    else f" ({event.date_label}, {event.get_certainty_display().lower()})"
                ),
                start=max(event.date, today) if not exact else event.date,
                end=event.last_day if not exact else None,
                all_day=True,
                certainty=event.certainty,
                window=event.window_label or ("" if exact else event.date_label),
                where=where,
            )
        )

    if include_airings:
        airings = (
            Airing.objects.filter(title_id__in=title_ids, start__gte=start_utc, start__lt=stop_utc)
            .filter(channel__region=region, channel__is_active=True)
            .select_related("channel", "episode")
            .order_by("start")[:500]
        )
        for airing in airings:
            if premieres_only and not airing.is_premiere:
                continue
            title = titles[airing.title_id]
            code = airing.episode_code
            entries.append(
                CalendarEntry(
                    uid=_uid("airing", f"{airing.channel_id}-{airing.start:%Y%m%dT%H%M%SZ}"),
                    kind="airing",
                    title=title,
                    summary=f"{title.name} {code}".strip() + f" on {airing.channel.name}",
                    start=airing.start,
                    end=airing.stop,
                    all_day=False,
                    where=[Where(airing.channel.name, "channel", airing.channel_id in my_channels)],
                    episode_code=code,
                )
            )
    entries.sort(key=CalendarEntry.sort_key)
    return entries


def group_by_day(
    entries: list[CalendarEntry], tz: dt.tzinfo
) -> list[tuple[dt.date, list[CalendarEntry]]]:
    days: dict[dt.date, list[CalendarEntry]] = {}
    for entry in entries:
        day = (
            entry.start.astimezone(tz).date()
            if isinstance(entry.start, dt.datetime)
            else entry.start
        )
        days.setdefault(day, []).append(entry)
    return sorted(days.items())
