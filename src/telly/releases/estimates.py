"""Keeping each series' release facts and next-season estimate up to date.

``refresh_titles(ids)`` is the one entry point: for each series it

1. mirrors the catalogue's season premieres and finales as release events (so the calendar
   reads one table), leaving alone any premiere or finale an editor or a feed entered;
2. derives the series' status from the newest production fact (renewed, filming, halted...);
3. estimates the next season when the series is renewed or returning and no date is announced,
   or retires the estimate when a date has been announced: the estimate then points at the
   announced event (``replaced_by``) and ``announce(Changes(source="releases",
   release_events={...}))`` tells alerts that an estimate became a date.

It runs when a release event is saved and after ``changes_committed`` names titles or seasons
(see ``receivers.py``); ``telly releases refresh`` runs it for every series.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from telly.catalog.models import Season, SeriesStatus, Title
from telly.catalog.signals import Changes, announce
from telly.releases.estimator import YEAR, Estimate, Estimator, History, weekly
from telly.releases.history import fitted_estimator
from telly.releases.models import Certainty, DatePrecision, EventKind, ReleaseEvent

ESTIMATOR_SOURCE = "estimator"
CATALOGUE_SOURCE = "catalogue"
# Floors after production facts, in days. A season rarely airs sooner than this after filming
# starts, or after it wraps (editing, effects, music, marketing).
AFTER_FILMING_START = 150
AFTER_WRAP = 60

ESTIMABLE = {
    SeriesStatus.RENEWED,
    SeriesStatus.RETURNING,
    SeriesStatus.IN_PRODUCTION,
    SeriesStatus.FILMING,
    SeriesStatus.HALTED,
}
STATUS_FROM_EVENT = {
    EventKind.RENEWAL: SeriesStatus.RENEWED,
    EventKind.CANCELLATION: SeriesStatus.CANCELLED,
    EventKind.PRODUCTION_START: SeriesStatus.FILMING,
    EventKind.PRODUCTION_HALT: SeriesStatus.HALTED,
    EventKind.PRODUCTION_WRAP: SeriesStatus.IN_PRODUCTION,
}

_refreshing: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "releases_refreshing", default=False
)


def is_refreshing() -> bool:
    """True while this module writes events: their save must not trigger another refresh."""
    return _refreshing.get()


@contextmanager
def _writing() -> Iterator[None]:
    token = _refreshing.set(True)
    try:
        yield
    finally:
        _refreshing.reset(token)


@dataclass(frozen=True)
class Outcome:
    titles: int = 0
    estimated: int = 0
    replaced: int = 0


def today_utc() -> dt.date:
    return timezone.now().date()


def refresh_titles(title_ids: Iterable[int], today: dt.date | None = None) -> Outcome:
    """Bring release events, status and estimate of these series up to date."""
    today = today or today_utc()
    titles = list(
        Title.objects.series()
        .filter(pk__in=set(title_ids))
        .prefetch_related("seasons", "release_events")
    )
    if not titles:
        return Outcome()
    estimator = fitted_estimator(today)
    estimated = replaced = 0
    became_dates: set[int] = set()
    changed_titles: set[int] = set()
    with _writing(), transaction.atomic():
        for title in titles:
            result = _refresh_one(title, estimator, today)
            estimated += result.estimated
            replaced += len(result.announced)
            became_dates |= result.announced
            if result.status_changed:
                changed_titles.add(title.pk)
    if became_dates or changed_titles:
        announce(Changes(source="releases", titles=changed_titles, release_events=became_dates))
    return Outcome(len(titles), estimated, replaced)


@dataclass
class _One:
    estimated: int = 0
    announced: set[int] = field(default_factory=set)  # events that replaced an estimate
    status_changed: bool = False


def _refresh_one(title: Title, estimator: Estimator, today: dt.date) -> _One:
    seasons = sorted((s for s in title.seasons.all() if s.number > 0), key=lambda s: s.number)
    events = list(title.release_events.all())
    _mirror_seasons(title, seasons, events, today)
    events = list(ReleaseEvent.objects.filter(title=title))
    outcome = _One(status_changed=_update_status(title, seasons, events))

    aired = [s for s in seasons if s.premiere and s.premiere <= today]
    next_number = aired[-1].number + 1 if aired else None
    # A later season already in the catalogue means this history is missing dates (season
    # ``next_number`` has come and gone), not that it is still to come: no estimate then.
    known_later = next_number is not None and any(s.number > next_number for s in seasons)
    estimable = next_number is not None and title.status in ESTIMABLE and not known_later
    announced = _announced_premiere(events, next_number) if next_number else None
    for estimate in (e for e in events if e.is_estimate and e.replaced_by_id is None):
        dated = _announced_premiere(events, estimate.season_number)
        if dated is not None:
            # The estimate became a date (announced, or the season simply started).
            estimate.replaced_by = dated
            estimate.save(update_fields=["replaced_by", "updated_at"])
            outcome.announced.add(dated.pk)
        elif estimate.season_number != next_number or not estimable:
            estimate.delete()  # renumbered, cancelled or ended: nothing left to estimate
    if not estimable or announced is not None:
        return outcome

    facts = _production_facts(events, aired[-1].premiere, today)  # type: ignore[arg-type]
    history = History(str(title.pk), [s.premiere for s in aired], network=title.network)  # type: ignore[misc]
    estimate = estimator.predict(history, not_before=facts.not_before, delay_days=facts.delay_days)
    season = next((s for s in seasons if s.number == next_number), None)
    values = {
        "season": season,
        "date": estimate.point.replace(day=1),
        "precision": DatePrecision.MONTH,
        "window_start": estimate.window_start,
        "window_end": estimate.window_end,
        "probability": estimate.probability,
        "explanation": explain(estimate, aired[-1].number, facts, today)[:300],
        "estimated_on": today,
        "network": title.network,
        "source": ESTIMATOR_SOURCE,
    }
    ReleaseEvent.objects.update_or_create(
        title=title,
        season_number=next_number,
        kind=EventKind.PREMIERE,
        certainty=Certainty.ESTIMATED,
        replaced_by__isnull=True,
        defaults=values,
    )
    outcome.estimated = 1
    return outcome


def _announced_premiere(
    events: list[ReleaseEvent], season_number: int | None
) -> ReleaseEvent | None:
    facts = [
        e
        for e in events
        if e.kind == EventKind.PREMIERE and not e.is_estimate and e.season_number == season_number
    ]
    return min(facts, key=lambda e: (e.date, e.pk)) if facts else None


def _mirror_seasons(
    title: Title, seasons: list[Season], events: list[ReleaseEvent], today: dt.date
) -> None:
    """One premiere and one finale event per dated season, from the catalogue. Rows another
    source entered (an editor, a feed) are left as they are: they are the newer word."""
    by_key = {(e.season_number, e.kind): e for e in events if not e.is_estimate}
    numbers = {s.number for s in seasons}
    for event in events:
        if event.source == CATALOGUE_SOURCE and event.season_number not in numbers:
            event.delete()  # its season left the catalogue
    for season in seasons:
        for kind, day in ((EventKind.PREMIERE, season.premiere), (EventKind.FINALE, season.finale)):
            existing = by_key.get((season.number, kind))
            if day is None:
                if existing is not None and existing.source == CATALOGUE_SOURCE:
                    existing.delete()
                continue
            certainty = Certainty.CONFIRMED if day <= today else Certainty.ANNOUNCED
            if existing is None:
                ReleaseEvent.objects.create(
                    title=title,
                    season=season,
                    season_number=season.number,
                    kind=kind,
                    date=day,
                    precision=DatePrecision.DAY,
                    certainty=certainty,
                    network=title.network,
                    source=CATALOGUE_SOURCE,
                )
            elif existing.source == CATALOGUE_SOURCE and (
                existing.date,
                existing.certainty,
                existing.season_id,
            ) != (day, certainty, season.pk):
                existing.date, existing.certainty, existing.season = day, certainty, season
                existing.save(update_fields=["date", "certainty", "season", "updated_at"])


def _update_status(title: Title, seasons: list[Season], events: list[ReleaseEvent]) -> bool:
    """Set the status from the newest production fact dated after the last aired premiere."""
    premieres = [s.premiere for s in seasons if s.premiere]
    since = max(premieres) if premieres else dt.date.min
    facts = [
        e for e in events if not e.is_estimate and e.kind in STATUS_FROM_EVENT and e.date >= since
    ]
    if not facts:
        return False
    newest = max(facts, key=lambda e: (e.date, e.pk))
    status = STATUS_FROM_EVENT[EventKind(newest.kind)]
    changed = title.apply_source({"status": status.value}, "releases")
    if changed:
        title.save(update_fields=["status", "sources", "seen_at", "updated_at"])
    return bool(changed)


@dataclass(frozen=True)
class ProductionFacts:
    not_before: dt.date
    delay_days: int = 0
    renewed_on: dt.date | None = None
    started_on: dt.date | None = None
    halted_on: dt.date | None = None
    halt_days: int = 0
    wrapped_on: dt.date | None = None


def _production_facts(
    events: list[ReleaseEvent], last_premiere: dt.date, today: dt.date
) -> ProductionFacts:
    """What is known of the next season's making: the floor for its date and any delay."""
    newer = sorted(
        (e for e in events if not e.is_estimate and e.date > last_premiere),
        key=lambda e: (e.date, e.pk),
    )

    def latest(kind: EventKind) -> dt.date | None:
        days = [e.date for e in newer if e.kind == kind]
        return days[-1] if days else None

    renewed, started, halted, wrapped = (
        latest(EventKind.RENEWAL),
        latest(EventKind.PRODUCTION_START),
        latest(EventKind.PRODUCTION_HALT),
        latest(EventKind.PRODUCTION_WRAP),
    )
    floor = today + dt.timedelta(days=1)  # it has not started yet, or it would be in the catalogue
    if started:
        floor = max(floor, started + dt.timedelta(days=AFTER_FILMING_START))
    if wrapped:
        floor = max(floor, wrapped + dt.timedelta(days=AFTER_WRAP))
    halt_days = 0
    if halted:
        resumed = [
            e.date for e in newer if e.kind == EventKind.PRODUCTION_START and e.date > halted
        ]
        halt_days = ((resumed[0] if resumed else today) - halted).days
    return ProductionFacts(floor, halt_days, renewed, started, halted, halt_days, wrapped)


