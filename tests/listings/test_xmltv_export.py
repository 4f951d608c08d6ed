"""The XMLTV writer: what Kodi, Jellyfin and Plex read, and what our importer reads back."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from telly.importers.xmltv.load import load_xmltv
from telly.listings.models import Airing, Channel
from telly.listings.xmltv_out import write_xmltv

from .conftest import ROUND_TRIP, utc


@pytest.fixture
def rich_airing(bbc_one: Channel, make_airing) -> Airing:
    return make_airing(
        bbc_one,
        utc(2025, 1, 16, 21),
        60,
        "Heartstopper",
        raw_subtitle="Meet",
        description="Boy meets boy.",
        season_number=2,
        episode_number=7,
        episode_total=8,
        year=2022,
        categories=["Drama", "Romance"],
        credits=[  # in the DTD's order (directors before actors), which the export keeps
            {"role": "director", "name": "Euros Lyn"},
            {"role": "actor", "name": "Joe Locke", "character": "Charlie Spring"},
            {"role": "actor", "name": "Olivia Colman", "character": "Sarah", "guest": "yes"},
        ],
        rating="12",
        programme_id="crid://bbc.co.uk/abc",
        is_new=True,
        is_premiere=True,
        is_finale=True,
        is_live=True,
        has_subtitles=True,
        has_audio_description=True,
        has_signing=True,
        is_hd=True,
    )


def _export() -> bytes:
    out = io.BytesIO()
    write_xmltv(Airing.objects.all(), out)
    return out.getvalue()


def test_it_writes_episode_numbers_credits_categories_and_flags(rich_airing: Airing) -> None:
    root = etree.fromstring(_export())
    assert root.find("channel").get("id") == "BBCOne.uk"
    programme = root.find("programme")
    assert programme.get("start") == "20250116210000 +0000"
    assert [child.tag for child in programme] == [
        "title",
        "sub-title",
        "desc",
        "credits",
        "date",
        "category",
        "category",
        "keyword",
        "keyword",
        "keyword",
        "episode-num",
        "episode-num",
        "episode-num",
        "video",
        "premiere",
        "new",
        "subtitles",
        "subtitles",
        "rating",
    ]
    numbers = {e.get("system"): e.text for e in programme.iterfind("episode-num")}
    assert numbers == {"xmltv_ns": "1.6/8.", "onscreen": "S02E07", "crid": "crid://bbc.co.uk/abc"}
    credits = programme.find("credits")
    assert [c.tag for c in credits] == ["director", "actor", "actor"]
    assert credits.find("actor").get("role") == "Charlie Spring"
    assert credits.findall("actor")[1].get("guest") == "yes"


def test_import_export_import_loses_nothing_the_model_holds(
    rich_airing: Airing, tmp_path: Path
) -> None:
    exported = tmp_path / "out.xml"
    exported.write_bytes(_export())
    before = Airing.objects.values("start", "stop", *ROUND_TRIP).get()
    Airing.objects.all().delete()
    load_xmltv(exported)
    assert Airing.objects.values("start", "stop", *ROUND_TRIP).get() == before
    assert Airing.objects.get().channel == rich_airing.channel  # matched by XMLTV id


def test_the_export_command_writes_the_days_asked_for(
    bbc_one: Channel, itv: Channel, make_airing, tmp_path: Path
) -> None:
    make_airing(bbc_one, utc(2025, 1, 16, 21), raw_title="Inside")
    make_airing(bbc_one, utc(2025, 1, 18, 21), raw_title="Too Late")
    make_airing(itv, utc(2025, 1, 16, 21), raw_title="Other Channel")
    target = tmp_path / "guide.xml"
    call_command(
        "export",
        "xmltv",
        "--from",
        "2025-01-16",
        "--days",
        "2",
        "--channels",
        "bbc-one",
        "-o",
        str(target),
        stderr=io.StringIO(),
    )
    root = etree.parse(str(target)).getroot()
    assert [p.findtext("title") for p in root.iterfind("programme")] == ["Inside"]
    assert [c.get("id") for c in root.iterfind("channel")] == ["BBCOne.uk"]


@pytest.mark.parametrize(
    "arguments",
    [
        ["--days", "0"],
        ["--from", "16/01/2025"],
        ["--channels", "no-such-channel"],
        ["--region", "XYZ"],
        ["--tz", "Mars/Base"],
    ],
)
def test_bad_export_options_exit_with_status_2(db: None, arguments: list[str]) -> None:
    with pytest.raises(CommandError) as error:
        call_command("export", "xmltv", *arguments, stdout=io.StringIO())
    assert error.value.returncode == 2
