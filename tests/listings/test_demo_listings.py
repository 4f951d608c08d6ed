"""The demo day moves onto today's date when it is loaded, and reloading never duplicates."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.test import Client

from telly.catalog.models import Title
from telly.demo import listings as demo
from telly.listings.models import Airing, Channel, Lineup

DATA = {
    "day": "2025-01-16",
    "channels": [
        {
            "service": "4164",
            "name": "BBC ONE Lon",
            "xmltv_id": "BBCOne.uk@SD",
            "order": 1,
            "hd": False,
            "catchup": "bbc-iplayer",
            "lineups": [{"platform": "freeview", "service_id": "64257#4164"}],
        }
    ],
    "airings": [
        {
            "c": "4164",
            "t": "Heartstopper",
            "at": "2025-01-16T00:00:00+00:00",
            "len": 1800,
            "s": 1,
            "e": 1,
            "on": "Series 1: Episode 1",
        },
        {
            "c": "4164",
            "t": "Evening News",
            "at": "2025-01-16T18:00:00+00:00",
            "len": 1800,
            "new": True,
            "cu": ["2025-01-16T18:30:00+00:00", "2025-01-23T18:30:00+00:00"],
        },
    ],
}


def _load() -> dict[str, int]:
    return demo.load(DATA, lambda message: None)


@time_machine.travel(dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC), tick=False)
def test_the_demo_day_lands_on_today_at_the_same_london_times(heartstopper: Title) -> None:
    counts = _load()
    assert counts["channels"] == 1 and counts["airings"] == 2 and counts["linked to titles"] == 1
    news = Airing.objects.get(raw_title="Evening News")
    assert news.start == dt.datetime(
        2026, 7, 1, 17, tzinfo=dt.UTC
    )  # 18:00 in London, in summer time
    # The catch-up window moves by the same whole days (2025-01-16 → 2026-07-01 is 531 days).
    assert news.is_new and news.catchup_until == dt.datetime(2026, 7, 8, 18, 30, tzinfo=dt.UTC)
    first = Airing.objects.get(raw_title="Heartstopper")
    assert first.title == heartstopper and first.episode.number == 1
    assert Channel.objects.get().lineups.get().service_id == "64257#4164"


@time_machine.travel(dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC), tick=False)
def test_loading_the_demo_twice_the_same_day_creates_nothing(db: None) -> None:
    _load()
    again = _load()
    assert again["airings"] == 0 and again["channels"] == 0 and again["lineups"] == 0
    assert Airing.objects.count() == 2


def test_loading_on_another_day_moves_the_day_instead_of_adding_one(db: None) -> None:
    with time_machine.travel(dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC), tick=False):
        _load()
    with time_machine.travel(dt.datetime(2026, 7, 2, 9, tzinfo=dt.UTC), tick=False):
        counts = _load()
    assert counts["airings replaced"] == 2
    assert sorted(a.date() for a in Airing.objects.values_list("start", flat=True)) == [
        dt.date(2026, 7, 1),
        dt.date(2026, 7, 2),
    ]
    assert Airing.objects.get(raw_title="Evening News").start.date() == dt.date(2026, 7, 2)


SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.mark.skipif(not (SHARED / "epg_uk").exists(), reason="needs ../shared/data/epg_uk")
def test_the_built_lineups_match_sky_and_virgin_by_xmltv_id_or_an_unambiguous_name() -> None:
    data = demo.build(SHARED)
    lineups = {c["name"]: {e["platform"]: e for e in c["lineups"]} for c in data["channels"]}
    assert all("freeview" in entries for entries in lineups.values())
    # Same iptv-org XMLTV id on the Sky list.
    assert lineups["E4"]["sky"] == {"platform": "sky", "service_id": "GB#1628", "by": "id"}
    # No XMLTV id in common, but Virgin Media lists a "Channel 4 +1" of its own.
    assert lineups["Channel 4+1"]["virgin"]["by"] == "name"
    # Sky lists two different channels named "U&W" (UK and Ireland): neither is taken.
    assert "sky" not in lineups["U&W"]
    # None of the lists carries a channel number, so none is made up.
    assert not any("number" in e for entries in lineups.values() for e in entries.values())


def test_the_guide_filters_the_demo_channels_by_lineup(client: Client, db: None) -> None:
    data = {
        **DATA,
        "channels": [
            DATA["channels"][0],
            {
                "service": "8448",
                "name": "E4",
                "xmltv_id": "E4.uk@SD",
                "order": 12,
                "hd": False,
                "catchup": None,
                "lineups": [
                    {"platform": "freeview", "service_id": "8448", "by": "feed"},
                    {"platform": "sky", "service_id": "GB#1628", "by": "id"},
                ],
            },
        ],
    }
    demo.load(data, lambda message: None)
    sky = client.get("/tv-guide/?platform=sky").content.decode()
    assert "E4" in sky and "BBC ONE Lon" not in sky
    assert "do not give Sky channel numbers" in sky
    freeview = client.get("/tv-guide/?platform=freeview").content.decode()
    assert freeview.index("BBC ONE Lon") < freeview.index("E4")
    assert Lineup.objects.get(platform="sky").source.endswith("no channel number in it")
    api = client.get("/api/v1/channels?platform=sky").json()
    assert [(c["slug"], c["lineups"]) for c in api] == [
        ("e4", [{"platform": "freeview", "number": None}, {"platform": "sky", "number": None}])
    ]
