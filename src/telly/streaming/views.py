"""Streaming pages: providers side by side, one provider's page, and what's streaming (with
the filters: my services, free only, genre, year, kind). Thin: the logic is in ``queries``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from telly.catalog.models import Genre
from telly.streaming import queries
from telly.streaming.chart import price_chart
from telly.streaming.models import PlatformProvider, Provider, ProviderKind
from telly.streaming.money import SYMBOLS

NEW_DAYS = 7
LEAVING_DAYS = 30
PER_PAGE = 48


class BadFilter(ValueError):
    pass


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "web/error.html", {"status": 400, "message": message}, status=400)


def _bad_region(request: HttpRequest) -> HttpResponse | None:
    """A 400 for ``?region=`` that is not an ISO 3166-1 code (the visitor middleware would
    quietly fall back to another region, and the page would answer a question not asked)."""
    asked = request.GET.get("region")
    if asked and request.region != asked.strip().upper():  # type: ignore[attr-defined]
        return _bad_request(request, f"{asked[:20]!r} is not a region code such as GB or US.")
    return None


def _flag(request: HttpRequest, name: str) -> bool:
    return request.GET.get(name, "") in ("1", "on", "true", "yes")


def _year(request: HttpRequest) -> int | None:
    raw = request.GET.get("year", "").strip()
    if not raw:
        return None
    if not raw.isdecimal() or not 1870 <= int(raw) <= 2100:
        raise BadFilter("The year must be a year such as 2022.")
    return int(raw)


def _my_services(request: HttpRequest) -> list[int] | None:
    profile = getattr(request, "profile", None)
    services = getattr(profile, "services", None)
    return list(services.values_list("pk", flat=True)) if services is not None else None


def index(request: HttpRequest) -> HttpResponse:
    """``/streaming/``: every provider in the region side by side."""
    if refused := _bad_region(request):
        return refused
    region = request.region  # type: ignore[attr-defined]
    summaries = queries.provider_summaries(region, timezone.now())
    free_only, mine_only = _flag(request, "free"), _flag(request, "mine")
    mine = _my_services(request)
    if free_only:
        summaries = [
            s for s in summaries if s.provider.kind in (ProviderKind.FREE, ProviderKind.ADS)
        ]
    if mine_only and mine is not None:
        summaries = [s for s in summaries if s.provider.pk in mine]
    context = {
        "summaries": summaries,
        "subscriptions": [s for s in summaries if s.provider.kind != ProviderKind.STORE],
        "stores": [s for s in summaries if s.provider.kind == ProviderKind.STORE],
        "free_only": free_only,
        "mine_only": mine_only,
        "has_services": mine is not None,
        "my_service_ids": set(mine or []),
        "elsewhere": queries.better_known_regions(region),
    }
    return render(request, "streaming/index.html", context)


def provider_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """``/streaming/<provider>/``: plans and price history, new, leaving, the catalogue."""
    provider = get_object_or_404(Provider, slug=slug)
    if refused := _bad_region(request):
        return refused
    region = request.region  # type: ignore[attr-defined]
    now = timezone.now()
    try:
        year = _year(request)
    except BadFilter as exc:
        return _bad_request(request, str(exc))
    genre = request.GET.get("genre") or None
    kind = request.GET.get("kind") if request.GET.get("kind") in ("series", "film") else None
    histories = queries.plan_history(provider, region, timezone.localdate())
    currency = histories[0].currency if histories else ""
    catalogue = queries.available_titles(
        region, now, providers=[provider], genre=genre, year=year, kind=kind
    )
    page = Paginator(catalogue.prefetch_related("genres"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    genres = (
        Genre.objects.filter(titles__in=queries.available_titles(region, now, providers=[provider]))
        .annotate(title_count=Count("titles"))
        .order_by("name")
    )
    context = {
        "provider": provider,
        "histories": histories,
        "price_regions": []
        if histories
        else sorted(set(provider.plans.values_list("region", flat=True))),
        "current_plans": [h for h in histories if h.current],
        "chart": price_chart(histories, timezone.localdate(), SYMBOLS.get(currency, "").strip()),
        "new": list(queries.new_on(provider, region, now - dt.timedelta(days=NEW_DAYS), now)[:24]),
        "leaving": list(
            queries.leaving_soon(region, dt.timedelta(days=LEAVING_DAYS), now, provider)[:24]
        ),
        "platforms": [
            row.platform
            for row in PlatformProvider.objects.filter(provider=provider, region=region)
            .select_related("platform")
            .order_by("platform__name")
        ],
        "page": page,
        "genres": genres,
        "genre": genre,
        "year": year,
        "kind": kind,
        "new_days": NEW_DAYS,
        "leaving_days": LEAVING_DAYS,
    }
    return render(request, "streaming/provider_detail.html", context)


def titles(request: HttpRequest) -> HttpResponse:
    """``/streaming/titles/``: what's streaming in the region, with the filters."""
    if refused := _bad_region(request):
        return refused
    region = request.region  # type: ignore[attr-defined]
    try:
        year = _year(request)
    except BadFilter as exc:
        return _bad_request(request, str(exc))
    provider = None
    if request.GET.get("provider"):
        provider = Provider.objects.filter(slug=request.GET["provider"]).first()
        if provider is None:
            return _bad_request(request, "We do not know that provider.")
    mine_only = _flag(request, "mine")
    mine = _my_services(request)
    providers: list[Any] | None = [provider] if provider else None
    if mine_only and mine is not None:
        providers = [p for p in (providers or mine) if (p.pk if hasattr(p, "pk") else p) in mine]
    kind = request.GET.get("kind") if request.GET.get("kind") in ("series", "film") else None
    catalogue = queries.available_titles(
        region,
        timezone.now(),
        providers=providers,
        free_only=_flag(request, "free"),
        genre=request.GET.get("genre") or None,
        year=year,
        kind=kind,
    )
    page = Paginator(catalogue.prefetch_related("genres"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "providers": queries.providers_in(region),
        "provider": provider,
        "genres": Genre.objects.order_by("name"),
        "free_only": _flag(request, "free"),
        "mine_only": mine_only,
        "has_services": mine is not None,
        "year": year,
        "kind": kind,
        "elsewhere": queries.better_known_regions(region),
    }
    return render(request, "streaming/titles.html", context)
