import datetime as dt

import pytest
import time_machine
from django.test import Client

from telly.listings.models import Channel

from .conftest import utc

NOW = dt.datetime(2025, 1, 16, 20, 10, tzinfo=dt.UTC)


@pytest.fixture
def evening(bbc_one: Channel, itv: Channel, make_airing) -> None:
    make_airing(bbc_one, utc(2025, 1, 16, 20), 60, "Bbc Eight")
    make_airing(
        bbc_one,
        utc(2025, 1, 16, 21),
        60,
        "Bbc Nine",
        season_number=3,
        episode_number=8,
        is_new=True,
    )
    make_airing(itv, utc(2025, 1, 16, 19, 30), 60, "Itv Half Seven")
    make_airing(itv, utc(2025, 1, 17, 19), 60, "Itv Tomorrow")


@time_machine.travel(NOW, tick=False)
def test_the_grid_shows_now_and_next_for_each_channel_in_lineup_order(
    client: Client, evening: None
) -> None:
    response = client.get("/tv-guide/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("BBC One") < page.index("ITV1")
    assert (
        "Bbc Eight" in page and "Bbc Nine" in page and "S03E08" in page and "Itv Half Seven" in page
    )
    assert "Itv Tomorrow" not in page
    assert page.count("tvg-airing tvg-on") == 2


@time_machine.travel(NOW, tick=False)
def test_the_grid_jumps_to_tomorrow_evening(client: Client, evening: None) -> None:
    page = client.get("/tv-guide/?when=tomorrow").content.decode()
    assert "Itv Tomorrow" in page and "Bbc Eight" not in page


@time_machine.travel(NOW, tick=False)
def test_the_grid_filters_by_platform_lineup(client: Client, evening: None) -> None:
    page = client.get("/tv-guide/?platform=sky").content.decode()
    assert "BBC One" in page and ">101</span>" in page
    assert "ITV1" not in page
    assert "without their numbers" not in page  # the numbers are known here


@time_machine.travel(NOW, tick=False)
def test_the_grid_uses_a_fixed_number_of_queries(
    client: Client, evening: None, count_queries, make_airing
) -> None:
    client.get("/tv-guide/")
    with count_queries as few:
        client.get("/tv-guide/")
    for n in range(10):
        channel = Channel.objects.create(name=f"Extra {n}", sort_order=50 + n)
        make_airing(channel, utc(2025, 1, 16, 20), 60, f"Extra show {n}")
    with count_queries as many:
        client.get("/tv-guide/")
    assert len(many) == len(few) <= 12


@pytest.mark.parametrize(
    "query", ["date=16-01-2025", "time=25:99", "when=yesterday", "platform=ceefax"]
)
def test_bad_guide_input_is_a_400_page_with_a_message(client: Client, db: None, query: str) -> None:
    response = client.get(f"/tv-guide/?{query}")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_channel_day_lists_the_day_and_marks_what_is_on(client: Client, evening: None) -> None:
    response = client.get("/tv-guide/bbc-one/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Bbc Eight") < page.index("Bbc Nine")
    assert 'aria-current="true"' in page and "On now" in page
    assert "Freeview 1" in page and "Sky 101" in page
    assert client.get("/tv-guide/bbc-one/?date=2025-02-30").status_code == 400
    assert client.get("/tv-guide/no-such-channel/").status_code == 404


def test_the_xmltv_feed_streams_the_region_and_refuses_bad_input(
    client: Client, evening: None
) -> None:
    response = client.get("/tv-guide/xmltv.xml?date=2025-01-16&days=1")
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("application/xml")
    assert "Bbc Nine" in body and "Itv Tomorrow" not in body
    assert "<url>http://testserver/tv-guide/bbc-one/</url>" in body
    only = b"".join(
        client.get("/tv-guide/xmltv.xml?date=2025-01-16&channels=itv1").streaming_content
    ).decode()
    assert "Itv Half Seven" in only and "Bbc Nine" not in only
    for query in ("days=99", "days=x", "date=nope", "channels=nope"):
        assert client.get(f"/tv-guide/xmltv.xml?{query}").status_code == 400, query


@time_machine.travel(NOW, tick=False)
def test_a_signed_in_viewer_can_narrow_the_grid_to_their_channels(
    client: Client, evening: None, owner, itv: Channel
) -> None:
    owner.profile.channels.add(itv)
    client.force_login(owner)
    page = client.get("/tv-guide/?mine=1").content.decode()
    assert "Itv Half Seven" in page and "Bbc Eight" not in page
    assert 'name="mine" value="1" checked' in page
    assert "Bbc Eight" in client.get("/tv-guide/").content.decode()


def test_a_visitor_sees_no_my_channels_option(client: Client, evening: None) -> None:
    assert 'name="mine"' not in client.get("/tv-guide/").content.decode()


@time_machine.travel(NOW, tick=False)
def test_phones_get_the_same_window_as_a_list_per_channel(client: Client, evening: None) -> None:
    """Below 700px the stylesheet swaps the grid for this list (checked in screenshots)."""
    response = client.get("/tv-guide/")
    page = response.content.decode()
    stack = page[page.index('<ul class="tvg-stack"') :]
    stack = stack[: stack.index("</ul>")]
    assert stack.index("BBC One") < stack.index("Bbc Eight") < stack.index("Bbc Nine")
    assert stack.index("Bbc Nine") < stack.index("ITV1") < stack.index("Itv Half Seven")
    # What is on now is marked on both channels, with its start and stop.
    assert stack.count('class="tvg-on"') == 2 and stack.count("<strong>Now</strong>") == 2
    assert ">20:00</time>–<time" in stack and ">21:00</time>" in stack
    assert "listings/guide.css" in page
