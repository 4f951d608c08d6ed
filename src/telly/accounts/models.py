"""Accounts: the viewer's profile (region, time zone, my services, my devices, my channels),
watchlist, follows (titles and people), watched episodes, and API tokens.

Every user has exactly one ``Profile`` (``user.profile``): it is made on sign-up by a
``post_save`` receiver and lazily by ``profile_for(user)`` for users who existed before.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from telly.catalog.models import Episode, Person, Title
from telly.listings.models import Channel
from telly.streaming.models import Plan, Platform, Provider


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    region = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166-1 alpha-2; empty = site default"
    )
    time_zone = models.CharField(
        max_length=64, blank=True, help_text="IANA name; empty = site default"
    )
    services = models.ManyToManyField(Provider, blank=True, related_name="subscribers")
    plans = models.ManyToManyField(Plan, blank=True, related_name="subscribers")
    platforms = models.ManyToManyField(Platform, blank=True, related_name="owners")
    channels = models.ManyToManyField(Channel, blank=True, related_name="viewers")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def region_or_default(self) -> str:
        return self.region or settings.TELLY_DEFAULT_REGION

    @property
    def time_zone_or_default(self) -> str:
        return self.time_zone or settings.TIME_ZONE


def profile_for(user: Any) -> Profile:
    """The user's profile, made now if the user predates profiles."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        profile, _ = Profile.objects.get_or_create(user=user)
        user.profile = profile
        return profile


class WatchlistItem(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watchlist"
    )
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="watchlisted_by")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-added_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "title"], name="watchlist_unique_title")
        ]
        # Alerts ask "who has this title on their watchlist?" for each changed title.
        indexes = [models.Index(fields=["title", "user"], name="watchlist_by_title")]

    def __str__(self) -> str:
        return f"{self.title} on {self.user}'s watchlist"


class Follow(models.Model):
    """A user follows a title (new seasons, episodes) or a person (new credits)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    title = models.ForeignKey(
        Title, on_delete=models.CASCADE, null=True, blank=True, related_name="followers"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="followers"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "title"],
                condition=Q(title__isnull=False),
                name="follow_unique_title",
            ),
            models.UniqueConstraint(
                fields=["user", "person"],
                condition=Q(person__isnull=False),
                name="follow_unique_person",
            ),
            models.CheckConstraint(
                condition=Q(title__isnull=False) ^ Q(person__isnull=False), name="follow_one_target"
            ),
        ]
        # Alerts ask "who follows this title / person?" for each changed row.
        indexes = [
            models.Index(fields=["title", "user"], name="follow_by_title"),
            models.Index(fields=["person", "user"], name="follow_by_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.title or self.person}"


class EpisodeWatch(models.Model):
    """An episode the user has watched (``title`` is kept beside it for per-series progress)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="episode_watches"
    )
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="watches")
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="episode_watches")
    watched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-watched_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "episode"], name="episode_watch_unique")
        ]
        indexes = [models.Index(fields=["user", "title"], name="episode_watch_by_title")]

    def __str__(self) -> str:
        return f"{self.user} watched {self.episode}"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def for_secret(self, secret: str) -> ApiToken | None:
        """The live token with this secret (only its SHA-256 is stored), or None."""
        if not secret or len(secret) > 200:
            return None
        return (
            self.select_related("user").filter(digest=_digest(secret), user__is_active=True).first()
        )


class ApiToken(models.Model):
    """A per-user API token: ``Authorization: Bearer <secret>``. Only a digest is stored; the
    secret is shown once when made. Deleting the row revokes it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=60, default="API token")
    prefix = models.CharField(max_length=8, help_text="The first characters, to tell tokens apart")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: Any, name: str = "API token") -> tuple[ApiToken, str]:
        """Make a token; returns it and its secret (not stored, show it once)."""
        secret = "tly_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name[:60] or "API token", prefix=secret[4:12], digest=_digest(secret)
        )
        return token, secret
