import datetime as dt

import time_machine
from django.test import Client

from telly.catalog.models import Title
from telly.listings.models import Channel

from .conftest import utc


def test_channels_are_listed_with_their_lineups(
    client: Client, bbc_one: Channel, itv: Channel
) -> None:
    body = client.get("/api/v1/channels?region=GB").json()
    assert [c["slug"] for c in body] == ["bbc-one", "itv1"]
    assert {(lineup["platform"], lineup["number"]) for lineup in body[0]["lineups"]} == {
        ("freeview", 1),
        ("sky", 101),
    }
    assert [c["slug"] for c in client.get("/api/v1/channels?platform=sky").json()] == ["bbc-one"]
    assert client.get("/api/v1/channels?region=US").json() == []


def test_a_channels_day_comes_from_the_api(client: Client, bbc_one: Channel, make_airing) -> None:
    make_airing(bbc_one, utc(2025, 1, 16, 20), 60, "Thursday")
    make_airing(bbc_one, utc(2025, 1, 17, 20), 60, "Friday")
    body = client.get("/api/v1/channels/bbc-one/airings?date=2025-01-16").json()
    assert [a["title"] for a in body] == ["Thursday"]
    assert client.get("/api/v1/channels/nope/airings").status_code == 404
    assert client.get("/api/v1/channels/bbc-one/airings?date=2025-13-01").status_code == 422
    assert client.get("/api/v1/channels/bbc-one/airings?tz=Mars/Base").status_code == 400


@time_machine.travel(dt.datetime(2025, 1, 16, 12, tzinfo=dt.UTC), tick=False)
def test_a_titles_coming_airings(
    client: Client, heartstopper: Title, bbc_one: Channel, make_airing
) -> None:
    make_airing(bbc_one, utc(2025, 1, 15, 20), 30, "Heartstopper", title=heartstopper)  # over
    make_airing(
        bbc_one,
        utc(2025, 1, 16, 20),
        30,
        "Heartstopper",
        title=heartstopper,
        season_number=1,
        episode_number=1,
    )
    body = client.get(f"/api/v1/titles/{heartstopper.pk}/airings").json()
    assert [(a["start"], a["channel"], a["episode_number"]) for a in body] == [
        ("2025-01-16T20:00:00Z", "bbc-one", 1)
    ]
    assert client.get("/api/v1/titles/heartstopper/airings").json() == body
    assert client.get("/api/v1/titles/99999999999999999999999/airings").status_code == 404
    assert client.get("/api/v1/titles/heartstopper/airings?limit=0").status_code == 400
