"""People type "hartstoper", "elle argent", "the crwn" or half a title: search finds what they meant."""

from __future__ import annotations

import pytest

from telly.search.query import search


def names(q: str, kind: str | None = "title", limit: int = 5) -> list[str]:
    return [r.name for r in search(q, kind, limit)]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Heartstopper", "Heartstopper"),
        ("heartstoper", "Heartstopper"),  # one typo
        ("hartstoper", "Heartstopper"),  # two typos
        ("haertstopper", "Heartstopper"),  # a transposition is one typo
        ("the crwn", "The Crown"),
        ("stranger thigns", "Stranger Things"),
    ],
)
def test_it_forgives_one_or_two_typos(guide, typed, meant):
    assert names(typed)[0] == meant


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("heart stopper", "Heartstopper"),  # an extra space
        ("thecrown", "The Crown"),  # missing spaces
        ("strangerthings", "Stranger Things"),
        ("greys anatomy", "Grey's Anatomy"),  # punctuation left out
        ("Grey’s  Anatomy!!", "Grey's Anatomy"),  # other punctuation added
        ("the-crown", "The Crown"),
    ],
)
def test_it_forgives_spaces_and_punctuation(guide, typed, meant):
    assert names(typed)[0] == meant


def test_it_forgives_accents_both_ways(guide):
    assert names("Amelie")[0] == "Amélie"
    assert names("AMÉLIE")[0] == "Amélie"


def test_it_finds_words_in_any_order(guide):
    assert names("crown the")[0] == "The Crown"
    assert names("things stranger")[0] == "Stranger Things"


def test_it_finds_titles_from_their_first_letters(guide):
    assert names("heartst")[0] == "Heartstopper"
    assert names("strang")[:2] == ["Stranger Things", "Doctor Strange"]
    assert "The Crown" in names("the cr")


def test_it_finds_a_title_from_a_word_of_it_and_a_character(guide):
    assert names("heartstopper elle argent")[0] == "Heartstopper"
    assert names("office michael scott")[0] == "The Office"


def test_it_finds_characters_with_who_played_them(guide):
    found = search("elle argent", "character", 3)
    assert found[0].label == "Elle Argent → Yasmin Finney in Heartstopper"
    assert found[0].extra["person"] == "Yasmin Finney"


def test_a_misspelt_character_name_is_still_found(guide):
    assert search("ele argnt", "character", 3)[0].name == "Elle Argent"


def test_a_title_word_with_a_cast_name_finds_the_part(guide):
    found = search("heartstopper yasmin", None, 3)
    assert found[0].label == "Elle Argent → Yasmin Finney in Heartstopper"


def test_it_finds_people_channels_and_providers(guide):
    assert names("yasmin finny", "person")[0] == "Yasmin Finney"
    assert names("netflx", "provider")[0] == "Netflix"
    assert names("netflix uk", "provider")[0] == "Netflix"  # an alias
    assert names("iplayer", "provider")[0] == "BBC iPlayer"


def test_it_finds_titles_in_any_script_and_by_original_name(guide):
    assert names("東京物語")[0] == "東京物語"
    assert names("tokyo story")[0] == "東京物語"


def test_nonsense_finds_nothing_rather_than_everything(guide):
    assert search("zzqxj", None, 10) == []
    assert search("   ", None, 10) == []
    assert search("!!!", None, 10) == []


def test_it_finds_channels(guide):
    listings = pytest.importorskip("telly.listings.models")
    listings.Channel.objects.create(name="BBC One", region="GB")
    listings.Channel.objects.create(name="Channel 4", region="GB")
    assert names("bbc one", "channel") == ["BBC One"]
    assert names("bbcone", "channel") == ["BBC One"]
    assert names("chanel 4", "channel")[0] == "Channel 4"
