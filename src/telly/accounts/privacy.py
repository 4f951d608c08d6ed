"""Download all my data, delete my account.

Higher apps (alerts, newsletters) add their part of the export with ``exporters.append(fn)``
where ``fn(user) -> (name, data)``. Deleting the user cascades to every row that points at it;
an app keeping personal data *not* linked to the user row (say, a subscriber found by email
address) adds ``erasers.append(fn)`` with ``fn(user) -> None``, called in the same transaction
just before the user is deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from telly.accounts.models import ApiToken, EpisodeWatch, Follow, WatchlistItem, profile_for

exporters: list[Callable[[Any], tuple[str, Any]]] = []
erasers: list[Callable[[Any], None]] = []


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def export(user: Any) -> dict[str, Any]:
    profile = profile_for(user)
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "profile": {
            "region": profile.region,
            "time_zone": profile.time_zone,
            "services": list(profile.services.values_list("name", flat=True)),
            "plans": [str(p) for p in profile.plans.select_related("provider")],
            "platforms": list(profile.platforms.values_list("name", flat=True)),
            "channels": list(profile.channels.values_list("name", flat=True)),
        },
        "watchlist": [
            {"title": w.title.name, "title_id": w.title_id, "added_at": _iso(w.added_at)}
            for w in WatchlistItem.objects.filter(user=user).select_related("title")
        ],
        "follows": [
            {
                "title": f.title.name if f.title else None,
                "person": f.person.name if f.person else None,
                "since": _iso(f.created_at),
            }
            for f in Follow.objects.filter(user=user).select_related("title", "person")
        ],
        "watched_episodes": [
            {
                "title": w.title.name,
                "episode": w.episode.code,
                "episode_id": w.episode_id,
                "watched_at": _iso(w.watched_at),
            }
            for w in EpisodeWatch.objects.filter(user=user).select_related("title", "episode")
        ],
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": _iso(t.created_at),
                "last_used_at": _iso(t.last_used_at),
            }
            for t in ApiToken.objects.filter(user=user)
        ],
    }
    for exporter in exporters:
        name, part = exporter(user)
        data[name] = part
    return data


def erase(user: Any) -> None:
    """Delete the account now: the user row and, by cascade, everything personal."""
    with transaction.atomic():
        for eraser in erasers:
            eraser(user)
        user.delete()
