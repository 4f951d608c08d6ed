"""Streaming endpoints: where to watch a title, providers with their plans and price history,
platforms and what they carry, new and leaving offers. Same query functions as the pages.

Money is a decimal string (``"4.99"``) with an ISO 4217 ``currency`` and a ``price_label``
formatted for the region (``"£4.99"``, ``"€7,99"``). Regions are ISO 3166-1 alpha-2 codes;
an unknown one is a 400 ``bad_region``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

import pycountry
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from telly.api.errors import ERRORS, ApiError
from telly.api.pagination import Page, check_limit, paginate
from telly.catalog.api import TitleSummary, title_summary
from telly.catalog.models import Genre, Title
from telly.streaming import queries
from telly.streaming.models import Plan, Platform, PlatformProvider, Provider
from telly.streaming.money import format_money

router = Router(tags=["streaming"])

MAX_DAYS = 366


def _region(raw: str | None) -> str:
    """The ISO 3166-1 alpha-2 code asked for (default: the site's region), or a 400."""
    if raw is None or raw == "":
        return settings.TELLY_DEFAULT_REGION
    region = raw.strip().upper()
    if len(region) != 2 or not region.isalpha() or pycountry.countries.get(alpha_2=region) is None:
        raise ApiError(
            400, "bad_region", f"{raw!r} is not an ISO 3166-1 alpha-2 region code such as GB or US."
        )
    return region


def _at(raw: dt.datetime | None) -> dt.datetime:
    if raw is None:
        return timezone.now()
    return raw if timezone.is_aware(raw) else raw.replace(tzinfo=dt.UTC)


def _days(days: int) -> int:
    if not 1 <= days <= MAX_DAYS:
        raise ApiError(400, "bad_days", f"days must be between 1 and {MAX_DAYS}")
    return days


# --- schemas ------------------------------------------------------------------------------------


class ProviderRef(Schema):
    slug: str
    name: str
    kind: str
    url: str


class PlatformRef(Schema):
    slug: str
    name: str
    kind: str


class PlanOut(Schema):
    name: str
    region: str
    price: Decimal
    currency: str
    price_label: str
    period: str
    monthly_price: Decimal
    has_ads: bool
    streams: int | None
    quality: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    source_url: str


class WatchOptionOut(Schema):
    provider: ProviderRef
    monetization: str
    seasons: list[int]
    qualities: list[str]
    price: Decimal | None
    currency: str
    price_label: str
    plan: PlanOut | None
    leaving_at: dt.datetime | None
    url: str
    platforms: list[PlatformRef]
    mine: bool
    last_seen: dt.datetime | None


class WatchGroupOut(Schema):
    monetization: str
    heading: str
    options: list[WatchOptionOut]


class ElsewhereOut(Schema):
    region: str
    providers: list[str]


class AvailabilityOut(Schema):
    title: TitleSummary
    region: str
    at: dt.datetime
    groups: list[WatchGroupOut]
    elsewhere: list[ElsewhereOut]
    sentences: list[str]


class ProviderSummaryOut(ProviderRef):
    regions: list[str]
    tmdb_id: int | None
    homepage: str
    cheapest_plan: PlanOut | None
    cheapest_ad_free_plan: PlanOut | None
    titles: int


class PlanHistoryOut(Schema):
    name: str
    region: str
    currency: str
    period: str
    has_ads: bool
    current: PlanOut | None
    history: list[PlanOut]


class ProviderDetailOut(ProviderRef):
    regions: list[str]
    aliases: list[str]
    tmdb_id: int | None
    homepage: str
    plans: list[PlanHistoryOut]
    platforms: list[PlatformRef]


class PlatformOut(PlatformRef):
    providers: list[ProviderRef]


class OfferOut(Schema):
    title: TitleSummary
    provider: ProviderRef
    region: str
    monetization: str
    available_from: dt.datetime | None
    available_until: dt.datetime | None


# --- shaping ------------------------------------------------------------------------------------


def _provider(provider: Provider) -> dict[str, Any]:
    return {
        "slug": provider.slug,
        "name": provider.name,
        "kind": provider.kind,
        "url": provider.get_absolute_url(),
    }


def _platform(platform: Platform) -> dict[str, Any]:
    return {"slug": platform.slug, "name": platform.name, "kind": platform.kind}


def _plan(plan: Plan | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    return {
        "name": plan.name,
        "region": plan.region,
        "price": plan.price,
        "currency": plan.currency,
        "price_label": format_money(plan.price, plan.currency, plan.region),
        "period": plan.period,
        "monthly_price": plan.monthly_price,
        "has_ads": plan.has_ads,
        "streams": plan.streams,
        "quality": plan.quality,
        "valid_from": plan.valid_from,
        "valid_to": plan.valid_to,
        "source_url": plan.source_url,
    }


def _offer(offer: Any) -> dict[str, Any]:
    return {
        "title": title_summary(offer.title),
        "provider": _provider(offer.provider),
        "region": offer.region,
        "monetization": offer.monetization,
        "available_from": offer.available_from,
        "available_until": offer.available_until,
    }


def _title(key: str) -> Title:
    if key.isdecimal() and len(key) < 19:
        return get_object_or_404(Title, pk=int(key))
    return get_object_or_404(Title, slug=key)


# --- endpoints ----------------------------------------------------------------------------------


@router.get(
    "/titles/{key}/availability",
    response={200: AvailabilityOut, **ERRORS},
    summary="Where to watch a title in a region",
)
def title_availability(
    request: HttpRequest, key: str, region: str | None = None, at: dt.datetime | None = None
) -> dict[str, Any]:
    """Every way to watch the title in ``region`` (default GB) at ``at`` (default now), grouped
    free → adverts → subscription → rent → buy, cheapest first. Signed in, offers on your
    services come first (``mine``). With no offer in the region, ``elsewhere`` lists regions
    that have one."""
    code = _region(region)
    title = _title(key)
    answer = queries.where_to_watch(title, code, _at(at), getattr(request, "profile", None))
    return {
        "title": title_summary(title),
        "region": code,
        "at": answer.at,
        "groups": [
            {
                "monetization": group.monetization.value,
                "heading": group.heading,
                "options": [
                    {
                        "provider": _provider(o.provider),
                        "monetization": o.monetization.value,
                        "seasons": o.seasons,
                        "qualities": o.qualities,
                        "price": o.price,
                        "currency": o.currency or (o.plan.currency if o.plan else ""),
                        "price_label": o.price_label,
                        "plan": _plan(o.plan),
                        "leaving_at": o.leaving_at,
                        "url": o.url,
                        "platforms": [_platform(p) for p in o.platforms],
                        "mine": o.mine,
                        "last_seen": o.last_seen,
                    }
                    for o in group.options
                ],
            }
            for group in answer.groups
        ],
        "elsewhere": [{"region": e.region, "providers": e.providers} for e in answer.elsewhere],
        "sentences": answer.on_my_devices,
    }


@router.get(
    "/providers",
    response={200: list[ProviderSummaryOut], **ERRORS},
    summary="Providers in a region",
)
def list_providers(request: HttpRequest, region: str | None = None) -> list[dict[str, Any]]:
    """Providers that operate in ``region`` with their cheapest plan in force today."""
    code = _region(region)
    return [
        {
            **_provider(s.provider),
            "regions": s.provider.regions,
            "tmdb_id": s.provider.tmdb_id,
            "homepage": s.provider.homepage,
            "cheapest_plan": _plan(s.cheapest),
            "cheapest_ad_free_plan": _plan(s.cheapest_ad_free),
            "titles": s.titles,
        }
        for s in queries.provider_summaries(code)
    ]


@router.get(
    "/providers/{slug}",
    response={200: ProviderDetailOut, **ERRORS},
    summary="One provider with its plans' price history",
)
def get_provider(request: HttpRequest, slug: str, region: str | None = None) -> dict[str, Any]:
    """Every plan and every price it had, per region (all regions unless ``region`` is given)."""
    provider = get_object_or_404(Provider, slug=slug)
    plans = Plan.objects.filter(provider=provider).history()
    if region:
        plans = plans.filter(region=_region(region))
    today = timezone.localdate()
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for plan in plans:
        entry = grouped.setdefault(
            (plan.region, plan.name),
            {
                "name": plan.name,
                "region": plan.region,
                "currency": plan.currency,
                "period": plan.period,
                "has_ads": plan.has_ads,
                "current": None,
                "history": [],
            },
        )
        entry["history"].append(_plan(plan))
        if plan.is_valid_on(today):
            entry["current"] = _plan(plan)
    carriage = (
        PlatformProvider.objects.filter(provider=provider)
        .select_related("platform")
        .order_by("platform__name")
    )
    if region:
        carriage = carriage.filter(region=_region(region))
    platforms = {row.platform.pk: _platform(row.platform) for row in carriage}
    return {
        **_provider(provider),
        "regions": provider.regions,
        "aliases": provider.aliases,
        "tmdb_id": provider.tmdb_id,
        "homepage": provider.homepage,
        "plans": list(grouped.values()),
        "platforms": list(platforms.values()),
    }


@router.get(
    "/providers/{slug}/titles",
    response={200: Page[TitleSummary], **ERRORS},
    summary="A provider's catalogue in a region",
)
def provider_titles(
    request: HttpRequest,
    slug: str,
    region: str | None = None,
    genre: str | None = None,
    year: int | None = None,
    kind: Literal["series", "film"] | None = None,
    free: bool = False,
    limit: int = 20,
    offset: int = 0,
) -> dict[str, Any]:
    provider = get_object_or_404(Provider, slug=slug)
    if genre and not Genre.objects.filter(slug=genre).exists():
        raise ApiError(400, "unknown_genre", f"No genre with slug {genre!r}; see /api/v1/genres.")
    titles = queries.available_titles(
        _region(region),
        timezone.now(),
        providers=[provider],
        free_only=free,
        genre=genre,
        year=year,
        kind=kind,
    )
    return paginate(titles, limit, offset)


@router.get(
    "/platforms",
    response={200: list[PlatformOut], **ERRORS},
    summary="Platforms and the providers each carries",
)
def list_platforms(request: HttpRequest, region: str | None = None) -> list[dict[str, Any]]:
    """Every platform, with the providers whose app it carries in ``region`` (default GB)."""
    code = _region(region)
    carried: dict[int, list[dict[str, Any]]] = {}
    for row in (
        PlatformProvider.objects.filter(region=code)
        .select_related("provider")
        .order_by("provider__display_priority", "provider__name")
    ):
        carried.setdefault(row.platform_id, []).append(_provider(row.provider))
    return [
        {**_platform(p), "providers": carried.get(p.pk, [])}
        for p in Platform.objects.order_by("name")
    ]


@router.get(
    "/streaming/new", response={200: list[OfferOut], **ERRORS}, summary="Offers new in a region"
)
def new_offers(
    request: HttpRequest,
    region: str | None = None,
    days: int = 7,
    provider: str | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    code = _region(region)
    check_limit(limit)
    chosen = get_object_or_404(Provider, slug=provider) if provider else None
    now = timezone.now()
    offers = queries.new_on(chosen, code, now - dt.timedelta(days=_days(days)), now)
    return [_offer(o) for o in offers[:limit]]


@router.get(
    "/streaming/leaving",
    response={200: list[OfferOut], **ERRORS},
    summary="Offers leaving soon in a region",
)
def leaving_offers(
    request: HttpRequest,
    region: str | None = None,
    days: int = 30,
    provider: str | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    code = _region(region)
    check_limit(limit)
    chosen = get_object_or_404(Provider, slug=provider) if provider else None
    offers = queries.leaving_soon(code, dt.timedelta(days=_days(days)), timezone.now(), chosen)
    return [_offer(o) for o in offers[:limit]]
