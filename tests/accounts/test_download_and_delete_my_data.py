from django.contrib.auth import get_user_model

from telly.accounts.models import EpisodeWatch, Follow, Profile, WatchlistItem
from telly.alerts.models import Alert


def test_download_has_everything_personal(owner_client, owner, heartstopper):
    Follow.objects.create(user=owner, title=heartstopper)
    WatchlistItem.objects.create(user=owner, title=heartstopper)
    response = owner_client.get("/account/export/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = response.json()
    assert data["account"]["email"] == "owner@example.org"
    assert data["watchlist"][0]["title"] == "Heartstopper"
    assert data["follows"][0]["title"] == "Heartstopper"
    assert "settings" in data["alerts"]


def test_deleting_needs_the_password_and_erases_at_once(owner_client, owner, heartstopper):
    Follow.objects.create(user=owner, title=heartstopper)
    episode = heartstopper.episodes.first()
    EpisodeWatch.objects.create(user=owner, episode=episode, title=heartstopper)
    Alert.objects.create(user=owner, key="x", kind="new_episode", headline="x")
    assert owner_client.post("/account/delete/", {"password": "nope"}).status_code == 400
    assert get_user_model().objects.filter(pk=owner.pk).exists()
    response = owner_client.post("/account/delete/", {"password": "correct horse battery"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=owner.pk).exists()
    for model in (Profile, Follow, EpisodeWatch, Alert):
        assert not model.objects.exists(), model


def test_other_apps_can_erase_data_not_linked_to_the_user(owner_client, owner, monkeypatch):
    from telly.accounts import privacy

    erased = []
    monkeypatch.setattr(privacy, "erasers", [lambda user: erased.append(user.email)])
    owner_client.post("/account/delete/", {"password": "correct horse battery"})
    assert erased == ["owner@example.org"]
