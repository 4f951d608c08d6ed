"""``telly sync`` against a local server replaying recorded responses: rate limit, retries,
conditional requests, API keys only from the environment."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from telly.catalog.models import Episode, Title
from telly.importers.http import FeedClient, FeedError
from telly.streaming.models import Offer

pytestmark = pytest.mark.django_db


def load(fixtures: Path, name: str) -> dict:
    return json.loads((fixtures / name).read_text())


def test_sync_tvmaze_show_fetches_and_imports_it(replay, fixtures: Path, settings) -> None:
    state, url = replay
    settings.TELLY_TVMAZE_URL = url
    state.add("/shows/1058", load(fixtures, "tvmaze/show_1058.json"))
    out = StringIO()
    call_command("sync", "tvmaze", "--show", "1058", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["counts"]["title"]["created"] == 1
    assert Title.objects.get().name == "The A-Team"
    path, _ = state.requests[0]
    assert path.startswith("/shows/1058?") and "embed" in path


def test_an_unchanged_show_is_not_downloaded_again(replay, fixtures: Path, settings) -> None:
    state, url = replay
    settings.TELLY_TVMAZE_URL = url
    state.add("/shows/1058", load(fixtures, "tvmaze/show_1058.json"), headers={"ETag": '"v1"'})
    call_command("sync", "tvmaze", "--show", "1058", stdout=StringIO())
    out = StringIO()
    call_command("sync", "tvmaze", "--show", "1058", "--json", stdout=out)
    assert state.requests[1][1].get("If-None-Match") == '"v1"'
    assert json.loads(out.getvalue())["counts"] == {
        "response": {"created": 0, "updated": 0, "unchanged": 1, "rejected": 0, "skipped": 0}
    }


def test_server_errors_are_retried_with_backoff(replay, fixtures: Path) -> None:
    state, url = replay
    state.add("/shows/1", {"error": "busy"}, status=503)
    state.add("/shows/1", {"id": 1}, status=200)
    pauses: list[float] = []
    client = FeedClient(
        url, calls=20, per=10.0, sleep=pauses.append, backoff=0.5, conditional=False
    )
    assert client.get_json("/shows/1") == {"id": 1}
    assert pauses == [0.5] and client.requests == 2


def test_it_gives_up_after_its_retries(replay) -> None:
    state, url = replay
    state.add("/shows/2", {"error": "down"}, status=502)
    pauses: list[float] = []
    client = FeedClient(
        url, calls=20, per=10.0, sleep=pauses.append, retries=2, backoff=1, conditional=False
    )
    with pytest.raises(FeedError, match="HTTP 502"):
        client.get_json("/shows/2")
    assert pauses == [1, 2]


def test_the_rate_limit_holds_twenty_calls_in_ten_seconds() -> None:
    now = [0.0]
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(round(seconds, 3))
        now[0] += seconds

    client = FeedClient("http://127.0.0.1:9", calls=20, per=10.0, sleep=sleep, clock=lambda: now[0])
    for _ in range(20):
        client._wait_for_slot()
        now[0] += 0.1
    assert pauses == []
    client._wait_for_slot()  # the 21st call waits until the first is ten seconds old
    assert pauses == [8.0]


def test_sync_tmdb_needs_a_key_from_the_environment(settings) -> None:
    settings.TELLY_TMDB_API_KEY = ""
    with pytest.raises(CommandError, match="TELLY_TMDB_API_KEY"):
        call_command("sync", "tmdb", "--tv", "1399")


def test_sync_tmdb_tv_brings_details_seasons_credits_and_offers(
    replay, fixtures: Path, settings
) -> None:
    state, url = replay
    settings.TELLY_TMDB_URL, settings.TELLY_TMDB_API_KEY = url, "k3y"
    state.add("/tv/1399", load(fixtures, "tmdb/tv_1399.json"))
    state.add("/tv/1399/season/1", load(fixtures, "tmdb/tv_1399_season_1.json"))
    call_command("sync", "tmdb", "--tv", "1399", "--region", "GB", stdout=StringIO())
    got = Title.objects.get(name="Game of Thrones")
    assert Episode.objects.filter(title=got, season_number=1).count() == 10
    assert got.credits.exists()
    assert set(Offer.objects.values_list("region", flat=True)) == {"GB"}
    assert all("api_key=k3y" in path for path, _ in state.requests)
    assert {p.split("?")[0] for p, _ in state.requests} == {
        "/tv/1399",
        "/tv/1399/season/0",
        "/tv/1399/season/1",
        "/tv/1399/season/2",
    }


def test_sync_without_a_target_says_what_to_give() -> None:
    with pytest.raises(CommandError, match="--show ID or --updated-since"):
        call_command("sync", "tvmaze")
