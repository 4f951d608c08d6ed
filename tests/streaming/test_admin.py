import pytest

from telly.catalog.signals import changes_committed
from telly.streaming.models import Offer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["provider", "plan", "platform", "offer"])
def test_editors_can_list_and_open_each_kind_of_row(client, editor, heartstopper_on_netflix, model):
    client.force_login(editor)
    assert client.get(f"/admin/streaming/{model}/").status_code == 200
    assert client.get(f"/admin/streaming/{model}/add/").status_code == 200


def test_strangers_cannot_reach_the_streaming_admin(client, stranger, netflix):
    client.force_login(stranger)
    assert client.get("/admin/streaming/provider/").status_code == 302


def test_a_field_an_editor_corrects_is_locked_against_imports(client, editor, netflix):
    client.force_login(editor)
    form = {
        "name": "Netflix",
        "slug": "netflix",
        "kind": "subscription",
        "regions": '["GB"]',
        "homepage": "",
        "logo_url": "",
        "tmdb_id": "8",
        "justwatch_id": "",
        "aliases": "[]",
        "display_priority": "7",
        "locked_fields": "[]",
        "plans-TOTAL_FORMS": "0",
        "plans-INITIAL_FORMS": "0",
        "carriage-TOTAL_FORMS": "0",
        "carriage-INITIAL_FORMS": "0",
    }
    answer = client.post(f"/admin/streaming/provider/{netflix.pk}/change/", form)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    netflix.refresh_from_db()
    assert netflix.display_priority == 7 and "display_priority" in netflix.locked_fields


def test_saving_an_offer_announces_it(
    client, editor, heartstopper_on_netflix, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, changes, **kwargs):
        heard.append(changes)

    changes_committed.connect(listener)
    try:
        client.force_login(editor)
        offer = heartstopper_on_netflix
        form = {
            "title": offer.title_id,
            "provider": offer.provider_id,
            "region": "GB",
            "monetization": "subscription",
            "seasons": "[1, 2, 3]",
            "currency": "",
            "quality": "",
            "url": "",
            "price": "",
            "last_seen_0": "2023-09-16",
            "last_seen_1": "12:00:00",
            "locked_fields": "[]",
        }
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(f"/admin/streaming/offer/{offer.pk}/change/", form)
        assert answer.status_code == 302, answer.content.decode()[:3000]
    finally:
        changes_committed.disconnect(listener)
    assert Offer.objects.get(pk=offer.pk).seasons == [1, 2, 3]
    assert any(offer.pk in c.offers for c in heard)
