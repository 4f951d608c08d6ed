import datetime as dt

import pytest
import time_machine

from telly.streaming.models import Offer

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2023, 9, 16, 12, tzinfo=dt.UTC)


@time_machine.travel(NOW, tick=False)
def test_home_shows_new_on_streaming_and_leaving_soon_in_the_visitors_region(
    client, netflix, catalogue
):
    Offer.objects.create(
        title=catalogue[1],
        provider=netflix,
        region="GB",
        monetization="subscription",
        available_from=NOW - dt.timedelta(days=3),
    )
    Offer.objects.create(
        title=catalogue[2],
        provider=netflix,
        region="GB",
        monetization="subscription",
        available_until=NOW + dt.timedelta(days=5),
    )
    Offer.objects.create(
        title=catalogue[3],
        provider=netflix,
        region="US",
        monetization="subscription",
        available_from=NOW - dt.timedelta(days=3),
    )
    html = client.get("/").content.decode()
    assert "New on streaming" in html and "Leaving soon" in html
    section = html.split("New on streaming")[1]
    assert catalogue[1].name in section and catalogue[2].name in section
    assert f">{catalogue[3].name}</a> <span" not in section


@time_machine.travel(NOW, tick=False)
def test_home_has_no_streaming_section_when_nothing_is_new_or_leaving(client, netflix, catalogue):
    Offer.objects.create(
        title=catalogue[1], provider=netflix, region="GB", monetization="subscription"
    )
    assert "New on streaming" not in client.get("/").content.decode()
