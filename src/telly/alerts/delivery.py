"""Deliver due alerts exactly once.

1. **Claim** a batch with a conditional UPDATE: rows that are ``pending`` and due, or
   ``sending`` with an expired lease (their worker died), become ``sending`` with this
   worker's claim token and a lease. Two workers can never claim the same row.
2. **Send** each message with a Message-ID derived from its rows.
3. **Mark** the rows ``sent`` with that Message-ID.

A worker killed between 1 and 3 leaves ``sending`` rows; once the lease ends the next worker
claims and sends them again with the same Message-ID. The only moment a message can leave
twice is a kill after the SMTP server accepted it and before step 3 committed: the copy has the
same Message-ID, which mail clients collapse.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from telly.alerts import emails
from telly.alerts.models import Alert, AlertSettings, AlertStatus, Cadence, alert_settings_for

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5

try:  # Apprise is optional: used only when installed.
    import apprise  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the environment
    apprise = None


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=float(settings.TELLY_ALERT_LEASE))


def _ready(now: dt.datetime) -> Q:
    return Q(status=AlertStatus.PENDING, due_at__lte=now) | Q(
        status=AlertStatus.SENDING, claimed_until__lt=now
    )


def claim(now: dt.datetime, users: int = 50) -> tuple[str, list[Alert]]:
    """Claim every ready alert of up to ``users`` users (all of a user's alerts together, so a
    digest is one message). Returns the claim token and the claimed rows."""
    token = uuid.uuid4().hex
    user_ids = list(
        Alert.objects.filter(_ready(now))
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()[:users]
    )
    if not user_ids:
        return token, []
    Alert.objects.filter(_ready(now), user_id__in=user_ids).update(
        status=AlertStatus.SENDING,
        claimed_by=token,
        claimed_until=now + lease(),
        attempts=F("attempts") + 1,
    )
    claimed = list(
        Alert.objects.filter(claimed_by=token, status=AlertStatus.SENDING)
        .select_related("user", "title", "person")
        .order_by("user_id", "due_at", "id")
    )
    return token, claimed


def _mark(token: str, alerts: list[Alert], **values: Any) -> None:
    Alert.objects.filter(pk__in=[a.pk for a in alerts], claimed_by=token).update(**values)


def _failed(token: str, alerts: list[Alert], error: str, now: dt.datetime) -> None:
    for alert in alerts:
        retry = alert.attempts < MAX_ATTEMPTS
        _mark(
            token,
            [alert],
            status=AlertStatus.PENDING if retry else AlertStatus.FAILED,
            due_at=now + dt.timedelta(minutes=2**alert.attempts) if retry else alert.due_at,
            claimed_until=None,
            last_error=error[:500],
        )


def _notify_apprise(preferences: AlertSettings, subject: str, body: str) -> None:
    if not (apprise and preferences.apprise_url):
        return
    try:
        notifier = apprise.Apprise()
        notifier.add(preferences.apprise_url)
        notifier.notify(title=subject, body=body)
    except Exception:  # a broken Apprise URL must not stop the email
        log.exception("Apprise notification failed for user %s", preferences.user_id)


def _pace() -> None:
    rate = float(getattr(settings, "TELLY_EMAIL_RATE", 10.0) or 0)
    if rate > 0:
        time.sleep(1.0 / rate)


def _deliver_to_user(token: str, alerts: list[Alert], moment: dt.datetime) -> int:
    """Send one user's claimed alerts (one message each, or one digest); returns how many
    were settled (sent or skipped)."""
    user = alerts[0].user
    preferences = alert_settings_for(user)
    by_email = preferences.email_enabled and bool(user.email)
    if not user.is_active or not (by_email or (apprise and preferences.apprise_url)):
        _mark(token, alerts, status=AlertStatus.SKIPPED, claimed_until=None)
        return len(alerts)
    wanted = [a for a in alerts if preferences.wants(a.kind)]
    unwanted = [a for a in alerts if a not in wanted]
    if unwanted:  # switched off after the alert was made
        _mark(token, unwanted, status=AlertStatus.SKIPPED, claimed_until=None)
    settled = len(unwanted)
    groups = (
        [wanted]
        if preferences.cadence == Cadence.DIGEST and len(wanted) > 1
        else [[a] for a in wanted]
    )
    for group in groups:
        try:
            message = (
                emails.digest_email(user, group, user.email)
                if len(group) > 1
                else emails.alert_email(group[0], user.email)
            )
            if by_email:
                message.send()
        except Exception as error:  # SMTP refused or went away, or a template broke: retry later
            log.warning("Alert delivery to user %s failed: %s", user.pk, error)
            _failed(token, group, str(error), moment)
            continue
        _mark(
            token,
            group,
            status=AlertStatus.SENT,
            sent_at=timezone.now(),
            claimed_until=None,
            message_id=message.extra_headers["Message-ID"],
        )
        _notify_apprise(preferences, message.subject, message.body)
        settled += len(group)
        _pace()
    return settled


def deliver_due(
    now: dt.datetime | None = None, users_per_batch: int = 50, max_batches: int | None = None
) -> int:
    """Send every due alert; returns how many alerts were settled (sent, or skipped as unwanted)."""
    from telly.alerts.tasks import schedule_delivery

    settled = batches = 0
    while max_batches is None or batches < max_batches:
        moment = now or timezone.now()
        token, claimed = claim(moment, users_per_batch)
        if not claimed:
            break
        batches += 1
        if batches == 1:
            # A watchdog: if this worker dies, the rows it claimed are sent after the lease.
            schedule_delivery(moment + lease() + dt.timedelta(seconds=1))
        by_user: dict[int, list[Alert]] = defaultdict(list)
        for alert in claimed:
            by_user[alert.user_id].append(alert)
        for alerts in by_user.values():
            settled += _deliver_to_user(token, alerts, moment)
    return settled


def next_due(now: dt.datetime | None = None) -> dt.datetime | None:
    """When delivery next has work: the next pending alert falling due, or the end of a lease
    held by a worker that may have died."""
    now = now or timezone.now()
    pending = (
        Alert.objects.filter(status=AlertStatus.PENDING, due_at__gt=now)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    held = (
        Alert.objects.filter(status=AlertStatus.SENDING, claimed_until__gt=now)
        .order_by("claimed_until")
        .values_list("claimed_until", flat=True)
        .first()
    )
    if held is not None:
        held += dt.timedelta(seconds=1)  # just after the lease ends
    moments = [moment for moment in (pending, held) if moment is not None]
    return min(moments) if moments else None
