import json

import pytest

from telly.accounts.models import ApiToken, Follow, WatchlistItem


@pytest.fixture
def token(owner) -> str:
    return ApiToken.issue(owner, "test")[1]


def _auth(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_it_needs_a_token(client, db):
    response = client.get("/api/v1/me/watchlist")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert client.get("/api/v1/me/watchlist", **_auth("tly_wrong")).status_code == 401


def test_only_a_digest_of_the_token_is_stored(owner, token):
    stored = ApiToken.objects.get(user=owner)
    assert token not in (stored.digest, stored.prefix) and len(stored.digest) == 64
    assert token.startswith("tly_" + stored.prefix)


def test_watchlist_round_trip(client, owner, token, heartstopper):
    created = client.post(
        "/api/v1/me/watchlist",
        json.dumps({"title_id": heartstopper.pk}),
        content_type="application/json",
        **_auth(token),
    )
    assert created.status_code == 201 and created.json()["title"]["slug"] == "heartstopper"
    listed = client.get("/api/v1/me/watchlist", **_auth(token)).json()
    assert [w["title"]["name"] for w in listed] == ["Heartstopper"]
    assert (
        client.delete(f"/api/v1/me/watchlist/{heartstopper.pk}", **_auth(token)).status_code == 204
    )
    assert (
        client.delete(f"/api/v1/me/watchlist/{heartstopper.pk}", **_auth(token)).status_code == 404
    )
    assert not WatchlistItem.objects.exists()


def test_follows_and_another_users_follow_is_not_found(
    client, owner, stranger, token, heartstopper
):
    theirs = Follow.objects.create(user=stranger, title=heartstopper)
    response = client.post(
        "/api/v1/me/follows",
        json.dumps({"person_id": heartstopper.credits.first().person_id}),
        content_type="application/json",
        **_auth(token),
    )
    assert response.status_code == 201 and response.json()["person"]["name"] == "Joe Locke"
    assert client.delete(f"/api/v1/me/follows/{theirs.pk}", **_auth(token)).status_code == 404
    assert Follow.objects.filter(pk=theirs.pk).exists()


def test_bad_input_is_a_4xx_with_the_error_shape(client, token, heartstopper):
    both = client.post(
        "/api/v1/me/follows",
        json.dumps({"title_id": heartstopper.pk, "person_id": 1}),
        content_type="application/json",
        **_auth(token),
    )
    assert both.status_code == 400 and both.json()["error"]["code"] == "bad_follow"
    missing = client.post(
        "/api/v1/me/watchlist",
        json.dumps({"title_id": 99999}),
        content_type="application/json",
        **_auth(token),
    )
    assert missing.status_code == 404
    garbage = client.post(
        "/api/v1/me/watchlist", "{not json", content_type="application/json", **_auth(token)
    )
    assert 400 <= garbage.status_code < 500
    assert client.get("/api/v1/me/calendar?days=0", **_auth(token)).status_code == 400
    assert client.get("/api/v1/me/calendar?days=x", **_auth(token)).status_code == 422


def test_progress_and_calendar(client, owner, token, heartstopper):
    marked = client.post(
        "/api/v1/me/progress",
        json.dumps({"title_id": heartstopper.pk, "season": 1}),
        content_type="application/json",
        **_auth(token),
    )
    assert marked.json() == {"changed": 2}
    [progress] = client.get("/api/v1/me/progress", **_auth(token)).json()
    assert progress["watched"] == 2 and progress["next_episode"]["code"] == "S02E01"
    assert client.get("/api/v1/me/calendar", **_auth(token)).json() == []


def test_a_revoked_token_stops_working(client, owner, owner_client, token):
    assert client.get("/api/v1/me/follows", **_auth(token)).status_code == 200
    stored = ApiToken.objects.get(user=owner)
    assert stored.last_used_at is not None
    assert owner_client.post(f"/account/tokens/{stored.pk}/revoke/").status_code == 302
    assert client.get("/api/v1/me/follows", **_auth(token)).status_code == 401


def test_the_tokens_page_shows_a_new_secret_once(owner_client, owner):
    page = owner_client.post("/account/tokens/", {"name": "Kodi"}).content.decode()
    assert "tly_" in page and ApiToken.objects.filter(user=owner, name="Kodi").exists()
    assert "tly_" not in owner_client.get("/account/tokens/").content.decode().replace(
        "tly_" + ApiToken.objects.get().prefix, ""
    )
