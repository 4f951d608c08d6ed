"""``telly sync tmdb``: fetch TV shows and films live from TMDB (key from TELLY_TMDB_API_KEY)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.conf import settings

from telly.catalog.models import ExternalId
from telly.importers.http import FeedClient
from telly.importers.tmdb.documents import (
    apply_credits,
    apply_movie,
    apply_season,
    apply_tv,
    apply_watch_providers,
    title_by_tmdb,
)


class MissingKey(Exception):
    pass


def client(**kwargs: Any) -> FeedClient:
    key = settings.TELLY_TMDB_API_KEY
    if not key:
        raise MissingKey(
            "set TELLY_TMDB_API_KEY to a TMDB API key (v3 key or v4 read access token)"
        )
    # A v4 read access token is a JWT, sent as a bearer token; a v3 key is a query parameter.
    auth = (
        {"headers": {"Authorization": f"Bearer {key}"}}
        if key.startswith("eyJ")
        else {"params": {"api_key": key}}
    )
    return FeedClient(settings.TELLY_TMDB_URL, calls=40, per=10.0, **auth, **kwargs)


def tv(api: FeedClient, ids: list[int]) -> Iterator[tuple[str, Any]]:
    for tv_id in ids:
        details = api.get_json(
            f"/tv/{tv_id}",
            params={"append_to_response": "external_ids,aggregate_credits,watch/providers"},
        )
        yield f"tv {tv_id}", ("tv", details)
        numbers = [
            s["season_number"]
            for s in (details or {}).get("seasons") or []
            if isinstance(s.get("season_number"), int)
        ]
        if details is None:  # not modified: its seasons are re-checked all the same
            title = title_by_tmdb(f"tv/{tv_id}")
            numbers = list(title.seasons.values_list("number", flat=True)) if title else []
        for number in numbers:
            season = api.get_json(f"/tv/{tv_id}/season/{number}", not_found_ok=True)
            yield (
                f"tv {tv_id} season {number}",
                ("season", {**season, "show_id": tv_id}) if season else None,
            )


def movies(api: FeedClient, ids: list[int]) -> Iterator[tuple[str, Any]]:
    for movie_id in ids:
        details = api.get_json(
            f"/movie/{movie_id}", params={"append_to_response": "credits,watch/providers"}
        )
        yield f"movie {movie_id}", ("movie", details) if details else None


def changed_since(api: FeedClient, kind: str, since: dt.date, max_pages: int = 20) -> list[int]:
    """Titles we already have that TMDB lists as changed since ``since`` (``/tv/changes``)."""
    known = {
        int(v.split("/")[1])
        for v in ExternalId.objects.filter(
            scheme="tmdb", value__startswith=f"{kind}/", title__isnull=False
        ).values_list("value", flat=True)
    }
    changed: set[int] = set()
    page, pages = 1, 1
    while page <= min(pages, max_pages):
        data = (
            api.get_json(
                f"/{kind}/changes",
                params={"start_date": since.isoformat(), "page": page},
                not_found_ok=True,
            )
            or {}
        )
        changed.update(
            item["id"] for item in data.get("results") or [] if isinstance(item.get("id"), int)
        )
        pages = data.get("total_pages") or 1
        page += 1
    return sorted(changed & known)


def apply(ctx: Any, fetched: tuple[str, dict]) -> None:
    kind, doc = fetched
    ctx.row_read()
    if kind == "tv":
        title = apply_tv(ctx, doc)
        if title is None:
            return
        ctx.options["tmdb_kind"] = "tv"
        if doc.get("aggregate_credits"):
            apply_credits(ctx, {**doc["aggregate_credits"], "id": doc["id"]}, "tv")
        if doc.get("watch/providers"):
            apply_watch_providers(ctx, {**doc["watch/providers"], "id": doc["id"]}, "tv")
    elif kind == "season":
        apply_season(ctx, title_by_tmdb(f"tv/{doc['show_id']}"), doc)
    elif kind == "movie":
        title = apply_movie(ctx, doc)
        if title is None:
            return
        ctx.options["tmdb_kind"] = "movie"
        if doc.get("credits"):
            apply_credits(ctx, {**doc["credits"], "id": doc["id"]}, "movie")
        if doc.get("watch/providers"):
            apply_watch_providers(ctx, {**doc["watch/providers"], "id": doc["id"]}, "movie")
