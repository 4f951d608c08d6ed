"""Leaving and changing lists from links in an email, without logging in."""

from __future__ import annotations

from django.core import mail

from telly.newsletters.models import (
    Consent,
    ConsentAction,
    Frequency,
    Subscriber,
    SubscriberStatus,
    Subscription,
)
from telly.newsletters.tokens import Purpose, make_token
from telly.streaming.models import Provider

from .conftest import make_confirmed


def unsubscribe_path(subscriber, newsletter=None):
    return f"/newsletters/unsubscribe/{make_token(Purpose.UNSUBSCRIBE, subscriber, newsletter)}/"


def test_one_click_post_unsubscribes_at_once_without_csrf_or_login(lists):
    from django.test import Client

    reader = make_confirmed("reader@example.org", lists["weekly"], lists["drama"])
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        unsubscribe_path(reader, lists["weekly"]), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    active = Subscription.objects.filter(subscriber=reader, ended_at__isnull=True)
    assert [s.newsletter for s in active] == [lists["drama"]]
    assert Consent.objects.filter(
        subscriber=reader, action=ConsentAction.WITHDRAWN, newsletter=lists["weekly"]
    ).exists()


def test_leaving_the_last_list_marks_the_subscriber_unsubscribed(client, lists, reader):
    client.post(unsubscribe_path(reader, lists["weekly"]), {"List-Unsubscribe": "One-Click"})
    reader.refresh_from_db()
    assert reader.status == SubscriberStatus.UNSUBSCRIBED and reader.unsubscribed_at is not None


def test_the_visible_link_asks_first_and_can_leave_everything(client, lists):
    reader = make_confirmed("reader@example.org", lists["weekly"], lists["drama"])
    page = client.get(unsubscribe_path(reader, lists["weekly"]))
    assert page.status_code == 200 and b"Unsubscribe from everything" in page.content
    assert Subscription.objects.filter(ended_at__isnull=True).count() == 2  # GET changes nothing
    done = client.post(unsubscribe_path(reader, lists["weekly"]), {"scope": "all"})
    assert done.status_code == 200
    assert Subscription.objects.filter(ended_at__isnull=True).count() == 0


def test_a_forged_unsubscribe_link_is_refused(client, lists, reader):
    path = unsubscribe_path(reader, lists["weekly"])
    forged = path.replace(":", ":x", 1)
    assert client.post(forged, {"List-Unsubscribe": "One-Click"}).status_code == 400
    assert client.get(forged).status_code == 400
    reader.token_version += 1
    reader.save()
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 400  # revoked
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED


def test_the_preference_centre_changes_lists_region_frequency_and_services(client, lists, reader):
    netflix = Provider.objects.create(name="Netflix", slug="netflix")
    path = f"/newsletters/preferences/{make_token(Purpose.PREFERENCES, reader)}/"
    page = client.get(path)
    assert page.status_code == 200 and b"reader@example.org" in page.content
    response = client.post(
        path,
        {
            "newsletters": [lists["drama"].pk, lists["tonight"].pk],
            "region": "IE",
            "frequency": "weekly",
            "providers": [netflix.pk],
        },
    )
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.region == "IE" and reader.frequency == Frequency.WEEKLY
    assert list(reader.providers.all()) == [netflix]
    active = {
        s.newsletter.slug
        for s in Subscription.objects.filter(
            subscriber=reader, ended_at__isnull=True, confirmed_at__isnull=False
        )
    }
    assert active == {"drama", "tv-tonight"}
    assert client.post(path, {"region": "ZZ", "frequency": "weekly"}).status_code == 400
    assert mail.outbox == []


def test_preference_and_unsubscribe_links_cannot_stand_in_for_each_other(client, lists, reader):
    token = make_token(Purpose.PREFERENCES, reader)
    assert (
        client.post(
            f"/newsletters/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"}
        ).status_code
        == 400
    )
    assert client.get(f"/newsletters/confirm/{token}/").status_code == 400


def test_a_reader_who_left_can_sign_up_again_with_a_new_confirmation(client, lists, reader):
    from .conftest import sign_up

    client.post(unsubscribe_path(reader, lists["weekly"]), {"List-Unsubscribe": "One-Click"})
    mail.outbox.clear()
    sign_up(client, lists, email="reader@example.org")
    assert len(mail.outbox) == 1
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING


def test_saving_preferences_brings_a_suspended_reader_back(client, lists, reader):
    from telly.newsletters.subscriptions import suspend

    suspend(reader.pk, "550 mailbox full")
    path = f"/newsletters/preferences/{make_token(Purpose.PREFERENCES, reader)}/"
    assert b"bounced" in client.get(path).content
    client.post(path, {"newsletters": [lists["weekly"].pk], "region": "GB", "frequency": "every"})
    reader.refresh_from_db()
    assert reader.status == SubscriberStatus.CONFIRMED and reader.suspended_reason == ""
