"""Personalised digests: what a subscriber's week (or evening) holds, from the other apps' data.

A digest has up to five sections (``DigestSection``): new on my services, premieres and
finales, leaving soon, on TV tonight, latest coverage. Each reads the owning app's query
functions for the subscriber's region and services, and a section with nothing to say is left
out. Every item says where to watch it.

Many subscribers share a region and a set of services, so ``DigestBuilder`` remembers each
combination's content for the length of one campaign: 100,000 recipients cost a few hundred
sets of queries, not 100,000.

    builder = DigestBuilder(newsletter, as_of=campaign.as_of)
    content = builder.for_subscriber(subscriber)   # Digest(sections=[...]) or empty
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from telly.catalog.models import Title
from telly.newsletters.models import Cadence, Campaign, DigestSection, Newsletter, Subscriber
from telly.streaming.models import Monetization, Offer

ITEMS_PER_SECTION = 6


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"


@dataclass(frozen=True)
class DigestItem:
    name: str
    url: str
    detail: str = ""
    when: dt.datetime | None = None
    watch: tuple[str, ...] = ()
    image_url: str = ""
    image_alt: str = ""


def poster(title: Title | None) -> dict[str, Any]:
    """``image_url`` and ``image_alt`` for a title's poster, or nothing when it has none."""
    if title is None or not title.image_url:
        return {}
    return {"image_url": title.image_url, "image_alt": f"Poster for {title.name}"}


@dataclass(frozen=True)
class DigestPart:
    key: str
    heading: str
    items: tuple[DigestItem, ...]


@dataclass(frozen=True)
class Digest:
    parts: tuple[DigestPart, ...] = ()
    region: str = "GB"
    services: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.parts)


# Offers new (or leaving) in a region within a week: read once per region, then narrowed to
# each reader's services in Python. The cap keeps memory bounded on a huge catalogue.
REGION_OFFER_CAP = 5000
# Distinct (region, services) digests kept per campaign before the cache starts again.
DIGEST_CACHE_SIZE = 20000


@dataclass(frozen=True)
class RegionFacts:
    """Everything a digest can say about one region, whoever reads it."""

    new: tuple[Offer, ...] = ()
    leaving: tuple[Offer, ...] = ()
    premieres: tuple[tuple[DigestItem, tuple[tuple[int, str], ...]], ...] = ()
    tonight: tuple[DigestItem, ...] = ()
    coverage: tuple[DigestItem, ...] = ()


