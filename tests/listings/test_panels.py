import datetime as dt

import time_machine
from django.test import Client

from telly.catalog.models import Title
from telly.listings.models import Channel

from .conftest import utc


@time_machine.travel(dt.datetime(2025, 1, 16, 12, tzinfo=dt.UTC), tick=False)
def test_a_title_page_shows_its_next_airings_on_tv(
    client: Client, heartstopper: Title, bbc_one: Channel, make_airing
) -> None:
    make_airing(
        bbc_one,
        utc(2025, 1, 16, 20),
        30,
        "Heartstopper",
        title=heartstopper,
        season_number=2,
        episode_number=1,
    )
    page = client.get(heartstopper.get_absolute_url()).content.decode()
    assert (
        'id="on-tv-h"' in page
        and "BBC One" in page
        and "S02E01" in page
        and "Thu 16 Jan, 20:00" in page
    )


def test_a_title_with_no_airings_has_no_on_tv_section(client: Client, heartstopper: Title) -> None:
    assert 'id="on-tv-h"' not in client.get(heartstopper.get_absolute_url()).content.decode()


@time_machine.travel(dt.datetime(2025, 1, 16, 17, tzinfo=dt.UTC), tick=False)
def test_the_home_page_picks_tonights_best(
    client: Client, heartstopper: Title, bbc_one: Channel, itv: Channel, make_airing
) -> None:
    make_airing(bbc_one, utc(2025, 1, 16, 20), 30, "Heartstopper", title=heartstopper)
    make_airing(itv, utc(2025, 1, 16, 21), 60, "Big Premiere", is_premiere=True)
    make_airing(itv, utc(2025, 1, 16, 14), 60, "Afternoon Film", is_new=True)  # not tonight
    make_airing(itv, utc(2025, 1, 17, 20), 60, "Tomorrow Premiere", is_premiere=True)
    page = client.get("/").content.decode()
    assert "Tonight&#x27;s picks" in page or "Tonight's picks" in page
    assert page.index("Heartstopper") < page.index("Big Premiere")
    assert "Afternoon Film" not in page and "Tomorrow Premiere" not in page
