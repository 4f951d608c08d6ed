"""Joining, confirming, changing and leaving lists: the subscriber's side of newsletters.

Everything a form or a link does goes through these functions, so the rules live in one place:
- double opt-in: a sign-up only creates *pending* subscriptions and (at most once per
  ``TELLY_NEWSLETTER_CONFIRM_RESEND_HOURS``) a confirmation email; nothing else is sent until the
  link in it is followed;
- a sign-up can never change what a confirmed subscriber already has (someone typing another
  person's address can at most trigger one confirmation email);
- leaving takes effect at once: open sends to that subscriber are skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from telly.newsletters import consent
from telly.newsletters.models import (
    Consent,
    ConsentAction,
    Frequency,
    Newsletter,
    Send,
    SendStatus,
    Subscriber,
    SubscriberStatus,
    Subscription,
)
from telly.streaming.models import Provider


def normalise_email(address: str) -> str:
    """Addresses are compared case-insensitively (every mailbox provider that matters does)."""
    return address.strip().lower()


@dataclass(frozen=True)
class SignupRequest:
    email: str
    newsletters: list[Newsletter]
    region: str
    source_page: str = ""
    client_hash: str = ""
    wording_version: str = consent.CURRENT_VERSION


def request_signup(signup: SignupRequest, at: dt.datetime | None = None) -> Subscriber | None:
    """Record a sign-up; returns the subscriber to send a confirmation to, or None when no
    email should go out (nothing new asked for, or one was sent recently)."""
    at = at or timezone.now()
    email = normalise_email(signup.email)
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            email=email,
            defaults={"region": signup.region, "created_at": at, "user": _user_with(email)},
        )
        if subscriber.status in (SubscriberStatus.UNSUBSCRIBED, SubscriberStatus.SUSPENDED):
            # Coming back needs a fresh confirmation, like a first sign-up.
            subscriber.status = SubscriberStatus.PENDING
            subscriber.region = signup.region
            subscriber.save(update_fields=["status", "region"])
        elif subscriber.status == SubscriberStatus.PENDING and not created:
            subscriber.region = signup.region
            subscriber.save(update_fields=["region"])

        existing = {s.newsletter_id: s for s in subscriber.subscriptions.all()}
        asked_for = []
        for newsletter in signup.newsletters:
            subscription = existing.get(newsletter.pk)
            if subscription is not None and subscription.is_active and subscriber.is_reachable:
                continue
            if subscription is None:
                Subscription.objects.create(
                    subscriber=subscriber, newsletter=newsletter, requested_at=at
                )
            elif subscription.confirmed_at is not None or subscription.ended_at is not None:
                subscription.requested_at, subscription.confirmed_at, subscription.ended_at = (
                    at,
                    None,
                    None,
                )
                subscription.save(update_fields=["requested_at", "confirmed_at", "ended_at"])
            asked_for.append(newsletter)
        Consent.objects.bulk_create(
            Consent(
                subscriber=subscriber,
                newsletter=n,
                action=ConsentAction.REQUESTED,
                at=at,
                wording_version=signup.wording_version,
                source_page=signup.source_page[:500],
                client_hash=signup.client_hash,
            )
            for n in asked_for
        )
        if not asked_for:
            return None
        resend_after = dt.timedelta(hours=settings.TELLY_NEWSLETTER_CONFIRM_RESEND_HOURS)
        if subscriber.confirmation_sent_at and at - subscriber.confirmation_sent_at < resend_after:
            return None  # the link already on its way confirms these lists too
        subscriber.confirmation_sent_at = at
        subscriber.save(update_fields=["confirmation_sent_at"])
    return subscriber


def _user_with(email: str) -> object | None:
    """The account with this address, if exactly one: its profile's services then fill a
    digest when the subscriber has not chosen any."""
    from django.contrib.auth import get_user_model

    users = list(get_user_model().objects.filter(email__iexact=email)[:2])
    return users[0] if len(users) == 1 else None


def pending_newsletters(subscriber: Subscriber) -> list[Newsletter]:
    return list(
        Newsletter.objects.filter(
            subscriptions__subscriber=subscriber,
            subscriptions__confirmed_at__isnull=True,
            subscriptions__ended_at__isnull=True,
        )
    )


def confirm(subscriber: Subscriber, at: dt.datetime | None = None) -> list[Newsletter]:
    """Follow the confirmation link: the subscriber and every pending list become active.
    Idempotent; returns the lists confirmed now."""
    at = at or timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        pending = list(
            subscriber.subscriptions.filter(
                confirmed_at__isnull=True, ended_at__isnull=True
            ).select_related("newsletter")
        )
        if subscriber.status != SubscriberStatus.CONFIRMED:
            subscriber.status = SubscriberStatus.CONFIRMED
            subscriber.confirmed_at = subscriber.confirmed_at or at
            subscriber.unsubscribed_at = None
            subscriber.suspended_at, subscriber.suspended_reason = None, ""
            subscriber.save(
                update_fields=[
                    "status",
                    "confirmed_at",
                    "unsubscribed_at",
                    "suspended_at",
                    "suspended_reason",
                ]
            )
        if not pending:
            return []
        # The confirmation in flight has been used: a later sign-up may send a new one.
        Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=None)
        Subscription.objects.filter(pk__in=[s.pk for s in pending]).update(confirmed_at=at)
        requested = {
            c.newsletter_id: c
            for c in subscriber.consents.filter(action=ConsentAction.REQUESTED).order_by("at")
        }
        Consent.objects.bulk_create(
            Consent(
                subscriber=subscriber,
                newsletter=s.newsletter,
                action=ConsentAction.CONFIRMED,
                at=at,
                wording_version=getattr(
                    requested.get(s.newsletter_id), "wording_version", consent.CURRENT_VERSION
                ),
                source_page=getattr(requested.get(s.newsletter_id), "source_page", ""),
            )
            for s in pending
        )
    return [s.newsletter for s in pending]


def unsubscribe(
    subscriber: Subscriber,
    newsletter: Newsletter | None = None,
    *,
    source: str = "",
    at: dt.datetime | None = None,
) -> list[Newsletter]:
    """Leave one list (or all with ``newsletter=None``) at once; returns the lists left.
    With no list left the subscriber is marked unsubscribed and receives nothing more."""
    at = at or timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        active = subscriber.subscriptions.filter(ended_at__isnull=True).select_related("newsletter")
        if newsletter is not None:
            active = active.filter(newsletter=newsletter)
        leaving = list(active)
        Subscription.objects.filter(pk__in=[s.pk for s in leaving]).update(ended_at=at)
        Consent.objects.bulk_create(
            Consent(
                subscriber=subscriber,
                newsletter=s.newsletter,
                action=ConsentAction.WITHDRAWN,
                at=at,
                wording_version=consent.CURRENT_VERSION,
                source_page=source[:500],
            )
            for s in leaving
        )
        still_on = subscriber.subscriptions.filter(
            ended_at__isnull=True, confirmed_at__isnull=False
        ).exists()
        if not still_on and subscriber.status in (
            SubscriberStatus.CONFIRMED,
            SubscriberStatus.PENDING,
        ):
            subscriber.status = SubscriberStatus.UNSUBSCRIBED
            subscriber.unsubscribed_at = at
            subscriber.save(update_fields=["status", "unsubscribed_at"])
        _skip_open_sends(subscriber, [s.newsletter_id for s in leaving] if still_on else None)
    return [s.newsletter for s in leaving]


def suspend(subscriber_id: int, reason: str, at: dt.datetime | None = None) -> None:
    """A hard bounce: the address does not exist or refuses us. Nothing more is sent to it
    until its owner signs up (and confirms) again."""
    at = at or timezone.now()
    with transaction.atomic():
        Subscriber.objects.filter(pk=subscriber_id).exclude(
            status=SubscriberStatus.SUSPENDED
        ).update(status=SubscriberStatus.SUSPENDED, suspended_at=at, suspended_reason=reason[:300])
        subscriber = Subscriber.objects.get(pk=subscriber_id)
        _skip_open_sends(subscriber, None)


def _skip_open_sends(subscriber: Subscriber, newsletter_ids: list[int] | None) -> None:
    # Claimed rows are left alone: their worker is mid-send and records the outcome itself.
    sends = Send.objects.filter(
        subscriber=subscriber, status__in=[SendStatus.QUEUED, SendStatus.DEFERRED]
    )
    if newsletter_ids is not None:
        sends = sends.filter(campaign__newsletter_id__in=newsletter_ids)
    sends.update(status=SendStatus.SKIPPED, last_error="no longer subscribed")


def update_preferences(
    subscriber: Subscriber,
    *,
    newsletters: Iterable[Newsletter],
    region: str,
    frequency: Frequency | str,
    providers: Iterable[Provider],
    at: dt.datetime | None = None,
) -> None:
    """Save the preference centre. The link came from the subscriber's own mailbox, which is
    the proof double opt-in asks for, so lists added here are active at once."""
    at = at or timezone.now()
    wanted = {n.pk: n for n in newsletters}
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        subscriber.region = region
        subscriber.frequency = Frequency(frequency)
        subscriber.save(update_fields=["region", "frequency"])
        subscriber.providers.set(list(providers))
        current = {s.newsletter_id: s for s in subscriber.subscriptions.all()}
        leaving = [s for nid, s in current.items() if nid not in wanted and s.ended_at is None]
        joining = [
            n for nid, n in wanted.items() if nid not in current or not current[nid].is_active
        ]
        for newsletter in joining:
            Subscription.objects.update_or_create(
                subscriber=subscriber,
                newsletter=newsletter,
                defaults={"requested_at": at, "confirmed_at": at, "ended_at": None},
            )
        Subscription.objects.filter(pk__in=[s.pk for s in leaving]).update(ended_at=at)
        records = [
            Consent(
                subscriber=subscriber,
                newsletter=n,
                action=ConsentAction.CONFIRMED,
                at=at,
                wording_version=consent.CURRENT_VERSION,
                source_page="preference centre",
            )
            for n in joining
        ] + [
            Consent(
                subscriber=subscriber,
                newsletter_id=s.newsletter_id,
                action=ConsentAction.WITHDRAWN,
                at=at,
                wording_version=consent.CURRENT_VERSION,
                source_page="preference centre",
            )
            for s in leaving
        ]
        Consent.objects.bulk_create(records)
        if wanted and subscriber.status != SubscriberStatus.CONFIRMED:
            # Back on (after leaving, or after a bounce): the link came from their mailbox.
            subscriber.status, subscriber.unsubscribed_at = SubscriberStatus.CONFIRMED, None
            subscriber.suspended_at, subscriber.suspended_reason = None, ""
            subscriber.save(
                update_fields=["status", "unsubscribed_at", "suspended_at", "suspended_reason"]
            )
        elif not wanted and subscriber.status == SubscriberStatus.CONFIRMED:
            subscriber.status, subscriber.unsubscribed_at = SubscriberStatus.UNSUBSCRIBED, at
            subscriber.save(update_fields=["status", "unsubscribed_at"])
        if leaving:
            _skip_open_sends(subscriber, [s.newsletter_id for s in leaving])


def expire_pending(at: dt.datetime | None = None) -> int:
    """Forget sign-ups nobody confirmed in time (the address and its consent rows with them);
    returns how many subscribers were removed. Unconfirmed extra lists of confirmed subscribers
    are dropped too."""
    at = at or timezone.now()
    cutoff = at - dt.timedelta(days=settings.TELLY_NEWSLETTER_CONFIRM_DAYS)
    Subscription.objects.filter(confirmed_at__isnull=True, requested_at__lt=cutoff).filter(
        Q(subscriber__status=SubscriberStatus.CONFIRMED) | Q(subscriber__confirmed_at__isnull=False)
    ).delete()
    _, removed = (
        Subscriber.objects.filter(status=SubscriberStatus.PENDING, confirmed_at__isnull=True)
        .filter(
            Q(confirmation_sent_at__lt=cutoff)
            | Q(confirmation_sent_at__isnull=True, created_at__lt=cutoff)
        )
        .delete()
    )
    return removed.get(Subscriber._meta.label, 0)
