"""Recognising a TVmaze response and applying it to the catalogue."""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

from telly.catalog.models import ExternalId, Title
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
from telly.importers.reading import read_json, text_lines

STATUS = {
    "Running": "airing",
    "Ended": "ended",
    "In Development": "in_production",
    "To Be Determined": "",
}
SHOW_URL = re.compile(r"/shows/(\d+)")


def is_show(doc: Any) -> bool:
    return (
        isinstance(doc, dict)
        and "name" in doc
        and "premiered" in doc
        and ("externals" in doc or "_links" in doc)
    )


def is_episode(doc: Any) -> bool:
    return isinstance(doc, dict) and "airstamp" in doc and "season" in doc and "number" in doc


def kind_of(doc: Any) -> str | None:
    if is_show(doc):
        return "show"
    if is_episode(doc):
        return "episode"
    if isinstance(doc, list):
        if not doc:
            return "empty"
        first = doc[0]
        if isinstance(first, dict) and "score" in first and is_show(first.get("show")):
            return "search"
        if isinstance(first, dict) and "person" in first and "character" in first:
            return "cast"
        if is_episode(first):
            return "episodes"
        if is_show(first):
            return "shows"
        if isinstance(first, dict) and "premiereDate" in first and "number" in first:
            return "seasons"
    return None


def sniff(path: Path, head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \r\n\t")
    if text.startswith(b'{"cassette"') or (
        text.startswith(b"{") and b'"uri"' in head[:2000] and b"tvmaze" in head[:2000]
    ):
        return True
    if not text.startswith((b"{", b"[")):
        return False
    if len(head) < 65536:
        try:
            return kind_of(json.loads(head.decode("utf-8-sig"))) not in (None, "empty")
        except ValueError:
            return False
    return b"tvmaze.com" in head


def run(ctx: ImportContext) -> None:
    head = ctx.path.open("rb").read(200).lstrip(b"\xef\xbb\xbf \r\n\t")
    if head.startswith(b'{"cassette"') or (head.startswith(b"{") and ctx.path.suffix == ".jsonl"):
        run_lines(ctx)
        return
    doc = read_json(ctx.path)
    kind = kind_of(doc)
    if kind is None:
        raise BadInput(
            ctx.path,
            1,
            "not a TVmaze response this importer knows (show, search, schedule, episodes...)",
        )
    apply(ctx, kind, doc, show_id=ctx.options.get("tvmaze_show"))


def run_lines(ctx: ImportContext) -> None:
    """Recorded responses, one JSON object per line: ``{"uri": ..., "status": 200, "body": ...}``."""
    for line, text in text_lines(ctx.path):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            ctx.reject(line, f"broken JSON: {exc.msg} (column {exc.colno})", "response")
            continue
        if not isinstance(record, dict) or "body" not in record:
            ctx.reject(line, "expected an object with uri, status and body", "response")
            continue
        if record.get("status", 200) != 200:
            ctx.tally.add("response", "skipped")  # a recorded 404: nothing to import
            continue
        body = record["body"]
        kind = kind_of(body)
        if kind is None:
            ctx.reject(
                line,
                f"not a TVmaze response this importer knows ({record.get('uri', '')})",
                "response",
            )
            continue
        match = SHOW_URL.search(record.get("uri") or "")
        apply(ctx, kind, body, show_id=int(match[1]) if match else None)


def apply(ctx: ImportContext, kind: str, doc: Any, show_id: int | None = None) -> None:
    if kind == "show":
        ctx.row_read()
        apply_show(ctx, doc)
    elif kind == "shows":
        for show in doc:
            ctx.row_read()
            apply_show(ctx, show)
    elif kind == "search":
        for hit in doc:
            ctx.row_read()
            apply_show(ctx, hit["show"])
    elif kind in ("episode", "episodes"):
        for episode in [doc] if kind == "episode" else doc:
            ctx.row_read()
            apply_schedule_episode(ctx, episode, show_id)
    elif kind == "seasons":
        title = title_by_tvmaze(show_id)
        for season in doc:
            ctx.row_read()
            if title is None:
                ctx.tally.add("season", "skipped")  # whose show? (no show id given)
            else:
                apply_season(ctx, title, season)
    elif kind == "cast":
        title = title_by_tvmaze(show_id)
        if title is None:
            ctx.row_read(len(doc))
            ctx.tally.add("credit", "skipped", len(doc))  # a cast list does not say its show
        else:
            apply_cast(ctx, title, doc)


def title_by_tvmaze(show_id: int | None) -> Title | None:
    if show_id is None:
        return None
    hit = (
        ExternalId.objects.filter(scheme="tvmaze", value=str(show_id), title__isnull=False)
        .select_related("title")
        .first()
    )
    return hit.title if hit else None


@cache
def language_code(name: str) -> str | None:
    try:
        language = pycountry.languages.lookup(name)
    except LookupError:
        return None
    return getattr(language, "alpha_2", None)


def date_or_reject(ctx: ImportContext, text: str | None, field: str, kind: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        ctx.reject(None, f"{field} {text!r} is not a date", kind)
        return None


def apply_show(ctx: ImportContext, doc: dict) -> Title | None:
    if not doc.get("id") or not doc.get("name"):
        ctx.reject(None, "a show needs an id and a name", "title")
        return None
    premiered = date_or_reject(ctx, doc.get("premiered"), "premiered", "title")
    ended = date_or_reject(ctx, doc.get("ended"), "ended", "title")
    externals = doc.get("externals") or {}
    ids = {"tvmaze": str(doc["id"])}
    if externals.get("imdb"):
        ids["imdb"] = externals["imdb"]
    if externals.get("thetvdb"):
        ids["tvdb"] = str(externals["thetvdb"])
    network = doc.get("network") or doc.get("webChannel") or {}
    country = ((network.get("country") or {}).get("code")) or ""
    language = language_code(doc["language"]) if doc.get("language") else None
    status = STATUS.get(doc.get("status") or "", "")
    fields = {
        "status": status,
        "runtime": doc.get("runtime") or doc.get("averageRuntime"),
        "network": (network.get("name") or "")[:120],
        "countries": [country] if country else [],
        "languages": [language] if language else [],
        "rating": to_decimal((doc.get("rating") or {}).get("average")),
        "end_year": ended.year if ended else None,
        "image_url": ((doc.get("image") or {}).get("original") or "")[:200],
    }
    record = TitleRecord(
        kind="series",
        name=doc["name"],
        year=premiered.year if premiered else None,
        ids=ids,
        fields=fields,
        genres=list(doc.get("genres") or []),
    )
    title = upsert_title(ctx, record)
    embedded = doc.get("_embedded") or {}
    for season in embedded.get("seasons") or []:
        apply_season(ctx, title, season)
    for episode in embedded.get("episodes") or []:
        apply_episode(ctx, title, episode)
    if embedded.get("cast"):
        apply_cast(ctx, title, embedded["cast"])
    return title


def apply_season(ctx: ImportContext, title: Title, doc: dict) -> None:
    if not isinstance(doc.get("number"), int):
        ctx.reject(None, "a season needs a number", "season")
        return
    upsert_season(
        ctx,
        title,
        doc["number"],
        {
            "name": (doc.get("name") or "")[:200],
            "premiere": date_or_reject(ctx, doc.get("premiereDate"), "premiereDate", "season"),
            "finale": date_or_reject(ctx, doc.get("endDate"), "endDate", "season"),
            "episode_count": doc.get("episodeOrder"),
        },
    )


def air_time(ctx: ImportContext, doc: dict) -> tuple[dt.datetime | None, str | None]:
    """``airstamp`` is the UTC instant to the minute; ``airdate`` alone is a day."""
    if doc.get("airstamp"):
        try:
            at = dt.datetime.fromisoformat(doc["airstamp"])
        except ValueError:
            ctx.reject(None, f"airstamp {doc['airstamp']!r} is not a date-time", "episode")
            return None, None
        if at.tzinfo is None:
            at = at.replace(tzinfo=dt.UTC)
        if doc.get("airtime"):
            return at.astimezone(dt.UTC), "minute"
        day = date_or_reject(ctx, doc.get("airdate"), "airdate", "episode")
        return (
            (dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC), "day")
            if day
            else (at.astimezone(dt.UTC), "day")
        )
    day = date_or_reject(ctx, doc.get("airdate"), "airdate", "episode")
    return (dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC), "day") if day else (None, None)


