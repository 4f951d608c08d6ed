"""Alerts computed from what changed: only the rows named in a ``Changes`` are looked at, and
only the users who follow or watchlist those rows are found (through the indexes on
``Follow(title, user)``, ``Follow(person, user)`` and ``WatchlistItem(title, user)``). So an
import that changes 10 titles costs the same with 100 users or 100,000.

Each alert has a key naming the fact; ``Alert(user, key)`` is unique, so evaluating the same
change twice (a re-import, a retried task) never makes a second alert.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from telly.accounts.models import Follow, WatchlistItem
from telly.alerts.models import Alert, AlertKind, AlertStatus
from telly.alerts.schedule import due_for, zone_of
from telly.catalog.models import AirPrecision, Credit, Episode, Season
from telly.catalog.signals import Changes
from telly.listings.models import Airing
from telly.releases.models import Certainty, EventKind, ReleaseEvent
from telly.streaming.models import Monetization, Offer

LEAVING_WITHIN = dt.timedelta(days=7)
WATCHABLE = [Monetization.SUBSCRIPTION, Monetization.FREE, Monetization.ADS]


@dataclass(frozen=True)
class Recipient:
    user_id: int
    time_zone: str | None
    cadence: str | None
    digest_hour: int | None
    region: str | None = None


_RECIPIENT_FIELDS = (
    "user_id",
    "user__profile__time_zone",
    "user__alert_settings__cadence",
    "user__alert_settings__digest_hour",
)


def _switched_on(rows: QuerySet, kind: str) -> QuerySet:
    # No AlertSettings row means the defaults: every kind on.
    return rows.exclude(**{f"user__alert_settings__{AlertKind(kind).setting_field}": False}).filter(
        user__is_active=True
    )


def _followers(
    kind: str, *, title_ids: Iterable[int] = (), person_ids: Iterable[int] = ()
) -> dict[int, list[Recipient]]:
    """Followers of the given titles (or people), keyed by title (or person) id."""
    if title_ids:
        rows, target = Follow.objects.filter(title_id__in=set(title_ids)), "title_id"
    elif person_ids:
        rows, target = Follow.objects.filter(person_id__in=set(person_ids)), "person_id"
    else:
        return {}
    found: dict[int, list[Recipient]] = {}
    for target_id, *fields in (
        _switched_on(rows, kind)
        .order_by()
        .values_list(target, *_RECIPIENT_FIELDS, "user__profile__region")
    ):
        user_id, time_zone, cadence, digest_hour, region = fields
        found.setdefault(target_id, []).append(
            Recipient(
                user_id, time_zone, cadence, digest_hour, region or settings.TELLY_DEFAULT_REGION
            )
        )
    return found


def _new_alert(
    recipient: Recipient, kind: str, key: str, headline: str, due: dt.datetime, **extra: Any
) -> Alert:
    return Alert(
        created_at=extra.pop("now"),
        user_id=recipient.user_id,
        kind=kind,
        key=key[:120],
        headline=headline[:300],
        due_at=due,
        title_id=extra.pop("title_id", None),
        person_id=extra.pop("person_id", None),
        detail=extra,
    )


def next_season_alerts(changes: Changes, now: dt.datetime) -> list[Alert]:
    """A followed series gets a date (announced or confirmed, not estimated) for a new season."""
    dated: list[tuple[int, int, dt.date, str, str]] = []  # title, season, date, label, where
    if changes.release_events:
        events = (
            ReleaseEvent.objects.filter(
                pk__in=changes.release_events, kind=EventKind.PREMIERE, replaced_by__isnull=True
            )
            .exclude(certainty=Certainty.ESTIMATED)
            .filter(season_number__gt=1, date__gte=now.date())
            .select_related("title", "provider")
        )
        for event in events:
            where = event.provider.name if event.provider else event.network
            dated.append(
                (
                    event.title_id,
                    event.season_number or 0,
                    event.date,
                    f"{event.title.name} season {event.season_number} premieres {event.date_label}",
                    where,
                )
            )
    if changes.seasons:
        seasons = Season.objects.filter(
            pk__in=changes.seasons, number__gt=1, premiere__gte=now.date()
        ).select_related("title")
        for season in seasons:
            dated.append(
                (
                    season.title_id,
                    season.number,
                    season.premiere,
                    f"{season.title.name} season {season.number} premieres {season.premiere:%-d %b %Y}",
                    season.title.network,
                )
            )
    if not dated:
        return []
    audience = _followers(AlertKind.NEXT_SEASON, title_ids=[d[0] for d in dated])
    alerts = []
    for title_id, number, day, headline, where in dated:
        for r in audience.get(title_id, []):
            due = due_for(now=now, tz=r.time_zone, cadence=r.cadence, digest_hour=r.digest_hour)
            alerts.append(
                _new_alert(
                    r,
                    AlertKind.NEXT_SEASON,
                    f"next-season:{title_id}:{number}:{day.isoformat()}",
                    headline,
                    due,
                    now=now,
                    title_id=title_id,
                    season=number,
                    date=day.isoformat(),
                    where=where,
                )
            )
    return alerts


def new_episode_alerts(changes: Changes, now: dt.datetime) -> list[Alert]:
    """A new episode of a followed series airs or drops: delivered on the morning of that day
    (the user's day), so importing next week's schedule today alerts next week."""
    if not changes.episodes:
        return []
    episodes = list(
        Episode.objects.filter(
            pk__in=changes.episodes, air_at__gte=now - dt.timedelta(hours=24)
        ).select_related("title")
    )
    if not episodes:
        return []
    audience = _followers(AlertKind.NEW_EPISODE, title_ids=[e.title_id for e in episodes])
    alerts = []
    for episode in episodes:
        for r in audience.get(episode.title_id, []):
            if episode.air_precision == AirPrecision.MINUTE:
                day = episode.air_at.astimezone(zone_of(r.time_zone)).date()
            else:
                day = episode.air_at.astimezone(dt.UTC).date()
            due = due_for(
                now=now, tz=r.time_zone, cadence=r.cadence, digest_hour=r.digest_hour, on_day=day
            )
            code = episode.code
            headline = f"New today: {episode.title.name} {code}".strip() + (
                f" “{episode.name}”" if episode.name else ""
            )
            alerts.append(
                _new_alert(
                    r,
                    AlertKind.NEW_EPISODE,
                    f"episode:{episode.pk}",
                    headline,
                    due,
                    now=now,
                    title_id=episode.title_id,
                    episode_id=episode.pk,
                    code=code,
                    air_day=day.isoformat(),
                    where=episode.title.network,
                )
            )
    return alerts


def _watchlisters_with_service(
    kind: str, offers: list[Offer]
) -> dict[tuple[int, int], list[Recipient]]:
    """Users with the offer's title on their watchlist and its provider among their services,
    keyed by (title, provider); each with their region to compare with the offer's."""
    rows = WatchlistItem.objects.filter(
        title_id__in={o.title_id for o in offers},
        user__profile__services__in={o.provider_id for o in offers},
    )
    found: dict[tuple[int, int], list[Recipient]] = {}
    for title_id, provider_id, region, *fields in (
        _switched_on(rows, kind)
        .order_by()
        .values_list(
            "title_id", "user__profile__services", "user__profile__region", *_RECIPIENT_FIELDS
        )
    ):
        found.setdefault((title_id, provider_id), []).append(
            Recipient(*fields[:4], region or settings.TELLY_DEFAULT_REGION)
        )
    return found


def offer_alerts(changes: Changes, now: dt.datetime) -> list[Alert]:
    """A watchlisted title arrives on one of my services, or leaves one within 7 days."""
    if not changes.offers:
        return []
    offers = list(
        Offer.objects.filter(pk__in=changes.offers, monetization__in=WATCHABLE)
        .filter(Q(available_until__isnull=True) | Q(available_until__gt=now))
        .select_related("title", "provider")
    )
    if not offers:
        return []
    alerts: list[Alert] = []
    arriving = _watchlisters_with_service(AlertKind.ARRIVING, offers)
    leaving_offers = [o for o in offers if o.available_until is not None]
    leaving = (
        _watchlisters_with_service(AlertKind.LEAVING, leaving_offers) if leaving_offers else {}
    )
    for offer in offers:
        since = offer.available_from.date().isoformat() if offer.available_from else "open"
        for r in arriving.get((offer.title_id, offer.provider_id), []):
            if r.region != offer.region:
                continue
            due = due_for(
                now=now,
                tz=r.time_zone,
                cadence=r.cadence,
                digest_hour=r.digest_hour,
                not_before=offer.available_from,
            )
            alerts.append(
                _new_alert(
                    r,
                    AlertKind.ARRIVING,
                    f"arriving:{offer.title_id}:{offer.provider_id}:{offer.region}:{since}",
                    f"{offer.title.name} is on {offer.provider.name}",
                    due,
                    now=now,
                    title_id=offer.title_id,
                    provider=offer.provider.name,
                    url=offer.url,
                )
            )
        if offer.available_until is None:
            continue
        for r in leaving.get((offer.title_id, offer.provider_id), []):
            if r.region != offer.region:
                continue
            due = due_for(
                now=now,
                tz=r.time_zone,
                cadence=r.cadence,
                digest_hour=r.digest_hour,
                not_before=offer.available_until - LEAVING_WITHIN,
            )
            if due >= offer.available_until:
                continue
            until = offer.available_until.date().isoformat()
            alerts.append(
                _new_alert(
                    r,
                    AlertKind.LEAVING,
                    f"leaving:{offer.title_id}:{offer.provider_id}:{offer.region}:{until}",
                    f"{offer.title.name} leaves {offer.provider.name} on {offer.available_until:%-d %b}",
                    due,
                    now=now,
                    title_id=offer.title_id,
                    provider=offer.provider.name,
                    until=offer.available_until.isoformat(),
                )
            )
    return alerts


def new_credit_alerts(changes: Changes, now: dt.datetime) -> list[Alert]:
    if not changes.credits:
        return []
    credits = list(Credit.objects.filter(pk__in=changes.credits).select_related("person", "title"))
    audience = _followers(AlertKind.NEW_CREDIT, person_ids=[c.person_id for c in credits])
    alerts = []
    for credit in credits:
        part = f"as {credit.character}" if credit.character else (credit.job or "")
        for r in audience.get(credit.person_id, []):
            due = due_for(now=now, tz=r.time_zone, cadence=r.cadence, digest_hour=r.digest_hour)
            alerts.append(
                _new_alert(
                    r,
                    AlertKind.NEW_CREDIT,
                    f"credit:{credit.person_id}:{credit.title_id}",
                    f"{credit.person.name} joins {credit.title.name} {part}".strip(),
                    due,
                    now=now,
                    person_id=credit.person_id,
                    title_id=credit.title_id,
                    part=part,
                )
            )
    return alerts


def airing_alerts(changes: Changes, now: dt.datetime) -> list[Alert]:
    """A new episode or premiere of a followed series on TV in my region, due that morning.
    An airing of a catalogued episode shares the episode's key, so one episode alerts once
    whether the schedule or the episode list announced it first."""
    if not changes.airings:
        return []
    airings = list(
        Airing.objects.filter(
            pk__in=changes.airings, title__isnull=False, start__gte=now - dt.timedelta(hours=1)
        )
        .filter(Q(is_new=True) | Q(is_premiere=True))
        .select_related("title", "channel")
    )
    if not airings:
        return []
    audience = _followers(AlertKind.NEW_EPISODE, title_ids=[a.title_id for a in airings])
    alerts = []
    for airing in airings:
        for r in audience.get(airing.title_id, []):
            if r.region != airing.channel.region:
                continue
            zone = zone_of(r.time_zone)
            local = airing.start.astimezone(zone)
            due = due_for(
                now=now,
                tz=r.time_zone,
                cadence=r.cadence,
                digest_hour=r.digest_hour,
                on_day=local.date(),
            )
            key = (
                f"episode:{airing.episode_id}"
                if airing.episode_id
                else f"airing:{airing.channel_id}:{airing.start:%Y%m%dT%H%M}"
            )
            what = "Premiere" if airing.is_premiere else "New"
            code = airing.episode_code
            headline = (
                f"{what} today: {airing.title.name} {code}".strip()
                + f" on {airing.channel.name} at {local:%H:%M}"
            )
            alerts.append(
                _new_alert(
                    r,
                    AlertKind.NEW_EPISODE,
                    key,
                    headline,
                    due,
                    now=now,
                    title_id=airing.title_id,
                    where=airing.channel.name,
                    air_day=local.date().isoformat(),
                    code=code,
                )
            )
    return alerts


EVALUATORS = (
    next_season_alerts,
    new_episode_alerts,
    airing_alerts,
    offer_alerts,
    new_credit_alerts,
)


def evaluate(changes: Changes, now: dt.datetime | None = None) -> list[int]:
    """Make the alerts these changes call for; returns the ids of the new (or rescheduled) rows."""
    now = now or timezone.now()
    made: list[int] = []
    for part in split_changes(changes, IN_CHUNK):
        made.extend(_evaluate_part(part, now))
    return sorted(set(made))


def split_changes(changes: Changes, size: int) -> list[Changes]:
    """The change in parts of at most ``size`` ids per kind of row: bounded task payloads, and
    every query's IN (...) within SQLite's limit however big the import was."""
    fields = {name: sorted(getattr(changes, name)) for name in CHANGE_FIELDS}
    longest = max((len(ids) for ids in fields.values()), default=0)
    parts = []
    for start in range(0, max(longest, 1), size):
        part = Changes(source=changes.source)
        for name, ids in fields.items():
            setattr(part, name, set(ids[start : start + size]))
        parts.append(part)
    return parts


def _evaluate_part(changes: Changes, now: dt.datetime) -> list[int]:
    candidates: list[Alert] = []
    for evaluator in EVALUATORS:
        candidates.extend(evaluator(changes, now))
    if not candidates:
        return []
    unique: dict[tuple[int, str], Alert] = {}
    for alert in candidates:
        unique.setdefault((alert.user_id, alert.key), alert)
    # A pending episode alert whose air day moved is rescheduled rather than duplicated.
    moved = _reschedule_pending(list(unique.values()))
    before = _existing(list(unique))
    Alert.objects.bulk_create(unique.values(), ignore_conflicts=True, batch_size=500)
    created = _existing(list(unique)) - before
    return sorted(created | moved)


IN_CHUNK = 2000  # ids per IN (...): SQLite caps the variables of one statement


def _existing(pairs: list[tuple[int, str]], **filters: Any) -> set[int]:
    """Ids of the alerts with these (user, key) pairs, through the unique (user, key) index,
    a chunk of users at a time (a popular title can have more followers than SQLite allows
    variables in one statement)."""
    by_user: dict[int, set[str]] = {}
    for user_id, key in pairs:
        by_user.setdefault(user_id, set()).add(key)
    users = sorted(by_user)
    found: set[int] = set()
    for start in range(0, len(users), IN_CHUNK):
        chunk = users[start : start + IN_CHUNK]
        keys = set().union(*(by_user[u] for u in chunk))
        rows = Alert.objects.filter(user_id__in=chunk, key__in=keys, **filters).order_by()
        found |= {
            pk
            for pk, user_id, key in rows.values_list("id", "user_id", "key")
            if key in by_user[user_id]
        }
    return found


def _reschedule_pending(alerts: list[Alert]) -> set[int]:
    moved: set[int] = set()
    episode_alerts = [a for a in alerts if a.kind == AlertKind.NEW_EPISODE]
    if not episode_alerts:
        return moved
    wanted = {(a.user_id, a.key): a.due_at for a in episode_alerts}
    pending_ids = _existing(list(wanted), status=AlertStatus.PENDING)
    if not pending_ids:
        return moved
    ids = sorted(pending_ids)
    for start in range(0, len(ids), IN_CHUNK):
        rows = Alert.objects.filter(pk__in=ids[start : start + IN_CHUNK]).only(
            "id", "user_id", "key", "due_at"
        )
        for alert in rows:
            due = wanted.get((alert.user_id, alert.key))
            if due and due != alert.due_at:
                Alert.objects.filter(pk=alert.pk, status=AlertStatus.PENDING).update(due_at=due)
                moved.add(alert.pk)
    return moved


CHANGE_FIELDS = (
    "titles",
    "new_titles",
    "seasons",
    "episodes",
    "people",
    "credits",
    "offers",
    "airings",
    "channels",
    "release_events",
)


def changes_from_json(data: dict[str, Any]) -> Changes:
    changes = Changes(source=str(data.get("source", "")))
    for name in CHANGE_FIELDS:
        setattr(changes, name, {int(pk) for pk in data.get(name) or []})
    return changes


# The kinds of rows alerts look at; the task carries only these (an import of 300k titles
# need not queue their ids for alerts).
ALERTING_FIELDS = ("seasons", "episodes", "offers", "credits", "airings", "release_events")


def changes_to_json(changes: Changes) -> dict[str, Any]:
    data: dict[str, Any] = {"source": changes.source}
    for name in ALERTING_FIELDS:
        data[name] = sorted(getattr(changes, name))
    return data
