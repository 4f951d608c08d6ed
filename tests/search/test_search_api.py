"""GET /api/v1/search: the page's results as JSON, errors in the one error shape."""

from __future__ import annotations


def test_it_answers_with_ranked_results(client, guide):
    body = client.get("/api/v1/search", {"q": "hartstoper"}).json()
    assert body["query"] == "hartstoper"
    first = body["results"][0]
    assert first["kind"] == "title" and first["name"] == "Heartstopper"
    assert first["url"] == "/shows/heartstopper/"
    assert body["count"] == len(body["results"])


def test_kind_and_limit_narrow_the_results(client, guide):
    body = client.get(
        "/api/v1/search", {"q": "heartstopper", "kind": "character", "limit": 2}
    ).json()
    assert body["count"] == 2
    assert {r["kind"] for r in body["results"]} == {"character"}
    assert all(" in Heartstopper" in r["label"] for r in body["results"])


def test_filters_work_as_on_the_page(client, guide):
    body = client.get("/api/v1/search", {"q": "the office", "year_to": 2003}).json()
    assert [r["year"] for r in body["results"]] == [2001]


def test_bad_input_is_a_4xx_in_the_error_shape(client, guide):
    for params, status in (
        ({"q": "x", "kind": "spaceship"}, 422),
        ({"q": "x", "limit": 0}, 422),
        ({}, 422),
        ({"q": "x", "region": "XX"}, 400),
        ({"q": "x", "year_from": 2010, "year_to": 2000}, 400),
    ):
        answer = client.get("/api/v1/search", params)
        assert answer.status_code == status, params
        assert set(answer.json()["error"]) == {"code", "message"}
