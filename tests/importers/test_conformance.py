"""Every relevant file in ../shared/data imports with zero unexplained rejects, and the counts
match expectations computed here, independently of the importers (run by .ci/run).

Explained, not rejected: rows a format leaves out on purpose are counted as ``skipped`` (an
IMDb episode whose series is not in the sample, a TVmaze cast list that does not name its show,
recorded 404 responses, watch providers of a film that is not imported).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from telly.catalog.models import Credit, Episode, ExternalId, Person, Season, Title
from telly.catalog.text import name_key
from telly.importers.imdb.titles import KINDS
from telly.importers.runner import import_path
from telly.streaming.models import Offer, Plan, PlatformProvider

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
pytestmark = [
    pytest.mark.conformance,
    pytest.mark.django_db,
    pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not beside the checkout"),
]


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def imported(path: Path, **options) -> dict:
    run, _ = import_path(path, **options)
    assert run.total("rejected") == 0, run.rejects[:5]
    return run.counts


def test_uk_plans_offers_and_platforms() -> None:
    folder = SHARED / "uk_plans"
    imported(folder / "plans_gb.csv")
    assert Plan.objects.count() == len(rows(folder / "plans_gb.csv"))
    imported(folder / "offers_gb.csv")
    offer = Offer.objects.get()
    assert (offer.title.name, offer.region, offer.seasons) == ("Heartstopper", "GB", [1, 2])
    imported(folder / "platforms_gb.csv")
    assert PlatformProvider.objects.count() == len(rows(folder / "platforms_gb.csv"))


def test_imdb_schema_samples() -> None:
    folder = SHARED / "imdb_schema_samples"
    with open(folder / "title.basics.tsv", encoding="utf-8") as f:
        basics = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    expected = [r for r in basics if r["titleType"] in KINDS and r["isAdult"] == "0"]
    with open(folder / "name.basics.tsv", encoding="utf-8") as f:
        people = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    counts = imported(folder)
    assert Title.objects.count() == len(expected) and counts["title"]["created"] == len(expected)
    assert Person.objects.count() == len(people)


@pytest.mark.parametrize(
    "name", ["netflix_titles.csv", "amazon_prime_titles.csv", "disney_plus_titles.csv"]
)
def test_netflix_layout_catalogues(name: str) -> None:
    path = SHARED / "streaming_catalogs" / name
    show_ids = {r["show_id"] for r in rows(path) if r["show_id"]}
    imported(path, region="US")
    assert Offer.objects.filter(region="US").count() == len(show_ids)
    assert ExternalId.objects.filter(scheme="catalogue").count() == len(show_ids)


@pytest.mark.parametrize("name", ["tv_shows.csv", "MoviesOnStreamingPlatforms.csv"])
def test_platform_flag_catalogues(name: str) -> None:
    path = SHARED / "streaming_catalogs" / name
    services = ("Netflix", "Hulu", "Prime Video", "Disney+")
    titles = {(name_key(r["Title"]), r["Year"], r["Type"]) for r in rows(path)}
    offers = {
        (name_key(r["Title"]), r["Year"], r["Type"], s)
        for r in rows(path)
        for s in services
        if r[s] == "1"
    }
    imported(path, region="US")
    assert Title.objects.count() == len(titles)
    assert Offer.objects.count() == len(offers)


def components(pairs: list[tuple[str, str]]) -> int:
    """How many titles a list of (JustWatch id, IMDb id) pairs names: ids shared join titles."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for jw, imdb in pairs:
        find("jw:" + jw)
        if imdb:
            parent[find("jw:" + jw)] = find("imdb:" + imdb)
    return len({find("jw:" + jw) for jw, _ in pairs})


@pytest.mark.parametrize(
    "name", ["netflix_titles_2023.csv", "amazon_titles.csv", "disney_titles.csv"]
)
def test_justwatch_catalogues(name: str) -> None:
    path = SHARED / "justwatch_titles" / name
    data = rows(path)
    expected = components([(r["id"], r["imdb_id"]) for r in data])
    imported(path, region="US")
    assert Title.objects.count() == expected
    assert Offer.objects.count() == expected
    assert ExternalId.objects.filter(scheme="justwatch").count() == len({r["id"] for r in data})


