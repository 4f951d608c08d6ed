"""``--format auto`` recognises each format from its content, not its file name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from telly.importers.formats import detect, load_formats

CASES = {
    "plans-csv": "provider,plan,region,currency,price,period,has_ads,valid_from,valid_to,source\n",
    "offers-csv": "title,year,imdb_id,provider,region,monetization,seasons,source\n",
    "platforms-csv": "platform,provider,region,source\n",
    "streaming-csv": "show_id,type,title,director,cast,country,date_added,release_year,rating,duration,listed_in,description\n",
    "justwatch-csv": "id,title,type,description,release_year,age_certification,runtime,genres,production_countries,seasons,imdb_id,imdb_score,imdb_votes,tmdb_popularity,tmdb_score\n",
    "imdb": "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n",
}


@pytest.mark.parametrize("expected", sorted(CASES))
def test_it_recognises_each_csv_layout_by_its_header(write, expected: str) -> None:
    path = write("export.dat", CASES[expected])
    assert detect(path).name == expected


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("tvmaze/show_1058.json", "tvmaze"),
        ("tvmaze/schedule_web.json", "tvmaze"),
        ("tvmaze/episode_13_s2e4.json", "tvmaze"),
        ("tmdb/tv_1399.json", "tmdb"),
        ("tmdb/tv_1399_season_1.json", "tmdb"),
        ("tmdb/movie_550_watch_providers.json", "tmdb"),
    ],
)
def test_it_tells_tvmaze_from_tmdb_json_by_content(
    fixtures: Path, tmp_path: Path, fixture: str, expected: str
) -> None:
    neutral = tmp_path / "response.json"
    shutil.copy(fixtures / fixture, neutral)
    assert detect(neutral).name == expected


def test_it_recognises_a_gzipped_imdb_file_and_a_directory_of_them(write, fixtures: Path) -> None:
    path = write("data.gz", CASES["imdb"], gz=True)
    assert detect(path).name == "imdb"
    assert detect(fixtures / "imdb").name == "imdb"


def test_it_does_not_guess_at_unknown_content(write) -> None:
    assert detect(write("notes.txt", "just some notes\n")) is None


def test_every_documented_format_is_registered() -> None:
    names = set(load_formats())
    assert {
        "imdb",
        "tvmaze",
        "tmdb",
        "streaming-csv",
        "justwatch-csv",
        "plans-csv",
        "offers-csv",
        "platforms-csv",
    } <= names
