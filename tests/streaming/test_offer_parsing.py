import pytest

from telly.streaming.offers import parse_monetization, parse_seasons


@pytest.mark.parametrize(
    ("text", "seasons"),
    [
        ("1-2", [1, 2]),
        ("1,3", [1, 3]),
        ("1, 3-4", [1, 3, 4]),
        ("2", [2]),
        ("", []),
        ("2,1,2", [1, 2]),
        ("1–3", [1, 2, 3]),
    ],
)
def test_it_reads_season_ranges(text, seasons):
    assert parse_seasons(text) == seasons


@pytest.mark.parametrize("text", ["one", "3-1", "1-999", "1;2", "-2"])
def test_it_refuses_what_is_not_a_season_list(text):
    with pytest.raises(ValueError):
        parse_seasons(text)


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("flatrate", "subscription"),
        ("Subscription", "subscription"),
        ("free", "free"),
        ("ads", "ads"),
        ("Free with ads", "ads"),
        ("rent", "rent"),
        ("TVOD", "rent"),
        ("buy", "buy"),
    ],
)
def test_it_reads_ways_to_watch(word, value):
    assert parse_monetization(word) == value


def test_it_names_the_choices_for_an_unknown_way():
    with pytest.raises(ValueError, match="subscription, free, ads, rent, buy"):
        parse_monetization("borrow")
