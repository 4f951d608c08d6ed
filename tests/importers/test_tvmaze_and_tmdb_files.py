"""TVmaze and TMDB responses saved as files; one title from several sources stays one title."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from telly.catalog.models import AirPrecision, Credit, Episode, ExternalId, Season, Title
from telly.importers.runner import import_path
from telly.streaming.models import Offer

pytestmark = pytest.mark.django_db


def test_a_tvmaze_show_brings_its_cast_and_characters(fixtures: Path) -> None:
    run, _ = import_path(fixtures / "tvmaze" / "show_1058.json")
    team = Title.objects.get(name="The A-Team")
    assert (team.year, team.status, team.network, team.countries, team.languages) == (
        1983,
        "ended",
        "NBC",
        ["US"],
        ["en"],
    )
    ids = dict(team.external_ids.values_list("scheme", "value"))
    assert ids == {"tvmaze": "1058", "imdb": "tt0084967", "tvdb": "77904"}
    assert Credit.objects.filter(title=team).count() == run.counts["credit"]["created"] > 0
    assert (
        Credit.objects.filter(title=team, person__name="Dwight Schultz")
        .exclude(character="")
        .exists()
    )


def test_tvmaze_seasons_keep_their_premiere_and_end_dates(fixtures: Path) -> None:
    import_path(fixtures / "tvmaze" / "show_13.json")
    flash = Title.objects.get(external_ids__scheme="tvmaze", external_ids__value="13")
    first = Season.objects.get(title=flash, number=1)
    assert (
        first.premiere == dt.date(2014, 10, 7)
        and first.finale is not None
        and first.episode_count == 23
    )


def test_a_web_schedule_brings_shows_and_episodes_released_on_a_day(fixtures: Path) -> None:
    run, _ = import_path(fixtures / "tvmaze" / "schedule_web.json")
    assert run.counts["episode"]["created"] == 3 and run.counts["title"]["created"] >= 1
    # Web releases have a day but no time of day: the precision says so.
    assert set(Episode.objects.values_list("air_precision", flat=True)) == {AirPrecision.DAY}


def test_recorded_responses_find_the_show_from_their_url_and_keep_the_minute(
    fixtures: Path, write
) -> None:
    import json

    import_path(fixtures / "tvmaze" / "show_13.json")
    body = json.loads((fixtures / "tvmaze" / "episode_13_s2e4.json").read_text())
    lines = [
        {
            "uri": "https://api.tvmaze.com/shows/13/episodebynumber?season=2&number=4",
            "status": 200,
            "body": body,
        },
        {"uri": "https://api.tvmaze.com/singlesearch/shows?q=nothing", "status": 404, "body": None},
    ]
    run, _ = import_path(
        write("recorded.jsonl", "\n".join(json.dumps(line) for line in lines) + "\n"), "tvmaze"
    )
    episode = Episode.objects.get(season_number=2, number=4)
    assert episode.title.name == "The Flash" and episode.air_precision == AirPrecision.MINUTE
    assert episode.air_at == dt.datetime(2015, 10, 28, 0, 0, tzinfo=dt.UTC)  # 20:00 in New York
    assert run.counts["response"]["skipped"] == 1


def test_tmdb_details_season_credits_and_providers(fixtures: Path) -> None:
    import_path(fixtures / "tmdb" / "tv_1399.json")
    got = Title.objects.get(external_ids__scheme="tmdb", external_ids__value="tv/1399")
    assert got.name == "Game of Thrones" and got.status == "ended" and got.network == "HBO"
    assert set(got.seasons.values_list("number", flat=True)) == {0, 1, 2}
    import_path(fixtures / "tmdb" / "tv_1399_season_1.json")
    pilot = Episode.objects.get(title=got, season_number=1, number=1)
    assert pilot.name == "Winter Is Coming" and pilot.air_at.date() == dt.date(2011, 4, 17)
    assert pilot.air_precision == AirPrecision.DAY


def test_tmdb_watch_providers_become_offers_per_region(fixtures: Path, tmp_path: Path) -> None:
    import json

    details = json.loads((fixtures / "tmdb" / "tv_1399.json").read_text())
    providers = tmp_path / "tv-watch-providers.json"
    providers.write_text(json.dumps(details.pop("watch/providers")))
    details.pop("aggregate_credits")
    (tmp_path / "tv.json").write_text(json.dumps(details))
    import_path(tmp_path / "tv.json")
    run, _ = import_path(providers)
    gb = Offer.objects.filter(region="GB", monetization="subscription").values_list(
        "provider__name", flat=True
    )
    assert set(gb) == {"Sky Go", "NOW"}
    assert Offer.objects.filter(region="GB", monetization="buy").exists()
    run, _ = import_path(providers, region="US")
    assert run.total("created") == 0 and set(run.counts) == {"offer"}


def test_one_show_from_three_sources_is_one_title_with_every_id(fixtures: Path, write) -> None:
    import_path(fixtures / "tmdb" / "tv_1399.json")
    show = {
        "id": 82,
        "name": "Game of Thrones",
        "premiered": "2011-04-17",
        "status": "Ended",
        "externals": {"imdb": "tt0944947", "thetvdb": 121361},
        "_links": {},
    }
    import json

    import_path(write("got.json", json.dumps(show)))
    import_path(
        write(
            "title.basics.tsv",
            "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n"
            "tt0944947\ttvSeries\tGame of Thrones\tGame of Thrones\t0\t2011\t2019\t57\tAction,Adventure,Drama\n",
        )
    )
    assert Title.objects.filter(name="Game of Thrones").count() == 1
    got = Title.objects.get()
    assert dict(ExternalId.objects.filter(title=got).values_list("scheme", "value")) == {
        "tmdb": "tv/1399",
        "imdb": "tt0944947",
        "tvdb": "121361",
        "tvmaze": "82",
    }
    assert got.end_year == 2019 and got.runtime == 57 and got.sources["runtime"] == "imdb"


def test_reimporting_tmdb_and_tvmaze_files_changes_nothing(fixtures: Path) -> None:
    for name in ("tmdb/tv_1399.json", "tvmaze/show_1058.json"):
        import_path(fixtures / name)
        run, _ = import_path(fixtures / name)
        assert run.total("created") == 0 and run.total("updated") == 0, name
