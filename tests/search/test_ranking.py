"""Exact names first, then relevance, then popularity."""

from __future__ import annotations

from telly.search.query import search

from .conftest import make_title


def test_an_exact_name_beats_a_more_popular_longer_one(guide):
    found = [r.name for r in search("the crown", "title", 3)]
    assert found[:2] == ["The Crown", "The Crown Jewels"]


def test_equal_matches_are_ordered_by_popularity(guide):
    found = search("the office", "title", 2)
    assert [r.year for r in found] == [2005, 2001]


def test_a_closer_spelling_beats_a_more_popular_one(db):
    make_title("Brooklyn", popularity=1.0)
    make_title("Brookline", popularity=500.0)
    assert search("brooklyn", "title", 2)[0].name == "Brooklyn"
    assert search("brookly", "title", 2)[0].name == "Brooklyn"


def test_whole_word_matches_beat_partial_ones(guide):
    found = [r.name for r in search("stranger things", "title", 3)]
    assert found[0] == "Stranger Things"
    assert "Doctor Strange" not in found[:1]


def test_a_typed_space_prefers_names_that_go_on(db):
    make_title("Spirit", popularity=90.0)
    make_title("Spirit Island", popularity=5.0)
    assert search("spirit ", "title", 2)[0].name == "Spirit Island"
    assert search("spirit", "title", 2)[0].name == "Spirit"


def test_results_say_how_relevant_they_are(guide):
    found = search("the crwn", "title", 3)
    assert found[0].score > found[-1].score
