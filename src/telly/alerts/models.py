"""Alerts: what to tell whom and when, and the secret feed URLs (iCal, personal XMLTV).

One ``Alert`` row per (user, key): the key names the fact ("next-season:12:3",
"arrives:40") so the same fact can never make a second alert. Delivery claims rows with a
conditional UPDATE (``status=pending`` → ``sending`` with a lease), sends with a Message-ID
derived from the row, then marks it sent. A worker killed mid-batch leaves ``sending`` rows
whose lease expires; the next worker claims them again and resends with the same Message-ID.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from telly.catalog.models import Person, Title


class AlertKind(models.TextChoices):
    NEXT_SEASON = "next_season", "A followed series gets a date for its next season"
    NEW_EPISODE = "new_episode", "A new episode of a followed series airs or drops today"
    ARRIVING = "arriving", "A title on my watchlist arrives on one of my services"
    LEAVING = "leaving", "A title on my watchlist leaves one of my services within 7 days"
    NEW_CREDIT = "new_credit", "A followed person has a new credit"

    @property
    def setting_field(self) -> str:
        return f"on_{self.value}"


class Cadence(models.TextChoices):
    INSTANT = "instant", "As it happens"
    DIGEST = "digest", "One daily digest"


def _feed_secret() -> str:
    return secrets.token_urlsafe(24)


class AlertSettings(models.Model):
    """A user's alert switches, delivery and the secret for their personal feeds."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_settings"
    )
    email_enabled = models.BooleanField(default=True)
    apprise_url = models.CharField(
        max_length=500, blank=True, help_text="Optional; needs the apprise package"
    )
    cadence = models.CharField(max_length=8, choices=Cadence.choices, default=Cadence.INSTANT)
    digest_hour = models.PositiveSmallIntegerField(
        default=8, help_text="Local hour of the daily digest, 0-23"
    )
    on_next_season = models.BooleanField(default=True)
    on_new_episode = models.BooleanField(default=True)
    on_arriving = models.BooleanField(default=True)
    on_leaving = models.BooleanField(default=True)
    on_new_credit = models.BooleanField(default=True)
    feed_secret = models.CharField(max_length=64, unique=True, default=_feed_secret)
    xmltv_followed_only = models.BooleanField(
        default=False, help_text="Personal XMLTV: only airings of what I follow"
    )

    def __str__(self) -> str:
        return f"Alert settings of {self.user}"

    def wants(self, kind: str) -> bool:
        return bool(getattr(self, AlertKind(kind).setting_field))

    def rotate_feed_secret(self) -> None:
        """Revoke the old feed URLs by giving them a new secret."""
        self.feed_secret = _feed_secret()
        self.save(update_fields=["feed_secret"])


def alert_settings_for(user: Any) -> AlertSettings:
    try:
        return user.alert_settings
    except AlertSettings.DoesNotExist:
        found, _ = AlertSettings.objects.get_or_create(user=user)
        user.alert_settings = found
        return found


class AlertStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped (switched off)"


class Alert(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts"
    )
    key = models.CharField(max_length=120, help_text="Names the fact; unique per user")
    kind = models.CharField(max_length=12, choices=AlertKind.choices)
    title = models.ForeignKey(
        Title, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    headline = models.CharField(max_length=300)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(
        default=timezone.now, help_text="Not delivered before (digest time)"
    )
    status = models.CharField(
        max_length=8, choices=AlertStatus.choices, default=AlertStatus.PENDING
    )
    claimed_until = models.DateTimeField(
        null=True, blank=True, help_text="Lease of the worker sending it"
    )
    claimed_by = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="alert_unique_key")]
        indexes = [
            models.Index(fields=["status", "due_at"], name="alert_due"),
            models.Index(fields=["user", "status"], name="alert_by_user"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user}: {self.headline}"
