"""Demo catalogue: titles, seasons, episodes, people and characters, from facts only.

Sources (``../shared/data``): the JustWatch-derived catalogues (name, kind, year, rating,
seasons, genres, countries, IMDb id; never the description), their credits (cast and
characters), and TMDB responses for Game of Thrones and Lost (seasons, episode names and air
dates).
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

from telly.catalog.models import (
    AirPrecision,
    Credit,
    CreditRole,
    Episode,
    ExternalId,
    Genre,
    Person,
    Season,
    Title,
    TitleKind,
)

SOURCE = "demo"
MUST_HAVE = {"ts217231"}  # Heartstopper
PER_FILE = {"netflix_titles_2023.csv": 520, "amazon_titles.csv": 90, "disney_titles.csv": 60}
MAX_CAST = 14


def _list(raw: str) -> list[str]:
    try:
        value = ast.literal_eval(raw) if raw else []
    except (ValueError, SyntaxError):
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def _num(raw: str) -> float | None:
    try:
        return float(raw) if raw not in ("", None) else None
    except ValueError:
        return None


def _justwatch_titles(shared: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    titles: dict[str, dict[str, Any]] = {}
    provider_of: dict[str, str] = {}
    for filename, quota in PER_FILE.items():
        with open(
            shared / "justwatch_titles" / filename, newline="", encoding="utf-8-sig"
        ) as handle:
            rows = [r for r in csv.DictReader(handle) if r["title"] and r["release_year"]]
        rows.sort(key=lambda r: -(_num(r["tmdb_popularity"]) or 0))
        chosen = [r for r in rows if r["id"] in MUST_HAVE] + [
            r for r in rows if r["id"] not in MUST_HAVE
        ][:quota]
        for row in chosen:
            if row["id"] in titles:
                continue
            kind = TitleKind.SERIES if row["type"] == "SHOW" else TitleKind.FILM
            seasons = int(_num(row["seasons"]) or 0) if kind == TitleKind.SERIES else 0
            titles[row["id"]] = {
                "ids": {
                    "justwatch": row["id"],
                    **({"imdb": row["imdb_id"]} if row["imdb_id"] else {}),
                },
                "kind": str(kind),
                "name": row["title"].strip(),
                "year": int(row["release_year"]),
                "certification": row["age_certification"],
                "runtime": int(_num(row["runtime"]) or 0) or None,
                "genres": [
                    g.replace("scifi", "Science fiction").capitalize() for g in _list(row["genres"])
                ],
                "countries": _list(row["production_countries"]),
                "popularity": round(_num(row["tmdb_popularity"]) or 0, 3),
                "rating": _num(row["imdb_score"]),
                "votes": int(_num(row["imdb_votes"]) or 0),
                "seasons": [{"number": n} for n in range(1, seasons + 1)],
                "episodes": [],
                "cast": [],
                "crew": [],
            }
            provider_of[row["id"]] = filename.split("_")[0]
    return list(titles.values()), provider_of


def _add_credits(shared: Path, titles: list[dict[str, Any]]) -> None:
    by_id = {t["ids"]["justwatch"]: t for t in titles if "justwatch" in t["ids"]}
    with open(
        shared / "justwatch_titles" / "netflix_credits_2023.csv", newline="", encoding="utf-8-sig"
    ) as handle:
        for row in csv.DictReader(handle):
            title = by_id.get(row["title_id"])
            if title is None:
                continue
            person = {"justwatch": row["id"], "name": row["name"].strip()}
            if row["role"] == "ACTOR" and len(title["cast"]) < MAX_CAST:
                title["cast"].append({**person, "character": row["character"].strip()})
            elif row["role"] == "DIRECTOR":
                title["crew"].append({**person, "job": "Director"})


def _tmdb_series(
    details: dict[str, Any], seasons: list[dict[str, Any]], imdb: str | None
) -> dict[str, Any]:
    status: dict[str, str] = {
        "Ended": "ended",
        "Canceled": "cancelled",
        "Returning Series": "returning",
    }
    episodes = []
    season_rows = []
    for season in seasons:
        eps = season.get("episodes") or []
        dates = sorted(e["air_date"] for e in eps if e.get("air_date"))
        season_rows.append(
            {
                "number": season["season_number"],
                "name": season.get("name", ""),
                "premiere": season.get("air_date") or (dates[0] if dates else None),
                "finale": dates[-1] if dates else None,
                "episode_count": len(eps) or season.get("episode_count"),
            }
        )
        for e in eps:
            episodes.append(
                {
                    "season": e["season_number"],
                    "number": e["episode_number"],
                    "name": e.get("name", ""),
                    "air_date": e.get("air_date"),
                    "runtime": e.get("runtime"),
                }
            )
    first = details.get("first_air_date") or ""
    last = details.get("last_air_date") or ""
    return {
        "ids": {"tmdb": f"tv/{details['id']}", **({"imdb": imdb} if imdb else {})},
        "kind": str(TitleKind.SERIES),
        "name": details["name"],
        "original_name": details.get("original_name", ""),
        "year": int(first[:4]) if first else None,
        "end_year": int(last[:4]) if last and details.get("status") == "Ended" else None,
        "status": status.get(details.get("status", ""), ""),
        "runtime": (details.get("episode_run_time") or [None])[0],
        "network": (details.get("networks") or [{}])[0].get("name", ""),
        "genres": [g["name"] for g in details.get("genres", [])],
        "countries": details.get("origin_country", []),
        "languages": details.get("languages", []),
        "popularity": round(details.get("popularity") or 0, 3),
        "rating": round(details["vote_average"], 1) if details.get("vote_average") else None,
        "votes": details.get("vote_count") or 0,
        "seasons": season_rows,
        "episodes": episodes,
        "cast": [],
        "crew": [
            {"name": c["name"], "tmdb": f"person/{c['id']}", "job": "Creator"}
            for c in details.get("created_by", [])
        ],
    }


def build(shared: Path) -> dict[str, Any]:
    titles, provider_of = _justwatch_titles(shared)
    _add_credits(shared, titles)
    tmdb = shared / "tmdb"
    got = json.loads((tmdb / "tv-details.json").read_text())
    got_s1 = json.loads((tmdb / "tv-season-details.json").read_text())
    got_seasons = [s for s in got["seasons"] if s["season_number"] != 1] + [got_s1]
    got_seasons.sort(key=lambda s: s["season_number"])
    lost = json.loads((tmdb / "lost_mediatracker" / "tvDetailsResponse.json").read_text())
    lost_seasons = json.loads((tmdb / "lost_mediatracker" / "seasonsResponse.json").read_text())
    extra = [
        _tmdb_series(got, got_seasons, "tt0944947"),
        _tmdb_series(
            lost,
            [lost_seasons[k] for k in sorted(lost_seasons, key=int)],
            lost.get("external_ids", {}).get("imdb_id"),
        ),
    ]
    known_imdb = {t["ids"].get("imdb"): t for t in titles}
    for series in extra:
        twin = known_imdb.get(series["ids"].get("imdb"))
        if twin is not None:  # merge: the TMDB facts are richer
            twin["ids"].update(series["ids"])
            for key in ("seasons", "episodes", "status", "network", "end_year", "languages"):
                twin[key] = series[key]
        else:
            titles.append(series)
    return {"titles": titles, "catalogue_of": provider_of}


def _to_instant(day: str | None) -> dt.datetime | None:
    if not day:
        return None
    return dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)


def _find_title(ids: dict[str, str], index: dict[tuple[str, str], int]) -> int | None:
    for scheme, value in ids.items():
        if (scheme, value) in index:
            return index[(scheme, value)]
    return None


def load(data: dict[str, Any], log: Callable[[str], Any]) -> dict[str, int]:
    now = timezone.now()
    counts = {"titles created": 0, "titles updated": 0, "people": 0, "credits": 0, "episodes": 0}
    title_index = {
        (x.scheme, x.value): x.title_id for x in ExternalId.objects.filter(title__isnull=False)
    }
    person_index = {
        (x.scheme, x.value): x.person_id for x in ExternalId.objects.filter(person__isnull=False)
    }
    for record in data["titles"]:
        # Only the facts this record has: a field it does not know is left to other sources.
        values = {
            key: record[key]
            for key in (
                "kind",
                "name",
                "original_name",
                "year",
                "end_year",
                "status",
                "runtime",
                "certification",
                "countries",
                "languages",
                "network",
                "popularity",
                "votes",
            )
            if record.get(key) not in (None, "")
        }
        values["rating"] = (
            None if record.get("rating") is None else Decimal(str(round(record["rating"], 1)))
        )
        pk = _find_title(record["ids"], title_index)
        title = Title.objects.get(pk=pk) if pk else Title()
        changed = title.apply_source(values, SOURCE, now)
        if title.pk is None:
            title.save()
            counts["titles created"] += 1
        elif changed:
            title.save()
            counts["titles updated"] += 1
        for scheme, value in record["ids"].items():
            if (scheme, value) not in title_index:
                ExternalId.objects.create(
                    scheme=scheme, value=value, title=title, first_seen=now, last_seen=now
                )
                title_index[(scheme, value)] = title.pk
        if "genres" not in title.locked_fields:
            genres = Genre.for_names(record.get("genres", []))
            if {g.pk for g in genres} != set(title.genres.values_list("pk", flat=True)):
                title.genres.set(genres)
        _load_seasons(title, record, now, counts)
        _load_credits(title, record, person_index, now, counts)
    return counts


def _load_seasons(
    title: Title, record: dict[str, Any], now: dt.datetime, counts: dict[str, int]
) -> None:
    seasons = {s.number: s for s in title.seasons.all()}
    for row in record.get("seasons", []):
        season = seasons.get(row["number"]) or Season(title=title, number=row["number"])
        values = {k: row.get(k) for k in ("name", "episode_count") if k in row}
        for field in ("premiere", "finale"):
            if row.get(field):
                values[field] = dt.date.fromisoformat(row[field])
        if season.name is None:
            season.name = ""
        if "name" in values and values["name"] is None:
            values["name"] = ""
        changed = season.apply_source(values, SOURCE, now)
        if season.pk is None or changed:
            season.save()
        seasons[season.number] = season
    existing = {(e.season_number, e.number): e for e in title.episodes.all()}
    new = []
    for row in record.get("episodes", []):
        key = (row["season"], row["number"])
        if key in existing:
            continue
        new.append(
            Episode(
                title=title,
                season=seasons.get(row["season"]),
                season_number=row["season"],
                number=row["number"],
                name=row.get("name") or "",
                air_at=_to_instant(row.get("air_date")),
                air_precision=AirPrecision.DAY,
                runtime=row.get("runtime"),
                sources={"name": SOURCE},
                seen_at=now,
            )
        )
    Episode.objects.bulk_create(new, ignore_conflicts=True)
    counts["episodes"] += len(new)


def _person(
    row: dict[str, Any], index: dict[tuple[str, str], int], now: dt.datetime, counts: dict[str, int]
) -> int:
    ids = {k: row[k] for k in ("justwatch", "tmdb") if row.get(k)}
    pk = _find_title(ids, index)
    if pk is None:
        person = Person(name=row["name"], sources={"name": SOURCE}, seen_at=now)
        person.save()
        pk = person.pk
        counts["people"] += 1
        for scheme, value in ids.items():
            ExternalId.objects.create(
                scheme=scheme, value=value, person_id=pk, first_seen=now, last_seen=now
            )
            index[(scheme, value)] = pk
    return pk


def _load_credits(
    title: Title,
    record: dict[str, Any],
    person_index: dict[tuple[str, str], int],
    now: dt.datetime,
    counts: dict[str, int],
) -> None:
    existing = set(title.credits.values_list("person_id", "role", "character", "job"))
    new = []
    for order, row in enumerate(record.get("cast", [])):
        person_id = _person(row, person_index, now, counts)
        key = (person_id, "cast", row["character"][:300], "")
        if key not in existing:
            existing.add(key)
            new.append(
                Credit(
                    title=title,
                    person_id=person_id,
                    role=CreditRole.CAST,
                    character=key[2],
                    order=order,
                    source=SOURCE,
                    seen_at=now,
                )
            )
    for order, row in enumerate(record.get("crew", [])):
        person_id = _person(row, person_index, now, counts)
        key = (person_id, "crew", "", row["job"])
        if key not in existing:
            existing.add(key)
            new.append(
                Credit(
                    title=title,
                    person_id=person_id,
                    role=CreditRole.CREW,
                    job=row["job"],
                    order=order,
                    source=SOURCE,
                    seen_at=now,
                )
            )
    Credit.objects.bulk_create(new, ignore_conflicts=True)
    counts["credits"] += len(new)
