"""The streaming guide's questions, answered once for pages, the API and other apps.

- ``where_to_watch(title, region, at, profile=None)``: every way to watch a title in a region
  at an instant, grouped free → adverts → subscription → rent → buy, cheapest first, with plan
  prices, seasons, leaving dates and the platforms that carry each provider; offers on the
  profile's services first. When the region has none, where else it is available.
- ``new_on(provider, region, since, at=None)``: offers that started in a window.
- ``leaving_soon(region, within, at=None, provider=None)``: offers that end in a window.
- ``cheapest_plan(provider, region, on, ads=None)``: the cheapest plan in force on a day.
- ``plan_history(provider, region)``: every price of every plan, for the price-history chart.
- ``provider_summaries(region, on)``: the side-by-side comparison of ``/streaming/``.
- ``available_titles(region, at, ...)``: titles streamable in a region (provider, free-only,
  my services, genre, year): the catalogue pages and search's "available on" filter.

Every function takes the instant (or day) to answer for: nothing is shown outside its
validity window, and tests travel in time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from telly.catalog.models import Title
from telly.streaming.models import (
    Monetization,
    Offer,
    Plan,
    Platform,
    PlatformProvider,
    Provider,
)
from telly.streaming.money import format_money
from telly.streaming.plans import PlanHistory as PlanHistory  # re-exported for other apps
from telly.streaming.plans import PricePoint as PricePoint
from telly.streaming.plans import cheapest, plan_label, plans_on
from telly.streaming.plans import cheapest_plan as cheapest_plan
from telly.streaming.plans import plan_history as plan_history

FREE_WAYS = (Monetization.FREE, Monetization.ADS)
PAID_PLAN_WAYS = (Monetization.SUBSCRIPTION,)
STALE_AFTER = dt.timedelta(days=30)
QUALITY_ORDER = {"SD": 1, "HD": 2, "4K": 3, "UHD": 3}


def _today(at: dt.datetime) -> dt.date:
    return timezone.localtime(at, dt.UTC).date()


# --- where to watch --------------------------------------------------------------------------


@dataclass
class WatchOption:
    """One provider's way (subscription, free, rent...) to watch a title, merged over the
    qualities and seasons its offers cover."""

    provider: Provider
    monetization: Monetization
    offers: list[Offer]
    seasons: list[int]  # empty: every season we know of
    qualities: list[str]
    price: Decimal | None  # rent/buy: the cheapest offer's price
    currency: str
    leaving_at: dt.datetime | None  # when the last of these offers ends, if all end
    url: str
    plan: Plan | None = None  # subscription: the cheapest plan in force
    ad_free_plan: Plan | None = None  # ... and the cheapest without adverts, if different
    platforms: list[Platform] = field(default_factory=list)
    mine: bool = False
    my_platforms: list[Platform] = field(default_factory=list)
    region: str = "GB"
    last_seen: dt.datetime | None = None  # when a source last confirmed any of these offers
    at: dt.datetime | None = None

    @property
    def confirmed_long_ago(self) -> dt.datetime | None:
        """``last_seen`` when no source confirmed the offer in the last ``STALE_AFTER``: the page
        then says "last confirmed <date>" rather than imply it was checked today."""
        if self.last_seen is None or self.at is None:
            return None
        return self.last_seen if self.at - self.last_seen > STALE_AFTER else None

    @property
    def seasons_label(self) -> str:
        numbers = self.seasons
        if not numbers:
            return ""
        if len(numbers) == 1:
            return f"Season {numbers[0]}"
        if numbers == list(range(numbers[0], numbers[-1] + 1)):
            return f"Seasons {numbers[0]}–{numbers[-1]}"
        return "Seasons " + ", ".join(str(n) for n in numbers)

    @property
    def price_label(self) -> str:
        """``£2.49`` to rent or buy; ``from £4.99/month with adverts`` on a subscription."""
        if self.price is not None:
            return format_money(self.price, self.currency, self.region)
        if self.plan is not None:
            label = f"from {plan_label(self.plan, self.region)}"
            if self.ad_free_plan is not None and self.ad_free_plan.pk != self.plan.pk:
                label += f" ({format_money(self.ad_free_plan.price, self.ad_free_plan.currency, self.region)} without)"
            return label
        return ""

    @property
    def sort_cost(self) -> Decimal:
        if self.price is not None:
            return self.price
        if self.plan is not None:
            return self.plan.monthly_price
        return Decimal(0) if self.monetization in FREE_WAYS else Decimal("1e9")

    @property
    def quality(self) -> str:
        return max(self.qualities, key=lambda q: QUALITY_ORDER.get(q.upper(), 0), default="")


@dataclass
class WatchGroup:
    monetization: Monetization
    options: list[WatchOption]

    @property
    def heading(self) -> str:
        return {
            Monetization.SUBSCRIPTION: "Stream with a subscription",
            Monetization.FREE: "Free",
            Monetization.ADS: "Free with adverts",
            Monetization.RENT: "Rent",
            Monetization.BUY: "Buy",
        }[self.monetization]


@dataclass
class Elsewhere:
    region: str
    providers: list[str]


@dataclass
class WhereToWatch:
    title: Title
    region: str
    at: dt.datetime
    groups: list[WatchGroup]
    elsewhere: list[Elsewhere]
    has_profile: bool = False

    @property
    def options(self) -> list[WatchOption]:
        return [o for g in self.groups for o in g.options]

    @property
    def mine(self) -> list[WatchOption]:
        return [o for o in self.options if o.mine]

    @property
    def cheapest(self) -> WatchOption | None:
        return min(self.options, key=lambda o: (o.monetization.rank, o.sort_cost), default=None)

    @property
    def on_my_devices(self) -> list[str]:
        """``["You can watch this on Sky Glass via Netflix."]``: my devices × my services."""
        sentences = []
        for option in self.options:
            if option.mine and option.my_platforms:
                names = _and_list([p.name for p in option.my_platforms])
                sentences.append(f"You can watch this on {names} via {option.provider.name}.")
        return sentences

    def __bool__(self) -> bool:
        return bool(self.groups or self.elsewhere)


def _and_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _profile_ids(profile: Any, name: str) -> set[int]:
    """Ids of ``profile.<name>`` (services or platforms), empty when the profile lacks them."""
    related = getattr(profile, name, None) if profile is not None else None
    if related is None:
        return set()
    return set(related.values_list("pk", flat=True))


UNSHOWN_FIELDS = (
    "sources", "locked_fields", "provider__sources", "provider__locked_fields", "provider__regions",
    "provider__aliases", "season__sources", "season__locked_fields",
)  # fmt: skip


def _plan_providers(profile: Any) -> set[int]:
    """Providers of the plans a profile says it pays for: those are my services too."""
    plans = getattr(profile, "plans", None) if profile is not None else None
    return set(plans.values_list("provider_id", flat=True)) if plans is not None else set()


def where_to_watch(
    title: Title, region: str, at: dt.datetime | None = None, profile: Any = None
) -> WhereToWatch:
    """Every way to watch ``title`` in ``region`` at ``at``, in a fixed number of queries
    (offers, plans, platforms, and two for a profile; one more when the region has none)."""
    at = at or timezone.now()
    offers = list(
        Offer.objects.filter(title=title)
        .available(region, at)
        .select_related("provider", "season")
        # Provenance and the provider's long region list are not shown here: skip decoding them.
        .defer(*UNSHOWN_FIELDS)
    )
    my_services = _profile_ids(profile, "services") | _plan_providers(profile)
    my_platforms = _profile_ids(profile, "platforms")
    merged: dict[tuple[int, str], WatchOption] = {}
    for offer in offers:
        key = (offer.provider_id, offer.monetization)
        option = merged.get(key)
        if option is None:
            option = merged[key] = WatchOption(
                provider=offer.provider,
                monetization=Monetization(offer.monetization),
                offers=[],
                seasons=[],
                qualities=[],
                price=None,
                currency=offer.currency,
                leaving_at=None,
                url=offer.url,
                region=region,
                at=at,
            )
        option.offers.append(offer)
    for option in merged.values():
        _merge_offers(option)
    providers = {o.provider.pk for o in merged.values()}
    plans = (
        plans_on(
            {o.provider.pk for o in merged.values() if o.monetization in PAID_PLAN_WAYS},
            region,
            _today(at),
        )
        if merged
        else {}
    )
    carriage = _carriage(providers, region) if providers else {}
    for option in merged.values():
        provider_plans = plans.get(option.provider.pk, [])
        option.plan = cheapest(provider_plans)
        option.ad_free_plan = cheapest([p for p in provider_plans if not p.has_ads])
        option.platforms = carriage.get(option.provider.pk, [])
        option.mine = option.provider.pk in my_services
        option.my_platforms = [p for p in option.platforms if p.pk in my_platforms]
    groups = []
    for way in sorted(Monetization, key=lambda m: m.rank):
        options = [o for o in merged.values() if o.monetization == way]
        if options:
            options.sort(
                key=lambda o: (
                    not o.mine,
                    o.sort_cost,
                    o.provider.display_priority,
                    o.provider.name,
                )
            )
            groups.append(WatchGroup(way, options))
    if profile is not None and my_services:
        # Offers on my services first: the group that holds one moves up, order otherwise kept.
        groups.sort(key=lambda g: not any(o.mine for o in g.options))
    elsewhere = [] if groups else elsewhere_for(title, region, at)
    return WhereToWatch(title, region, at, groups, elsewhere, has_profile=profile is not None)


def _merge_offers(option: WatchOption) -> None:
    seasons: set[int] = set()
    every_season = False
    ends = []
    for offer in option.offers:
        numbers = [int(n) for n in offer.seasons or []]
        if offer.season_id is not None:
            numbers.append(offer.season.number)
        if numbers:
            seasons.update(numbers)
        else:
            every_season = True
        if offer.quality and offer.quality not in option.qualities:
            option.qualities.append(offer.quality)
        if offer.price is not None and (option.price is None or offer.price < option.price):
            option.price, option.currency = offer.price, offer.currency
        ends.append(offer.available_until)
        option.url = option.url or offer.url
        if offer.last_seen and (option.last_seen is None or offer.last_seen > option.last_seen):
            option.last_seen = offer.last_seen
    option.seasons = [] if every_season else sorted(seasons)
    option.leaving_at = None if (not ends or None in ends) else max(e for e in ends if e)


def _carriage(providers: Iterable[int], region: str) -> dict[int, list[Platform]]:
    by_provider: dict[int, list[Platform]] = {}
    rows = (
        PlatformProvider.objects.filter(provider_id__in=list(providers), region=region)
        .select_related("platform")
        .order_by("platform__name")
    )
    for row in rows:
        by_provider.setdefault(row.provider_id, []).append(row.platform)
    return by_provider


def elsewhere_for(title: Title, region: str, at: dt.datetime, limit: int = 12) -> list[Elsewhere]:
    """Regions other than ``region`` with an offer now, each with its providers' names."""
    rows = (
        Offer.objects.filter(title=title)
        .exclude(region=region)
        .filter(Q(available_from__isnull=True) | Q(available_from__lte=at))
        .filter(Q(available_until__isnull=True) | Q(available_until__gt=at))
        .values_list("region", "provider__name")
        .distinct()
        .order_by("region", "provider__name")
    )
    by_region: dict[str, list[str]] = {}
    for code, name in rows:
        by_region.setdefault(code, []).append(name)
    return [Elsewhere(code, names) for code, names in list(by_region.items())[:limit]]


