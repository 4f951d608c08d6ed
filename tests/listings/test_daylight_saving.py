"""Europe/London changes its clocks on the last Sunday of March and of October."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from telly.listings.models import Channel
from telly.listings.queries import local_day_bounds

from .conftest import LONDON, utc


@pytest.mark.parametrize(
    ("day", "hours", "starts"),
    [
        (dt.date(2026, 3, 29), 23, utc(2026, 3, 29, 0)),  # clocks go forward at 01:00 GMT
        (dt.date(2026, 10, 25), 25, utc(2026, 10, 24, 23)),  # clocks go back at 02:00 BST
        (dt.date(2026, 7, 1), 24, utc(2026, 6, 30, 23)),
    ],
)
def test_a_local_day_is_23_or_25_hours_when_the_clocks_change(
    day: dt.date, hours: int, starts: dt.datetime
) -> None:
    start, stop = local_day_bounds(day, LONDON)
    assert start == starts
    assert stop - start == dt.timedelta(hours=hours)


def test_the_channel_day_in_autumn_holds_both_one_oclocks(
    client: Client, bbc_one: Channel, make_airing
) -> None:
    make_airing(
        bbc_one, utc(2026, 10, 24, 21, 30), 60, "Saturday Late"
    )  # 22:30-23:30 BST on the 24th
    make_airing(bbc_one, utc(2026, 10, 25, 0, 0), 60, "First One O'Clock")  # 01:00 BST
    make_airing(bbc_one, utc(2026, 10, 25, 1, 0), 60, "Second One O'Clock")  # 01:00 GMT
    make_airing(bbc_one, utc(2026, 10, 25, 23, 30), 60, "Monday Early")  # 23:30 GMT on the 25th
    page = client.get("/tv-guide/bbc-one/?date=2026-10-25").content.decode()
    assert "Saturday Late" not in page and "Monday Early" in page
    assert page.count(">01:00</time>") == 2
    assert "25-hour day" in page
    api = client.get("/api/v1/channels/bbc-one/airings?date=2026-10-25").json()
    assert [a["title"] for a in api] == ["First One O'Clock", "Second One O'Clock", "Monday Early"]


def test_the_channel_day_in_spring_skips_the_missing_hour(
    client: Client, bbc_one: Channel, make_airing
) -> None:
    make_airing(bbc_one, utc(2026, 3, 29, 0, 30), 60, "Across The Change")  # 00:30 GMT → 02:30 BST
    make_airing(bbc_one, utc(2026, 3, 29, 1, 30), 30, "After")  # 02:30 BST
    page = client.get("/tv-guide/bbc-one/?date=2026-03-29").content.decode()
    assert ">00:30</time>" in page and ">02:30</time>" in page and ">01:30</time>" not in page
    assert "23-hour day" in page


@time_machine.travel(dt.datetime(2026, 7, 1, 19, 10, tzinfo=dt.UTC), tick=False)
def test_the_grid_shows_summer_times_in_london_time(
    client: Client, bbc_one: Channel, make_airing
) -> None:
    make_airing(bbc_one, utc(2026, 7, 1, 19, 0), 60, "Eight O'Clock Show")
    page = client.get("/tv-guide/").content.decode()
    assert ">20:00</time>" in page and "Eight O&#x27;Clock Show" in page
    assert "tvg-on" in page
