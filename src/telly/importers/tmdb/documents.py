"""Recognising a TMDB response and applying it to the catalogue and the streaming guide."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from telly.catalog.models import (
    ExternalId,
    Season,
    Title,
)
from telly.importers.context import ImportContext
from telly.importers.errors import BadInput
from telly.importers.load import (
    TitleRecord,
    to_decimal,
    upsert_credit,
    upsert_episode,
    upsert_person,
    upsert_season,
    upsert_title,
)
from telly.importers.offers import must, upsert_offer
from telly.importers.reading import read_json
from telly.streaming.providers import ProviderResolver

STATUS = {
    "Returning Series": "returning",
    "Ended": "ended",
    "Canceled": "cancelled",
    "Cancelled": "cancelled",
    "In Production": "in_production",
    "Planned": "in_production",
    "Pilot": "in_production",
}
MONETIZATION = {
    "flatrate": "subscription",
    "free": "free",
    "ads": "ads",
    "rent": "rent",
    "buy": "buy",
}
MAX_CREDITS = 60  # the top of the billing; aggregate credits list hundreds of one-episode parts


def kind_of(doc: Any) -> str | None:
    """Which TMDB response this is, or None."""
    if isinstance(doc, dict):
        if "seasons" in doc and ("first_air_date" in doc or "number_of_seasons" in doc):
            return "tv"
        if "release_date" in doc and "title" in doc and "id" in doc:
            return "movie"
        if "episodes" in doc and "season_number" in doc:
            return "season"
        if "episode_number" in doc and "season_number" in doc and "guest_stars" in doc:
            return "episode"
        if "cast" in doc and "crew" in doc and "id" in doc:
            return "credits"
        results = doc.get("results")
        if (
            isinstance(results, dict)
            and "id" in doc
            and all(isinstance(v, dict) for v in results.values())
        ) and (
            not results or any("link" in v or set(v) & set(MONETIZATION) for v in results.values())
        ):
            return "watch-providers"
        if isinstance(results, list) and results and isinstance(results[0], dict):
            if "provider_id" in results[0]:
                return "provider-list"
            if "first_air_date" in results[0] or "release_date" in results[0]:
                return "title-list"
        if (
            doc
            and all(k.isdecimal() for k in doc)
            and all(isinstance(v, dict) and "season_number" in v for v in doc.values())
        ):
            return "seasons"
    return None


def sniff(path: Path, head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \r\n\t")
    if not text.startswith(b"{"):
        return False
    if len(head) < 65536:
        try:
            return kind_of(json.loads(head.decode("utf-8-sig"))) is not None
        except ValueError:
            return False
    return any(
        marker in head
        for marker in (
            b'"first_air_date"',
            b'"season_number"',
            b'"provider_id"',
            b'"known_for_department"',
        )
    )


def run(ctx: ImportContext) -> None:
    doc = read_json(ctx.path)
    kind = kind_of(doc)
    if kind is None:
        raise BadInput(
            ctx.path,
            1,
            "not a TMDB response this importer knows (details, season, credits, watch providers...)",
        )
    apply(ctx, kind, doc, hint=ctx.path.name)


def apply(ctx: ImportContext, kind: str, doc: dict, hint: str = "") -> None:
    ctx.row_read()
    if kind == "tv":
        apply_tv(ctx, doc)
    elif kind == "movie":
        apply_movie(ctx, doc)
    elif kind == "season":
        apply_season(ctx, show_for(ctx, doc), doc)
    elif kind == "seasons":
        title = show_for(ctx, next(iter(doc.values())))
        for season in doc.values():
            apply_season(ctx, title, season)
    elif kind == "episode":
        title = show_for(ctx, doc)
        if title is not None:
            apply_episode(ctx, title, doc)
    elif kind == "credits":
        apply_credits(ctx, doc, hint)
    elif kind == "watch-providers":
        apply_watch_providers(ctx, doc, hint)
    elif kind == "provider-list":
        resolver = ProviderResolver()
        for item in doc["results"]:
            ctx.row_read()
            created = resolver.find(item.get("provider_name"), item.get("provider_id")) is None
            resolver.resolve(item["provider_name"], item.get("provider_id"))
            ctx.tally.outcome("provider", created, False)
    elif kind == "title-list":
        for item in doc["results"]:
            ctx.row_read()
            if "first_air_date" in item or "name" in item:
                apply_tv(ctx, item, summary=True)
            else:
                apply_movie(ctx, item, summary=True)


def day(text: str | None, ctx: ImportContext, field: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        ctx.reject(None, f"{field} {text!r} is not a date", "title")
        return None


def apply_tv(ctx: ImportContext, doc: dict, summary: bool = False) -> Title | None:
    first = day(doc.get("first_air_date"), ctx, "first_air_date")
    last = day(doc.get("last_air_date"), ctx, "last_air_date")
    if not doc.get("name") or not doc.get("id"):
        ctx.reject(None, "a TV show needs an id and a name", "title")
        return None
    externals = doc.get("external_ids") or {}
    ids = {"tmdb": f"tv/{doc['id']}"}
    if externals.get("imdb_id"):
        ids["imdb"] = externals["imdb_id"]
    if externals.get("tvdb_id"):
        ids["tvdb"] = str(externals["tvdb_id"])
    status = STATUS.get(doc.get("status") or "", "")
    fields: dict[str, Any] = {
        "original_name": doc.get("original_name")
        if doc.get("original_name") != doc["name"]
        else "",
        "popularity": doc.get("popularity"),
        "rating": to_decimal(doc.get("vote_average")) if doc.get("vote_count") else None,
        "votes": doc.get("vote_count"),
        "countries": sorted(doc.get("origin_country") or []),
        "languages": sorted(
            doc.get("languages")
            or ([doc["original_language"]] if doc.get("original_language") else [])
        ),
    }
    if not summary:
        fields.update(
            {
                "status": status,
                "end_year": last.year if last and status in ("ended", "cancelled") else None,
                "network": ((doc.get("networks") or [{}])[0].get("name") or "")[:120],
                "runtime": (doc.get("episode_run_time") or [None])[0],
            }
        )
    kind = "miniseries" if doc.get("type") == "Miniseries" else "series"
    record = TitleRecord(
        kind=kind,
        name=doc["name"],
        year=first.year if first else None,
        ids=ids,
        fields=fields,
        genres=[g["name"] for g in doc.get("genres") or [] if g.get("name")],
    )
    title = upsert_title(ctx, record)
    for season in doc.get("seasons") or []:
        if isinstance(season.get("season_number"), int):
            row = upsert_season(
                ctx,
                title,
                season["season_number"],
                {
                    "name": (season.get("name") or "")[:200],
                    "premiere": day(season.get("air_date"), ctx, "air_date"),
                    "episode_count": season.get("episode_count"),
                },
            )
            remember_season_id(row, season.get("id"))
    return title


def apply_movie(ctx: ImportContext, doc: dict, summary: bool = False) -> Title | None:
    released = day(doc.get("release_date"), ctx, "release_date")
    name = doc.get("title") or doc.get("name")
    if not name or not doc.get("id"):
        ctx.reject(None, "a film needs an id and a title", "title")
        return None
    ids = {"tmdb": f"movie/{doc['id']}"}
    if doc.get("imdb_id"):
        ids["imdb"] = doc["imdb_id"]
    fields = {
        "original_name": doc.get("original_title") if doc.get("original_title") != name else "",
        "popularity": doc.get("popularity"),
        "rating": to_decimal(doc.get("vote_average")) if doc.get("vote_count") else None,
        "votes": doc.get("vote_count"),
        "runtime": doc.get("runtime") or None,
    }
    record = TitleRecord(
        kind="film",
        name=name,
        year=released.year if released else None,
        ids=ids,
        fields=fields,
        genres=[g["name"] for g in doc.get("genres") or [] if g.get("name")],
    )
    return upsert_title(ctx, record)


def title_by_tmdb(value: str) -> Title | None:
    hit = (
        ExternalId.objects.filter(scheme="tmdb", value=value, title__isnull=False)
        .select_related("title")
        .first()
    )
    return hit.title if hit else None


def remember_season_id(season: Season, tmdb_id: object) -> None:
    """Season responses do not always name their show, but they carry the season's own TMDB id,
    which the show's details listed: keep it beside the provenance (``sources["tmdb_id"]``)."""
    if isinstance(tmdb_id, int) and season.sources.get("tmdb_id") != str(tmdb_id):
        season.sources["tmdb_id"] = str(tmdb_id)
        season.save(update_fields=["sources"])