# --- what's new and what's leaving ------------------------------------------------------------


def new_on(
    provider: Provider | None, region: str, since: dt.datetime, at: dt.datetime | None = None
) -> QuerySet[Offer]:
    """Offers that became available in ``region`` between ``since`` and ``at`` (now), newest
    first; on one provider or on any."""
    at = at or timezone.now()
    offers = Offer.objects.available(region, at).filter(available_from__gte=since)
    if provider is not None:
        offers = offers.filter(provider=provider)
    return offers.select_related("title", "provider").order_by("-available_from", "title__name")


def leaving_soon(
    region: str,
    within: dt.timedelta,
    at: dt.datetime | None = None,
    provider: Provider | None = None,
) -> QuerySet[Offer]:
    """Offers available now in ``region`` that end within ``within``, soonest first."""
    at = at or timezone.now()
    offers = Offer.objects.available(region, at).leaving_before(at + within, at)
    if provider is not None:
        offers = offers.filter(provider=provider)
    return offers.select_related("title", "provider").order_by("available_until", "title__name")


# --- providers side by side -------------------------------------------------------------------


@dataclass
class ProviderSummary:
    provider: Provider
    region: str
    plans: list[Plan]
    cheapest: Plan | None
    cheapest_ad_free: Plan | None
    titles: int
    series: int
    films: int

    @property
    def best_quality(self) -> str:
        return max(
            (p.quality for p in self.plans if p.quality),
            key=lambda q: QUALITY_ORDER.get(q.upper(), 0),
            default="",
        )

    @property
    def has_ad_plan(self) -> bool:
        return any(p.has_ads for p in self.plans)

    @property
    def ad_free_label(self) -> str:
        return plan_label(self.cheapest_ad_free, self.region) if self.cheapest_ad_free else ""

    @property
    def price_label(self) -> str:
        if self.cheapest is None:
            return "Free" if self.provider.kind in ("free", "ads") else ""
        return f"from {plan_label(self.cheapest, self.region)}"


