"""``streaming-csv``: the netflix_titles.csv layout and the 0/1 platform-flags layout."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from telly.importers.cast import CastWriter, Part
from telly.importers.context import ImportContext
from telly.importers.load import TitleRecord, upsert_title
from telly.importers.offers import must, upsert_offer
from telly.importers.reading import csv_rows, header_fields
from telly.importers.streaming_csv.common import (
    country_code,
    provider_for,
    require_region,
)
from telly.streaming.providers import ProviderResolver

CATALOGUE = (
    "show_id",
    "type",
    "title",
    "director",
    "cast",
    "country",
    "date_added",
    "release_year",
    "rating",
    "duration",
    "listed_in",
)
FLAGS = ("Title", "Year", "Type")
SERVICES = ("Netflix", "Hulu", "Prime Video", "Disney+")
MAX_CAST = 30


def sniff(path: Path, head: bytes) -> bool:
    header = set(header_fields(head))
    return {"show_id", "type", "title", "listed_in"} <= header or (
        set(FLAGS) <= header and bool(header & set(SERVICES))
    )


def run(ctx: ImportContext) -> None:
    region = require_region(ctx)
    with open(ctx.path, "rb") as f:
        header = set(header_fields(f.read(4096)))
    if "show_id" in header:
        run_catalogue(ctx, region)
    else:
        run_flags(ctx, region)


def parse_added(text: str) -> dt.datetime | None:
    text = text.strip()
    if not text:
        return None
    for fmt in ("%B %d, %Y", "%Y-%m-%d", "%d %B %Y"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    raise ValueError(f"date_added {text!r} is not a date")


def run_catalogue(ctx: ImportContext, region: str) -> None:
    resolver = ProviderResolver()
    provider = provider_for(ctx, resolver)
    writer = CastWriter(ctx)
    for line, row in csv_rows(ctx.path, CATALOGUE):
        ctx.row_read()
        if "__width__" in row:
            ctx.reject(line, row["__width__"], "title")
            continue
        name = " ".join(row["title"].split())
        kind_text = row["type"].strip()
        year = row["release_year"].strip()
        duration = row["duration"].strip()
        try:
            if not name:
                raise ValueError("title is empty")
            if kind_text not in ("Movie", "TV Show"):
                raise ValueError(f"type {kind_text!r} is neither Movie nor TV Show")
            if year and not re.fullmatch(r"\d{4}", year):
                raise ValueError(f"release_year {year!r} is not a year")
            added = parse_added(row["date_added"])
            match = re.fullmatch(r"(\d+)\s*(min|Seasons?)", duration) if duration else None
            if duration and not match:
                raise ValueError(f"duration {duration!r} is neither '90 min' nor '2 Seasons'")
        except ValueError as exc:
            ctx.reject(line, str(exc), "title")
            continue
        series = kind_text == "TV Show"
        seasons = (
            list(range(1, int(match[1]) + 1)) if match and match[2].startswith("Season") else []
        )
        runtime = int(match[1]) if match and match[2] == "min" else None
        countries = [c for c in (country_code(x) for x in row["country"].split(",")) if c]
        record = TitleRecord(
            kind="series" if series else "film",
            name=name,
            year=int(year) if year else None,
            ids={"catalogue": f"{provider.slug}/{row['show_id'].strip()}"}
            if row["show_id"].strip()
            else {},
            fields={
                "certification": row["rating"].strip()[:16],
                "runtime": runtime,
                "countries": sorted(set(countries)),
            },
            genres=[g.strip() for g in row["listed_in"].split(",") if g.strip()],
        )
        title = upsert_title(ctx, record)
        cast = [n.strip() for n in row["cast"].split(",") if n.strip()][:MAX_CAST]
        parts = [Part(name, order=order) for order, name in enumerate(cast)]
        parts += [
            Part(n.strip(), "crew", job="Director") for n in row["director"].split(",") if n.strip()
        ]
        writer.write(title, parts)
        upsert_offer(
            ctx,
            title,
            provider,
            region,
            "subscription",
            seasons=seasons,
            available_from=added,
        )


def run_flags(ctx: ImportContext, region: str) -> None:
    """One row per title with a 0/1 column per service (Type 1 = series, 0 = film)."""
    resolver = ProviderResolver()
    for line, row in csv_rows(ctx.path, FLAGS):
        ctx.row_read()
        if "__width__" in row:
            ctx.reject(line, row["__width__"], "title")
            continue
        name, year, kind = " ".join(row["Title"].split()), row["Year"].strip(), row["Type"].strip()
        if not name or (year and not re.fullmatch(r"\d{4}", year)) or kind not in ("0", "1"):
            ctx.reject(
                line,
                f"expected a title, a year and Type 0/1; got {name!r}, {year!r}, {kind!r}",
                "title",
            )
            continue
        services = [s for s in SERVICES if row.get(s, "0").strip() == "1"]
        if any(row.get(s, "0").strip() not in ("0", "1", "") for s in SERVICES):
            ctx.reject(line, "service columns must be 0 or 1", "title")
            continue
        rating = row.get("IMDb", "").strip()
        fields: dict[str, object] = {}
        if re.fullmatch(r"\d+(\.\d+)?/10", rating):
            from decimal import Decimal

            fields["rating"] = Decimal(rating.split("/")[0]).quantize(Decimal("0.1"))
        age = row.get("Age", "").strip()
        if age:
            fields["certification"] = age[:16]
        record = TitleRecord(
            kind="series" if kind == "1" else "film",
            name=name,
            year=int(year) if year else None,
            fields=fields,
        )
        title = upsert_title(ctx, record)
        for service in services:
            upsert_offer(ctx, title, must(resolver.resolve(service)), region, "subscription")
