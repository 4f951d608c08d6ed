"""The JSON API lists the public newsletters."""

from __future__ import annotations


def test_the_api_lists_public_newsletters(client, lists):
    lists["tonight"].is_public = False
    lists["tonight"].save()
    response = client.get("/api/v1/newsletters")
    assert response.status_code == 200
    body = response.json()
    assert [n["slug"] for n in body] == ["new-to-stream", "drama"]
    assert body[1]["genre"] == "Drama" and body[1]["sections"] == ["new", "premieres"]


def test_an_unknown_or_private_newsletter_is_a_404_in_the_error_shape(client, lists):
    lists["tonight"].is_public = False
    lists["tonight"].save()
    for slug in ("nope", "tv-tonight"):
        response = client.get(f"/api/v1/newsletters/{slug}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/newsletters/drama").json()["name"] == "Drama"
