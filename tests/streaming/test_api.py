import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from telly.streaming.models import Offer

pytestmark = pytest.mark.django_db

SEPT_2023 = dt.datetime(2023, 9, 16, 12, tzinfo=dt.UTC)


@time_machine.travel(SEPT_2023, tick=False)
def test_availability_gives_groups_with_exact_prices(
    client, heartstopper_on_netflix, heartstopper, store
):
    Offer.objects.create(
        title=heartstopper,
        provider=store,
        region="GB",
        monetization="buy",
        price=Decimal("9.99"),
        currency="GBP",
    )
    body = client.get(f"/api/v1/titles/{heartstopper.pk}/availability?region=GB").json()
    assert body["region"] == "GB"
    assert [g["monetization"] for g in body["groups"]] == ["subscription", "buy"]
    netflix = body["groups"][0]["options"][0]
    assert netflix["seasons"] == [1, 2]
    assert netflix["plan"]["price"] == "4.99" and netflix["plan"]["currency"] == "GBP"
    assert netflix["price_label"].startswith("from £4.99/month with adverts")
    assert [p["name"] for p in netflix["platforms"]] == ["Sky Glass", "Virgin Media Stream"]
    assert body["groups"][1]["options"][0]["price"] == "9.99"


@time_machine.travel(SEPT_2023, tick=False)
def test_availability_by_slug_defaults_to_gb_and_takes_an_instant(client, heartstopper_on_netflix):
    assert client.get("/api/v1/titles/heartstopper/availability").json()["region"] == "GB"
    past = client.get("/api/v1/titles/heartstopper/availability?at=2012-01-01T00:00:00Z").json()
    assert past["groups"][0]["options"][0]["plan"] is None


@time_machine.travel(SEPT_2023, tick=False)
def test_availability_elsewhere_when_the_region_has_none(client, heartstopper_on_netflix):
    body = client.get("/api/v1/titles/heartstopper/availability?region=us").json()
    assert body["region"] == "US" and body["groups"] == []
    assert body["elsewhere"] == [{"region": "GB", "providers": ["Netflix"]}]


@pytest.mark.parametrize("region", ["XX", "GBR", "1", "g"])
def test_an_unknown_region_is_a_400_with_a_clear_message(client, heartstopper, region):
    answer = client.get(f"/api/v1/titles/heartstopper/availability?region={region}")
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "bad_region"
    assert "ISO 3166-1" in answer.json()["error"]["message"]
    assert client.get(f"/api/v1/providers?region={region}").status_code == 400


def test_an_unknown_title_or_provider_is_a_404(client, db):
    assert client.get("/api/v1/titles/nope/availability").json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/providers/nope").status_code == 404


def test_a_bad_instant_is_a_422_not_a_500(client, heartstopper):
    answer = client.get("/api/v1/titles/heartstopper/availability?at=yesterday")
    assert answer.status_code == 422 and "error" in answer.json()


@time_machine.travel(SEPT_2023, tick=False)
def test_providers_lists_the_cheapest_plan_in_the_region(client, netflix, iplayer):
    body = {p["slug"]: p for p in client.get("/api/v1/providers?region=GB").json()}
    assert body["netflix"]["cheapest_plan"]["price"] == "4.99"
    assert body["netflix"]["cheapest_ad_free_plan"]["price"] == "10.99"
    assert body["bbc-iplayer"]["cheapest_plan"] is None


@time_machine.travel(SEPT_2023, tick=False)
def test_a_provider_has_its_plans_with_their_price_history(client, netflix, platforms):
    body = client.get("/api/v1/providers/netflix?region=GB").json()
    plans = {p["name"]: p for p in body["plans"]}
    assert [h["price"] for h in plans["Standard"]["history"]] == ["7.49", "7.99", "10.99"]
    assert plans["Standard"]["current"]["price"] == "10.99"
    assert plans["Basic"]["current"] is None
    assert plans["Standard"]["history"][0]["valid_from"] == "2014-05-01"
    assert [p["name"] for p in body["platforms"]] == ["Sky Glass", "Virgin Media Stream"]


def test_platforms_say_which_providers_they_carry_per_region(client, platforms):
    gb = {p["slug"]: p for p in client.get("/api/v1/platforms?region=GB").json()}
    us = {p["slug"]: p for p in client.get("/api/v1/platforms?region=US").json()}
    assert [p["name"] for p in gb["sky-glass"]["providers"]] == ["Netflix"]
    assert gb["roku"]["providers"] == [] and us["sky-glass"]["providers"] == []


@time_machine.travel(SEPT_2023, tick=False)
def test_new_and_leaving_offers(client, netflix, catalogue):
    Offer.objects.create(
        title=catalogue[1],
        provider=netflix,
        region="GB",
        monetization="subscription",
        available_from=SEPT_2023 - dt.timedelta(days=1),
    )
    Offer.objects.create(
        title=catalogue[2],
        provider=netflix,
        region="GB",
        monetization="subscription",
        available_until=SEPT_2023 + dt.timedelta(days=3),
    )
    assert [o["title"]["name"] for o in client.get("/api/v1/streaming/new?region=GB").json()] == [
        catalogue[1].name
    ]
    assert [
        o["title"]["name"] for o in client.get("/api/v1/streaming/leaving?region=GB&days=7").json()
    ] == [catalogue[2].name]
    assert client.get("/api/v1/streaming/leaving?days=0").status_code == 400


@time_machine.travel(SEPT_2023, tick=False)
def test_a_providers_catalogue_is_paginated(client, netflix, catalogue):
    for title in catalogue[:5]:
        Offer.objects.create(
            title=title, provider=netflix, region="GB", monetization="subscription"
        )
    body = client.get("/api/v1/providers/netflix/titles?region=GB&limit=2").json()
    assert body["count"] == 5 and len(body["results"]) == 2
    assert client.get("/api/v1/providers/netflix/titles?genre=nope").status_code == 400


def test_the_endpoints_are_in_the_openapi_document(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/titles/{key}/availability",
        "/api/v1/providers",
        "/api/v1/providers/{slug}",
        "/api/v1/platforms",
    ):
        assert path in paths


def test_every_streaming_endpoint_is_in_the_docs(client, db):
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "streaming.md").read_text()
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    streaming = [
        path
        for path, ops in paths.items()
        if any("streaming" in op.get("tags", []) for op in ops.values())
    ]
    assert len(streaming) >= 7
    for path in streaming:
        assert f"`GET {path}" in docs, path