def providers_in(region: str, at: dt.datetime | None = None) -> list[Provider]:
    """Providers that operate in ``region``: listed there, or with a plan or offer there."""
    at = at or timezone.now()
    has_plan = Plan.objects.filter(provider=OuterRef("pk"), region=region)
    has_offer = Offer.objects.filter(provider=OuterRef("pk")).available(region, at)
    candidates = Provider.objects.annotate(plan_here=Exists(has_plan), offer_here=Exists(has_offer))
    return [p for p in candidates if p.plan_here or p.offer_here or region in (p.regions or [])]


def provider_summaries(region: str, at: dt.datetime | None = None) -> list[ProviderSummary]:
    """The comparison table: price per month, adverts, quality, what each carries, in four
    queries whatever the number of providers."""
    at = at or timezone.now()
    providers = providers_in(region, at)
    plans = plans_on([p.pk for p in providers], region, _today(at))
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Offer.objects.available(region, at)
        .filter(provider__in=[p.pk for p in providers])
        .values("provider_id", "title__kind")
        .annotate(n=Count("title_id", distinct=True))
    )
    for row in rows:
        entry = counts.setdefault(row["provider_id"], {"series": 0, "films": 0})
        key = "series" if row["title__kind"] in ("series", "miniseries") else "films"
        entry[key] += row["n"]
    summaries = []
    for provider in providers:
        provider_plans = sorted(plans.get(provider.pk, []), key=lambda p: p.monthly_price)
        entry = counts.get(provider.pk, {"series": 0, "films": 0})
        summaries.append(
            ProviderSummary(
                provider,
                region,
                provider_plans,
                cheapest(provider_plans),
                cheapest([p for p in provider_plans if not p.has_ads]),
                entry["series"] + entry["films"],
                entry["series"],
                entry["films"],
            )
        )
    return summaries


