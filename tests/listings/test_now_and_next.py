import datetime as dt

import time_machine
from django.test import Client

from telly.listings.models import Airing, Channel
from telly.listings.queries import now_and_next

from .conftest import utc


def test_an_airing_is_on_from_its_start_until_just_before_its_stop(
    bbc_one: Channel, make_airing
) -> None:
    first = make_airing(bbc_one, utc(2025, 1, 16, 20), 60, "First")
    second = make_airing(bbc_one, utc(2025, 1, 16, 21), 30, "Second")
    assert list(Airing.objects.on_now("GB", utc(2025, 1, 16, 20))) == [first]
    assert list(Airing.objects.on_now("GB", utc(2025, 1, 16, 20, 59, 59))) == [first]
    assert list(Airing.objects.on_now("GB", utc(2025, 1, 16, 21))) == [second]
    assert list(Airing.objects.on_now("GB", utc(2025, 1, 16, 21, 30))) == []
    assert list(Airing.objects.on_now("US", utc(2025, 1, 16, 20, 30))) == []


def test_on_between_finds_airings_overlapping_the_interval(bbc_one: Channel, make_airing) -> None:
    make_airing(bbc_one, utc(2025, 1, 16, 19), 60, "Before")
    straddling = make_airing(bbc_one, utc(2025, 1, 16, 20), 90, "Straddling")
    inside = make_airing(bbc_one, utc(2025, 1, 16, 21, 30), 30, "Inside")
    found = list(Airing.objects.on_between(utc(2025, 1, 16, 21), utc(2025, 1, 16, 22), region="GB"))
    assert found == [straddling, inside]


def test_now_and_next_answers_every_channel_in_one_query(
    bbc_one: Channel, itv: Channel, make_airing, count_queries
) -> None:
    make_airing(bbc_one, utc(2025, 1, 16, 20), 60, "Now One")
    make_airing(bbc_one, utc(2025, 1, 16, 21), 60, "Next One")
    make_airing(bbc_one, utc(2025, 1, 16, 22), 60, "Later One")
    make_airing(itv, utc(2025, 1, 16, 20, 45), 30, "Next Itv")  # a gap now on ITV
    with count_queries as queries:
        answer = now_and_next([bbc_one, itv], utc(2025, 1, 16, 20, 30))
    assert len(queries) == 1
    assert [(e.now and e.now.raw_title, e.next and e.next.raw_title) for e in answer] == [
        ("Now One", "Next One"),
        (None, "Next Itv"),
    ]


@time_machine.travel(dt.datetime(2025, 1, 16, 20, 30, tzinfo=dt.UTC), tick=False)
def test_the_api_answers_now_and_next_per_channel(
    client: Client, bbc_one: Channel, itv: Channel, make_airing
) -> None:
    make_airing(bbc_one, utc(2025, 1, 16, 20), 60, "Now One", is_new=True)
    make_airing(bbc_one, utc(2025, 1, 16, 21), 60, "Next One")
    body = client.get("/api/v1/listings/now?region=GB").json()
    assert [row["channel"]["slug"] for row in body] == ["bbc-one", "itv1"]
    assert body[0]["now"]["title"] == "Now One" and body[0]["now"]["flags"] == ["New"]
    assert body[0]["next"]["start"] == "2025-01-16T21:00:00Z"
    assert body[1]["now"] is None and body[1]["next"] is None
    at = client.get("/api/v1/listings/now", {"region": "GB", "at": "2025-01-16T21:15:00Z"}).json()
    assert at[0]["now"]["title"] == "Next One"


def test_bad_now_and_next_input_is_a_400_with_the_error_shape(client: Client, db: None) -> None:
    for query in ("region=XX", "platform=teletext", "at=2025-01-16T21:15:00"):
        response = client.get(f"/api/v1/listings/now?{query}")
        assert response.status_code == 400, query
        assert set(response.json()["error"]) == {"code", "message"}


def test_instants_far_outside_the_guide_are_refused_not_crashed_on(
    client: Client, db: None
) -> None:
    for at in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"):
        response = client.get("/api/v1/listings/now", {"at": at})
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "bad_at"
    assert client.get(
        "/api/v1/titles/1/airings", {"after": "0001-01-01T00:00:00+05:00"}
    ).status_code in (400, 404)
