"""Watched episodes and "Up next": the first aired episode of a series in progress that the
user has not watched (specials, season 0, are left out of the order)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from telly.accounts.models import EpisodeWatch
from telly.catalog.models import Episode, Title


def _aired(at: dt.datetime) -> Q:
    return Q(air_at__isnull=False, air_at__lte=at)


def mark_episodes(user: Any, episodes: list[Episode], watched: bool) -> int:
    """Mark episodes watched (or not); returns how many rows changed."""
    if not episodes:
        return 0
    ids = [e.pk for e in episodes]
    if not watched:
        deleted, _ = EpisodeWatch.objects.filter(user=user, episode_id__in=ids).delete()
        return deleted
    now = timezone.now()
    rows = [
        EpisodeWatch(user=user, episode_id=e.pk, title_id=e.title_id, watched_at=now)
        for e in episodes
    ]
    before = EpisodeWatch.objects.filter(user=user, episode_id__in=ids).count()
    EpisodeWatch.objects.bulk_create(rows, ignore_conflicts=True)
    return len(ids) - before


def episodes_to_mark(
    title: Title, season_number: int | None = None, at: dt.datetime | None = None
) -> list[Episode]:
    """A whole season's (or series') episodes that have aired by ``at``."""
    episodes = title.episodes.filter(_aired(at or timezone.now()))
    if season_number is not None:
        episodes = episodes.filter(season_number=season_number)
    return list(episodes.only("id", "title_id"))


@dataclass(frozen=True)
class Progress:
    title: Title
    watched: int
    aired: int
    next_episode: Episode | None

    @property
    def percent(self) -> int:
        return round(100 * self.watched / self.aired) if self.aired else 0


def progress_for(
    user: Any, titles: list[Title] | None = None, at: dt.datetime | None = None
) -> list[Progress]:
    """Progress of each series the user has started (or of ``titles``), most recent first.
    Three queries whatever the number of series."""
    at = at or timezone.now()
    watches = EpisodeWatch.objects.filter(user=user)
    if titles is not None:
        watches = watches.filter(title__in=titles)
    watched_ids: dict[int, set[int]] = {}
    order: list[int] = []
    for title_id, episode_id in watches.order_by("-watched_at").values_list(
        "title_id", "episode_id"
    ):
        if title_id not in watched_ids:
            order.append(title_id)
            watched_ids[title_id] = set()
        watched_ids[title_id].add(episode_id)
    if not order:
        return []
    by_id = Title.objects.in_bulk(order)
    episodes = (
        Episode.objects.filter(title_id__in=order, season_number__gte=1)
        .filter(_aired(at))
        .order_by("title_id", "season_number", "number")
        .only("id", "title_id", "season_number", "number", "name", "air_at", "air_precision")
    )
    aired: dict[int, list[Episode]] = {}
    for episode in episodes:
        aired.setdefault(episode.title_id, []).append(episode)
    result = []
    for title_id in order:
        seen = watched_ids[title_id]
        listed = aired.get(title_id, [])
        upcoming = next((e for e in listed if e.pk not in seen), None)
        result.append(
            Progress(by_id[title_id], sum(1 for e in listed if e.pk in seen), len(listed), upcoming)
        )
    return result


def up_next(user: Any, at: dt.datetime | None = None) -> list[Progress]:
    """Series in progress with an aired episode still to watch."""
    return [p for p in progress_for(user, at=at) if p.next_episode is not None]


def watched_episode_ids(user: Any, title: Title) -> set[int]:
    return set(
        EpisodeWatch.objects.filter(user=user, title=title).values_list("episode_id", flat=True)
    )
