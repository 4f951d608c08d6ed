"""Campaigns go out over real SMTP (aiosmtpd on loopback): headers, bounces, retries, pausing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from telly.newsletters import delivery, tasks
from telly.newsletters.models import (
    Campaign,
    CampaignStatus,
    Send,
    SendStatus,
    Subscriber,
    SubscriberStatus,
)

from .conftest import make_confirmed, sign_up

pytestmark = pytest.mark.smtp


def campaign_for(newsletter, **fields) -> Campaign:
    defaults = {
        "subject": "Five shows to watch this weekend",
        "preheader": "Plus what leaves Netflix on Sunday",
        "body": "Our pick: [Heartstopper](/shows/heartstopper/) is back.",
        "status": CampaignStatus.SCHEDULED,
        "scheduled_at": timezone.now(),
    }
    return Campaign.objects.create(newsletter=newsletter, **{**defaults, **fields})


def test_sign_up_confirm_receive_and_unsubscribe_in_one_click_end_to_end(client, lists, sink):
    sign_up(client, lists, email="fan@example.org")
    assert len(sink.messages) == 1
    confirmation = sink.messages[0]
    text = confirmation.get_body(("plain",)).get_content()
    path = text.split("http://127.0.0.1:8000", 1)[1].split()[0]
    assert path.startswith("/newsletters/confirm/")
    client.post(path)
    assert Subscriber.objects.get(email="fan@example.org").status == SubscriberStatus.CONFIRMED

    campaign = campaign_for(lists["weekly"])
    tasks.deliver_campaign.enqueue(campaign.pk)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT
    message = sink.to("fan@example.org")[-1]
    send = Send.objects.get(campaign=campaign)
    assert send.status == SendStatus.SENT and send.attempts == 1
    assert message["Message-ID"] == send.message_id
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Id"].endswith("<new-to-stream.newsletters.localhost>")
    assert message["Subject"] == "Five shows to watch this weekend"
    html = message.get_body(("html",)).get_content()
    plain = message.get_body(("plain",)).get_content()
    assert 'href="http://127.0.0.1:8000/shows/heartstopper/"' in html
    assert "http://127.0.0.1:8000/shows/heartstopper/" in plain
    assert "Unsubscribe" in html and "/newsletters/preferences/" in html
    header_url = message["List-Unsubscribe"].strip("<>")
    assert header_url.startswith("http://127.0.0.1:8000/newsletters/unsubscribe/")
    one_click = Client(enforce_csrf_checks=True).post(
        header_url.removeprefix("http://127.0.0.1:8000"), {"List-Unsubscribe": "One-Click"}
    )
    assert one_click.status_code == 200
    assert Subscriber.objects.get(email="fan@example.org").status == SubscriberStatus.UNSUBSCRIBED


def test_a_550_reply_bounces_and_suspends_the_subscriber_but_others_still_get_it(lists, sink):
    good = make_confirmed("good@example.org", lists["weekly"])
    gone = make_confirmed("gone@example.org", lists["weekly"])
    sink.replies["gone@example.org"] = [550]
    campaign = campaign_for(lists["weekly"])
    report = delivery.deliver(campaign.pk)
    assert (report.sent, report.bounced) == (1, 1)
    gone.refresh_from_db()
    assert gone.status == SubscriberStatus.SUSPENDED and "550" in gone.suspended_reason
    assert Send.objects.get(subscriber=gone).status == SendStatus.BOUNCED
    assert [m["To"] for m in sink.messages] == [good.email]
    assert Campaign.objects.get().status == CampaignStatus.SENT


def test_a_4xx_reply_is_retried_later_with_backoff_and_then_sent(lists, sink):
    reader = make_confirmed("busy@example.org", lists["weekly"])
    sink.replies["busy@example.org"] = [451, 451]
    campaign = campaign_for(lists["weekly"])
    start = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    campaign.scheduled_at = start
    campaign.save()
    with time_machine.travel(start, tick=False):
        report = delivery.deliver(campaign.pk)
    assert report.deferred == 1 and report.stopped == "idle"
    send = Send.objects.get()
    assert send.status == SendStatus.DEFERRED and send.next_attempt_at == start + dt.timedelta(
        minutes=1
    )
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        assert delivery.deliver(campaign.pk).deferred == 0  # not due yet
    with time_machine.travel(start + dt.timedelta(minutes=1), tick=False):
        delivery.deliver(campaign.pk)
    send.refresh_from_db()
    assert send.next_attempt_at == start + dt.timedelta(minutes=3)  # 1, then 2 minutes
    with time_machine.travel(start + dt.timedelta(minutes=3), tick=False):
        assert delivery.deliver(campaign.pk).stopped == "done"
    send.refresh_from_db()
    assert (send.status, send.attempts) == (SendStatus.SENT, 3)
    assert len(sink.to(reader.email)) == 1


def test_a_paused_campaign_stops_and_resumes_without_repeating_anyone(lists, sink):
    readers = [make_confirmed(f"r{i}@example.org", lists["weekly"]) for i in range(7)]
    campaign = campaign_for(lists["weekly"])
    first = delivery.deliver(campaign.pk, max_messages=3)
    assert first.sent >= 3
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.PAUSED)
    assert delivery.deliver(campaign.pk).sent == 0
    assert len(sink.messages) == first.sent
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SENDING)
    tasks.deliver_campaign.enqueue(campaign.pk)
    received = sorted(str(m["To"]) for m in sink.messages)
    assert received == sorted(r.email for r in readers)
    assert Campaign.objects.get().status == CampaignStatus.SENT


def test_someone_who_unsubscribes_mid_campaign_is_skipped(client, lists, sink):
    stay = make_confirmed("stay@example.org", lists["weekly"])
    leave = make_confirmed("leave@example.org", lists["weekly"])
    campaign = campaign_for(lists["weekly"])
    delivery.start(campaign.pk)
    from telly.newsletters.subscriptions import unsubscribe

    unsubscribe(leave, lists["weekly"])
    delivery.deliver(campaign.pk)
    assert [str(m["To"]) for m in sink.messages] == [stay.email]
    assert Send.objects.get(subscriber=leave).status == SendStatus.SKIPPED


def test_non_ascii_subjects_names_and_long_lines_survive_the_wire(lists, sink):
    reader = make_confirmed("fan@example.org", lists["weekly"])
    lists["weekly"].name = "Ce qui est nouveau — à regarder"
    lists["weekly"].save()
    long_line = "Très " * 400
    campaign = campaign_for(
        lists["weekly"], subject="Heartstopper’s last chapter: “a triumph”", body=long_line
    )
    delivery.deliver(campaign.pk)
    message = sink.to(reader.email)[0]
    assert message["Subject"] == "Heartstopper’s last chapter: “a triumph”"
    assert (
        message["List-Id"]
        == "Ce qui est nouveau — à regarder <new-to-stream.newsletters.localhost>"
    )
    assert message.get_content_type() == "multipart/alternative"
    assert long_line.strip() in message.get_body(("plain",)).get_content()
    assert long_line.strip() in message.get_body(("html",)).get_content()
    assert message["Date"] and message["MIME-Version"] == "1.0"