def show_for(ctx: ImportContext, doc: dict) -> Title | None:
    """The series a season or episode response belongs to: its episodes' ``show_id``, else the
    season's own TMDB id as the show's details listed it."""
    show_id = doc.get("show_id") or next(
        (e.get("show_id") for e in doc.get("episodes") or [] if e.get("show_id")), None
    )
    if show_id is None and ctx.options.get("tmdb_show"):
        show_id = ctx.options["tmdb_show"]
    title = title_by_tmdb(f"tv/{show_id}") if show_id else None
    if title is None and "episodes" in doc and isinstance(doc.get("id"), int):
        known = (
            Season.objects.filter(sources__tmdb_id=str(doc["id"])).select_related("title").first()
        )
        title = known.title if known else None
    if title is None:
        # Import the show's details first; its seasons and episodes then find it.
        ctx.tally.add("season", "skipped")
    return title


def apply_season(ctx: ImportContext, title: Title | None, doc: dict) -> None:
    if title is None:
        return
    number = doc.get("season_number")
    if not isinstance(number, int):
        ctx.reject(None, "season_number is missing", "season")
        return
    episodes = doc.get("episodes") or []
    season = upsert_season(
        ctx,
        title,
        number,
        {
            "name": (doc.get("name") or "")[:200],
            "premiere": day(doc.get("air_date"), ctx, "air_date"),
            **({"episode_count": len(episodes)} if episodes else {}),
        },
    )
    for episode in episodes:
        ctx.row_read()
        apply_episode(ctx, title, episode, season)


