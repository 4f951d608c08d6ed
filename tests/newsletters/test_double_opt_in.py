"""Signing up sends one confirmation email and nothing else until its link is followed."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail

from telly.newsletters.models import (
    Consent,
    ConsentAction,
    Subscriber,
    SubscriberStatus,
    Subscription,
)
from telly.newsletters.subscriptions import expire_pending

from .conftest import link_in, sign_up


def test_a_sign_up_is_pending_and_gets_only_a_confirmation_email(client, lists):
    response = sign_up(client, lists, chosen=("weekly", "drama"))
    assert response.status_code == 302 and response["Location"] == "/newsletters/signup/sent/"
    subscriber = Subscriber.objects.get(email="new@example.org")
    assert subscriber.status == SubscriberStatus.PENDING
    assert not Subscription.objects.filter(
        subscriber=subscriber, confirmed_at__isnull=False
    ).exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.org"]
    assert "Confirm" in message.subject
    assert "What's new to stream this week" in message.body and "Drama" in message.body
    html = message.alternatives[0].content
    assert (
        'style="' in html and "<style>" not in html
    )  # CSS inlined; only the dark-mode block is kept
    assert "prefers-color-scheme: dark" in html


def test_the_confirmation_link_shows_a_button_and_confirming_activates_every_list(client, lists):
    sign_up(client, lists, chosen=("weekly", "drama"))
    path = link_in(mail.outbox[0], "confirm")
    page = client.get(path)
    assert page.status_code == 200 and b"Confirm" in page.content
    assert (
        Subscriber.objects.get().status == SubscriberStatus.PENDING
    )  # a GET (a link scanner) changes nothing
    done = client.post(path)
    assert done.status_code == 200 and b"You're in" in done.content
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    assert (
        Subscription.objects.filter(subscriber=subscriber, confirmed_at__isnull=False).count() == 2
    )
    assert client.post(path).status_code == 200  # following it twice is harmless


def test_consent_records_wording_time_list_and_page_but_no_address(client, lists):
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC), tick=False):
        sign_up(client, lists)
        client.post(link_in(mail.outbox[0], "confirm"))
    records = list(Consent.objects.order_by("pk"))
    assert [c.action for c in records] == [ConsentAction.REQUESTED, ConsentAction.CONFIRMED]
    requested = records[0]
    assert requested.wording_version == "2026-11"
    assert requested.newsletter == lists["weekly"]
    assert requested.source_page == "/shows/heartstopper/"
    assert requested.at == dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
    assert requested.client_hash and "192.0.2.10" not in requested.client_hash
    assert len(requested.client_hash) == 32


def test_signing_up_twice_sends_one_confirmation_and_the_first_link_confirms_both_lists(
    client, lists
):
    sign_up(client, lists, chosen=("weekly",))
    sign_up(client, lists, email="NEW@example.org ", chosen=("drama",))
    assert len(mail.outbox) == 1
    client.post(link_in(mail.outbox[0], "confirm"))
    assert Subscription.objects.filter(confirmed_at__isnull=False).count() == 2


def test_a_tampered_or_expired_link_is_refused_politely(client, lists):
    with time_machine.travel(dt.datetime(2026, 11, 2, tzinfo=dt.UTC), tick=False):
        sign_up(client, lists)
    path = link_in(mail.outbox[0], "confirm")
    assert client.get(path.replace("confirm/", "confirm/x")).status_code == 400
    with time_machine.travel(dt.datetime(2026, 11, 10, tzinfo=dt.UTC), tick=False):
        response = client.post(path)
    assert response.status_code == 400 and b"does not work any more" in response.content
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING


def test_unconfirmed_sign_ups_are_forgotten_after_the_confirmation_window(client, lists, reader):
    with time_machine.travel(dt.datetime(2026, 11, 2, tzinfo=dt.UTC), tick=False):
        sign_up(client, lists, email="never@example.org")
    with time_machine.travel(dt.datetime(2026, 11, 8, tzinfo=dt.UTC), tick=False):
        assert expire_pending() == 0
    with time_machine.travel(dt.datetime(2026, 11, 10, tzinfo=dt.UTC), tick=False):
        assert expire_pending() == 1
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["reader@example.org"]
    assert not Consent.objects.filter(subscriber__email="never@example.org").exists()
