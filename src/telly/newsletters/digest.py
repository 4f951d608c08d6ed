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
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from telly.catalog.models import Title
from telly.newsletters.models import Cadence, DigestSection, Newsletter, Subscriber
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


def poster(title: Title | None) -> dict[str, str]:
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


@dataclass
class DigestBuilder:
    newsletter: Newsletter
    as_of: dt.datetime = field(default_factory=timezone.now)
    _cache: dict[tuple, Digest] = field(default_factory=dict)

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
        digest = self._cache.get(key)
        if digest is None:
            digest = self._cache[key] = self.build(subscriber.region, sorted(key[1]))
        return digest

    def build(self, region: str, provider_ids: list[int]) -> Digest:
        makers = {
            DigestSection.NEW_ON_SERVICES: self._new_on_services,
            DigestSection.PREMIERES: self._premieres,
            DigestSection.LEAVING: self._leaving,
            DigestSection.TONIGHT: self._tonight,
            DigestSection.COVERAGE: self._coverage,
        }
        parts = []
        for section in self.newsletter.digest_sections:
            items = makers[section](region, provider_ids)
            if items:
                heading = section.label
                if section is DigestSection.NEW_ON_SERVICES and not provider_ids:
                    heading = "New to stream"
                parts.append(DigestPart(section.value, heading, tuple(items)))
        services = ()
        if provider_ids:
            from telly.streaming.models import Provider

            services = tuple(
                Provider.objects.filter(pk__in=provider_ids).values_list("name", flat=True)
            )
        return Digest(tuple(parts), region, services)

    # -- sections -------------------------------------------------------------------------

    def _offers(self, region: str, provider_ids: list[int]) -> QuerySet[Offer]:
        offers = Offer.objects.available(region, self.as_of).exclude(
            monetization__in=[Monetization.RENT, Monetization.BUY]
        )
        if provider_ids:
            offers = offers.filter(provider_id__in=provider_ids)
        if self.newsletter.genre_id:
            offers = offers.filter(title__genres=self.newsletter.genre_id)
        return offers

    def _new_on_services(self, region: str, provider_ids: list[int]) -> list[DigestItem]:
        offers = (
            self._offers(region, provider_ids)
            .filter(available_from__gte=self.as_of - self.window)
            .select_related("title", "provider")
            .order_by("-title__popularity", "title_id")[: ITEMS_PER_SECTION * 4]
        )
        return _items_from_offers(offers, lambda o: f"New on {o.provider.name}")

    def _leaving(self, region: str, provider_ids: list[int]) -> list[DigestItem]:
        offers = (
            self._offers(region, provider_ids)
            .leaving_before(self.as_of + self.window, self.as_of)
            .select_related("title", "provider")
            .order_by("available_until", "-title__popularity")[: ITEMS_PER_SECTION * 4]
        )
        tz = _zone()
        return _items_from_offers(
            offers,
            lambda o: f"Leaves {o.provider.name} on {o.available_until.astimezone(tz):%a %-d %b}",
        )

    def _premieres(self, region: str, provider_ids: list[int]) -> list[DigestItem]:
        try:
            from telly.releases.models import ReleaseEvent
        except ImportError:  # releases not installed: the section is left out
            return []
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
        watch = self._where_to_watch([e.title_id for e in chosen], region, provider_ids)
        items = []
        for event in chosen:
            season = f"Season {event.season_number} " if event.season_number else ""
            items.append(
                DigestItem(
                    name=event.title.name,
                    url=absolute(event.title.get_absolute_url()),
                    detail=f"{season}{event.get_kind_display().lower()}: {event.date_label}",
                    watch=watch.get(event.title_id, ()),
                    **poster(event.title),
                )
            )
        return items

    def _tonight(self, region: str, provider_ids: list[int]) -> list[DigestItem]:
        try:
            from telly.listings.models import Airing
        except ImportError:
            return []
        tz = _zone()
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
        return items

    def _coverage(self, region: str, provider_ids: list[int]) -> list[DigestItem]:
        try:
            from telly.editorial.models import Article
        except ImportError:
            return []
        articles = Article.objects.published(self.as_of).filter(
            published_at__gte=self.as_of - self.window
        )
        if self.newsletter.genre_id:
            articles = articles.filter(
                title_links__title__genres=self.newsletter.genre_id
            ).distinct()
        return [
            DigestItem(
                name=a.headline,
                url=absolute(a.get_absolute_url()),
                detail=a.standfirst,
                when=a.published_at,
                image_url=a.lead_image_url,
                image_alt=a.lead_image_alt or (a.headline if a.lead_image_url else ""),
            )
            for a in articles.select_related("section").newest()[:ITEMS_PER_SECTION]
        ]

    def _where_to_watch(
        self, title_ids: list[int], region: str, provider_ids: list[int]
    ) -> dict[int, tuple[str, ...]]:
        """Provider names per title in the region, the subscriber's own services first."""
        if not title_ids:
            return {}
        names: dict[int, list[tuple[int, str]]] = defaultdict(list)
        offers = (
            Offer.objects.available(region, self.as_of)
            .filter(title_id__in=title_ids)
            .values_list("title_id", "provider_id", "provider__name")
            .order_by("provider__display_priority")
        )
        for title_id, provider_id, name in offers:
            rank = 0 if provider_id in provider_ids else 1
            if name not in [n for _, n in names[title_id]]:
                names[title_id].append((rank, name))
        return {
            tid: tuple(n for _, n in sorted(found, key=lambda p: p[0])[:3])
            for tid, found in names.items()
        }


def _items_from_offers(offers: Iterable[Offer], detail: object) -> list[DigestItem]:
    """One item per title, naming every service that has it."""
    by_title: dict[int, list[Offer]] = {}
    for offer in offers:
        by_title.setdefault(offer.title_id, []).append(offer)
        if len(by_title) > ITEMS_PER_SECTION:
            by_title.pop(offer.title_id)
            break
    items = []
    for found in by_title.values():
        first = found[0]
        items.append(
            DigestItem(
                name=first.title.name,
                url=absolute(first.title.get_absolute_url()),
                detail=detail(first),  # type: ignore[operator]
                when=first.available_from or first.available_until,
                watch=tuple(dict.fromkeys(o.provider.name for o in found)),
                **poster(first.title),
            )
        )
    return items


def _zone() -> zoneinfo.ZoneInfo:
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
