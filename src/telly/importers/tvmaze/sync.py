"""``telly sync tvmaze``: fetch shows live from TVmaze (20 calls / 10 s, as TVmaze asks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.conf import settings

from telly.catalog.models import ExternalId
from telly.importers.http import FeedClient
from telly.importers.tvmaze.documents import apply_show

EMBED = {"embed[]": ["cast", "seasons", "episodes"]}


def client(**kwargs: Any) -> FeedClient:
    return FeedClient(settings.TELLY_TVMAZE_URL, calls=20, per=10.0, **kwargs)


def shows(api: FeedClient, ids: list[int]) -> Iterator[tuple[str, Any]]:
    for show_id in ids:
        yield f"show {show_id}", api.get_json(f"/shows/{show_id}", params=EMBED)


def updated_since(api: FeedClient, since: dt.datetime) -> list[int]:
    """Shows we already have that TVmaze changed since ``since`` (its /updates/shows list)."""
    age = dt.datetime.now(dt.UTC) - since
    window = (
        "day"
        if age <= dt.timedelta(days=1)
        else "week"
        if age <= dt.timedelta(days=7)
        else "month"
        if age <= dt.timedelta(days=30)
        else None
    )
    updates = api.get_json("/updates/shows", params={"since": window} if window else None) or {}
    cutoff = since.timestamp()
    changed = {
        int(k)
        for k, stamp in updates.items()
        if str(k).isdecimal() and isinstance(stamp, int) and stamp >= cutoff
    }
    known = {
        int(v)
        for v in ExternalId.objects.filter(scheme="tvmaze", title__isnull=False).values_list(
            "value", flat=True
        )
        if v.isdecimal()
    }
    return sorted(changed & known)


def apply(ctx: Any, doc: Any) -> None:
    ctx.row_read()
    apply_show(ctx, doc)
