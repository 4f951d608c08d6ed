"""Newsletters: lists readers can join, the subscribers and what they consented to, campaigns
(written by an editor or generated as a personalised digest) and one ``Send`` per recipient per
campaign.

A subscriber is ``pending`` until the confirmation link is followed (double opt-in); only
``confirmed`` subscribers with an active ``Subscription`` ever receive a campaign. ``Consent``
rows are append-only evidence: the wording version shown, when, for which list and from which
page, with at most a keyed hash of the client (never a raw IP address).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from telly.catalog.models import Genre
from telly.streaming.models import Provider


class DigestSection(models.TextChoices):
    """The parts a generated digest can have; each is left out when it has nothing to say."""

    NEW_ON_SERVICES = "new", "New on your services"
    PREMIERES = "premieres", "Premieres and finales"
    LEAVING = "leaving", "Leaving soon"
    TONIGHT = "tonight", "On TV tonight"
    COVERAGE = "coverage", "Latest coverage"


class Cadence(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    OCCASIONAL = "occasional", "When there is news"

    @property
    def window(self) -> dt.timedelta:
        """How far ahead (and back) a digest of this cadence looks."""
        return dt.timedelta(days=1) if self is Cadence.DAILY else dt.timedelta(days=7)


class Newsletter(models.Model):
    """A list readers can join: "What's new to stream this week", "Drama", "TV tonight"."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    cadence = models.CharField(max_length=12, choices=Cadence.choices, default=Cadence.WEEKLY)
    sections = models.JSONField(
        default=list,
        blank=True,
        help_text='Digest sections, e.g. ["new", "leaving"]; empty = editorial only',
    )
    genre = models.ForeignKey(
        Genre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newsletters",
        help_text="Narrow digests to one genre (e.g. Drama)",
    )
    is_public = models.BooleanField(default=True, help_text="Offered on sign-up forms")
    order = models.PositiveSmallIntegerField(default=100)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("newsletters:index") + f"#list-{self.slug}"

    @property
    def digest_sections(self) -> list[DigestSection]:
        return [DigestSection(s) for s in self.sections if s in DigestSection.values]


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    SUSPENDED = "suspended", "Suspended (hard bounce)"


class Frequency(models.TextChoices):
    EVERY = "every", "Every issue"
    WEEKLY = "weekly", "At most one email a week"


class SubscriberQuerySet(models.QuerySet["Subscriber"]):
    def reachable(self) -> SubscriberQuerySet:
        return self.filter(status=SubscriberStatus.CONFIRMED)

    def due_for(self, newsletter: Newsletter, at: dt.datetime) -> SubscriberQuerySet:
        """Confirmed subscribers of ``newsletter`` whose frequency allows an email at ``at``."""
        week_ago = at - dt.timedelta(days=6, hours=12)
        return (
            self.reachable()
            .filter(
                subscriptions__newsletter=newsletter,
                subscriptions__confirmed_at__isnull=False,
                subscriptions__ended_at__isnull=True,
            )
            .filter(
                Q(frequency=Frequency.EVERY)
                | Q(last_sent_at__isnull=True)
                | Q(last_sent_at__lt=week_ago)
            )
        )


class Subscriber(models.Model):
    email = models.EmailField(max_length=254, unique=True, help_text="Stored in lower case")
    status = models.CharField(
        max_length=12,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.PENDING,
        db_index=True,
    )
    region = models.CharField(max_length=2, default="GB")
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.EVERY)
    providers = models.ManyToManyField(
        Provider, blank=True, related_name="newsletter_subscribers", help_text="My services"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newsletter_subscribers",
    )
    # Bumped to invalidate every link already sent (e.g. after a data request).
    token_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspended_reason = models.CharField(max_length=300, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def is_reachable(self) -> bool:
        return self.status == SubscriberStatus.CONFIRMED


class Subscription(models.Model):
    """A subscriber on one list. Active once confirmed and until ended."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="subscriptions"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "newsletter"], name="subscription_once")
        ]
        indexes = [models.Index(fields=["newsletter", "confirmed_at", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.subscriber} on {self.newsletter}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.ended_at is None


class ConsentAction(models.TextChoices):
    REQUESTED = "requested", "Asked to join (sign-up form)"
    CONFIRMED = "confirmed", "Confirmed by email link"
    WITHDRAWN = "withdrawn", "Withdrawn (unsubscribed)"


class Consent(models.Model):
    """Append-only evidence of what a subscriber agreed to, and when."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.SET_NULL, null=True, blank=True, related_name="consents"
    )
    action = models.CharField(max_length=10, choices=ConsentAction.choices)
    wording_version = models.CharField(max_length=20)
    at = models.DateTimeField(default=timezone.now)
    source_page = models.CharField(
        max_length=500, blank=True, help_text="Path of the page the form was on"
    )
    client_hash = models.CharField(
        max_length=64, blank=True, help_text="Keyed hash of the client address; never the address"
    )

    class Meta:
        ordering = ["subscriber", "at"]

    def __str__(self) -> str:
        return f"{self.subscriber} {self.action} {self.newsletter or 'all lists'} ({self.wording_version})"


class CampaignKind(models.TextChoices):
    EDITORIAL = "editorial", "Written by an editor"
    DIGEST = "digest", "Personalised digest"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    SENDING = "sending", "Sending"
    PAUSED = "paused", "Paused"
    SENT = "sent", "Sent"
    CANCELLED = "cancelled", "Cancelled"


class Campaign(models.Model):
    newsletter = models.ForeignKey(Newsletter, on_delete=models.PROTECT, related_name="campaigns")
    kind = models.CharField(
        max_length=10, choices=CampaignKind.choices, default=CampaignKind.EDITORIAL
    )
    subject = models.CharField(max_length=200)
    preheader = models.CharField(
        max_length=200, blank=True, help_text="The line inboxes show after the subject"
    )
    body = models.TextField(
        blank=True,
        help_text="Markdown. Link titles and articles with their paths, e.g. /shows/heartstopper/",
    )
    status = models.CharField(
        max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT, db_index=True
    )
    scheduled_at = models.DateTimeField(
        null=True, blank=True, help_text="When sending starts (UTC)"
    )
    # The instant a digest describes ("this week" as of then); fixed so every recipient gets
    # the same week even if sending takes hours.
    as_of = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Which delivery chain owns the campaign and when it last made progress (see delivery.py).
    chain_token = models.CharField(max_length=32, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.newsletter}: {self.subject}"


class SendStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    CLAIMED = "claimed", "Claimed by a worker"
    SENT = "sent", "Sent"
    DEFERRED = "deferred", "Deferred (temporary failure, will retry)"
    BOUNCED = "bounced", "Bounced (permanent failure)"
    FAILED = "failed", "Failed (gave up after retries)"
    SKIPPED = "skipped", "Skipped (no longer subscribed)"

    @classmethod
    def open(cls) -> list[SendStatus]:
        return [cls.QUEUED, cls.CLAIMED, cls.DEFERRED]  # type: ignore[list-item]


class Send(models.Model):
    """One campaign to one recipient. Unique, so no one can be queued twice; claimed with a
    conditional UPDATE so two workers never send it twice."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sends")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="sends")
    status = models.CharField(max_length=10, choices=SendStatus.choices, default=SendStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=40, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Fixed when the row is created: a resend after a crash carries the same Message-ID, so a
    # receiving system can recognise it as the same message.
    message_id = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "subscriber"], name="send_once_per_recipient"
            )
        ]
        indexes = [models.Index(fields=["campaign", "status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.subscriber_id}: {self.status}"
