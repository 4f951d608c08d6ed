"""Broadcast listings: channels, their numbers on each platform (line-ups) and airings.

Every instant is stored in UTC. An airing covers the half-open interval ``[start, stop)``, so a
programme ending at 21:00 and the next one starting at 21:00 never both count as "on now".
Queries take the instant to answer for (``at``), never reading the clock themselves unless
told nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from telly.catalog.models import Episode, Sourced, Title
from telly.catalog.text import make_slug
from telly.streaming.models import Provider


class LineupPlatform(models.TextChoices):
    """The TV platforms whose channel numbers we list."""

    FREEVIEW = "freeview", "Freeview"
    FREESAT = "freesat", "Freesat"
    SKY = "sky", "Sky"
    VIRGIN = "virgin", "Virgin Media"
    XMLTV = "xmltv", "XMLTV source"


class ChannelQuerySet(models.QuerySet["Channel"]):
    def in_region(self, region: str) -> ChannelQuerySet:
        return self.filter(region=region.upper(), is_active=True)

    def on_platform(self, platform: str) -> ChannelQuerySet:
        return self.filter(lineups__platform=platform).distinct()

    def in_guide_order(self, platform: str | None = None) -> ChannelQuerySet:
        """Channels ordered by their number on ``platform`` (unnumbered last), then by name."""
        if platform:
            number = models.Min("lineups__number", filter=Q(lineups__platform=platform))
            return self.annotate(guide_number=number).order_by(
                models.F("guide_number").asc(nulls_last=True), "sort_order", "name"
            )
        return self.order_by("sort_order", "name")


class Channel(Sourced):
    """A broadcast channel: "BBC One", "ITV1", "Channel 4".

    ``xmltv_id`` is the id XMLTV files use for it (``BBCOne.uk``); ``catchup_provider`` is the
    service that carries its programmes afterwards (BBC One → BBC iPlayer).
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    region = models.CharField(
        max_length=2, default="GB", db_index=True, help_text="ISO 3166-1 code"
    )
    xmltv_id = models.CharField(max_length=200, blank=True, db_index=True)
    logo_url = models.URLField(blank=True, max_length=500)
    catchup_provider = models.ForeignKey(
        Provider, on_delete=models.SET_NULL, null=True, blank=True, related_name="channels"
    )
    language = models.CharField(max_length=8, blank=True)
    is_hd = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveIntegerField(
        default=10_000, help_text="Lower comes first in the guide"
    )
    external_ids = models.JSONField(
        default=dict, blank=True, help_text='Ids per source, e.g. {"freeview": "64257#4164"}'
    )

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["xmltv_id"], condition=~Q(xmltv_id=""), name="channel_unique_xmltv_id"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = self.unique_slug()
        super().save(*args, **kwargs)

    def unique_slug(self) -> str:
        base = make_slug(self.name, "channel")
        taken = set(Channel.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        return slug

    def get_absolute_url(self) -> str:
        return reverse("listings:channel", args=[self.slug])


class Lineup(models.Model):
    """A channel's number on one platform in one region: BBC One is 1 on Freeview, 101 on Sky."""

    platform = models.CharField(max_length=12, choices=LineupPlatform.choices)
    region = models.CharField(max_length=2, default="GB")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="lineups")
    number = models.PositiveIntegerField(
        null=True, blank=True, help_text="Channel number, if known"
    )
    service_id = models.CharField(max_length=60, blank=True, help_text="The platform's own id")
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["platform", "number", "channel__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "region", "channel"], name="lineup_unique_channel"
            )
        ]
        indexes = [models.Index(fields=["platform", "region", "number"])]

    def __str__(self) -> str:
        number = self.number if self.number is not None else "?"
        return f"{self.channel} {number} on {self.get_platform_display()}"


