"""The streaming sections of other apps' pages: "Where to watch" on a title page, "New on
streaming" and "Leaving soon" on the home page. Each is a few fixed queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from telly.catalog.models import Title
from telly.streaming import queries

HOME_NEW_DAYS = 14
HOME_LEAVING_DAYS = 30
HOME_LIMIT = 8


def where_to_watch_panel(request: HttpRequest, title: Title) -> dict[str, Any] | None:
    region = getattr(request, "region", "GB")
    answer = queries.where_to_watch(
        title, region, timezone.now(), getattr(request, "profile", None)
    )
    if not answer:  # no offer here or anywhere else: nothing true to say
        return None
    return {"watch": answer, "region": region}


def home_panel(request: HttpRequest, _: Any) -> dict[str, Any] | None:
    region = getattr(request, "region", "GB")
    now = timezone.now()
    new = _one_per_title(queries.new_on(None, region, now - dt.timedelta(days=HOME_NEW_DAYS), now))
    leaving = _one_per_title(
        queries.leaving_soon(region, dt.timedelta(days=HOME_LEAVING_DAYS), now)
    )
    if not new and not leaving:
        return None
    return {
        "new": new,
        "leaving": leaving,
        "region": region,
        "new_days": HOME_NEW_DAYS,
        "leaving_days": HOME_LEAVING_DAYS,
    }


def _one_per_title(offers: Any, limit: int = HOME_LIMIT) -> list[Any]:
    seen, picked = set(), []
    for offer in offers[: limit * 4]:
        if offer.title_id not in seen:
            seen.add(offer.title_id)
            picked.append(offer)
        if len(picked) == limit:
            break
    return picked
