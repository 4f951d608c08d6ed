"""Listings fixtures: a few channels, airings made in code, small XMLTV files written here."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from telly.listings.models import Airing, Channel, Lineup, LineupPlatform

LONDON = zoneinfo.ZoneInfo("Europe/London")
# What the model holds of an airing that XMLTV carries: export then import must give it back.
ROUND_TRIP = (
    "raw_title",
    "raw_subtitle",
    "description",
    "season_number",
    "episode_number",
    "episode_total",
    "part_number",
    "part_total",
    "year",
    "categories",
    "credits",
    "rating",
    "programme_id",
    "series_id",
    "is_new",
    "is_premiere",
    "is_finale",
    "is_repeat",
    "is_live",
    "has_subtitles",
    "has_audio_description",
    "has_signing",
    "is_hd",
)

XMLTV_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tv SYSTEM "xmltv.dtd">\n'


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


@pytest.fixture
def bbc_one(db: None) -> Channel:
    channel = Channel.objects.create(
        name="BBC One", slug="bbc-one", xmltv_id="BBCOne.uk", sort_order=1
    )
    Lineup.objects.create(channel=channel, platform=LineupPlatform.FREEVIEW, number=1)
    Lineup.objects.create(channel=channel, platform=LineupPlatform.SKY, number=101)
    return channel


@pytest.fixture
def itv(db: None) -> Channel:
    channel = Channel.objects.create(name="ITV1", slug="itv1", xmltv_id="ITV1.uk", sort_order=3)
    Lineup.objects.create(channel=channel, platform=LineupPlatform.FREEVIEW, number=3)
    return channel


@pytest.fixture
def make_airing() -> Callable[..., Airing]:
    def make(
        channel: Channel,
        start: dt.datetime,
        minutes: int = 30,
        raw_title: str = "Programme",
        **extra: Any,
    ) -> Airing:
        return Airing.objects.create(
            channel=channel,
            start=start,
            stop=start + dt.timedelta(minutes=minutes),
            raw_title=raw_title,
            **extra,
        )

    return make


@pytest.fixture
def write_xmltv(tmp_path: Path) -> Callable[[str, str], Path]:
    """``write_xmltv("<programme ...>...", name="a.xml")`` wraps the body in ``<tv>``."""

    def write(body: str, name: str = "guide.xml") -> Path:
        target = tmp_path / name
        target.write_text(f"{XMLTV_HEAD}<tv>\n{body}\n</tv>\n", encoding="utf-8")
        return target

    return write