@dataclass
class DigestBuilder:
    newsletter: Newsletter
    as_of: dt.datetime = field(default_factory=timezone.now)
    _facts: dict[str, RegionFacts] = field(default_factory=dict)
    _digests: dict[tuple, Digest] = field(default_factory=dict)
    _provider_names: dict[int, str] | None = None

    @property
    def window(self) -> dt.timedelta:
        return Cadence(self.newsletter.cadence).window

    def for_subscriber(
        self, subscriber: Subscriber, provider_ids: Iterable[int] | None = None
    ) -> Digest:
        """The digest for this subscriber. ``provider_ids`` may be given when the caller
        already fetched them (the sender prefetches in bulk)."""
        if provider_ids is None:
            provider_ids = services_of(subscriber)
        key = (subscriber.region, frozenset(provider_ids))
        digest = self._digests.get(key)
        if digest is None:
            if len(self._digests) >= DIGEST_CACHE_SIZE:
                self._digests.clear()
            digest = self._digests[key] = self.build(subscriber.region, sorted(key[1]))
        return digest

    def build(self, region: str, provider_ids: list[int]) -> Digest:
        facts = self.facts(region)
        own = set(provider_ids)
        tz = _zone(region)
        parts = []
        for section in self.newsletter.digest_sections:
            items: tuple[DigestItem, ...] = ()
            heading = section.label
            if section is DigestSection.NEW_ON_SERVICES:
                items = _items_from_offers(facts.new, own, lambda o: f"New on {o.provider.name}")
                heading = heading if own else "New to stream"
            elif section is DigestSection.LEAVING:
                items = _items_from_offers(
                    facts.leaving,
                    own,
                    lambda o: (
                        f"Leaves {o.provider.name} on {o.available_until.astimezone(tz):%a %-d %b}"
                    ),
                )
            elif section is DigestSection.PREMIERES:
                items = tuple(
                    replace(item, watch=_own_first(found, own)) for item, found in facts.premieres
                )
            elif section is DigestSection.TONIGHT:
                items = facts.tonight
            elif section is DigestSection.COVERAGE:
                items = facts.coverage
            if items:
                parts.append(DigestPart(section.value, heading, items))
        names = self.provider_names()
        services = tuple(names[p] for p in provider_ids if p in names)
        return Digest(tuple(parts), region, services)

    def provider_names(self) -> dict[int, str]:
        if self._provider_names is None:
            from telly.streaming.models import Provider

            self._provider_names = dict(Provider.objects.values_list("pk", "name"))
        return self._provider_names

    def facts(self, region: str) -> RegionFacts:
        found = self._facts.get(region)
        if found is None:
            sections = set(self.newsletter.digest_sections)
            found = self._facts[region] = RegionFacts(
                new=self._new(region) if DigestSection.NEW_ON_SERVICES in sections else (),
                leaving=self._leaving(region) if DigestSection.LEAVING in sections else (),
                premieres=self._premieres(region) if DigestSection.PREMIERES in sections else (),
                tonight=self._tonight(region) if DigestSection.TONIGHT in sections else (),
                coverage=self._coverage() if DigestSection.COVERAGE in sections else (),
            )
        return found

    # -- what a region holds ----------------------------------------------------------------

    def _offers(self, region: str) -> QuerySet[Offer]:
        offers = Offer.objects.available(region, self.as_of).exclude(
            monetization__in=[Monetization.RENT, Monetization.BUY]
        )
        if self.newsletter.genre_id:
            offers = offers.filter(title__genres=self.newsletter.genre_id)
        return offers.select_related("title", "provider")

    def _new(self, region: str) -> tuple[Offer, ...]:
        offers = self._offers(region).filter(available_from__gte=self.as_of - self.window)
        return tuple(offers.order_by("-title__popularity", "title_id")[:REGION_OFFER_CAP])

    def _leaving(self, region: str) -> tuple[Offer, ...]:
        offers = self._offers(region).leaving_before(self.as_of + self.window, self.as_of)
        return tuple(offers.order_by("available_until", "-title__popularity")[:REGION_OFFER_CAP])

    def _premieres(self, region: str) -> tuple[tuple[DigestItem, tuple[tuple[int, str], ...]], ...]:
        try:
            from telly.releases.models import ReleaseEvent
        except ImportError:  # releases not installed: the section is left out
            return ()
        start = self.as_of.date()
        events = (
            ReleaseEvent.objects.on_calendar()
            .dated()
            .filter(date__gte=start, date__lt=start + self.window, region__in=["", region])
            .select_related("title")
            .order_by("date", "-title__popularity")
        )
        if self.newsletter.genre_id:
            events = events.filter(title__genres=self.newsletter.genre_id)
        chosen = []
        seen: set[int] = set()
        for event in events[: ITEMS_PER_SECTION * 3]:
            if event.title_id not in seen:
                seen.add(event.title_id)
                chosen.append(event)
            if len(chosen) == ITEMS_PER_SECTION:
                break
        watch = self._where_to_watch([e.title_id for e in chosen], region)
        found = []
        for event in chosen:
            season = f"Season {event.season_number} " if event.season_number else ""
            item = DigestItem(
                name=event.title.name,
                url=absolute(event.title.get_absolute_url()),
                detail=f"{season}{event.get_kind_display().lower()}: {event.date_label}",
                **poster(event.title),
            )
            found.append((item, tuple(watch.get(event.title_id, ()))))
        return tuple(found)

    def _tonight(self, region: str) -> tuple[DigestItem, ...]:
        try:
            from telly.listings.models import Airing
        except ImportError:
            return ()
        tz = _zone(region)
        picks = Airing.objects.tonights_picks(region, tz, at=self.as_of, limit=ITEMS_PER_SECTION)
        if self.newsletter.genre_id:
            genre_titles = set(
                Title.objects.filter(
                    pk__in=[a.title_id for a in picks if a.title_id],
                    genres=self.newsletter.genre_id,
                ).values_list("pk", flat=True)
            )
            picks = [a for a in picks if a.title_id in genre_titles]
        items = []
        for airing in picks:
            url = (
                airing.title.get_absolute_url()
                if airing.title
                else airing.channel.get_absolute_url()
            )
            items.append(
                DigestItem(
                    name=airing.title.name if airing.title else airing.raw_title,
                    url=absolute(url),
                    detail=f"{airing.start.astimezone(tz):%H:%M} on {airing.channel.name}",
                    when=airing.start,
                    **poster(airing.title),
                )
            )
        return tuple(items)

    def _coverage(self) -> tuple[DigestItem, ...]:
        try:
            from telly.editorial.models import Article
        except ImportError:
            return ()
        articles = Article.objects.published(self.as_of).filter(
            published_at__gte=self.as_of - self.window
        )
        if self.newsletter.genre_id:
            articles = articles.filter(
                title_links__title__genres=self.newsletter.genre_id
            ).distinct()
        return tuple(
            DigestItem(
                name=a.headline,
                url=absolute(a.get_absolute_url()),
                detail=a.standfirst,
                when=a.published_at,
                image_url=a.lead_image_url,
                image_alt=a.lead_image_alt or (a.headline if a.lead_image_url else ""),
            )
            for a in articles.select_related("section").newest()[:ITEMS_PER_SECTION]
        )

    def _where_to_watch(
        self, title_ids: list[int], region: str
    ) -> dict[int, list[tuple[int, str]]]:
        """(provider id, name) per title in the region, in the providers' display order."""
        found: dict[int, list[tuple[int, str]]] = defaultdict(list)
        if not title_ids:
            return found
        offers = (
            Offer.objects.available(region, self.as_of)
            .filter(title_id__in=title_ids)
            .values_list("title_id", "provider_id", "provider__name")
            .order_by("provider__display_priority", "provider__name")
        )
        for title_id, provider_id, name in offers:
            if (provider_id, name) not in found[title_id]:
                found[title_id].append((provider_id, name))
        return found


