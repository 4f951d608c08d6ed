"""Background work for newsletters, run by ``telly worker`` (Django's tasks framework).

Tasks take primary keys, never model objects.

A campaign is sent by a *chain* of ``deliver_campaign`` tasks, each bounded in time so a
pause takes effect quickly and no task runs for hours. Each link of the chain writes a fresh
token on the campaign and, before it starts sending, enqueues a watchdog: the same task, due
one lease later, carrying that token. If the link finishes normally it enqueues its successor
at once; whichever of successor and watchdog runs first takes the campaign over (the token
changes) and the other finds the token moved on and does nothing. If the worker is killed, the
watchdog is the one that continues, after the lease, when the dead worker's claims have
expired too.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from telly.newsletters import delivery, emails, subscriptions
from telly.newsletters.models import Campaign, CampaignStatus, Subscriber, SubscriberStatus

# One link of a delivery chain sends for at most this long, so a worker asked to stop
# (SIGTERM) finishes its current task within it.
CHUNK_SECONDS = 30.0


@task()
def send_confirmation(subscriber_id: int) -> bool:
    subscriber = Subscriber.objects.filter(
        pk=subscriber_id, status=SubscriberStatus.PENDING
    ).first()
    if subscriber is None:
        # A confirmed subscriber asking for more lists also gets one: look again without the status.
        subscriber = (
            Subscriber.objects.filter(pk=subscriber_id)
            .exclude(status=SubscriberStatus.SUSPENDED)
            .first()
        )
    if subscriber is None:
        return False
    newsletters = subscriptions.pending_newsletters(subscriber)
    if not newsletters:
        return False
    emails.confirmation_email(subscriber, newsletters).send()
    return True


def _take_over(campaign_id: int, chain: str) -> str | None:
    """Claim the campaign for a new link of the chain; None if another link owns it now."""
    token = uuid.uuid4().hex
    campaigns = Campaign.objects.filter(
        pk=campaign_id, status__in=[CampaignStatus.SENDING, CampaignStatus.SCHEDULED]
    )
    if chain:
        campaigns = campaigns.filter(chain_token=chain)
    taken = campaigns.update(chain_token=token, heartbeat_at=timezone.now())
    return token if taken else None


def _can_defer() -> bool:
    return bool(getattr(deliver_campaign.get_backend(), "supports_defer", False))


@task()
def deliver_campaign(campaign_id: int, chain: str = "") -> dict:
    token = _take_over(campaign_id, chain)
    if token is None:
        return {"stopped": "another link of the chain has it"}
    lease = settings.TELLY_NEWSLETTER_LEASE
    if _can_defer():
        deliver_campaign.using(run_after=timezone.now() + dt.timedelta(seconds=lease)).enqueue(
            campaign_id, token
        )
    report = delivery.deliver(campaign_id, max_seconds=max(1.0, min(lease / 2, CHUNK_SECONDS)))
    if report.stopped == "limit":
        deliver_campaign.enqueue(campaign_id, token)
    elif report.stopped == "idle" and report.retry_at is not None and _can_defer():
        deliver_campaign.using(run_after=max(report.retry_at, timezone.now())).enqueue(
            campaign_id, token
        )
    return report.as_dict()


def send_when_committed(campaign: Campaign) -> None:
    """Enqueue the campaign's first link once the current transaction commits (at its
    scheduled time where the task backend can wait)."""

    def go() -> None:
        when = campaign.scheduled_at
        if when and when > timezone.now() and _can_defer():
            deliver_campaign.using(run_after=when).enqueue(campaign.pk)
        else:
            deliver_campaign.enqueue(campaign.pk)

    transaction.on_commit(go)
