"""Every filter answers the same from the results page and from the API."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
import time_machine

from telly.streaming.models import Offer, Provider

NOW = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)


@pytest.fixture
def offers_and_airings(guide):
    """Netflix offers The Crown in GB and Stranger Things in US; The Office airs in two days
    on a GB channel, The Crown in nine."""
    netflix = Provider.objects.get(slug="netflix")
    for title, region in ((guide["crown"], "GB"), (guide["stranger"], "US")):
        Offer.objects.create(title=title, provider=netflix, region=region, monetization="flatrate")
    listings = pytest.importorskip("telly.listings.models")
    channel = listings.Channel.objects.create(name="BBC One", region="GB")
    for title, days in ((guide["office"], 2), (guide["crown"], 9)):
        start = NOW + dt.timedelta(days=days)
        listings.Airing.objects.create(
            channel=channel,
            title=title,
            raw_title=title.name,
            start=start,
            stop=start + dt.timedelta(hours=1),
        )
    return guide


CASES = [
    ({"q": "the crown", "kind": "series"}, ["The Crown"]),
    ({"q": "the crown", "kind": "film"}, ["The Crown Jewels"]),
    ({"q": "the", "kind": "title", "genre": "history"}, ["The Crown"]),
    ({"q": "", "kind": "film", "year_from": 2000, "year_to": 2010}, ["Amélie"]),
    ({"q": "strange", "kind": "title", "year_from": 2017}, []),
    ({"q": "", "kind": "title", "provider": "netflix", "region": "GB"}, ["The Crown"]),
    ({"q": "", "kind": "title", "provider": "netflix", "region": "US"}, ["Stranger Things"]),
    ({"q": "the", "kind": "title", "on_tv": "on", "region": "GB"}, ["The Office"]),
    ({"q": "the", "kind": "title", "on_tv": "on", "region": "US"}, []),
]


def page_names(html: str) -> list[str]:
    return [unescape(n) for n in re.findall(r'class="search-hit-name">([^<]*)</a>', html)]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("params", "expected"), CASES, ids=lambda v: str(v))
def test_a_filter_gives_the_same_titles_on_the_page_and_in_the_api(
    client, offers_and_airings, params, expected
):
    page = client.get("/search/", params)
    assert page.status_code == 200
    assert page_names(page.content.decode()) == expected
    api_params = {**params, "on_tv": "true"} if "on_tv" in params else params
    body = client.get("/api/v1/search", {**api_params, "limit": 50}).json()
    assert [r["name"] for r in body["results"]] == expected
