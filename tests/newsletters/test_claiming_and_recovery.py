"""Rows are claimed so two workers never share one, and a dead worker's rows come back."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail
from django.utils import timezone

from telly.newsletters import delivery
from telly.newsletters.models import Campaign, CampaignStatus, Send, SendStatus

from .conftest import make_confirmed


def started_campaign(newsletter, recipients: int) -> Campaign:
    for i in range(recipients):
        make_confirmed(f"r{i}@example.org", newsletter)
    campaign = Campaign.objects.create(
        newsletter=newsletter,
        subject="Hello",
        body="Hi",
        status=CampaignStatus.SCHEDULED,
        scheduled_at=timezone.now(),
    )
    delivery.start(campaign.pk)
    return campaign


def test_each_recipient_is_queued_once_even_if_queueing_runs_twice(lists):
    campaign = started_campaign(lists["weekly"], 5)
    assert delivery.queue_recipients(campaign) == 0
    assert Send.objects.filter(campaign=campaign).count() == 5
    assert len(set(Send.objects.values_list("message_id", flat=True))) == 5


def test_two_workers_claim_disjoint_rows(lists):
    campaign = started_campaign(lists["weekly"], 30)
    first = delivery.claim_batch(campaign.pk, "worker-a", size=20)
    second = delivery.claim_batch(campaign.pk, "worker-b", size=20)
    assert len(first) == 20 and len(second) == 10
    assert not {s.pk for s in first} & {s.pk for s in second}
    assert delivery.claim_batch(campaign.pk, "worker-c") == []


def test_a_dead_workers_claims_return_after_the_lease_and_keep_their_message_id(lists, settings):
    settings.TELLY_NEWSLETTER_LEASE = 60
    campaign = started_campaign(lists["weekly"], 3)
    start = timezone.now()
    held = delivery.claim_batch(campaign.pk, "dead-worker", at=start)
    ids = {s.pk: s.message_id for s in held}
    assert delivery.release_stale_claims(campaign.pk, at=start + dt.timedelta(seconds=30)) == 0
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        report = delivery.deliver(campaign.pk)
    assert report.sent == 3 and report.stopped == "done"
    sent_ids = {m.extra_headers["Message-ID"] for m in mail.outbox}
    assert sent_ids == set(ids.values())


def test_the_throttle_spaces_messages_evenly():
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))
        now[0] += seconds

    throttle = delivery.Throttle(rate=4, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        throttle.wait()
    assert slept == [0.25, 0.25, 0.25, 0.25]
    unlimited = delivery.Throttle(rate=0, clock=lambda: now[0], sleep=sleep)
    unlimited.wait()
    assert len(slept) == 4


def test_backoff_doubles_and_is_capped():
    assert [delivery.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert delivery.backoff(30) == dt.timedelta(hours=6)


def test_weekly_readers_are_not_queued_twice_in_a_week(lists):
    from telly.newsletters.models import Frequency, Subscriber

    campaign = started_campaign(lists["weekly"], 2)
    Subscriber.objects.filter(email="r0@example.org").update(frequency=Frequency.WEEKLY)
    delivery.deliver(campaign.pk)
    again = Campaign.objects.create(
        newsletter=lists["weekly"],
        subject="Again",
        body="Hi",
        status=CampaignStatus.SCHEDULED,
        scheduled_at=timezone.now(),
    )
    delivery.start(again.pk)
    assert list(
        Send.objects.filter(campaign=again).values_list("subscriber__email", flat=True)
    ) == ["r1@example.org"]
    assert SendStatus.SENT in Send.objects.filter(campaign=campaign).values_list(
        "status", flat=True
    )
