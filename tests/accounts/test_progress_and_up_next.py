import datetime as dt

import time_machine

from telly.accounts.models import EpisodeWatch
from telly.accounts.progress import progress_for, up_next
from telly.catalog.models import Episode


@time_machine.travel(dt.datetime(2024, 1, 1, tzinfo=dt.UTC), tick=False)
def test_up_next_is_the_first_aired_unwatched_episode(owner_client, owner, heartstopper):
    first = Episode.objects.get(title=heartstopper, season_number=1, number=1)
    owner_client.post("/account/watched/", {"episode": first.pk})
    [progress] = up_next(owner)
    assert progress.next_episode.code == "S01E02"
    assert (progress.watched, progress.aired) == (1, 4)


@time_machine.travel(dt.datetime(2024, 1, 1, tzinfo=dt.UTC), tick=False)
def test_marking_a_whole_season_watched(owner_client, owner, heartstopper):
    response = owner_client.post("/account/watched/", {"title": heartstopper.pk, "season": 1})
    assert response.status_code == 302
    assert EpisodeWatch.objects.filter(user=owner, episode__season_number=1).count() == 2
    [progress] = progress_for(owner)
    assert progress.next_episode.code == "S02E01"


@time_machine.travel(dt.datetime(2023, 1, 1, tzinfo=dt.UTC), tick=False)
def test_episodes_not_yet_aired_are_not_up_next(owner_client, owner, heartstopper):
    owner_client.post("/account/watched/", {"title": heartstopper.pk})
    [progress] = progress_for(owner)
    assert progress.aired == 2 and progress.next_episode is None
    assert up_next(owner) == []


@time_machine.travel(dt.datetime(2024, 1, 1, tzinfo=dt.UTC), tick=False)
def test_unwatching_and_the_progress_page(owner_client, owner, heartstopper):
    owner_client.post("/account/watched/", {"title": heartstopper.pk})
    owner_client.post(
        "/account/watched/", {"title": heartstopper.pk, "season": 2, "action": "unwatch"}
    )
    assert EpisodeWatch.objects.filter(user=owner).count() == 2
    page = owner_client.get("/account/progress/").content.decode()
    assert "Heartstopper" in page and "S02E01" in page


def test_bad_watched_input_is_a_400(owner_client, heartstopper):
    assert owner_client.post("/account/watched/", {}).status_code == 400
    assert owner_client.post("/account/watched/", {"episode": "x"}).status_code == 400
    assert (
        owner_client.post(
            "/account/watched/", {"title": heartstopper.pk, "season": "one"}
        ).status_code
        == 400
    )
    assert owner_client.post("/account/watched/", {"episode": "99999"}).status_code == 404
    assert (
        owner_client.post(
            "/account/watched/", {"title": heartstopper.pk, "action": "burn"}
        ).status_code
        == 400
    )


@time_machine.travel(dt.datetime(2024, 1, 1, tzinfo=dt.UTC), tick=False)
def test_the_home_page_has_an_up_next_row_for_signed_in_viewers(
    client, owner_client, owner, heartstopper
):
    assert "Up next for you" not in owner_client.get("/").content.decode()  # nothing started yet
    first = Episode.objects.get(title=heartstopper, season_number=1, number=1)
    owner_client.post("/account/watched/", {"episode": first.pk})
    page = owner_client.get("/").content.decode()
    assert "Up next for you" in page and "S01E02" in page
    assert "Up next for you" not in client.get("/").content.decode()
