"""Release queries shared by the calendar page, the title panel, the JSON API, and other apps.

Other apps (alerts, newsletters, accounts' "My calendar") may use these:

    from telly.releases import queries
    queries.upcoming_events(start, end)                 # premieres and finales, announced/confirmed
    queries.upcoming_events(start, end, title_ids=ids)  # ... of some series
    queries.estimated_windows(start, end)               # estimates whose 80% window overlaps
    queries.next_season_estimate(title)                 # the live estimate, or None
    queries.title_releases(title)                       # every current event of a series

Dates are calendar days (``datetime.date``); a premiere "in Oct 2024" (month precision) is
stored on 1 Oct 2024 and counts as in a range when any day of October is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from telly.catalog.models import Title
from telly.releases.models import Certainty, EventKind, ReleaseEvent


@dataclass(frozen=True)
class CalendarFilter:
    """What /calendar/ and /api/v1/calendar may narrow by. Empty means everything."""

    service: str = (
        ""  # a streaming provider's slug: it premieres there, or the series is offered there
    )
    channel: str = ""  # a channel or network name, as on the title ("BBC One", "Netflix")
    genre: str = ""  # a genre slug
    region: str = ""  # ISO code: events for everywhere or for that region
    kinds: tuple[str, ...] = (EventKind.PREMIERE, EventKind.FINALE)

    def apply(self, events: QuerySet[ReleaseEvent]) -> QuerySet[ReleaseEvent]:
        if self.kinds:
            events = events.filter(kind__in=self.kinds)
        if self.region:
            events = events.filter(Q(region="") | Q(region=self.region))
        if self.genre:
            events = events.filter(title__genres__slug=self.genre)
        if self.channel:
            events = events.filter(
                Q(network__iexact=self.channel) | Q(title__network__iexact=self.channel)
            )
        if self.service:
            offered = Q(title__offers__provider__slug=self.service)
            if self.region:
                offered &= Q(title__offers__region=self.region)
            events = events.filter(Q(provider__slug=self.service) | offered)
        if self.genre or self.service:
            events = events.distinct()
        return events


def _in_range(start: dt.date, end: dt.date) -> Q:
    """Events whose (possibly imprecise) date touches [start, end]. A month, season or year is
    stored as its first day, so it may begin up to a year before ``start``; the exact check
    happens in Python on the few candidates."""
    return Q(date__lte=end, date__gte=start - dt.timedelta(days=366))


def _touches(event: ReleaseEvent, start: dt.date, end: dt.date) -> bool:
    return event.date <= end and event.last_day >= start


def upcoming_events(
    start: dt.date,
    end: dt.date,
    *,
    title_ids: Iterable[int] | None = None,
    where: CalendarFilter | None = None,
    limit: int | None = None,
) -> list[ReleaseEvent]:
    """Announced or confirmed premieres and finales dated within [start, end], by date."""
    events = ReleaseEvent.objects.on_calendar().dated().filter(_in_range(start, end))
    if title_ids is not None:
        events = events.filter(title_id__in=list(title_ids))
    events = (where or CalendarFilter()).apply(events)
    events = events.select_related("title", "provider").order_by(
        "date", "title__name", "season_number", "kind"
    )
    found = [e for e in events if _touches(e, start, end)]
    return found[:limit] if limit is not None else found


def estimated_windows(
    start: dt.date,
    end: dt.date,
    *,
    title_ids: Iterable[int] | None = None,
    where: CalendarFilter | None = None,
    limit: int | None = None,
) -> list[ReleaseEvent]:
    """Live next-season estimates whose 80% window overlaps [start, end], most likely first."""
    events = ReleaseEvent.objects.estimates().filter(window_start__lte=end, window_end__gte=start)
    if title_ids is not None:
        events = events.filter(title_id__in=list(title_ids))
    events = (where or CalendarFilter(kinds=())).apply(events)
    events = events.select_related("title", "provider").order_by(
        "date", "window_start", "title__name"
    )
    return list(events[:limit] if limit is not None else events)


def next_season_estimate(title: Title | int) -> ReleaseEvent | None:
    """The live estimate of a series' next season, or None (announced, ended, no history)."""
    title_id = title if isinstance(title, int) else title.pk
    return (
        ReleaseEvent.objects.estimates()
        .filter(title_id=title_id, kind=EventKind.PREMIERE)
        .order_by("-season_number")
        .first()
    )


def title_releases(title: Title | int) -> list[ReleaseEvent]:
    """Every current event of a series, newest season first, then by date."""
    title_id = title if isinstance(title, int) else title.pk
    return list(
        ReleaseEvent.objects.current()
        .filter(title_id=title_id)
        .select_related("provider")
        .order_by("-date", "kind")
    )


@dataclass
class TitleReleases:
    """What the title panel shows, from one query."""

    status: str
    status_label: str
    estimate: ReleaseEvent | None
    next_dates: list[ReleaseEvent] = field(default_factory=list)  # announced, today or later
    news: list[ReleaseEvent] = field(default_factory=list)  # renewals, production, newest first
    last_aired: ReleaseEvent | None = None

    def __bool__(self) -> bool:
        return bool(self.status or self.estimate or self.next_dates or self.news)


def for_title(title: Title, today: dt.date) -> TitleReleases:
    events = title_releases(title)
    estimate = next((e for e in events if e.is_estimate and e.kind == EventKind.PREMIERE), None)
    next_dates = sorted(
        (
            e
            for e in events
            if not e.is_estimate and EventKind(e.kind).is_airing and e.last_day >= today
        ),
        key=lambda e: (e.date, e.kind),
    )
    news = [e for e in events if not EventKind(e.kind).is_airing and not e.is_estimate][:4]
    aired = [
        e
        for e in events
        if e.kind == EventKind.PREMIERE and e.certainty != Certainty.ESTIMATED and e.date <= today
    ]
    return TitleReleases(
        status=title.status,
        status_label=title.get_status_display() if title.status else "",
        estimate=estimate,
        next_dates=next_dates,
        news=news,
        last_aired=max(aired, key=lambda e: e.date) if aired else None,
    )
