import datetime as dt

import pytest
import time_machine

from telly.catalog.models import Genre
from telly.streaming.models import Offer

pytestmark = pytest.mark.django_db

SEPT_2023 = dt.datetime(2023, 9, 16, 12, tzinfo=dt.UTC)


@time_machine.travel(SEPT_2023, tick=False)
def test_the_provider_page_gives_plans_and_a_price_history_chart(client, netflix, platforms):
    html = client.get("/streaming/netflix/").content.decode()
    assert "Netflix from £4.99 a month with adverts." in html
    assert "<svg" in html and "<polyline" in html
    assert "£5.99" in html and "£7.49" in html  # old prices in the history table
    assert "Its app is on Sky Glass, Virgin Media Stream." in html


@time_machine.travel(SEPT_2023, tick=False)
def test_it_lists_new_this_week_and_leaving_soon(client, netflix, catalogue):
    Offer.objects.create(
        title=catalogue[1],
        provider=netflix,
        region="GB",
        monetization="subscription",
        available_from=SEPT_2023 - dt.timedelta(days=2),
    )
    Offer.objects.create(
        title=catalogue[2],
        provider=netflix,
        region="GB",
        monetization="subscription",
        available_from=SEPT_2023 - dt.timedelta(days=30),
    )
    Offer.objects.create(
        title=catalogue[3],
        provider=netflix,
        region="GB",
        monetization="subscription",
        available_until=SEPT_2023 + dt.timedelta(days=10),
    )
    page = client.get("/streaming/netflix/")
    assert [o.title for o in page.context["new"]] == [catalogue[1]]
    assert [o.title for o in page.context["leaving"]] == [catalogue[3]]


@time_machine.travel(SEPT_2023, tick=False)
def test_the_catalogue_is_browsable_by_genre_and_year(client, netflix, catalogue):
    for title in catalogue[:6]:
        Offer.objects.create(
            title=title, provider=netflix, region="GB", monetization="subscription"
        )
    comedy = Genre.objects.get(slug="comedy")
    page = client.get("/streaming/netflix/?genre=comedy")
    assert {t.pk for t in page.context["page"]} == {
        t.pk for t in catalogue[:6] if comedy in t.genres.all()
    }
    page = client.get("/streaming/netflix/?year=2022")
    assert [t.name for t in page.context["page"]] == ["Heartstopper"]


def test_a_year_that_is_not_a_year_is_a_400(client, netflix):
    assert client.get("/streaming/netflix/?year=abc").status_code == 400
    assert client.get("/streaming/titles/?year=99999").status_code == 400


def test_an_unknown_provider_is_404_everywhere(client, db):
    assert client.get("/streaming/nobody/").status_code == 404
    assert client.get("/streaming/titles/?provider=nobody").status_code == 400


@time_machine.travel(SEPT_2023, tick=False)
def test_the_comparison_shows_providers_side_by_side(
    client, netflix, iplayer, store, heartstopper_on_netflix, count_queries
):
    with count_queries as queries:
        page = client.get("/streaming/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "from £4.99/month with adverts" in html and "£10.99/month" in html
    assert "BBC iPlayer" in html and "Apple TV Store" in html
    assert "1 show, 0 films" in html
    assert len(queries) <= 8


@time_machine.travel(SEPT_2023, tick=False)
def test_the_comparison_can_show_free_services_only(client, netflix, iplayer):
    html = client.get("/streaming/?free=1").content.decode()
    assert "BBC iPlayer" in html and "Netflix" not in html.split("<main")[1]


@time_machine.travel(SEPT_2023, tick=False)
def test_what_is_streaming_can_be_filtered_to_free(client, netflix, iplayer, catalogue):
    Offer.objects.create(
        title=catalogue[1], provider=netflix, region="GB", monetization="subscription"
    )
    Offer.objects.create(title=catalogue[2], provider=iplayer, region="GB", monetization="free")
    page = client.get("/streaming/titles/?free=1")
    assert [t.pk for t in page.context["page"]] == [catalogue[2].pk]


@time_machine.travel(SEPT_2023, tick=False)
def test_pages_follow_the_region(client, netflix, catalogue):
    Offer.objects.create(
        title=catalogue[1], provider=netflix, region="US", monetization="subscription"
    )
    assert catalogue[1].name not in client.get("/streaming/netflix/?region=GB").content.decode()
    assert catalogue[1].name in client.get("/streaming/netflix/?region=US").content.decode()


@pytest.mark.parametrize("url", ["/streaming/", "/streaming/netflix/", "/streaming/titles/"])
def test_an_unknown_region_is_a_400_with_a_clear_message(client, netflix, url):
    answer = client.get(f"{url}?region=XX")
    assert answer.status_code == 400
    assert "is not a region code" in answer.content.decode()
    assert client.get(f"{url}?region=de").status_code == 200


def test_a_region_without_prices_says_so_and_where_prices_are_known(client, netflix):
    html = client.get("/streaming/netflix/?region=US").content.decode()
    assert "We have no Netflix prices for US yet." in html
    assert '<a href="?region=GB">GB</a>' in html


@time_machine.travel(SEPT_2023, tick=False)
def test_provider_and_catalogue_pages_stay_within_a_query_budget(
    client, netflix, platforms, catalogue, count_queries
):
    for title in catalogue:
        Offer.objects.create(
            title=title,
            provider=netflix,
            region="GB",
            monetization="subscription",
            available_from=SEPT_2023 - dt.timedelta(days=1),
            available_until=SEPT_2023 + dt.timedelta(days=3),
        )
    for url in ("/streaming/netflix/", "/streaming/titles/", "/streaming/"):
        with count_queries as queries:
            page = client.get(url)
        assert page.status_code == 200
        assert len(queries) <= 12, (url, [q["sql"] for q in queries.captured_queries])


def test_an_empty_region_means_the_visitors_region(client, netflix):
    assert client.get("/streaming/?region=").status_code == 200


@time_machine.travel(SEPT_2023, tick=False)
def test_plan_cards_say_screens_and_quality_when_known(client, netflix):
    netflix.plans.filter(name="Standard").update(streams=2, quality="HD")
    html = client.get("/streaming/netflix/").content.decode()
    assert "No adverts · 2 screens at once · HD" in html
