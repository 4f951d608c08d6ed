import pytest

pytestmark = pytest.mark.django_db


def test_it_lists_titles_with_filters_and_pagination(client, catalogue):
    body = client.get("/api/v1/titles", {"kind": "film", "limit": 3, "order": "newest"}).json()
    assert body["count"] == 10
    assert body["limit"] == 3 and len(body["results"]) == 3
    years = [t["year"] for t in body["results"]]
    assert years == sorted(years, reverse=True)
    assert all(t["kind"] == "film" for t in body["results"])


def test_second_page_continues_where_the_first_ended(client, catalogue):
    first = client.get("/api/v1/titles", {"limit": 5}).json()["results"]
    second = client.get("/api/v1/titles", {"limit": 5, "offset": 5}).json()["results"]
    assert not {t["id"] for t in first} & {t["id"] for t in second}


def test_a_title_by_slug_and_by_id_agree(client, heartstopper):
    by_slug = client.get("/api/v1/titles/heartstopper").json()
    by_id = client.get(f"/api/v1/titles/{heartstopper.pk}").json()
    assert by_slug == by_id
    characters = {c["name"]: c["characters"] for c in by_slug["cast"]}
    assert characters["Joe Locke"] == ["Charlie Spring"]
    assert {"scheme": "imdb", "value": "tt10638036"} in by_slug["external_ids"]
    assert [s["number"] for s in by_slug["seasons"]] == [1, 2]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/titles/999999",
        "/api/v1/titles/no-such-title",
        "/api/v1/people/nobody",
        "/api/v1/no-such-endpoint",
        "/api/v1/titles/99999999999999999999999",
    ],
)
def test_unknown_things_are_404_with_the_error_shape(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert set(response.json()["error"]) == {"code", "message"}


@pytest.mark.parametrize(
    "query",
    [
        {"limit": 0},
        {"limit": 1000},
        {"offset": -1},
        {"genre": "nope"},
        {"kind": "opera"},
        {"year_from": "soon"},
    ],
)
def test_bad_parameters_are_4xx_with_the_error_shape(client, catalogue, query):
    response = client.get("/api/v1/titles", query)
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["message"]


def test_people_and_genres(client, heartstopper):
    person = client.get("/api/v1/people/yasmin-finney").json()
    assert person["credits"][0]["character"] == "Elle Argent"
    genres = {g["slug"]: g["title_count"] for g in client.get("/api/v1/genres").json()}
    assert genres == {"drama": 1, "romance": 1}


def test_the_openapi_document_describes_the_error_shape(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "Error" in schema["components"]["schemas"]
    assert '{"error"' in schema["info"]["description"]
    assert "404" in schema["paths"]["/api/v1/titles/{key}"]["get"]["responses"]


def test_an_offset_beyond_any_catalogue_is_400_not_500(client, catalogue):
    response = client.get("/api/v1/people", {"offset": 10**19})
    assert response.status_code in (400, 422)
    assert response.json()["error"]["message"]


def test_a_calendar_at_the_end_of_time_is_400_not_500(client, db):
    response = client.get("/api/v1/calendar", {"from": "0001-01-01"})
    assert response.status_code == 400
    assert client.get("/api/v1/calendar", {"from": "9999-12-31"}).status_code == 400
