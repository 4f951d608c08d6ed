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


def test_now_and_next_keeps_the_channel_list_between_requests_until_it_changes(
    client: Client, bbc_one: Channel, itv: Channel, count_queries
) -> None:
    at = {"region": "GB", "at": "2025-01-16T20:30:00Z"}
    client.get("/api/v1/listings/now", at)
    with count_queries as first:
        client.get("/api/v1/listings/now", at)
    with count_queries as second:
        client.get("/api/v1/listings/now", at)
    # The remembered list costs its two fingerprint queries and nothing else.
    assert len(second) == len(first)
    assert not any("listings_lineup" in q["sql"] and "IN (" in q["sql"] for q in second)
    # A change through the ORM shows at once...
    itv.name = "ITV One"
    itv.save()
    names = [row["channel"]["name"] for row in client.get("/api/v1/listings/now", at).json()]
    assert names == ["BBC One", "ITV One"]
    # ...and so does a channel written without model signals (a bulk import, another process).
    Channel.objects.bulk_create([Channel(name="Channel 4", slug="channel-4", sort_order=4)])
    slugs = [row["channel"]["slug"] for row in client.get("/api/v1/listings/now", at).json()]
    assert slugs == ["bbc-one", "itv1", "channel-4"]
