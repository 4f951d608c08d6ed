"""Demo streaming guide: providers, plans with their price history, platforms, carriage and
offers, from facts in ``../shared/data`` only (names, ids, prices, dates; never prose).

Sources:
- ``tmdb/watch-provider-tv-list.json``: TMDB provider ids and the regions each is listed in,
  for the well-known services of ``telly.streaming.providers.KNOWN_PROVIDERS``;
- ``uk_plans/plans_gb.csv``: GB plan prices with their validity (the Netflix GB history);
- ``uk_plans/platforms_gb.csv``: which platforms carry which provider's app in GB;
- ``uk_plans/offers_gb.csv``: Heartstopper on Netflix in GB (seasons 1-2);
- ``tmdb/tv-watch-providers.json``: Game of Thrones (``tmdb tv/1399``) in every region TMDB lists;
- the demo catalogue's ``catalogue_of`` (JustWatch id → netflix/amazon/disney, US catalogues)
  as US subscription offers, dated by ``streaming_catalogs/*_titles.csv`` ``date_added`` where
  a row matches by name, year and kind. US catalogues stay US offers.

This part does not use the importers: it is built and loaded on its own.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

from telly.catalog.models import ExternalId
from telly.catalog.signals import Changes, announce
from telly.catalog.text import name_key
from telly.demo import store
from telly.streaming.models import Offer, Plan, Platform, PlatformProvider, Provider
from telly.streaming.money import parse_amount, valid_currency
from telly.streaming.offers import parse_monetization, parse_seasons
from telly.streaming.providers import KNOWN_PROVIDERS, ProviderResolver, provider_slug

SOURCE = "demo"
TMDB_MONETIZATION = {
    "flatrate": "subscription",
    "free": "free",
    "ads": "ads",
    "rent": "rent",
    "buy": "buy",
}
CATALOGUE_PROVIDER = {"netflix": "Netflix", "amazon": "Prime Video", "disney": "Disney+"}
DATED_CATALOGUES = {
    "netflix": "netflix_titles.csv",
    "amazon": "amazon_prime_titles.csv",
    "disney": "disney_plus_titles.csv",
}
# Device platforms everyone knows, listed so that profiles can name their devices; which
# providers each carries is only recorded where a source says so (platforms_gb.csv).
WELL_KNOWN_PLATFORMS = [
    ("Sky Glass", "tv"), ("Sky Q", "box"), ("Virgin Media Stream", "box"), ("Virgin TV 360", "box"),
    ("Freeview Play", "tv"), ("YouView", "box"), ("Roku", "stick"), ("Amazon Fire TV", "stick"),
    ("Apple TV", "box"), ("Google TV / Android TV", "stick"), ("Samsung Smart TV", "tv"),
    ("LG Smart TV", "tv"), ("PlayStation", "console"), ("Xbox", "console"), ("Web browser", "web"),
    ("iPhone and iPad", "mobile"), ("Android phones and tablets", "mobile"),
]  # fmt: skip


def _providers(shared: Path) -> list[dict[str, Any]]:
    listed = {
        p["provider_id"]: p
        for p in json.loads((shared / "tmdb" / "watch-provider-tv-list.json").read_text())[
            "results"
        ]
    }
    providers = []
    for known in KNOWN_PROVIDERS:
        tmdb = listed.get(known.tmdb_id) if known.tmdb_id else None
        regions = sorted(tmdb["display_priorities"]) if tmdb else list(known.regions)
        providers.append(
            {
                "name": known.name,
                "slug": provider_slug(known.name),
                "kind": known.kind,
                "aliases": list(known.aliases),
                "tmdb_id": known.tmdb_id if tmdb else None,
                "regions": regions,
                "homepage": known.homepage,
                "display_priority": known.priority,
            }
        )
    return providers


def _plans(shared: Path) -> list[dict[str, Any]]:
    plans = []
    path = shared / "uk_plans" / "plans_gb.csv"
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if not row["valid_from"]:
                continue  # a price without a known start is not a fact we can date
            currency = valid_currency(row["currency"])
            if currency is None:
                raise ValueError(f"{path}:{line}: {row['currency']!r} is not a currency code")
            plans.append(
                {
                    "provider": row["provider"].strip(),
                    "name": row["plan"].strip(),
                    "region": row["region"].strip().upper(),
                    "currency": currency,
                    "price": str(parse_amount(row["price"])),
                    "period": row["period"].strip(),
                    "has_ads": row["has_ads"].strip().lower() == "true",
                    "valid_from": row["valid_from"],
                    "valid_to": row["valid_to"] or None,
                    "source_url": row["source"].strip(),
                }
            )
    return plans


def _platforms(shared: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    platforms = {name: {"name": name, "kind": kind} for name, kind in WELL_KNOWN_PLATFORMS}
    carriage = []
    with open(shared / "uk_plans" / "platforms_gb.csv", newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            platforms.setdefault(
                row["platform"].strip(), {"name": row["platform"].strip(), "kind": ""}
            )
            carriage.append(
                {
                    "platform": row["platform"].strip(),
                    "provider": row["provider"].strip(),
                    "region": row["region"].strip().upper(),
                    "source": row["source"].strip(),
                }
            )
    return list(platforms.values()), carriage


def _gb_offers(shared: Path) -> list[dict[str, Any]]:
    offers = []
    with open(shared / "uk_plans" / "offers_gb.csv", newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            offers.append(
                {
                    "ids": {"imdb": row["imdb_id"]},
                    "provider": row["provider"].strip(),
                    "region": row["region"].strip().upper(),
                    "monetization": parse_monetization(row["monetization"]),
                    "seasons": parse_seasons(row["seasons"]),
                    "source": row["source"].strip(),
                    "seen": "2023-09-16",  # the date of the cited article
                }
            )
    return offers


def _tmdb_offers(shared: Path) -> list[dict[str, Any]]:
    answer = json.loads((shared / "tmdb" / "tv-watch-providers.json").read_text())
    offers = []
    for region, ways in sorted(answer["results"].items()):
        for way, listed in ways.items():
            if way not in TMDB_MONETIZATION:
                continue
            for entry in listed:
                offers.append(
                    {
                        "ids": {"tmdb": f"tv/{answer['id']}"},
                        "provider": entry["provider_name"],
                        "tmdb_provider": entry["provider_id"],
                        "region": region,
                        "monetization": TMDB_MONETIZATION[way],
                        "seasons": [],
                        "source": "tmdb watch providers (JustWatch)",
                        "url": ways.get("link", ""),
                    }
                )
    return offers


def _date_added(shared: Path, catalogue: str) -> dict[tuple[str, int, bool], str]:
    """(name key, year, is series) → ISO day the title was added, from a Kaggle catalogue."""
    dates: dict[tuple[str, int, bool], str] = {}
    path = shared / "streaming_catalogs" / DATED_CATALOGUES[catalogue]
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            raw = row["date_added"].strip()
            if not raw or not row["release_year"].isdecimal():
                continue
            try:
                day = dt.datetime.strptime(raw, "%B %d, %Y").date()
            except ValueError:
                continue
            key = (name_key(row["title"]), int(row["release_year"]), row["type"] == "TV Show")
            dates.setdefault(key, day.isoformat())
    return dates


def _us_offers(shared: Path) -> list[dict[str, Any]]:
    catalog = store.read("catalog")
    if not catalog:
        raise RuntimeError("build the catalog demo part first: telly builddemo --parts catalog")
    titles = {t["ids"].get("justwatch"): t for t in catalog["titles"] if t["ids"].get("justwatch")}
    dated = {name: _date_added(shared, name) for name in DATED_CATALOGUES}
    offers: list[dict[str, Any]] = []
    for justwatch_id, catalogue in sorted(catalog["catalogue_of"].items()):
        title = titles.get(justwatch_id)
        if title is None or catalogue not in CATALOGUE_PROVIDER:
            continue
        key = (name_key(title["name"]), title.get("year") or 0, title["kind"] == "series")
        offers.append(
            {
                "ids": {"justwatch": justwatch_id},
                "provider": CATALOGUE_PROVIDER[catalogue],
                "region": "US",
                "monetization": "subscription",
                "seasons": [],
                "source": f"justwatch {catalogue} US catalogue",
                "available_from": dated[catalogue].get(key),
            }
        )
    return offers


def build(shared: Path) -> dict[str, Any]:
    platforms, carriage = _platforms(shared)
    return {
        "providers": _providers(shared),
        "plans": _plans(shared),
        "platforms": platforms,
        "carriage": carriage,
        "offers": _gb_offers(shared) + _tmdb_offers(shared) + _us_offers(shared),
    }


# --- load -------------------------------------------------------------------------------------


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _instant(text: str | None) -> dt.datetime | None:
    return (
        dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), tzinfo=dt.UTC) if text else None
    )


def load(data: dict[str, Any], log: Callable[[str], Any]) -> dict[str, int]:
    now = timezone.now()
    counts = {
        "providers": 0,
        "plans": 0,
        "platforms": 0,
        "carriage": 0,
        "offers": 0,
        "offers skipped": 0,
    }
    resolver = ProviderResolver()
    providers_before = Provider.objects.count()
    for row in data.get("providers", []):
        provider = resolver.find(row["name"], row.get("tmdb_id"))
        if provider is None:
            provider = Provider(slug=row["slug"])
        values = {
            k: row[k]
            for k in (
                "name",
                "kind",
                "aliases",
                "regions",
                "homepage",
                "display_priority",
                "tmdb_id",
            )
        }
        if provider.pk and provider.tmdb_id and values["tmdb_id"] != provider.tmdb_id:
            values.pop("tmdb_id")  # an importer already tied it to another TMDB id: keep that
        if provider.apply_source(values, SOURCE, now) or provider.pk is None:
            provider.save()
        resolver._remember(provider)

    existing_plans = {(p.provider_id, p.region, p.name, p.valid_from) for p in Plan.objects.all()}
    new_plans = []
    for row in data.get("plans", []):
        provider = resolver.get(row["provider"])
        key = (provider.pk, row["region"], row["name"], _day(row["valid_from"]))
        if key in existing_plans:
            continue
        existing_plans.add(key)
        new_plans.append(
            Plan(
                provider=provider,
                name=row["name"],
                region=row["region"],
                currency=row["currency"],
                price=Decimal(row["price"]),
                period=row["period"],
                has_ads=row["has_ads"],
                valid_from=_day(row["valid_from"]),
                valid_to=_day(row["valid_to"]),
                source_url=row["source_url"],
                sources={"price": SOURCE},
                seen_at=now,
            )
        )
    Plan.objects.bulk_create(new_plans)
    counts["plans"] = len(new_plans)

    platforms = {p.name: p for p in Platform.objects.all()}
    for row in data.get("platforms", []):
        if row["name"] not in platforms:
            platforms[row["name"]] = Platform.objects.create(
                name=row["name"],
                slug=provider_slug(row["name"]),
                kind=row["kind"],
                sources={"name": SOURCE},
                seen_at=now,
            )
            counts["platforms"] += 1
    carried = set(PlatformProvider.objects.values_list("platform_id", "provider_id", "region"))
    for row in data.get("carriage", []):
        platform, provider = platforms[row["platform"]], resolver.get(row["provider"])
        if (platform.pk, provider.pk, row["region"]) not in carried:
            PlatformProvider.objects.create(
                platform=platform, provider=provider, region=row["region"], source=row["source"]
            )
            carried.add((platform.pk, provider.pk, row["region"]))
            counts["carriage"] += 1

    _load_offers(data.get("offers", []), resolver, now, counts)
    counts["providers"] = Provider.objects.count() - providers_before
    return counts


def _load_offers(
    rows: list[dict[str, Any]], resolver: ProviderResolver, now: dt.datetime, counts: dict[str, int]
) -> None:
    title_index = {
        (x.scheme, x.value): x.title_id
        for x in ExternalId.objects.filter(
            title__isnull=False, scheme__in=["imdb", "tmdb", "justwatch"]
        )
    }
    existing = set(
        Offer.objects.filter(season__isnull=True).values_list(
            "title_id", "provider_id", "region", "monetization", "quality"
        )
    )
    new = []
    for row in rows:
        title_id = next(
            (title_index[(s, v)] for s, v in row["ids"].items() if (s, v) in title_index), None
        )
        if title_id is None:
            counts["offers skipped"] += 1
            continue
        provider = resolver.get(row["provider"], row.get("tmdb_provider"), kind=row["monetization"])
        key = (title_id, provider.pk, row["region"], row["monetization"], "")
        if key in existing:
            continue
        existing.add(key)
        seen = _instant(row.get("seen")) or now
        new.append(
            Offer(
                title_id=title_id,
                provider=provider,
                region=row["region"],
                monetization=row["monetization"],
                seasons=row.get("seasons", []),
                url=row.get("url", ""),
                available_from=_instant(row.get("available_from")),
                last_seen=seen,
                sources={"offer": row.get("source", SOURCE)},
                seen_at=seen,
            )
        )
    created = Offer.objects.bulk_create(new, batch_size=500)
    counts["offers"] = len(created)
    if created and all(o.pk for o in created):
        announce(
            Changes(
                source=SOURCE, offers={o.pk for o in created}, titles={o.title_id for o in created}
            )
        )
