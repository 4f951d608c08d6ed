"""``offers-csv``: title,year,imdb_id,provider,region,monetization,seasons,source (optional:
kind, price, currency, quality, url, available_from, available_until). A title not yet in the
catalogue is created (a series when the row names seasons, else a film)."""

from __future__ import annotations

from pathlib import Path

from telly.catalog.models import TitleKind
from telly.importers.context import ImportContext
from telly.importers.load import TitleRecord, upsert_title
from telly.importers.offers import must, upsert_offer
from telly.importers.reading import csv_rows, header_fields
from telly.importers.uk_csv import fields
from telly.streaming.models import Monetization
from telly.streaming.providers import ProviderResolver

REQUIRED = ("title", "provider", "region", "monetization")


def sniff(path: Path, head: bytes) -> bool:
    return {"title", "provider", "region", "monetization"} <= set(header_fields(head))


def run(ctx: ImportContext) -> None:
    providers = ProviderResolver()
    for line, row in csv_rows(ctx.path, REQUIRED):
        ctx.row_read()
        if "__width__" in row:
            ctx.reject(line, row["__width__"], "offer")
            continue
        try:
            offer = parse(row)
        except fields.BadValue as exc:
            ctx.reject(line, str(exc), "offer")
            continue
        title = upsert_title(ctx, offer.pop("record"))
        provider = must(providers.resolve(offer.pop("provider")))
        upsert_offer(ctx, title, provider, **offer)


def parse(row: dict[str, str]) -> dict:
    name, provider = " ".join(row["title"].split()), row["provider"].strip()
    if not name or not provider:
        raise fields.BadValue("title and provider must not be empty")
    monetization = row["monetization"].strip().lower()
    monetization = {"flatrate": "subscription", "sub": "subscription", "svod": "subscription"}.get(
        monetization, monetization
    )
    if monetization not in Monetization.values:
        raise fields.BadValue(
            f"monetization {row['monetization']!r} is not one of {', '.join(Monetization.values)}"
        )
    imdb_id = row.get("imdb_id", "").strip()
    if imdb_id and not (imdb_id.startswith("tt") and imdb_id[2:].isdecimal()):
        raise fields.BadValue(f"imdb_id {imdb_id!r} is not an IMDb title id (tt…)")
    seasons = fields.seasons(row.get("seasons", ""))
    kind = row.get("kind", "").strip().lower() or ("series" if seasons else "film")
    if kind not in TitleKind.values:
        raise fields.BadValue(f"kind {kind!r} is not one of {', '.join(TitleKind.values)}")
    price = fields.money(row["price"]) if row.get("price", "").strip() else None
    currency = fields.currency(row["currency"]) if row.get("currency", "").strip() else ""
    if price is not None and not currency:
        raise fields.BadValue("a price needs a currency")
    record = TitleRecord(
        kind=str(kind),
        name=name,
        year=fields.year(row.get("year", "")),
        ids={"imdb": imdb_id} if imdb_id else {},
    )
    return {
        "record": record,
        "provider": provider,
        "region": fields.region(row["region"]),
        "monetization": monetization,
        "seasons": seasons,
        "price": price,
        "currency": currency,
        "quality": row.get("quality", "").strip().upper(),
        "url": row.get("url", "").strip(),
        "available_from": fields.instant(row.get("available_from", ""), "available_from"),
        "available_until": fields.instant(row.get("available_until", ""), "available_until"),
    }