def _own_first(found: tuple[tuple[int, str], ...], own: set[int]) -> tuple[str, ...]:
    """At most three places to watch, the reader's own services first."""
    ranked = sorted(found, key=lambda pair: pair[0] not in own)
    return tuple(name for _, name in ranked[:3])


def _items_from_offers(
    offers: Iterable[Offer], own: set[int], detail: Callable[[Offer], str]
) -> tuple[DigestItem, ...]:
    """One item per title from the offers on the reader's services (all when none chosen),
    naming every such service that has it."""
    by_title: dict[int, list[Offer]] = {}
    for offer in offers:
        if own and offer.provider_id not in own:
            continue
        if offer.title_id not in by_title and len(by_title) == ITEMS_PER_SECTION:
            continue
        by_title.setdefault(offer.title_id, []).append(offer)
    items = []
    for found in by_title.values():
        first = found[0]
        items.append(
            DigestItem(
                name=first.title.name,
                url=absolute(first.title.get_absolute_url()),
                detail=detail(first),
                when=first.available_from or first.available_until,
                watch=tuple(dict.fromkeys(o.provider.name for o in found)),
                **poster(first.title),
            )
        )
    return tuple(items)


_builders: dict[tuple[int, dt.datetime | None], DigestBuilder] = {}


def builder_for(campaign: Campaign) -> DigestBuilder:
    """The campaign's builder, kept between the bounded delivery tasks a worker runs for it
    (a digest describes the week as of ``campaign.as_of``, so it cannot go stale mid-send).
    One campaign at a time per process keeps memory flat."""
    key = (campaign.pk, campaign.as_of)
    builder = _builders.get(key)
    if builder is None:
        _builders.clear()
        builder = _builders[key] = DigestBuilder(
            campaign.newsletter, as_of=campaign.as_of or timezone.now()
        )
    return builder


# Subscribers have a region, not a time zone: tonight and dates are shown in the region's main
# zone (the offered regions), else in TELLY_TIME_ZONE.
REGION_ZONES = {
    "US": "America/New_York",
    "CA": "America/Toronto",
    "AU": "Australia/Sydney",
    "IE": "Europe/Dublin",
    "DE": "Europe/Berlin",
    "FR": "Europe/Paris",
    "ES": "Europe/Madrid",
    "IT": "Europe/Rome",
    "NL": "Europe/Amsterdam",
    "GB": "Europe/London",
}


def _zone(region: str | None = None) -> zoneinfo.ZoneInfo:
    if region and region != settings.TELLY_DEFAULT_REGION and region in REGION_ZONES:
        return zoneinfo.ZoneInfo(REGION_ZONES[region])
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def services_of(subscriber: Subscriber) -> list[int]:
    """The subscriber's "my services": chosen in the preference centre, or, when the address
    belongs to a user who chose none there, the services on that user's profile."""
    own = list(subscriber.providers.values_list("pk", flat=True))
    if own or subscriber.user_id is None:
        return own
    try:
        from telly.accounts.models import Profile
    except ImportError:
        return []
    return list(
        Profile.services.through.objects.filter(profile__user_id=subscriber.user_id).values_list(
            "provider_id", flat=True
        )
    )
