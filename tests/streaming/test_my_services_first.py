import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from telly.accounts.models import profile_for
from telly.streaming.models import Offer, Provider
from telly.streaming.queries import where_to_watch

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_profile(owner, netflix, platforms):
    profile = profile_for(owner)
    profile.services.add(netflix)
    profile.platforms.add(platforms["sky-glass"], platforms["roku"])
    return profile


@pytest.fixture
def free_offer(heartstopper, iplayer):
    return Offer.objects.create(
        title=heartstopper, provider=iplayer, region="GB", monetization="free"
    )


def test_offers_on_my_services_come_first(
    heartstopper_on_netflix, heartstopper, free_offer, owner_profile
):
    answer = where_to_watch(heartstopper, "GB", at(2023, 9, 16), owner_profile)
    assert answer.options[0].provider.name == "Netflix" and answer.options[0].mine
    assert answer.options[1].provider.name == "BBC iPlayer" and not answer.options[1].mine


def test_without_a_profile_the_cheapest_way_comes_first(
    heartstopper_on_netflix, heartstopper, free_offer
):
    answer = where_to_watch(heartstopper, "GB", at(2023, 9, 16))
    assert answer.options[0].provider.name == "BBC iPlayer"


def test_it_says_plainly_which_of_my_devices_plays_it(
    heartstopper_on_netflix, heartstopper, owner_profile
):
    answer = where_to_watch(heartstopper, "GB", at(2023, 9, 16), owner_profile)
    assert answer.on_my_devices == ["You can watch this on Sky Glass via Netflix."]


def test_a_device_that_does_not_carry_the_app_is_not_claimed(
    heartstopper_on_netflix, heartstopper, owner_profile, platforms
):
    owner_profile.platforms.set([platforms["roku"]])
    assert where_to_watch(heartstopper, "GB", at(2023, 9, 16), owner_profile).on_my_devices == []


@time_machine.travel(dt.datetime(2023, 9, 16, 12, tzinfo=dt.UTC), tick=False)
def test_the_title_page_says_it_to_a_signed_in_viewer(
    client, owner, heartstopper_on_netflix, owner_profile
):
    client.force_login(owner)
    html = client.get("/shows/heartstopper/").content.decode()
    assert "You can watch this on Sky Glass via Netflix." in html
    assert "Your service" in html


@time_machine.travel(dt.datetime(2023, 9, 16, 12, tzinfo=dt.UTC), tick=False)
def test_the_catalogue_can_show_only_what_is_on_my_services(
    client, owner, heartstopper_on_netflix, owner_profile, catalogue
):
    other = Provider.objects.create(name="Other", slug="other")
    Offer.objects.create(
        title=catalogue[5], provider=other, region="GB", monetization="subscription"
    )
    client.force_login(owner)
    everything = client.get("/streaming/titles/").content.decode()
    mine = client.get("/streaming/titles/?mine=1").content.decode()
    assert catalogue[5].name in everything and "Heartstopper" in everything
    assert catalogue[5].name not in mine and "Heartstopper" in mine


def test_prices_stay_decimal_for_my_services(heartstopper, owner_profile, store):
    owner_profile.services.add(store)
    Offer.objects.create(
        title=heartstopper,
        provider=store,
        region="GB",
        monetization="rent",
        price=Decimal("3.49"),
        currency="GBP",
    )
    [option] = where_to_watch(heartstopper, "GB", at(2023, 9, 16), owner_profile).options
    assert option.price == Decimal("3.49") and option.mine


def test_a_plan_i_pay_for_makes_its_provider_one_of_my_services(
    heartstopper_on_netflix, heartstopper, free_offer, owner_profile, netflix
):
    owner_profile.services.clear()
    owner_profile.plans.add(netflix.plans.get(name="Standard with adverts"))
    answer = where_to_watch(heartstopper, "GB", at(2023, 9, 16), owner_profile)
    assert answer.options[0].provider.name == "Netflix" and answer.options[0].mine
