"""Streaming fixtures: Netflix with part of its real GB price history, two platforms that
carry it in GB, and Heartstopper's GB offer (seasons 1-2). Built in code, no shared data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from telly.catalog.models import Title
from telly.streaming.models import Offer, Plan, Platform, PlatformProvider, Provider

NETFLIX_GB = [
    # name, price, has_ads, valid_from, valid_to
    ("Basic", "5.99", False, dt.date(2014, 5, 1), dt.date(2022, 3, 9)),
    ("Standard", "7.49", False, dt.date(2014, 5, 1), dt.date(2017, 10, 18)),
    ("Standard", "7.99", False, dt.date(2017, 10, 19), dt.date(2019, 1, 14)),
    ("Basic", "6.99", False, dt.date(2022, 3, 10), dt.date(2023, 7, 18)),
    ("Standard", "10.99", False, dt.date(2022, 3, 10), None),
    ("Standard with adverts", "4.99", True, dt.date(2022, 11, 3), None),
]


def at(year: int, month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=dt.UTC)


@pytest.fixture
def netflix(db: None) -> Provider:
    provider = Provider.objects.create(
        name="Netflix", slug="netflix", regions=["GB", "US"], tmdb_id=8, display_priority=1
    )
    for name, price, ads, start, end in NETFLIX_GB:
        Plan.objects.create(
            provider=provider,
            name=name,
            region="GB",
            currency="GBP",
            price=Decimal(price),
            has_ads=ads,
            valid_from=start,
            valid_to=end,
            source_url="https://example.org/netflix-prices",
        )
    return provider


@pytest.fixture
def platforms(netflix: Provider) -> dict[str, Platform]:
    made = {}
    for name, slug in (
        ("Sky Glass", "sky-glass"),
        ("Virgin Media Stream", "virgin-media-stream"),
        ("Roku", "roku"),
    ):
        made[slug] = Platform.objects.create(name=name, slug=slug, kind="tv")
    for slug in ("sky-glass", "virgin-media-stream"):
        PlatformProvider.objects.create(
            platform=made[slug], provider=netflix, region="GB", source="article"
        )
    return made


@pytest.fixture
def heartstopper_on_netflix(
    heartstopper: Title, netflix: Provider, platforms: dict[str, Platform]
) -> Offer:
    return Offer.objects.create(
        title=heartstopper,
        provider=netflix,
        region="GB",
        monetization="subscription",
        seasons=[1, 2],
    )


@pytest.fixture
def store(db: None) -> Provider:
    return Provider.objects.create(
        name="Apple TV Store", slug="apple-tv-store", kind="store", regions=["GB"]
    )


@pytest.fixture
def iplayer(db: None) -> Provider:
    return Provider.objects.create(
        name="BBC iPlayer", slug="bbc-iplayer", kind="free", regions=["GB"]
    )