def apply_episode(ctx: ImportContext, title: Title, doc: dict) -> None:
    season_number, number = doc.get("season"), doc.get("number")
    if not isinstance(season_number, int):
        ctx.reject(None, f"episode {doc.get('id')} has no season number", "episode")
        return
    if not isinstance(number, int):
        ctx.tally.add("episode", "skipped")  # a special without a number
        return
    air_at, precision = air_time(ctx, doc)
    season = upsert_season(ctx, title, season_number, {})
    upsert_episode(
        ctx,
        title,
        season,
        season_number,
        number,
        {
            "name": (doc.get("name") or "")[:300],
            "air_at": air_at,
            "air_precision": precision,
            "runtime": doc.get("runtime") or None,
        },
    )


def apply_schedule_episode(ctx: ImportContext, doc: dict, show_id: int | None) -> None:
    """A schedule entry (``show`` or ``_embedded.show`` inside) or an episode of a known show."""
    show = doc.get("show") or (doc.get("_embedded") or {}).get("show")
    title = apply_show(ctx, show) if show else None
    if title is None:
        link = (((doc.get("_links") or {}).get("show") or {}).get("href")) or ""
        match = SHOW_URL.search(link)
        title = title_by_tvmaze(int(match[1]) if match else show_id)
    if title is None:
        ctx.tally.add("episode", "skipped")  # its show is not imported yet
        return
    apply_episode(ctx, title, doc)


def apply_cast(ctx: ImportContext, title: Title, cast: list[dict]) -> None:
    for order, member in enumerate(cast):
        ctx.row_read()
        person, character = member.get("person") or {}, member.get("character") or {}
        if not person.get("id") or not person.get("name"):
            ctx.reject(None, "a cast member needs a person with an id and a name", "credit")
            continue
        born = date_or_reject(ctx, person.get("birthday"), "birthday", "person")
        died = date_or_reject(ctx, person.get("deathday"), "deathday", "person")
        found = upsert_person(
            ctx,
            person["name"],
            {"tvmaze": f"person/{person['id']}"},
            {"birth_year": born.year if born else None, "death_year": died.year if died else None},
        )
        upsert_credit(ctx, title, found, character=(character.get("name") or "")[:300], order=order)
