"""Streaming: providers (services), their plans with a price history, device platforms that
carry their apps, and offers: where a title (or some of its seasons) can be watched, per region.

Money is ``Decimal`` with an ISO 4217 currency; regions are ISO 3166-1 alpha-2 codes; every
plan and offer has a validity window, and queries take the instant to answer for.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from telly.catalog.models import Season, Sourced, Title


class ProviderKind(models.TextChoices):
    SUBSCRIPTION = "subscription", "Subscription"
    FREE = "free", "Free"
    ADS = "ads", "Free with adverts"
    STORE = "store", "Rent or buy"


class Provider(Sourced):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(
        max_length=12, choices=ProviderKind.choices, default=ProviderKind.SUBSCRIPTION
    )
    regions = models.JSONField(
        default=list, blank=True, help_text="ISO 3166-1 codes where it operates"
    )
    homepage = models.URLField(blank=True)
    logo_url = models.URLField(blank=True)
    tmdb_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    justwatch_id = models.PositiveIntegerField(null=True, blank=True)
    aliases = models.JSONField(
        default=list, blank=True, help_text="Other names feeds use, e.g. 'Amazon Prime Video'"
    )
    display_priority = models.PositiveIntegerField(default=100)

    class Meta:
        ordering = ["display_priority", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("streaming:provider", args=[self.slug])


class BillingPeriod(models.TextChoices):
    MONTH = "month", "month"
    YEAR = "year", "year"
    WEEK = "week", "week"
    DAY = "day", "day"


class PlanQuerySet(models.QuerySet["Plan"]):
    def valid_on(self, day: dt.date) -> PlanQuerySet:
        """Prices in force on ``day`` (both ends inclusive; an empty end is open)."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def in_region(self, region: str) -> PlanQuerySet:
        return self.filter(region=region)

    def history(self) -> PlanQuerySet:
        """Every price, oldest first within each plan: the rows of a price-history chart."""
        return self.order_by("region", "name", F("valid_from").asc(nulls_first=True))


class Plan(Sourced):
    """One price of one plan in one region, in force from ``valid_from`` to ``valid_to``
    (inclusive; empty = open). A price change is a new row, so the rows form a history."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="plans")
    name = models.CharField(max_length=120)
    region = models.CharField(max_length=2, db_index=True)
    currency = models.CharField(max_length=3)
    price = models.DecimalField(max_digits=9, decimal_places=2)
    period = models.CharField(
        max_length=8, choices=BillingPeriod.choices, default=BillingPeriod.MONTH
    )
    has_ads = models.BooleanField(default=False)
    streams = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Screens at once")
    quality = models.CharField(max_length=8, blank=True, help_text="SD, HD, 4K")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    source_url = models.URLField(blank=True, max_length=500)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["provider", "region", "name", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "region", "name", "valid_from"], name="plan_unique_price_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.name} ({self.region}) {self.currency} {self.price}/{self.period}"

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def period_enum(self) -> BillingPeriod:
        return BillingPeriod(self.period)

    @property
    def monthly_price(self) -> Decimal:
        factor = {
            "month": Decimal(1),
            "year": Decimal(1) / 12,
            "week": Decimal(52) / 12,
            "day": Decimal(365) / 12,
        }
        return (self.price * factor[self.period]).quantize(Decimal("0.01"))


class Platform(Sourced):
    """A device or service people watch on: Sky Glass, Virgin Media Stream, Roku, Fire TV..."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(
        max_length=20, blank=True, help_text="tv, box, stick, console, web, mobile"
    )
    providers = models.ManyToManyField(
        Provider, through="PlatformProvider", related_name="platforms"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlatformProvider(models.Model):
    """A provider's app is on a platform in a region."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="carriage")
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="carriage")
    region = models.CharField(max_length=2)
    source = models.CharField(max_length=300, blank=True)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "provider", "region"], name="platform_provider_region"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} on {self.platform} ({self.region})"


class Monetization(models.TextChoices):
    SUBSCRIPTION = "subscription", "Subscription"
    FREE = "free", "Free"
    ADS = "ads", "Free with adverts"
    RENT = "rent", "Rent"
    BUY = "buy", "Buy"

    @property
    def rank(self) -> int:
        """Cheapest way first: free, with adverts, subscription, rent, buy."""
        return ["free", "ads", "subscription", "rent", "buy"].index(self.value)


class OfferQuerySet(models.QuerySet["Offer"]):
    def available(self, region: str, at: dt.datetime | None = None) -> OfferQuerySet:
        """Offers in ``region`` valid at ``at`` (now by default)."""
        return self.filter(region=region).current(at)

    def current(self, at: dt.datetime | None = None) -> OfferQuerySet:
        """Offers in any region valid at ``at`` (now by default)."""
        at = at or timezone.now()
        return self.filter(Q(available_from__isnull=True) | Q(available_from__lte=at)).filter(
            Q(available_until__isnull=True) | Q(available_until__gt=at)
        )

    def leaving_before(self, until: dt.datetime, at: dt.datetime | None = None) -> OfferQuerySet:
        at = at or timezone.now()
        return self.filter(available_until__gt=at, available_until__lte=until)


class Offer(Sourced):
    """A way to watch a title (or some of its seasons) on a provider in a region."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="offers")
    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, null=True, blank=True, related_name="offers"
    )
    seasons = models.JSONField(
        default=list, blank=True, help_text="Season numbers it covers; empty = all known"
    )
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="offers")
    region = models.CharField(max_length=2)
    monetization = models.CharField(max_length=12, choices=Monetization.choices)
    price = models.DecimalField(
        max_digits=9, decimal_places=2, null=True, blank=True, help_text="Rent/buy price"
    )
    currency = models.CharField(max_length=3, blank=True)
    quality = models.CharField(max_length=8, blank=True, help_text="SD, HD, 4K")
    url = models.URLField(blank=True, max_length=500)
    available_from = models.DateTimeField(null=True, blank=True)
    available_until = models.DateTimeField(null=True, blank=True)
    last_seen = models.DateTimeField(default=timezone.now)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["title", "region", "monetization"]
        constraints = [
            models.UniqueConstraint(
                fields=["title", "provider", "region", "monetization", "quality"],
                condition=Q(season__isnull=True),
                name="offer_unique_title",
            ),
            models.UniqueConstraint(
                fields=["title", "season", "provider", "region", "monetization", "quality"],
                condition=Q(season__isnull=False),
                name="offer_unique_season",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "provider", "available_from"]),
            models.Index(fields=["title", "region"]),
            # "Leaving soon" scans a region's offers by end date.
            models.Index(fields=["region", "available_until"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} on {self.provider} ({self.region}, {self.monetization})"

    @property
    def monetization_enum(self) -> Monetization:
        return Monetization(self.monetization)

    @property
    def seasons_label(self) -> str:
        """``[1, 2]`` → ``Seasons 1–2``; ``[1, 3]`` → ``Seasons 1, 3``; empty → ``""`` (all)."""
        numbers = sorted({int(n) for n in self.seasons or []})
        if self.season_id and not numbers:
            numbers = [self.season.number]
        if not numbers:
            return ""
        if len(numbers) == 1:
            return f"Season {numbers[0]}"
        if numbers == list(range(numbers[0], numbers[-1] + 1)):
            return f"Seasons {numbers[0]}–{numbers[-1]}"
        return "Seasons " + ", ".join(str(n) for n in numbers)

    def is_available_at(self, at: dt.datetime) -> bool:
        return (self.available_from is None or self.available_from <= at) and (
            self.available_until is None or at < self.available_until
        )
