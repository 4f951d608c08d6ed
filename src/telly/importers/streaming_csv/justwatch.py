"""``justwatch-csv``: JustWatch-derived titles.csv (with seasons and IMDb ids) and credits.csv."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from telly.catalog.models import ExternalId, Title
from telly.importers.context import ImportContext
from telly.importers.load import TitleRecord, upsert_credit, upsert_title
from telly.importers.offers import upsert_offer
from telly.importers.reading import csv_rows, header_fields
from telly.importers.streaming_csv.common import (
    person_on_title,
    provider_for,
    python_list,
    require_region,
)
from telly.streaming.providers import ProviderResolver

TITLES = (
    "id",
    "title",
    "type",
    "release_year",
    "age_certification",
    "runtime",
    "genres",
    "production_countries",
    "seasons",
    "imdb_id",
)
GENRES = {
    "scifi": "Science fiction",
    "documentation": "Documentary",
    "war": "War",
    "reality": "Reality",
}


def sniff(path: Path, head: bytes) -> bool:
    header = set(header_fields(head))
    return {"id", "title", "type", "seasons", "imdb_id"} <= header or (
        {"name", "character", "role"} <= header and bool(header & {"title_id", "id"})
    )


def run(ctx: ImportContext) -> None:
    with open(ctx.path, "rb") as f:
        header = header_fields(f.read(4096))
    if "seasons" in header:
        run_titles(ctx)
    else:
        run_credits(ctx, header)


def number(text: str, column: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{column} {text!r} is not a number") from None


def run_titles(ctx: ImportContext) -> None:
    region = require_region(ctx)
    resolver = ProviderResolver()
    provider = provider_for(ctx, resolver)
    for line, row in csv_rows(ctx.path, TITLES):
        ctx.row_read()
        if "__width__" in row:
            ctx.reject(line, row["__width__"], "title")
            continue
        name, kind, jw_id = " ".join(row["title"].split()), row["type"].strip(), row["id"].strip()
        imdb_id, year = row["imdb_id"].strip(), row["release_year"].strip()
        try:
            if not name or not jw_id:
                raise ValueError("id and title must not be empty")
            if kind not in ("SHOW", "MOVIE"):
                raise ValueError(f"type {kind!r} is neither SHOW nor MOVIE")
            if year and not re.fullmatch(r"\d{4}", year):
                raise ValueError(f"release_year {year!r} is not a year")
            if imdb_id and not re.fullmatch(r"tt\d+", imdb_id):
                raise ValueError(f"imdb_id {imdb_id!r} is not an IMDb title id")
            seasons = number(row["seasons"], "seasons")
            runtime = number(row["runtime"], "runtime")
            score = number(row.get("imdb_score", ""), "imdb_score")
            votes = number(row.get("imdb_votes", ""), "imdb_votes")
            popularity = number(row.get("tmdb_popularity", ""), "tmdb_popularity")
        except ValueError as exc:
            ctx.reject(line, str(exc), "title")
            continue
        series = kind == "SHOW"
        record = TitleRecord(
            kind="series" if series else "film",
            name=name,
            year=int(year) if year else None,
            ids={"justwatch": jw_id, **({"imdb": imdb_id} if imdb_id else {})},
            fields={
                "certification": row["age_certification"].strip()[:16],
                "runtime": int(runtime) if runtime and 0 < runtime < 1000 else None,
                "countries": sorted(
                    {
                        c
                        for c in python_list(row["production_countries"])
                        if re.fullmatch(r"[A-Z]{2}", c)
                    }
                ),
                "rating": score.quantize(Decimal("0.1"))
                if score is not None and 0 <= score <= 10
                else None,
                "votes": int(votes) if votes is not None else None,
                "popularity": float(popularity) if popularity is not None else None,
            },
            genres=[GENRES.get(g, g.capitalize()) for g in python_list(row["genres"])],
        )
        title = upsert_title(ctx, record)
        count = int(seasons) if series and seasons else 0
        upsert_offer(
            ctx,
            title,
            provider,
            region,
            "subscription",
            seasons=list(range(1, count + 1)),
        )


def run_credits(ctx: ImportContext, header: list[str]) -> None:
    """credits.csv: Kaggle names the columns person_id,id (title); one copy renamed them id,title_id."""
    person_col, title_col = ("person_id", "id") if "person_id" in header else ("id", "title_id")
    titles: dict[str, Title | None] = {}
    for line, row in csv_rows(ctx.path, (person_col, title_col, "name", "character", "role")):
        ctx.row_read()
        if "__width__" in row:
            ctx.reject(line, row["__width__"], "credit")
            continue
        jw_title, person_id, name, role = (
            row[title_col].strip(),
            row[person_col].strip(),
            row["name"].strip(),
            row["role"].strip(),
        )
        if not jw_title or not name or role not in ("ACTOR", "DIRECTOR"):
            ctx.reject(
                line,
                f"expected a title id, a name and role ACTOR or DIRECTOR; got {jw_title!r}, {name!r}, {role!r}",
                "credit",
            )
            continue
        if jw_title not in titles:
            hit = (
                ExternalId.objects.filter(scheme="justwatch", value=jw_title, title__isnull=False)
                .select_related("title")
                .first()
            )
            titles[jw_title] = hit.title if hit else None
        title = titles[jw_title]
        if title is None:
            # Its title is not imported (import titles.csv first).
            ctx.tally.add("credit", "skipped")
            continue
        person = person_on_title(
            ctx, title, name, {"justwatch": f"person/{person_id}"} if person_id else None
        )
        if role == "ACTOR":
            upsert_credit(ctx, title, person, character=row["character"].strip())  # type: ignore[arg-type]
        else:
            upsert_credit(ctx, title, person, role="crew", job="Director")  # type: ignore[arg-type]