class AiringQuerySet(models.QuerySet["Airing"]):
    def _region(self, region: str | None) -> AiringQuerySet:
        return (
            self.filter(channel__region=region.upper(), channel__is_active=True) if region else self
        )

    def on_now(self, region: str | None = None, at: dt.datetime | None = None) -> AiringQuerySet:
        """Airings showing at ``at`` (now by default): ``start <= at < stop``."""
        at = at or timezone.now()
        return self._region(region).filter(start__lte=at, stop__gt=at)

    def on_between(
        self, start: dt.datetime, stop: dt.datetime, region: str | None = None
    ) -> AiringQuerySet:
        """Airings that overlap ``[start, stop)`` at all, earliest first."""
        return self._region(region).filter(start__lt=stop, stop__gt=start).order_by("start")

    def starting_between(
        self, start: dt.datetime, stop: dt.datetime, region: str | None = None
    ) -> AiringQuerySet:
        return self._region(region).filter(start__gte=start, start__lt=stop).order_by("start")

    def for_title(self, title: Title | int, after: dt.datetime | None = None) -> AiringQuerySet:
        """A title's airings that have not ended by ``after`` (now by default), soonest first."""
        after = after or timezone.now()
        title_id = title if isinstance(title, int) else title.pk
        return (
            self.filter(title_id=title_id, stop__gt=after)
            .select_related("channel", "episode")
            .order_by("start", "channel__sort_order")
        )

    def tonights_picks(
        self, region: str, tz: dt.tzinfo, at: dt.datetime | None = None, limit: int = 8
    ) -> list[Airing]:
        """The evening's best: prime-time (19:00–23:00 local) airings that are new, premieres,
        finales or films, or linked to popular titles, one per title, best first.

        After 23:00 local the picks are tomorrow evening's.
        """
        at = at or timezone.now()
        local = at.astimezone(tz)
        day = local.date() if local.hour < 23 else local.date() + dt.timedelta(days=1)
        evening_start = dt.datetime.combine(day, dt.time(19), tzinfo=tz)
        evening_stop = dt.datetime.combine(day, dt.time(23), tzinfo=tz)
        start = max(evening_start, at)
        candidates = (
            self._region(region)
            .filter(start__gte=start - dt.timedelta(minutes=5), start__lt=evening_stop)
            .filter(
                Q(title__isnull=False) | Q(is_new=True) | Q(is_premiere=True) | Q(is_finale=True)
            )
            .select_related("channel", "title", "episode")
            .order_by("start")[:2000]
        )

        def score(airing: Airing) -> float:
            # Popularity only breaks ties: a long-running cartoon must not outrank a premiere.
            points = min(airing.title.popularity if airing.title else 0.0, 100.0) / 20
            points += 4 * (20 <= airing.start.astimezone(tz).hour < 22)  # the heart of the evening
            points += 30 * airing.is_premiere + 20 * airing.is_finale + 10 * airing.is_new
            points += 5 * (airing.title is not None) - 15 * airing.is_repeat
            return points

        picks: list[Airing] = []
        seen: set[str] = set()
        for airing in sorted(candidates, key=lambda a: (-score(a), a.start)):
            key = str(airing.title_id or airing.raw_title.casefold())
            if key not in seen:
                seen.add(key)
                picks.append(airing)
            if len(picks) == limit:
                break
        return sorted(picks, key=lambda a: (a.start, a.channel.sort_order))


