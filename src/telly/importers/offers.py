"""Upserting offers: a title (or some seasons of it) on a provider in a region."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from telly.catalog.models import Title
from telly.importers.context import ImportContext
from telly.streaming.models import Offer, Provider


def must(provider: Provider | None) -> Provider:
    """``ProviderResolver.resolve`` creates what it does not find, so it always answers."""
    assert provider is not None
    return provider


def upsert_offer(
    ctx: ImportContext,
    title: Title,
    provider: Provider,
    region: str,
    monetization: str,
    *,
    quality: str = "",
    seasons: list[int] | None = None,
    price: Decimal | None = None,
    currency: str = "",
    url: str = "",
    available_from: dt.datetime | None = None,
    available_until: dt.datetime | None = None,
) -> Offer:
    """One offer per title × provider × region × monetisation × quality; a re-import refreshes
    ``last_seen`` and changes only what the source now says differently."""
    key = ("offer", title.pk, provider.pk, region, monetization, quality)
    made: set[tuple] = ctx.cache.setdefault("offers-made", set())
    offer: Offer | None
    if title.pk in ctx.changes.new_titles and key not in made:
        offer = None  # a title this run created has only the offers this run made
    else:
        offer = Offer.objects.filter(
            title=title,
            season__isnull=True,
            provider=provider,
            region=region,
            monetization=monetization,
            quality=quality,
        ).first()
    values: dict[str, Any] = {
        "seasons": sorted(set(seasons or [])),
        "price": price,
        "currency": currency,
        "url": url,
        "available_from": available_from,
        "available_until": available_until,
    }
    values = {
        k: v for k, v in values.items() if v not in (None, "") and not (k == "seasons" and not v)
    }
    created = offer is None
    if offer is None:
        offer = Offer(
            title=title,
            provider=provider,
            region=region,
            monetization=monetization,
            quality=quality,
            **values,
            sources=dict.fromkeys(values, ctx.format),
            seen_at=ctx.seen_at,
            created_at=ctx.seen_at,
            updated_at=ctx.seen_at,
            last_seen=ctx.seen_at,
        )
        offer.save()
        made.add(key)
        changed = True
    else:
        changed = bool(offer.apply_source(values, ctx.format, ctx.seen_at))
        offer.last_seen = ctx.seen_at
        offer.save()
    ctx.tally.outcome("offer", created, changed)
    if changed:
        ctx.changes.offers.add(offer.pk)  # type: ignore[union-attr]
    return offer
