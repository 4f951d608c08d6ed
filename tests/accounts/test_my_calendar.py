import datetime as dt

import time_machine

from telly.accounts.calendar import entries_for
from telly.accounts.models import Follow, WatchlistItem
from telly.catalog.models import AirPrecision, Episode, Season
from telly.listings.models import Airing
from telly.releases.models import Certainty, DatePrecision, EventKind, ReleaseEvent
from telly.streaming.models import Offer

NOW = dt.datetime(2025, 5, 1, 9, tzinfo=dt.UTC)


def _season_three(title):
    season = Season.objects.create(title=title, number=3, premiere=dt.date(2025, 5, 10))
    timed = Episode.objects.create(
        title=title,
        season=season,
        season_number=3,
        number=1,
        name="Return",
        air_at=dt.datetime(2025, 5, 10, 7, 0, tzinfo=dt.UTC),
        air_precision=AirPrecision.MINUTE,
    )
    dated = Episode.objects.create(
        title=title,
        season=season,
        season_number=3,
        number=2,
        air_at=dt.datetime(2025, 5, 17, tzinfo=dt.UTC),
        air_precision=AirPrecision.DAY,
    )
    return timed, dated


@time_machine.travel(NOW, tick=False)
def test_it_lists_upcoming_episodes_of_followed_series_with_where_to_watch(
    owner, heartstopper, netflix
):
    Follow.objects.create(user=owner, title=heartstopper)
    owner.profile.services.add(netflix)
    Offer.objects.create(
        title=heartstopper, provider=netflix, region="GB", monetization="subscription"
    )
    timed, dated = _season_three(heartstopper)
    entries = entries_for(owner, days=30)
    assert [e.uid.split("@")[0] for e in entries] == [f"episode-{timed.pk}", f"episode-{dated.pk}"]
    first, second = entries
    assert first.kind == "premiere" and not first.all_day and first.start == timed.air_at
    assert second.all_day and second.start == dt.date(2025, 5, 17)
    assert first.where[0].name == "Netflix" and first.where[0].mine


@time_machine.travel(NOW, tick=False)
def test_it_only_shows_what_i_follow_or_watchlist(owner, friend, heartstopper):
    _season_three(heartstopper)
    assert entries_for(owner) == []
    WatchlistItem.objects.create(user=owner, title=heartstopper)
    assert len(entries_for(owner)) == 2
    assert entries_for(friend) == []


@time_machine.travel(NOW, tick=False)
def test_premieres_only_and_days_ahead(owner, heartstopper):
    Follow.objects.create(user=owner, title=heartstopper)
    _season_three(heartstopper)
    assert [e.kind for e in entries_for(owner, premieres_only=True)] == ["premiere"]
    assert len(entries_for(owner, days=12)) == 1


@time_machine.travel(NOW, tick=False)
def test_announced_dates_and_estimates_are_told_apart(owner, heartstopper):
    Follow.objects.create(user=owner, title=heartstopper)
    ReleaseEvent.objects.create(
        title=heartstopper,
        season_number=3,
        kind=EventKind.PREMIERE,
        date=dt.date(2025, 6, 1),
        precision=DatePrecision.MONTH,
        certainty=Certainty.ESTIMATED,
        window_start=dt.date(2025, 5, 20),
        window_end=dt.date(2025, 7, 31),
        probability=0.8,
    )
    ReleaseEvent.objects.create(
        title=heartstopper,
        season_number=2,
        kind=EventKind.FINALE,
        date=dt.date(2025, 5, 20),
        certainty=Certainty.ANNOUNCED,
    )
    entries = entries_for(owner, days=60)
    finale = next(e for e in entries if e.kind == "finale")
    estimate = next(e for e in entries if e.kind == "premiere")
    assert (
        finale.certainty == "announced"
        and not finale.is_estimate
        and finale.start == dt.date(2025, 5, 20)
    )
    assert estimate.is_estimate and "estimated" in estimate.summary


@time_machine.travel(NOW, tick=False)
def test_tv_airings_show_the_channel_and_whether_it_is_mine(owner, heartstopper, bbc_one):
    Follow.objects.create(user=owner, title=heartstopper)
    owner.profile.channels.add(bbc_one)
    Airing.objects.create(
        channel=bbc_one,
        title=heartstopper,
        raw_title="Heartstopper",
        start=dt.datetime(2025, 5, 2, 20, tzinfo=dt.UTC),
        stop=dt.datetime(2025, 5, 2, 20, 30, tzinfo=dt.UTC),
    )
    [entry] = entries_for(owner)
    assert entry.kind == "airing" and entry.where[0].name == "BBC One" and entry.where[0].mine


@time_machine.travel(NOW, tick=False)
def test_the_page_groups_by_local_day_and_rejects_bad_days(owner_client, owner, heartstopper):
    Follow.objects.create(user=owner, title=heartstopper)
    _season_three(heartstopper)
    page = owner_client.get("/account/calendar/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Saturday 10 May" in body and "08:00" in body  # 07:00 UTC in London summer time
    assert owner_client.get("/account/calendar/?days=abc").status_code == 400
    assert owner_client.get("/account/calendar/?days=9999").status_code == 400


@time_machine.travel(NOW, tick=False)
def test_the_calendar_costs_a_fixed_number_of_queries(
    owner, heartstopper, catalogue, count_queries
):
    for title in catalogue[:3]:
        Follow.objects.create(user=owner, title=title)
    with count_queries as few:
        entries_for(owner)
    for title in catalogue[3:20]:
        Follow.objects.create(user=owner, title=title)
    with count_queries as more:
        entries_for(owner)
    assert len(more) == len(few) <= 10
