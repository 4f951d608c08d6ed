"""The watchlist and follows: add, remove and ask, one small query each."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from telly.accounts.models import Follow, WatchlistItem
from telly.catalog.models import Person, Title


def _create_once(model: Any, **fields: Any) -> bool:
    """Create the row unless it exists; True if created. Safe against a double click."""
    try:
        with transaction.atomic():
            model.objects.create(**fields)
        return True
    except IntegrityError:
        return False


def set_watchlisted(user: Any, title: Title, on: bool) -> bool:
    if on:
        _create_once(WatchlistItem, user=user, title=title)
    else:
        WatchlistItem.objects.filter(user=user, title=title).delete()
    return on


def set_following_title(user: Any, title: Title, on: bool) -> bool:
    if on:
        _create_once(Follow, user=user, title=title)
    else:
        Follow.objects.filter(user=user, title=title).delete()
    return on


def set_following_person(user: Any, person: Person, on: bool) -> bool:
    if on:
        _create_once(Follow, user=user, person=person)
    else:
        Follow.objects.filter(user=user, person=person).delete()
    return on


def title_state(user: Any, title: Title) -> dict[str, bool]:
    """Whether the user follows / watchlists the title (two indexed lookups)."""
    if not user.is_authenticated:
        return {"watchlisted": False, "following": False}
    return {
        "watchlisted": WatchlistItem.objects.filter(user=user, title=title).exists(),
        "following": Follow.objects.filter(user=user, title=title).exists(),
    }


def person_state(user: Any, person: Person) -> dict[str, bool]:
    if not user.is_authenticated:
        return {"following": False}
    return {"following": Follow.objects.filter(user=user, person=person).exists()}


def followed_title_ids(user: Any) -> set[int]:
    return set(
        Follow.objects.filter(user=user, title__isnull=False).values_list("title_id", flat=True)
    )


def watchlist_title_ids(user: Any) -> set[int]:
    return set(WatchlistItem.objects.filter(user=user).values_list("title_id", flat=True))