def _months(days: float) -> int:
    return max(1, round(days / 30.44))


def explain(
    estimate: Estimate, last_number: int, facts: ProductionFacts, today: dt.date | None = None
) -> str:
    """One sentence on why: the series' own rhythm, what the estimate follows (a year on, or
    the shift its peers show; its weekday), then the newest production facts.

    >>> e = Estimate(dt.date(2023, 8, 3), dt.date(2024, 8, 1), dt.date(2024, 6, 1),
    ...              dt.date(2024, 12, 1), "irregular", 468.0, (468,))
    >>> explain(e, 2, ProductionFacts(dt.date(2024, 1, 1), wrapped_on=dt.date(2024, 5, 20)))
    'Season 2 followed season 1 after 15 months; series return about a year after their last season; filming wrapped in May 2024.'
    """
    parts = []
    if estimate.gaps:
        parts.append(
            f"season {last_number} followed season {last_number - 1} after {_months(estimate.gaps[-1])} months"
        )
        if len(estimate.gaps) >= 2:
            parts[-1] += (
                f" (typically {_months(estimate.own or estimate.gaps[-1])} months between seasons)"
            )
        if abs(estimate.expected_gap - YEAR) > 15:
            usual = f"series like it return about {_months(estimate.expected_gap)} months after"
        else:
            usual = "series return about a year after"
        parts.append(f"{usual} their last season")
        if weekly(estimate.gaps):
            parts[-1] += f", and it keeps its {estimate.last:%A} slot"
    else:
        parts.append(
            f"season 1 started in {estimate.last:%b %Y} and most series return about "
            f"{_months(estimate.expected_gap)} months after their first season"
        )
    if today is not None and (today - estimate.last).days > max(1.5 * estimate.expected_gap, 540):
        parts.append(f"no new season since {estimate.last:%Y}, so it is overdue")
    if facts.halt_days:
        parts.append(
            f"production was halted for {_months(facts.halt_days)} month(s) from {facts.halted_on:%b %Y}"
        )
    if facts.wrapped_on:
        parts.append(f"filming wrapped in {facts.wrapped_on:%B %Y}")
    elif facts.started_on:
        parts.append(f"filming began in {facts.started_on:%B %Y}")
    elif facts.renewed_on:
        parts.append(f"it was renewed in {facts.renewed_on:%B %Y}")
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."


def refresh_all(today: dt.date | None = None, batch: int = 500) -> Outcome:
    """Refresh every series (``telly releases refresh``)."""
    ids = list(Title.objects.series().order_by("pk").values_list("pk", flat=True))
    total = Outcome()
    for start in range(0, len(ids), batch):
        part = refresh_titles(ids[start : start + batch], today)
        total = Outcome(
            total.titles + part.titles,
            total.estimated + part.estimated,
            total.replaced + part.replaced,
        )
    return total