def apply_episode(ctx: ImportContext, title: Title, doc: dict, season: Any = None) -> None:
    season_number, number = doc.get("season_number"), doc.get("episode_number")
    if not isinstance(season_number, int) or not isinstance(number, int):
        ctx.reject(None, "an episode needs season_number and episode_number", "episode")
        return
    if season is None:
        season = upsert_season(ctx, title, season_number, {})
    aired = day(doc.get("air_date"), ctx, "air_date")
    upsert_episode(
        ctx,
        title,
        season,
        season_number,
        number,
        {
            "name": (doc.get("name") or "")[:300],
            "air_at": dt.datetime.combine(aired, dt.time(), tzinfo=dt.UTC) if aired else None,
            "air_precision": "day" if aired else None,
            "runtime": doc.get("runtime") or None,
        },
    )


def target_for(ctx: ImportContext, doc: dict, hint: str) -> Title | None:
    """Credits and watch providers name only a number: TV or film comes from the file name
    (``movie-…``) or ``--format`` option, else from which one we already know."""
    number = doc.get("id")
    kinds = ["movie", "tv"] if "movie" in hint.lower() else ["tv", "movie"]
    if ctx.options.get("tmdb_kind"):
        kinds = [ctx.options["tmdb_kind"]]
    for kind in kinds:
        title = title_by_tmdb(f"{kind}/{number}")
        if title is not None:
            return title
    return None


def apply_credits(ctx: ImportContext, doc: dict, hint: str) -> None:
    title = target_for(ctx, doc, hint)
    if title is None:
        ctx.tally.add("credit", "skipped")  # its title is not imported yet
        return
    cast = sorted(doc.get("cast") or [], key=lambda c: c.get("order", 9999))[:MAX_CREDITS]
    for order, member in enumerate(cast):
        ctx.row_read()
        if not member.get("name") or not member.get("id"):
            ctx.reject(None, "a cast member needs an id and a name", "credit")
            continue
        person = upsert_person(
            ctx,
            member["name"],
            {"tmdb": f"person/{member['id']}"},
            {"known_for": (member.get("known_for_department") or "")[:60]},
        )
        roles = member.get("roles") or [
            {"character": member.get("character") or "", "episode_count": None}
        ]
        for role in roles[:3]:
            upsert_credit(
                ctx,
                title,
                person,
                character=role.get("character") or "",
                order=order,
                episode_count=role.get("episode_count"),
            )
    crew = [
        c
        for c in doc.get("crew") or []
        if c.get("department") in ("Directing", "Writing", "Production")
    ]
    crew.sort(key=lambda c: -(c.get("total_episode_count") or 0))
    for member in crew[:MAX_CREDITS]:
        ctx.row_read()
        if not member.get("name") or not member.get("id"):
            ctx.reject(None, "a crew member needs an id and a name", "credit")
            continue
        person = upsert_person(
            ctx,
            member["name"],
            {"tmdb": f"person/{member['id']}"},
            {"known_for": (member.get("known_for_department") or "")[:60]},
        )
        jobs = member.get("jobs") or [
            {"job": member.get("job") or member.get("department"), "episode_count": None}
        ]
        for job in jobs[:3]:
            upsert_credit(
                ctx,
                title,
                person,
                role="crew",
                job=job.get("job") or "",
                order=0,
                episode_count=job.get("episode_count"),
            )


def apply_watch_providers(ctx: ImportContext, doc: dict, hint: str) -> None:
    title = target_for(ctx, doc, hint)
    if title is None:
        ctx.tally.add("offer", "skipped")  # its title is not imported yet
        return
    resolver = ProviderResolver()
    for region, entry in sorted(doc["results"].items()):
        if ctx.region and region != ctx.region:
            continue
        if len(region) != 2 or not region.isalpha():
            ctx.reject(None, f"region {region!r} is not an ISO 3166-1 code", "offer")
            continue
        for key, monetization in MONETIZATION.items():
            for item in entry.get(key) or []:
                ctx.row_read()
                if not item.get("provider_name"):
                    ctx.reject(None, f"{region} {key}: an offer without a provider name", "offer")
                    continue
                provider = must(resolver.resolve(item["provider_name"], item.get("provider_id")))
                upsert_offer(
                    ctx,
                    title,
                    provider,
                    region.upper(),
                    monetization,
                    url=(entry.get("link") or "")[:500],
                )
