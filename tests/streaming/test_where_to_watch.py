from decimal import Decimal

import pytest

from telly.streaming.models import Offer, Provider
from telly.streaming.queries import where_to_watch

from .conftest import at

pytestmark = pytest.mark.django_db


def test_it_says_where_heartstopper_streams_in_gb_and_from_what_price(
    heartstopper_on_netflix, heartstopper
):
    answer = where_to_watch(heartstopper, "GB", at(2023, 9, 16))
    [group] = answer.groups
    [option] = group.options
    assert group.heading == "Stream with a subscription"
    assert option.provider.name == "Netflix"
    assert option.seasons_label == "Seasons 1–2"
    assert option.price_label == "from £4.99/month with adverts (£10.99 without)"
    assert [p.name for p in option.platforms] == ["Sky Glass", "Virgin Media Stream"]


def test_it_groups_free_before_subscription_before_rent_and_buy_cheapest_first(
    heartstopper_on_netflix, heartstopper, store, iplayer
):
    other_store = Provider.objects.create(name="Sky Store", slug="sky-store", kind="store")
    Offer.objects.create(
        title=heartstopper,
        provider=store,
        region="GB",
        monetization="buy",
        price=Decimal("12.99"),
        currency="GBP",
    )
    Offer.objects.create(
        title=heartstopper,
        provider=other_store,
        region="GB",
        monetization="buy",
        price=Decimal("9.99"),
        currency="GBP",
    )
    Offer.objects.create(
        title=heartstopper,
        provider=store,
        region="GB",
        monetization="rent",
        price=Decimal("2.49"),
        currency="GBP",
    )
    Offer.objects.create(title=heartstopper, provider=iplayer, region="GB", monetization="free")
    answer = where_to_watch(heartstopper, "GB", at(2023, 9, 16))
    assert [g.monetization for g in answer.groups] == ["free", "subscription", "rent", "buy"]
    assert [o.provider.name for o in answer.groups[-1].options] == ["Sky Store", "Apple TV Store"]
    assert answer.groups[-1].options[0].price_label == "£9.99"
    assert answer.cheapest.provider.name == "BBC iPlayer"


def test_it_hides_offers_that_expired_or_have_not_started(heartstopper, netflix, store):
    Offer.objects.create(
        title=heartstopper,
        provider=netflix,
        region="GB",
        monetization="subscription",
        available_until=at(2023, 1, 1),
    )
    Offer.objects.create(
        title=heartstopper,
        provider=store,
        region="GB",
        monetization="buy",
        price=Decimal("9.99"),
        currency="GBP",
        available_from=at(2024, 1, 1),
    )
    assert not where_to_watch(heartstopper, "GB", at(2023, 6, 1)).groups
    assert [g.monetization for g in where_to_watch(heartstopper, "GB", at(2022, 6, 1)).groups] == [
        "subscription"
    ]
    assert [g.monetization for g in where_to_watch(heartstopper, "GB", at(2024, 6, 1)).groups] == [
        "buy"
    ]


def test_it_says_when_an_offer_is_leaving(heartstopper, netflix):
    Offer.objects.create(
        title=heartstopper,
        provider=netflix,
        region="GB",
        monetization="subscription",
        available_until=at(2023, 10, 1, 0),
    )
    [option] = where_to_watch(heartstopper, "GB", at(2023, 9, 16)).options
    assert option.leaving_at == at(2023, 10, 1, 0)


def test_it_shows_no_price_outside_the_price_validity(heartstopper_on_netflix, heartstopper):
    [option] = where_to_watch(heartstopper, "GB", at(2012, 1, 1)).options
    assert option.plan is None and option.price_label == ""


def test_us_catalogue_offers_are_not_shown_in_gb_but_listed_as_elsewhere(heartstopper, netflix):
    Offer.objects.create(
        title=heartstopper, provider=netflix, region="US", monetization="subscription"
    )
    gb = where_to_watch(heartstopper, "GB", at(2023, 9, 16))
    assert not gb.groups
    assert [(e.region, e.providers) for e in gb.elsewhere] == [("US", ["Netflix"])]
    assert where_to_watch(heartstopper, "US", at(2023, 9, 16)).options[0].provider.name == "Netflix"


def test_offers_of_one_provider_merge_qualities_and_seasons(
    heartstopper, netflix, heartstopper_on_netflix
):
    season = heartstopper.seasons.get(number=2)
    Offer.objects.create(
        title=heartstopper,
        season=season,
        provider=netflix,
        region="GB",
        monetization="subscription",
        quality="4K",
    )
    [option] = where_to_watch(heartstopper, "GB", at(2023, 9, 16)).options
    assert option.seasons == [1, 2] and option.quality == "4K"


def test_it_stays_within_a_fixed_number_of_queries_with_a_hundred_offers(
    heartstopper, netflix, platforms, django_assert_max_num_queries
):
    for i in range(100):
        provider = Provider.objects.create(name=f"Service {i}", slug=f"service-{i}", kind="store")
        Offer.objects.create(
            title=heartstopper,
            provider=provider,
            region="GB",
            monetization="buy",
            price=Decimal("1.00") + i,
            currency="GBP",
        )
    with django_assert_max_num_queries(3):
        answer = where_to_watch(heartstopper, "GB", at(2023, 9, 16))
        assert len(answer.options) == 100
        assert [p.name for o in answer.options for p in o.platforms] == []


def test_an_offer_not_confirmed_for_a_month_says_when_it_last_was(heartstopper, netflix):
    Offer.objects.create(
        title=heartstopper,
        provider=netflix,
        region="GB",
        monetization="subscription",
        last_seen=at(2023, 9, 16),
    )
    assert where_to_watch(heartstopper, "GB", at(2023, 10, 1)).options[0].confirmed_long_ago is None
    assert where_to_watch(heartstopper, "GB", at(2024, 1, 1)).options[0].confirmed_long_ago == at(
        2023, 9, 16
    )
