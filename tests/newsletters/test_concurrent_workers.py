"""On PostgreSQL, workers claiming the same campaign at the same moment never share a row."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from telly.newsletters import delivery
from telly.newsletters.models import (
    Campaign,
    CampaignStatus,
    Newsletter,
    Subscriber,
    SubscriberStatus,
    Subscription,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_four_workers_claiming_at_once_share_no_row():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (TELLY_DATABASE_URL=postgres://...)")
    newsletter = Newsletter.objects.create(slug="weekly", name="Weekly")
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        Subscriber(email=f"r{i}@example.org", status=SubscriberStatus.CONFIRMED) for i in range(400)
    )
    Subscription.objects.bulk_create(
        Subscription(subscriber=s, newsletter=newsletter, confirmed_at=now) for s in subscribers
    )
    campaign = Campaign.objects.create(
        newsletter=newsletter, subject="Hi", status=CampaignStatus.SCHEDULED, scheduled_at=now
    )
    delivery.start(campaign.pk)
    claimed: dict[str, list[int]] = {}
    barrier = threading.Barrier(4)

    def work(name: str) -> None:
        mine: list[int] = []
        try:
            barrier.wait()
            while batch := delivery.claim_batch(campaign.pk, name, size=15):
                mine += [s.pk for s in batch]
        finally:
            claimed[name] = mine
            connections.close_all()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [pk for rows in claimed.values() for pk in rows]
    assert len(everything) == len(set(everything)) == 400