class AiringFacts:
    """What a guide shows of an airing, shared by the model and the light rows that
    "now & next" reads (``telly.listings.queries.NowNextAiring``)."""

    start: dt.datetime
    stop: dt.datetime
    season_number: int | None
    episode_number: int | None
    is_premiere: bool
    is_finale: bool
    is_new: bool
    is_live: bool
    is_repeat: bool
    is_hd: bool
    has_subtitles: bool
    has_audio_description: bool
    has_signing: bool

    @property
    def duration(self) -> dt.timedelta:
        return self.stop - self.start

    @property
    def duration_minutes(self) -> int:
        return int(self.duration.total_seconds() // 60)

    @property
    def episode_code(self) -> str:
        if self.season_number is not None and self.episode_number is not None:
            return f"S{self.season_number:02d}E{self.episode_number:02d}"
        if self.episode_number is not None:
            return f"E{self.episode_number:02d}"
        return ""

    @property
    def flags(self) -> list[str]:
        """Short labels for the badges a guide shows, in a stable order."""
        labels = [
            (self.is_premiere, "Premiere"),
            (self.is_finale, "Finale"),
            (self.is_new and not self.is_premiere, "New"),
            (self.is_live, "Live"),
            (self.is_repeat, "Repeat"),
            (self.is_hd, "HD"),
            (self.has_subtitles, "S"),
            (self.has_audio_description, "AD"),
            (self.has_signing, "SL"),
        ]
        return [label for on, label in labels if on]

    def is_on_at(self, at: dt.datetime) -> bool:
        return self.start <= at < self.stop


class Airing(AiringFacts, models.Model):
    """One showing of a programme on a channel, from ``start`` to ``stop`` (UTC, half-open).

    ``raw_title``/``raw_subtitle`` keep what the listings said; ``title``/``episode`` link to
    the catalogue when a match was found. ``catchup_until`` is when the catch-up provider stops
    offering it (``catchup_from`` when it starts).
    """

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="airings")
    start = models.DateTimeField(help_text="UTC instant")
    stop = models.DateTimeField(help_text="UTC instant; end is exclusive")
    title = models.ForeignKey(
        Title, on_delete=models.SET_NULL, null=True, blank=True, related_name="airings"
    )
    episode = models.ForeignKey(
        Episode, on_delete=models.SET_NULL, null=True, blank=True, related_name="airings"
    )
    raw_title = models.CharField(max_length=400)
    raw_subtitle = models.CharField(max_length=400, blank=True)
    description = models.TextField(blank=True)
    season_number = models.PositiveSmallIntegerField(null=True, blank=True)
    episode_number = models.PositiveSmallIntegerField(null=True, blank=True)
    episode_total = models.PositiveSmallIntegerField(null=True, blank=True)
    part_number = models.PositiveSmallIntegerField(null=True, blank=True)
    part_total = models.PositiveSmallIntegerField(null=True, blank=True)
    onscreen_episode = models.CharField(
        max_length=60, blank=True, help_text="e.g. 'Series 4: Episode 7'"
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    categories = models.JSONField(default=list, blank=True)
    credits = models.JSONField(
        default=list, blank=True, help_text='[{"role": "actor", "name": "...", "character": "..."}]'
    )
    rating = models.CharField(max_length=30, blank=True, help_text="Age rating shown, e.g. 12")
    programme_id = models.CharField(max_length=200, blank=True, help_text="Source id, e.g. a CRID")
    series_id = models.CharField(max_length=200, blank=True)
    is_new = models.BooleanField(default=False)
    is_premiere = models.BooleanField(default=False)
    is_finale = models.BooleanField(default=False)
    is_repeat = models.BooleanField(default=False)
    is_live = models.BooleanField(default=False)
    has_subtitles = models.BooleanField(default=False)
    has_audio_description = models.BooleanField(default=False)
    has_signing = models.BooleanField(default=False)
    is_hd = models.BooleanField(default=False)
    catchup_from = models.DateTimeField(null=True, blank=True)
    catchup_until = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=30, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    objects = AiringQuerySet.as_manager()

    class Meta:
        ordering = ["channel", "start"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "start"], name="airing_unique_start"),
            models.CheckConstraint(
                condition=Q(stop__gt=models.F("start")), name="airing_stop_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["channel", "stop"]),
            models.Index(fields=["start"]),
            models.Index(fields=["title", "start"]),
        ]

    def __str__(self) -> str:
        return f"{self.raw_title} on {self.channel} at {self.start:%Y-%m-%d %H:%M}Z"

    def catchup_open(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return bool(
            self.catchup_until
            and self.catchup_until > at
            and (self.catchup_from or self.start) <= at
        )
