"""The curated CSVs editors keep: plan prices over time, offers, platforms carrying providers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from telly.catalog.models import Title
from telly.importers.runner import import_path
from telly.streaming.models import Offer, Plan, PlatformProvider, Provider

pytestmark = pytest.mark.django_db

PLANS = """provider,plan,region,currency,price,period,has_ads,valid_from,valid_to,source
Netflix,Standard,GB,GBP,9.99,month,false,2020-12-10,2022-03-09,https://example.org/2020
Netflix,Standard,GB,GBP,10.99,month,false,2022-03-10,,https://example.org/2022
Netflix,Standard with adverts,GB,GBP,4.99,month,true,2022-11-03,,https://example.org/ads
Disney Plus,Standard,GB,GBP,7.99,month,false,2021-02-23,,
"""


def test_plan_rows_become_a_price_history(write) -> None:
    run, _ = import_path(write("plans.csv", PLANS))
    assert run.counts["plan"]["created"] == 4
    netflix = Provider.objects.get(name="Netflix")
    standard = (
        Plan.objects.filter(provider=netflix, name="Standard").valid_on(dt.date(2021, 6, 1)).get()
    )
    assert standard.price == Decimal("9.99") and standard.valid_to == dt.date(2022, 3, 9)
    assert Plan.objects.get(name="Standard with adverts").has_ads is True
    assert Provider.objects.filter(name="Disney+").exists()  # "Disney Plus" is an alias


def test_a_changed_price_updates_the_row_and_a_repeat_changes_nothing(write) -> None:
    import_path(write("plans.csv", PLANS))
    run, _ = import_path(write("plans.csv", PLANS))
    assert run.counts["plan"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 4,
        "rejected": 0,
        "skipped": 0,
    }
    run, _ = import_path(write("plans.csv", PLANS.replace("10.99", "11.49")))
    assert run.counts["plan"]["updated"] == 1
    assert Plan.objects.get(price=Decimal("11.49")).sources["price"] == "plans-csv"


def test_a_locked_price_stays_as_the_editor_set_it(write) -> None:
    import_path(write("plans.csv", PLANS))
    plan = Plan.objects.get(price=Decimal("10.99"))
    plan.price = Decimal("10.49")
    plan.lock("price")
    plan.save()
    import_path(write("plans.csv", PLANS))
    plan.refresh_from_db()
    assert plan.price == Decimal("10.49")


def test_offers_attach_to_the_title_by_imdb_id_with_their_seasons(
    heartstopper: Title, write
) -> None:
    path = write(
        "offers.csv",
        "title,year,imdb_id,provider,region,monetization,seasons,source\n"
        "Heartstopper,2022,tt10638036,Netflix,GB,subscription,1-2,an article\n",
    )
    _run, ctx = import_path(path)
    offer = Offer.objects.get()
    assert offer.title == heartstopper and offer.region == "GB" and offer.seasons == [1, 2]
    assert offer.monetization == "subscription" and offer.provider.name == "Netflix"
    assert Title.objects.count() == 1 and offer.pk in ctx.changes.offers


def test_platform_rows_say_which_devices_carry_a_provider(write) -> None:
    text = "platform,provider,region,source\nSky Glass,Netflix,GB,an article\nVirgin Media Stream,Netflix,GB,an article\n"
    run, _ = import_path(write("platforms.csv", text))
    assert run.counts["carriage"]["created"] == 2
    assert sorted(PlatformProvider.objects.values_list("platform__name", flat=True)) == [
        "Sky Glass",
        "Virgin Media Stream",
    ]
    run, _ = import_path(write("platforms.csv", text))
    assert run.counts["carriage"]["unchanged"] == 2
