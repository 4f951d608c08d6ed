import datetime as dt

import pytest

from telly.importers.xmltv.episodes import format_xmltv_ns, parse_onscreen, parse_xmltv_ns
from telly.importers.xmltv.times import BadTime, format_xmltv_time, parse_xmltv_time

from .conftest import utc


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("20250116210000 +0000", utc(2025, 1, 16, 21)),
        ("20250716210000 +0100", utc(2025, 7, 16, 20)),
        ("20250716210000 -0500", utc(2025, 7, 17, 2)),
        ("20010829000500 BST", utc(2001, 8, 28, 23, 5)),
        ("200202240000 +0100", utc(2002, 2, 23, 23)),
        ("20030216130000", utc(2003, 2, 16, 13)),
        ("20030216", utc(2003, 2, 16)),
        ("20250116210000 +01:00", utc(2025, 1, 16, 20)),
    ],
)
def test_it_reads_every_form_of_xmltv_time_as_a_utc_instant(
    text: str, instant: dt.datetime
) -> None:
    assert parse_xmltv_time(text) == instant


@pytest.mark.parametrize(
    "text", ["", "tomorrow", "20251332000000", "20250116210000 XYZ", "20250116210000 +2500"]
)
def test_it_refuses_what_is_not_a_time(text: str) -> None:
    with pytest.raises(BadTime):
        parse_xmltv_time(text)


def test_it_writes_times_in_utc_with_an_explicit_offset() -> None:
    summer = dt.datetime(2025, 7, 16, 21, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert format_xmltv_time(summer) == "20250716200000 +0000"


def test_xmltv_ns_counts_from_zero() -> None:
    number = parse_xmltv_ns("1 . 6/10 . 0/1")
    assert (
        number.season,
        number.episode,
        number.episode_total,
        number.part,
        number.part_total,
    ) == (2, 7, 10, 1, 1)
    assert parse_xmltv_ns(".5.").season is None and parse_xmltv_ns(".5.").episode == 6
    assert not parse_xmltv_ns("rubbish")


def test_xmltv_ns_round_trips() -> None:
    text = format_xmltv_ns(2, 7, 10, 1, 2)
    assert text == "1.6/10.0/2"
    number = parse_xmltv_ns(text)
    assert (
        number.season,
        number.episode,
        number.episode_total,
        number.part,
        number.part_total,
    ) == (2, 7, 10, 1, 2)


@pytest.mark.parametrize(
    ("text", "season", "episode"),
    [
        ("S02E07", 2, 7),
        ("2x07", 2, 7),
        ("Series 4: Episode 7", 4, 7),
        ("Season 1, Episode 12/13", 1, 12),
        ("Episode 5", None, 5),
    ],
)
def test_onscreen_numbers_are_understood(text: str, season: int | None, episode: int) -> None:
    number = parse_onscreen(text)
    assert (number.season, number.episode) == (season, episode)
