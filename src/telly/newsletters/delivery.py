"""Sending a campaign: one ``Send`` row per recipient, claimed in small batches with a
conditional UPDATE, throttled, retried with backoff on 4xx replies, stopped on 5xx.

Crash safety, row by row:
1. ``queue_recipients`` inserts a row per due subscriber (unique per campaign, so running it
   twice adds no one twice); each row gets its Message-ID now.
2. ``claim_batch`` moves a few due rows to ``claimed`` with this run's id and time, only if they
   are still queued or deferred, so two workers never hold the same row.
3. After each SMTP transaction the row is marked ``sent``/``deferred``/``bounced`` in its own
   autocommitted UPDATE, before the next message is built.
A worker killed between 2 and 3 leaves ``claimed`` rows; after ``TELLY_NEWSLETTER_LEASE``
seconds any worker puts them back in the queue. So no one is skipped. The only row that can be
sent twice is the single message whose SMTP reply arrived but whose UPDATE had not yet committed
when the process died (SMTP itself cannot tell a client that crashed whether its message was
kept: RFC 1047). That resend carries the same Message-ID, which is how receiving systems
recognise a duplicate.

The work runs as a chain of bounded ``deliver_campaign`` tasks (see ``tasks.py``) so pausing
takes effect within one batch and a killed worker's chain is picked up by a watchdog task.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.db.models import F, Min
from django.utils import timezone

from telly.newsletters import emails, subscriptions
from telly.newsletters.digest import builder_for
from telly.newsletters.models import (
    Campaign,
    CampaignKind,
    CampaignStatus,
    Send,
    SendStatus,
    Subscriber,
    SubscriberStatus,
)

log = logging.getLogger(__name__)

BATCH_SIZE = 20
RETRY_BASE = dt.timedelta(minutes=1)
RETRY_CAP = dt.timedelta(hours=6)
MAX_ATTEMPTS = 8


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8... minutes after the n-th temporary failure, at most six hours."""
    return min(RETRY_BASE * 2 ** max(attempts - 1, 0), RETRY_CAP)


# -- queueing ---------------------------------------------------------------------------------


