"""Kind, genre, year range, available on a provider in a region, on TV this week."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from telly.search.query import search
from telly.streaming.models import Offer, Provider


def names(q: str, **filters) -> list[str]:
    kind = filters.pop("kind", "title")
    return [r.name for r in search(q, kind, 20, **filters)]


def test_kind_keeps_series_or_films(guide):
    assert names("the crown", kind="series") == ["The Crown"]
    assert names("the crown", kind="film") == ["The Crown Jewels"]
    assert {r.kind for r in search("the crown", None, 20)} >= {"title", "character"}


def test_kind_person_and_character_leave_titles_out(guide):
    assert {r.kind for r in search("heartstopper", "character", 20)} == {"character"}
    assert search("claire", "person", 5)[0].name == "Claire Foy"


def test_genre_narrows_titles(guide):
    assert names("the", genre="history") == ["The Crown"]
    assert "Stranger Things" not in names("strange", genre="comedy")


def test_year_range_narrows_titles(guide):
    assert names("the office", year_from=2003) == ["The Office"]
    assert names("the office", year_to=2003) == ["The Office"]
    assert [r.year for r in search("the office", "title", 5, year_to=2003)] == [2001]
    assert names("strange", year_from=2017) == []


@time_machine.travel(dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC), tick=False)
def test_available_on_keeps_titles_offered_now_in_that_region(guide):
    netflix = Provider.objects.get(slug="netflix")
    Offer.objects.create(
        title=guide["crown"], provider=netflix, region="GB", monetization="subscription"
    )
    Offer.objects.create(
        title=guide["stranger"], provider=netflix, region="US", monetization="subscription"
    )
    Offer.objects.create(
        title=guide["office"],
        provider=netflix,
        region="GB",
        monetization="subscription",
        available_until=timezone.now() - dt.timedelta(days=1),
    )
    assert names("the", provider="netflix", region="GB") == ["The Crown"]
    assert names("stranger", provider="netflix", region="GB") == []
    assert names("stranger", provider="netflix", region="US") == ["Stranger Things"]


@time_machine.travel(dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC), tick=False)
def test_on_tv_keeps_titles_airing_in_the_next_seven_days(guide):
    listings = pytest.importorskip("telly.listings.models")
    channel = listings.Channel.objects.create(name="BBC One", region="GB")
    now = timezone.now()
    listings.Airing.objects.create(
        channel=channel,
        title=guide["office"],
        raw_title="The Office",
        start=now + dt.timedelta(days=2),
        stop=now + dt.timedelta(days=2, hours=1),
    )
    listings.Airing.objects.create(
        channel=channel,
        title=guide["crown"],
        raw_title="The Crown",
        start=now + dt.timedelta(days=9),
        stop=now + dt.timedelta(days=9, hours=1),
    )
    assert names("the", on_tv=True) == ["The Office"]
    assert names("the", on_tv=True, region="US") == []


def test_an_unknown_kind_is_refused(guide):
    with pytest.raises(ValueError, match="unknown kind"):
        search("crown", "spaceship")


def test_filters_without_words_browse_the_matching_titles(guide):
    assert names("", genre="comedy") == ["The Office", "Amélie", "The Office"]
    assert names("", kind="film", year_from=2000) == ["Doctor Strange", "Amélie"]
    assert names("") == []
