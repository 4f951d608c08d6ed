"""A reader's newsletter data is in "download my data" and goes with "delete my account"."""

from django.test import Client

from telly.newsletters.models import Consent, Subscriber, Subscription

from .conftest import make_confirmed


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_download_includes_subscriptions_found_by_email(owner, lists):
    make_confirmed("Owner@Example.org", lists["weekly"], lists["drama"])
    make_confirmed("someone-else@example.org", lists["weekly"])
    data = _signed_in(owner).get("/account/export/").json()
    (mine,) = data["newsletters"]
    assert mine["email"] == "owner@example.org" and mine["status"] == "confirmed"
    assert sorted(x["newsletter"] for x in mine["lists"]) == sorted(
        [lists["weekly"].name, lists["drama"].name]
    )
    assert {c["action"] for c in mine["consent_record"]} == {"requested", "confirmed"}


def test_download_includes_a_subscriber_linked_to_the_account(owner, lists):
    linked = make_confirmed("old-address@example.org", lists["tonight"])
    linked.user = owner
    linked.save(update_fields=["user"])
    data = _signed_in(owner).get("/account/export/").json()
    assert [s["email"] for s in data["newsletters"]] == ["old-address@example.org"]


def test_deleting_the_account_erases_the_address_and_its_record(owner, lists):
    make_confirmed("owner@example.org", lists["weekly"])
    other = make_confirmed("someone-else@example.org", lists["weekly"])
    response = _signed_in(owner).post("/account/delete/", {"password": "correct horse battery"})
    assert response.status_code == 302
    assert list(Subscriber.objects.values_list("email", flat=True)) == [other.email]
    assert set(Subscription.objects.values_list("subscriber", flat=True)) == {other.pk}
    assert set(Consent.objects.values_list("subscriber", flat=True)) == {other.pk}


def test_a_wrong_password_erases_nothing(owner, lists):
    make_confirmed("owner@example.org", lists["weekly"])
    response = _signed_in(owner).post("/account/delete/", {"password": "nope"})
    assert response.status_code == 400
    assert Subscriber.objects.filter(email="owner@example.org").exists()
