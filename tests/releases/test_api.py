import datetime as dt

import pytest
import time_machine

from telly.releases.estimates import refresh_titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def estimated(autumn_show):
    with time_machine.travel(dt.datetime(2023, 3, 1, 12, tzinfo=dt.UTC)):
        refresh_titles([autumn_show.pk])
    return autumn_show


def test_title_releases_lists_events_and_the_estimate(client, estimated):
    for key in (estimated.pk, estimated.slug):
        body = client.get(f"/api/v1/titles/{key}/releases").json()
        assert body["status"] == "returning"
        assert body["next_season_estimate"]["season_number"] == 5
        assert body["next_season_estimate"]["certainty"] == "estimated"
        assert body["next_season_estimate"]["probability"] == pytest.approx(0.8)
        kinds = {(e["kind"], e["season_number"]) for e in body["events"]}
        assert ("premiere", 1) in kinds and ("finale", 4) in kinds


def test_an_unknown_title_is_a_404_with_the_error_shape(client, db):
    response = client.get("/api/v1/titles/no-such-show/releases")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_calendar_answers_between_two_dates(client, estimated):
    body = client.get("/api/v1/calendar?from=2022-09-01&to=2022-09-30").json()
    assert [(e["title_name"], e["kind"], e["date"]) for e in body["events"]] == [
        ("Autumn Show", "premiere", "2022-09-27")
    ]
    later = client.get("/api/v1/calendar?from=2023-09-01&to=2023-09-30").json()
    assert later["events"] == []
    assert [e["season_number"] for e in later["estimates"]] == [5]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("from=2023-09-30&to=2023-09-01", "bad_range"),
        ("from=2020-01-01&to=2023-01-01", "bad_range"),
        ("from=yesterday", "invalid"),
        ("region=XX", "bad_region"),
        ("service=nope", "bad_filter"),
    ],
)
def test_bad_calendar_queries_get_a_4xx_with_the_error_shape(client, estimated, query, code):
    response = client.get(f"/api/v1/calendar?{query}")
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["code"] == code