def queue_recipients(campaign: Campaign, at: dt.datetime | None = None, batch: int = 2000) -> int:
    """Add a ``Send`` row for every subscriber due this campaign; returns rows added. Streams
    the subscriber ids, so memory stays flat however long the list is."""
    at = at or timezone.now()
    before = Send.objects.filter(campaign_id=campaign.pk).count()
    due = (
        Subscriber.objects.due_for(campaign.newsletter, at)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    pending: list[Send] = []
    for subscriber_id in due.iterator(chunk_size=batch):
        pending.append(
            Send(
                campaign_id=campaign.pk,
                subscriber_id=subscriber_id,
                next_attempt_at=at,
                message_id=emails.new_message_id(campaign.pk, subscriber_id),
            )
        )
        if len(pending) >= batch:
            Send.objects.bulk_create(pending, ignore_conflicts=True)
            pending = []
    if pending:
        Send.objects.bulk_create(pending, ignore_conflicts=True)
    return Send.objects.filter(campaign_id=campaign.pk).count() - before


# -- claiming ---------------------------------------------------------------------------------


def release_stale_claims(campaign_id: int, at: dt.datetime | None = None) -> int:
    """Put rows claimed by a worker that stopped (lease expired) back in the queue."""
    at = at or timezone.now()
    cutoff = at - dt.timedelta(seconds=settings.TELLY_NEWSLETTER_LEASE)
    return Send.objects.filter(
        campaign_id=campaign_id, status=SendStatus.CLAIMED, claimed_at__lt=cutoff
    ).update(status=SendStatus.QUEUED, claimed_by="")


def claim_batch(
    campaign_id: int, worker: str, size: int = BATCH_SIZE, at: dt.datetime | None = None
) -> list[Send]:
    """Take up to ``size`` due rows for ``worker``. Candidates are locked while they are
    claimed (PostgreSQL skips rows another worker is claiming; SQLite runs one writer at a
    time), and the UPDATE is conditional on the row still being open, so no row is ever held
    by two workers."""
    at = at or timezone.now()
    due = Send.objects.filter(
        campaign_id=campaign_id,
        status__in=[SendStatus.QUEUED, SendStatus.DEFERRED],
        next_attempt_at__lte=at,
    ).order_by("next_attempt_at", "pk")
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        candidates = list(due.values_list("pk", flat=True)[:size])
        if not candidates:
            return []
        Send.objects.filter(
            pk__in=candidates, status__in=[SendStatus.QUEUED, SendStatus.DEFERRED]
        ).update(status=SendStatus.CLAIMED, claimed_by=worker, claimed_at=at)
    return list(
        Send.objects.filter(pk__in=candidates, status=SendStatus.CLAIMED, claimed_by=worker)
        .select_related("subscriber")
        .order_by("pk")
    )


# -- SMTP outcomes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status: Any  # a SendStatus (mypy without the Django plugin sees choices as tuples)
    error: str = ""
    reconnect: bool = False


def classify(exc: BaseException) -> Outcome:
    """What an SMTP failure means for the row: 4xx and lost connections are temporary (retry
    later), a 5xx about the recipient or the message is a hard bounce."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(exc.recipients.values()), (451, b""))
        return _by_code(code, reply)
    if isinstance(exc, smtplib.SMTPSenderRefused):
        # Our sender address was refused: not the recipient's fault, never a reason to suspend.
        return Outcome(SendStatus.DEFERRED, f"{exc.smtp_code} sender refused", reconnect=True)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return Outcome(SendStatus.DEFERRED, "server disconnected", reconnect=True)
    if isinstance(exc, smtplib.SMTPResponseException):
        return _by_code(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, (OSError, smtplib.SMTPException)):
        return Outcome(SendStatus.DEFERRED, f"{type(exc).__name__}: {exc}"[:500], reconnect=True)
    raise exc


def _by_code(code: int, reply: bytes | str) -> Outcome:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    error = f"{code} {text}"[:500]
    if 500 <= code < 600:
        return Outcome(SendStatus.BOUNCED, error)
    return Outcome(SendStatus.DEFERRED, error, reconnect=code == 421)


# -- throttling -------------------------------------------------------------------------------


@dataclass
class Throttle:
    """At most ``rate`` messages a second (0 = as fast as possible), evenly spaced."""

    rate: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _next: float = 0.0

    def wait(self) -> None:
        if self.rate <= 0:
            return
        now = self.clock()
        if self._next > now:
            self.sleep(self._next - now)
            now = self._next
        self._next = now + 1.0 / self.rate


# -- the delivery loop ------------------------------------------------------------------------


@dataclass
class Report:
    sent: int = 0
    deferred: int = 0
    bounced: int = 0
    failed: int = 0
    skipped: int = 0
    stopped: str = ""  # why the run ended: done, paused, limit, idle
    retry_at: dt.datetime | None = None

    def as_dict(self) -> dict:
        return {
            "sent": self.sent,
            "deferred": self.deferred,
            "bounced": self.bounced,
            "failed": self.failed,
            "skipped": self.skipped,
            "stopped": self.stopped,
            "retry_at": self.retry_at.isoformat() if self.retry_at else None,
        }


@dataclass
class Sender:
    """Renders and sends one campaign's claimed rows over one SMTP connection."""

    campaign: Campaign
    worker: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    throttle: Throttle = field(default_factory=lambda: Throttle(settings.TELLY_EMAIL_RATE))
    report: Report = field(default_factory=Report)

    def __post_init__(self) -> None:
        self.renderer = emails.renderer_for(self.campaign)
        self.digest = (
            builder_for(self.campaign) if self.campaign.kind == CampaignKind.DIGEST else None
        )
        self.connection = mail.mailers.default
        self._open = False

    def close(self) -> None:
        if self._open:
            try:
                self.connection.close()
            except Exception:  # a dead connection may fail to close; nothing to save
                log.debug("closing the SMTP connection failed", exc_info=True)
            self._open = False

    def send_batch(self, batch: list[Send]) -> None:
        providers = _providers_by_subscriber([s.subscriber for s in batch]) if self.digest else {}
        sent_to: list[int] = []
        for send in batch:
            subscriber = send.subscriber
            if subscriber.status != SubscriberStatus.CONFIRMED:
                self._record(send, Outcome(SendStatus.SKIPPED, "no longer subscribed"))
                continue
            digest = None
            if self.digest is not None:
                digest = self.digest.for_subscriber(subscriber, providers.get(subscriber.pk, []))
                if not digest and not self.renderer.body.html:
                    self._record(
                        send, Outcome(SendStatus.SKIPPED, "nothing to tell this subscriber")
                    )
                    continue
            message = self.renderer.email(subscriber, send.message_id, digest)
            self.throttle.wait()
            outcome = self._transmit(message)
            self._record(send, outcome)
            if outcome.status == SendStatus.SENT:
                sent_to.append(subscriber.pk)
            elif outcome.status == SendStatus.BOUNCED:
                subscriptions.suspend(subscriber.pk, outcome.error)
        if sent_to:
            Subscriber.objects.filter(pk__in=sent_to).update(last_sent_at=timezone.now())

    def _transmit(self, message: emails.EmailMultiAlternatives) -> Outcome:
        try:
            if not self._open:
                self.connection.open()
                self._open = True
            self.connection.send_messages([message])
        except Exception as exc:
            outcome = classify(exc)
            if outcome.reconnect:
                self.close()
            return outcome
        return Outcome(SendStatus.SENT)

    def _record(self, send: Send, outcome: Outcome) -> None:
        now = timezone.now()
        changes: dict = {"status": outcome.status, "claimed_by": "", "last_error": outcome.error}
        if outcome.status != SendStatus.SKIPPED:
            changes["attempts"] = F("attempts") + 1
        if outcome.status == SendStatus.SENT:
            changes["sent_at"] = now
        elif outcome.status == SendStatus.DEFERRED:
            attempts = send.attempts + 1
            if attempts >= MAX_ATTEMPTS:
                changes["status"] = SendStatus.FAILED
            else:
                changes["next_attempt_at"] = now + backoff(attempts)
        Send.objects.filter(pk=send.pk, claimed_by=self.worker).update(**changes)
        tally = {
            SendStatus.SENT: "sent",
            SendStatus.DEFERRED: "deferred",
            SendStatus.BOUNCED: "bounced",
            SendStatus.FAILED: "failed",
            SendStatus.SKIPPED: "skipped",
        }[SendStatus(changes["status"])]
        setattr(self.report, tally, getattr(self.report, tally) + 1)


def _providers_by_subscriber(subscribers: list[Subscriber]) -> dict[int, list[int]]:
    """Each subscriber's services in two queries for the whole batch (own choices, else the
    linked user's profile)."""
    found: dict[int, list[int]] = {}
    through = Subscriber.providers.through
    for subscriber_id, provider_id in through.objects.filter(
        subscriber_id__in=[s.pk for s in subscribers]
    ).values_list("subscriber_id", "provider_id"):
        found.setdefault(subscriber_id, []).append(provider_id)
    by_user = {s.user_id: s.pk for s in subscribers if s.user_id and s.pk not in found}
    if by_user:
        try:
            from telly.accounts.models import Profile
        except ImportError:
            return found
        rows = Profile.services.through.objects.filter(profile__user_id__in=by_user).values_list(
            "profile__user_id", "provider_id"
        )
        for user_id, provider_id in rows:
            found.setdefault(by_user[user_id], []).append(provider_id)
    return found


def start(campaign_id: int, at: dt.datetime | None = None) -> Campaign | None:
    """Begin a scheduled campaign whose time has come (queue its recipients), or return the
    campaign already sending; None when there is nothing to send now."""
    at = at or timezone.now()
    Campaign.objects.filter(
        pk=campaign_id, status=CampaignStatus.SCHEDULED, scheduled_at__lte=at
    ).update(status=CampaignStatus.SENDING)
    campaign = Campaign.objects.select_related("newsletter").filter(pk=campaign_id).first()
    if campaign is None or campaign.status != CampaignStatus.SENDING:
        return None
    if campaign.started_at is None:
        if campaign.as_of is None:
            campaign.as_of = at
        queue_recipients(campaign, at)
        campaign.started_at = at
        campaign.save(update_fields=["as_of", "started_at"])
    return campaign


def deliver(
    campaign_id: int,
    *,
    max_messages: int | None = None,
    max_seconds: float | None = None,
    worker: str | None = None,
    throttle: Throttle | None = None,
) -> Report:
    """Send due rows of a sending campaign until it is done, paused, or a limit is reached."""
    campaign = start(campaign_id)
    report = Report()
    if campaign is None:
        report.stopped = "not sending"
        return report
    release_stale_claims(campaign.pk)
    sender = Sender(campaign, report=report)
    if worker:
        sender.worker = worker
    if throttle is not None:
        sender.throttle = throttle
    began = time.monotonic()
    try:
        for batch in _batches(campaign, sender.worker):
            sender.send_batch(batch)
            done = report.sent + report.deferred + report.bounced + report.failed + report.skipped
            if max_messages is not None and done >= max_messages:
                report.stopped = "limit"
                break
            if max_seconds is not None and time.monotonic() - began >= max_seconds:
                report.stopped = "limit"
                break
    finally:
        sender.close()
    if not report.stopped:
        report.stopped = finish(campaign.pk, report)
    return report


def _batches(campaign: Campaign, worker: str) -> Iterator[list[Send]]:
    while True:
        status = Campaign.objects.filter(pk=campaign.pk).values_list("status", flat=True).first()
        if status != CampaignStatus.SENDING:
            return
        batch = claim_batch(campaign.pk, worker)
        if not batch:
            return
        yield batch


def finish(campaign_id: int, report: Report) -> str:
    """Mark the campaign sent when no row is open; otherwise say when to look again."""
    status = Campaign.objects.filter(pk=campaign_id).values_list("status", flat=True).first()
    if status != CampaignStatus.SENDING:
        return str(status or "gone")
    open_rows = Send.objects.filter(campaign_id=campaign_id, status__in=SendStatus.open())
    if not open_rows.exists():
        Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.SENDING).update(
            status=CampaignStatus.SENT, finished_at=timezone.now()
        )
        return "done"
    report.retry_at = open_rows.exclude(status=SendStatus.CLAIMED).aggregate(
        at=Min("next_attempt_at")
    )["at"]
    if report.retry_at is None:  # only rows another worker holds (or a dead one held)
        report.retry_at = timezone.now() + dt.timedelta(seconds=settings.TELLY_NEWSLETTER_LEASE)
    return "idle"


def counts(campaign: Campaign) -> dict[str, int]:
    from django.db.models import Count

    rows = Send.objects.filter(campaign=campaign).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}
