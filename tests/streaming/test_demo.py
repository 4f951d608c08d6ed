"""The bundled demo streaming guide: loads on its own data, idempotently, and tells the truth
about Heartstopper in GB. Uses the committed demo files (not ../shared/data) with the catalogue
cut down to the titles that matter, so it stays quick."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine

from telly.demo import catalog as demo_catalog
from telly.demo import store
from telly.demo import streaming as demo_streaming
from telly.streaming.models import Offer, Plan, PlatformProvider, Provider

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.fixture
def demo(db):
    catalog = store.read("catalog")
    keep = {"ts217231", "tm1002532"}  # Heartstopper and one US Netflix title
    catalog["titles"] = [
        t
        for t in catalog["titles"]
        if t["ids"].get("justwatch") in keep or t["ids"].get("tmdb") == "tv/1399"
    ]
    demo_catalog.load(catalog, print)
    return store.read("streaming")


def test_it_loads_providers_plans_platforms_and_offers_and_a_second_load_creates_nothing(demo):
    first = demo_streaming.load(demo, print)
    assert first["plans"] == 16 and first["carriage"] == 2 and first["offers"] > 50
    again = demo_streaming.load(demo, print)
    assert all(v == 0 for k, v in again.items() if k != "offers skipped"), again


@time_machine.travel(dt.datetime(2023, 9, 16, 12, tzinfo=dt.UTC), tick=False)
def test_heartstoppers_demo_page_says_where_to_watch_it_in_gb(client, demo):
    demo_streaming.load(demo, print)
    html = client.get("/shows/heartstopper/").content.decode()
    assert "Netflix" in html and "from £4.99/month with adverts" in html
    assert "Seasons 1–2" in html and "Sky Glass" in html


def test_us_catalogues_stay_us_offers(demo):
    demo_streaming.load(demo, print)
    netflix = Provider.objects.get(slug="netflix")
    us_only = Offer.objects.filter(provider=netflix, sources__offer__startswith="justwatch")
    assert us_only.exists() and set(us_only.values_list("region", flat=True)) == {"US"}


def test_game_of_thrones_has_offers_in_many_regions_with_aliases_resolved(demo):
    demo_streaming.load(demo, print)
    got = Offer.objects.filter(title__external_ids__value="tv/1399")
    assert got.values("region").distinct().count() > 50
    gb = {o.provider.name for o in got.filter(region="GB", monetization="subscription")}
    assert gb == {"Sky Go", "NOW"}  # TMDB says "Now TV"
    assert Provider.objects.filter(name__in=["Now TV", "HBO Max"]).count() == 0


def test_every_demo_price_has_a_known_start(demo):
    demo_streaming.load(demo, print)
    assert not Plan.objects.filter(valid_from__isnull=True).exists()
    assert PlatformProvider.objects.filter(region="GB").count() == 2


@pytest.mark.conformance
def test_the_demo_file_is_what_the_shared_facts_build():
    assert demo_streaming.build(SHARED) == store.read("streaming")


@pytest.mark.conformance
def test_the_real_netflix_gb_history_gives_netflix_from_4_99_with_adverts(db):
    import datetime as dt

    from telly.streaming.queries import cheapest_plan, plan_history, plan_label

    built = demo_streaming.build(SHARED)
    demo_streaming.load({"providers": built["providers"], "plans": built["plans"]}, print)
    netflix = Provider.objects.get(slug="netflix")
    assert len([p for p in built["plans"] if p["provider"] == "Netflix"]) == 14
    assert (
        plan_label(cheapest_plan(netflix, "GB", dt.date(2023, 9, 16)), "GB")
        == "£4.99/month with adverts"
    )
    assert plan_label(cheapest_plan(netflix, "GB", dt.date(2016, 1, 1)), "GB") == "£5.99/month"
    premium = {h.name: h for h in plan_history(netflix, "GB", dt.date(2024, 1, 1))}["Premium"]
    assert [p.label for p in premium.points] == [
        "£8.99",
        "£9.99",
        "£11.99",
        "£13.99",
        "£15.99",
        "£17.99",
    ]
