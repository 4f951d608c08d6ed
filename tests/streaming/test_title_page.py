import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from telly.streaming.models import Offer, Provider

pytestmark = pytest.mark.django_db

SEPT_2023 = dt.datetime(2023, 9, 16, 12, tzinfo=dt.UTC)


@time_machine.travel(SEPT_2023, tick=False)
def test_heartstoppers_page_says_where_to_watch_it_in_gb_from_what_price_on_which_platforms(
    client, heartstopper_on_netflix
):
    html = client.get("/shows/heartstopper/").content.decode()
    assert "Where to watch in GB" in html
    assert "from £4.99/month with adverts" in html
    assert "Seasons 1–2" in html
    assert "Sky Glass" in html and "Virgin Media Stream" in html


@time_machine.travel(SEPT_2023, tick=False)
def test_another_region_says_there_is_no_offer_and_where_it_is(client, heartstopper_on_netflix):
    html = client.get("/shows/heartstopper/?region=DE").content.decode()
    assert "Where to watch in DE" in html
    assert "no way to watch Heartstopper in DE" in html
    assert "GB</strong></a> Netflix" in html


@time_machine.travel(SEPT_2023, tick=False)
def test_a_title_with_no_offer_anywhere_has_no_section(client, heartstopper):
    assert "Where to watch" not in client.get("/shows/heartstopper/").content.decode()


@time_machine.travel(SEPT_2023, tick=False)
def test_it_shows_the_leaving_date_in_the_visitors_time_zone(client, heartstopper, netflix):
    Offer.objects.create(
        title=heartstopper,
        provider=netflix,
        region="GB",
        monetization="subscription",
        available_until=dt.datetime(2023, 9, 30, 23, 30, tzinfo=dt.UTC),
    )
    html = client.get("/shows/heartstopper/").content.decode()
    assert "Leaving 1 Oct 2023" in html  # 00:30 on 1 October in London


@time_machine.travel(SEPT_2023, tick=False)
def test_the_page_stays_within_its_query_budget_with_100_offers(
    client, catalogue, heartstopper, netflix, platforms, count_queries
):
    for i in range(100):
        provider = Provider.objects.create(name=f"Store {i}", slug=f"store-{i}", kind="store")
        Offer.objects.create(
            title=heartstopper,
            provider=provider,
            region="GB",
            monetization="rent",
            price=Decimal("2.00") + i,
            currency="GBP",
        )
    Offer.objects.create(
        title=heartstopper, provider=netflix, region="GB", monetization="subscription"
    )
    with count_queries as queries:
        page = client.get("/shows/heartstopper/")
    assert page.status_code == 200
    assert "Store 99" in page.content.decode()
    assert len(queries) <= 22, [q["sql"] for q in queries.captured_queries]


@time_machine.travel(dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC), tick=False)
def test_an_old_offer_is_shown_with_the_day_it_was_last_confirmed(client, heartstopper, netflix):
    Offer.objects.create(
        title=heartstopper,
        provider=netflix,
        region="GB",
        monetization="subscription",
        last_seen=SEPT_2023,
    )
    assert "Last confirmed 16 Sep 2023" in client.get("/shows/heartstopper/").content.decode()