def test_justwatch_credits_after_their_titles() -> None:
    titles = SHARED / "justwatch_titles" / "netflix_titles_2023.csv"
    credits = SHARED / "justwatch_titles" / "netflix_credits_2023.csv"
    imported(titles, region="US")
    known = {r["id"] for r in rows(titles)}
    credit_rows = rows(credits)
    counts = imported(credits)
    orphans = sum(1 for r in credit_rows if r["title_id"] not in known)
    assert counts["credit"]["skipped"] == orphans
    assert Credit.objects.count() == counts["credit"]["created"]
    assert Person.objects.count() <= len({r["id"] for r in credit_rows})


def test_tmdb_responses() -> None:
    folder = SHARED / "tmdb"
    for name in (
        "tv-details.json",
        "tv-details-complex.json",
        "tv-season-details.json",
        "tv-episode-details.json",
        "tv-aggregate-credits.json",
        "tv-watch-providers.json",
        "movie-watch-providers.json",
        "watch-provider-tv-list.json",
        "watch-provider-movie-list.json",
        "tv-popular.json",
        "search-tv.json",
    ):
        imported(folder / name)
    details = json.loads((folder / "tv-details.json").read_text())
    got = Title.objects.get(external_ids__scheme="tmdb", external_ids__value="tv/1399")
    assert got.seasons.count() == len(details["seasons"])
    season = json.loads((folder / "tv-season-details.json").read_text())
    assert Episode.objects.filter(title=got, season_number=1).count() == len(season["episodes"])
    providers = json.loads((folder / "tv-watch-providers.json").read_text())["results"]
    assert set(Offer.objects.filter(title=got).values_list("region", flat=True)) == {
        cc
        for cc, entry in providers.items()
        if any(entry.get(k) for k in ("flatrate", "free", "ads", "rent", "buy"))
    }


def test_a_whole_series_from_tmdb() -> None:
    folder = SHARED / "tmdb" / "lost_mediatracker"
    for name in ("tvDetailsResponse.json", "seasonsResponse.json", "tvSearchResponse.json"):
        imported(folder / name)
    seasons = json.loads((folder / "seasonsResponse.json").read_text())
    lost = Title.objects.get(external_ids__scheme="imdb", external_ids__value="tt0411008")
    assert Season.objects.filter(title=lost).count() == len(seasons)
    assert Episode.objects.filter(title=lost).count() == sum(
        len(s.get("episodes") or []) for s in seasons.values()
    )


def test_tvmaze_responses() -> None:
    folder = SHARED / "tvmaze"
    recorded = [
        json.loads(line)
        for line in (folder / "flexget_tvmaze_api_responses.jsonl").read_text().splitlines()
    ]
    shows = {
        r["body"]["id"]: r["body"]
        for r in recorded
        if r["status"] == 200 and isinstance(r["body"], dict) and "premiered" in r["body"]
    }
    counts = imported(folder / "flexget_tvmaze_api_responses.jsonl")
    assert counts["response"]["skipped"] == sum(1 for r in recorded if r["status"] != 200)
    assert Title.objects.count() == len(shows)
    seasons = {
        (sid, s["number"])
        for sid, show in shows.items()
        for s in (show.get("_embedded") or {}).get("seasons", [])
    }
    assert Season.objects.filter(number__in={n for _, n in seasons}).count() >= len(seasons)
    Title.objects.all().delete()
    embed = json.loads((folder / "show_ateam_embed_cast.json").read_text(encoding="utf-8-sig"))
    imported(folder / "show_ateam_embed_cast.json")
    assert Credit.objects.count() == len(embed["_embedded"]["cast"])
    search = json.loads((folder / "search_shows_a.json").read_text(encoding="utf-8-sig"))
    imported(folder / "search_shows_a.json")
    assert Title.objects.count() == len({hit["show"]["id"] for hit in search} | {embed["id"]})
    for name in ("schedule_us_network.json", "schedule_web.json"):
        schedule = json.loads((folder / name).read_text(encoding="utf-8-sig"))
        counts = imported(folder / name)
        assert counts["episode"]["created"] + counts["episode"]["unchanged"] == len(schedule)
    counts = imported(folder / "show_ateam_cast.json")
    assert counts["credit"]["skipped"] == len(
        json.loads((folder / "show_ateam_cast.json").read_text(encoding="utf-8-sig"))
    )
    assert Counter(Episode.objects.values_list("air_precision", flat=True))