THIN_REGION = 25  # titles; below this a region's pages point to better-known regions


def better_known_regions(
    region: str, at: dt.datetime | None = None, most: int = 3
) -> list[tuple[str, int]]:
    """Regions where the guide knows more streaming titles than in ``region``, most first, as
    ``(region, titles)``; empty when ``region`` itself is well covered."""
    at = at or timezone.now()
    # A well-covered region (every busy page) stops after THIN_REGION titles; only a thin one
    # pays for counting every region.
    titles_here = Offer.objects.available(region, at).values("title_id").distinct()
    if titles_here[:THIN_REGION].count() >= THIN_REGION:
        return []
    rows = (
        Offer.objects.current(at)
        .values("region")
        .annotate(n=Count("title_id", distinct=True))
        .order_by("-n", "region")
    )
    counts = {row["region"]: row["n"] for row in rows}
    here = counts.get(region, 0)
    return [(code, n) for code, n in counts.items() if n > here and code != region][:most]


# --- catalogues ---------------------------------------------------------------------------------


def available_titles(
    region: str,
    at: dt.datetime | None = None,
    *,
    providers: Iterable[Provider | int] | None = None,
    free_only: bool = False,
    genre: str | None = None,
    year: int | None = None,
    kind: str | None = None,
) -> QuerySet[Title]:
    """Titles with an offer in ``region`` now: on these providers only (e.g. my services),
    free-only (free or with adverts), in a genre (slug), from a year, of a kind."""
    at = at or timezone.now()
    offers = Offer.objects.available(region, at).filter(title=OuterRef("pk"))
    if providers is not None:
        offers = offers.filter(provider__in=[p if isinstance(p, int) else p.pk for p in providers])
    if free_only:
        offers = offers.filter(monetization__in=FREE_WAYS)
    titles = Title.objects.filter(Exists(offers))
    if genre:
        titles = titles.filter(genres__slug=genre)
    if year:
        titles = titles.filter(year=year)
    if kind == "series":
        titles = titles.series()
    elif kind == "film":
        titles = titles.films()
    return titles.order_by("-popularity", "name", "id")
