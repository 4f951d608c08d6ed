import datetime as dt

import time_machine
from django.core import mail

from telly.accounts.models import Follow, WatchlistItem
from telly.alerts.evaluate import evaluate
from telly.alerts.models import Alert, AlertKind, AlertSettings, AlertStatus
from telly.catalog.models import AirPrecision, Credit, Episode, Person, Season, Title
from telly.catalog.signals import Changes, announce
from telly.releases.models import Certainty, EventKind, ReleaseEvent
from telly.streaming.models import Offer

NOW = dt.datetime(2025, 5, 1, 9, tzinfo=dt.UTC)


@time_machine.travel(NOW, tick=False)
def test_a_followed_series_getting_a_next_season_date_alerts_its_followers_only(
    owner, friend, heartstopper, django_capture_on_commit_callbacks
):
    Follow.objects.create(user=owner, title=heartstopper)
    event = ReleaseEvent.objects.create(
        title=heartstopper,
        season_number=3,
        kind=EventKind.PREMIERE,
        date=dt.date(2025, 10, 3),
        certainty=Certainty.ANNOUNCED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        announce(Changes(source="tvmaze", release_events={event.pk}))
    [alert] = Alert.objects.all()
    assert (
        alert.user == owner
        and alert.kind == AlertKind.NEXT_SEASON
        and alert.status == AlertStatus.SENT
    )
    assert [m.to for m in mail.outbox] == [["owner@example.org"]]
    assert mail.outbox[0].subject == "Heartstopper season 3 premieres 3 Oct 2025"


@time_machine.travel(NOW, tick=False)
def test_estimates_do_not_alert(owner, heartstopper):
    Follow.objects.create(user=owner, title=heartstopper)
    event = ReleaseEvent.objects.create(
        title=heartstopper,
        season_number=3,
        kind=EventKind.PREMIERE,
        date=dt.date(2025, 10, 1),
        certainty=Certainty.ESTIMATED,
        window_start=dt.date(2025, 9, 1),
        window_end=dt.date(2025, 12, 1),
    )
    assert evaluate(Changes(source="estimator", release_events={event.pk})) == []


@time_machine.travel(NOW, tick=False)
def test_the_same_change_twice_makes_one_alert(owner, heartstopper):
    Follow.objects.create(user=owner, title=heartstopper)
    season = Season.objects.create(title=heartstopper, number=3, premiere=dt.date(2025, 10, 3))
    assert len(evaluate(Changes(source="a", seasons={season.pk}))) == 1
    assert evaluate(Changes(source="b", seasons={season.pk})) == []
    assert Alert.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_new_episode_is_due_on_the_morning_it_airs_in_my_time_zone(owner, heartstopper):
    Follow.objects.create(user=owner, title=heartstopper)
    owner.profile.time_zone = "America/New_York"
    owner.profile.save()
    episode = Episode.objects.create(
        title=heartstopper,
        season_number=3,
        number=1,
        air_at=dt.datetime(2025, 5, 3, 2, tzinfo=dt.UTC),
        air_precision=AirPrecision.MINUTE,
    )
    evaluate(Changes(source="tvmaze", episodes={episode.pk}))
    [alert] = Alert.objects.all()
    # 02:00 UTC on the 3rd is 22:00 on the 2nd in New York: due at 07:00 New York time on the 2nd.
    assert alert.due_at == dt.datetime(2025, 5, 2, 11, tzinfo=dt.UTC)
    assert alert.status == AlertStatus.PENDING


@time_machine.travel(NOW, tick=False)
def test_a_moved_episode_reschedules_its_pending_alert(owner, heartstopper):
    Follow.objects.create(user=owner, title=heartstopper)
    episode = Episode.objects.create(
        title=heartstopper, season_number=3, number=1, air_at=dt.datetime(2025, 5, 3, tzinfo=dt.UTC)
    )
    evaluate(Changes(source="tvmaze", episodes={episode.pk}))
    Episode.objects.filter(pk=episode.pk).update(air_at=dt.datetime(2025, 5, 10, tzinfo=dt.UTC))
    evaluate(Changes(source="tvmaze", episodes={episode.pk}))
    [alert] = Alert.objects.all()
    assert alert.due_at.date() == dt.date(2025, 5, 10)


@time_machine.travel(NOW, tick=False)
def test_a_watchlisted_title_arriving_on_my_service_in_my_region(
    owner, friend, stranger, heartstopper, netflix
):
    for user in (owner, friend, stranger):
        WatchlistItem.objects.create(user=user, title=heartstopper)
    owner.profile.services.add(netflix)
    friend.profile.services.add(netflix)
    friend.profile.region = "US"
    friend.profile.save()
    offer = Offer.objects.create(
        title=heartstopper, provider=netflix, region="GB", monetization="subscription"
    )
    evaluate(Changes(source="justwatch", offers={offer.pk}))
    [alert] = Alert.objects.all()
    assert alert.user == owner and alert.kind == AlertKind.ARRIVING and "Netflix" in alert.headline


@time_machine.travel(NOW, tick=False)
def test_leaving_within_seven_days_is_due_seven_days_before(owner, heartstopper, netflix):
    WatchlistItem.objects.create(user=owner, title=heartstopper)
    owner.profile.services.add(netflix)
    until = dt.datetime(2025, 5, 20, tzinfo=dt.UTC)
    offer = Offer.objects.create(
        title=heartstopper,
        provider=netflix,
        region="GB",
        monetization="subscription",
        available_from=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        available_until=until,
    )
    evaluate(Changes(source="justwatch", offers={offer.pk}))
    leaving = Alert.objects.get(kind=AlertKind.LEAVING)
    assert leaving.due_at == until - dt.timedelta(days=7)


@time_machine.travel(NOW, tick=False)
def test_a_followed_person_with_a_new_credit(owner, heartstopper):
    person = Person.objects.get(name="Kit Connor")
    Follow.objects.create(user=owner, person=person)
    film = Title.objects.create(name="Rosaline", kind="film", year=2022)
    credit = Credit.objects.create(title=film, person=person, character="Romeo")
    evaluate(Changes(source="tmdb", credits={credit.pk}))
    [alert] = Alert.objects.all()
    assert alert.headline == "Kit Connor joins Rosaline as Romeo"


@time_machine.travel(NOW, tick=False)
def test_switched_off_kinds_make_no_alert(owner, heartstopper):
    Follow.objects.create(user=owner, title=heartstopper)
    AlertSettings.objects.create(user=owner, on_next_season=False)
    season = Season.objects.create(title=heartstopper, number=3, premiere=dt.date(2025, 10, 3))
    assert evaluate(Changes(source="a", seasons={season.pk})) == []


@time_machine.travel(NOW, tick=False)
def test_evaluation_looks_only_at_the_changed_rows(owner, heartstopper, catalogue, count_queries):
    for title in catalogue:
        Follow.objects.create(user=owner, title=title)
    one = Season.objects.create(title=heartstopper, number=3, premiere=dt.date(2025, 10, 3))
    with count_queries as single:
        evaluate(Changes(source="a", seasons={one.pk}))
    many = {
        Season.objects.create(title=t, number=2, premiere=dt.date(2025, 11, 1)).pk
        for t in catalogue[1:20]
    }
    with count_queries as several:
        evaluate(Changes(source="a", seasons=many))
    assert len(several) == len(single)
    assert Alert.objects.count() == 20


@time_machine.travel(NOW, tick=False)
def test_a_new_episode_on_tv_in_my_region_alerts_once_with_its_episode(
    owner, friend, heartstopper, bbc_one
):
    from telly.listings.models import Airing

    for user in (owner, friend):
        Follow.objects.create(user=user, title=heartstopper)
    friend.profile.region = "US"
    friend.profile.save()
    episode = Episode.objects.create(
        title=heartstopper,
        season_number=3,
        number=1,
        air_at=dt.datetime(2025, 5, 2, 19, tzinfo=dt.UTC),
    )
    airing = Airing.objects.create(
        channel=bbc_one,
        title=heartstopper,
        episode=episode,
        raw_title="Heartstopper",
        is_new=True,
        season_number=3,
        episode_number=1,
        start=dt.datetime(2025, 5, 2, 19, tzinfo=dt.UTC),
        stop=dt.datetime(2025, 5, 2, 19, 30, tzinfo=dt.UTC),
    )
    evaluate(Changes(source="xmltv", airings={airing.pk}))
    [alert] = Alert.objects.all()
    assert alert.user == owner and alert.key == f"episode:{episode.pk}"
    assert alert.due_at == dt.datetime(2025, 5, 2, 6, tzinfo=dt.UTC)  # 07:00 in London
    assert alert.headline == "New today: Heartstopper S03E01 on BBC One at 20:00"
    # The episode list announcing the same episode adds nothing for the owner.
    evaluate(Changes(source="tvmaze", episodes={episode.pk}))
    assert Alert.objects.filter(user=owner).count() == 1


@time_machine.travel(NOW, tick=False)
def test_big_changes_and_popular_titles_are_handled_in_chunks(
    owner, friend, stranger, catalogue, monkeypatch
):
    from telly.alerts import evaluate as evaluation

    monkeypatch.setattr(evaluation, "IN_CHUNK", 2)  # as if SQLite allowed two variables
    for user in (owner, friend, stranger):
        for title in catalogue[:5]:
            Follow.objects.create(user=user, title=title)
    seasons = {
        Season.objects.create(title=t, number=4, premiere=dt.date(2025, 9, 1)).pk
        for t in catalogue[:5]
    }
    made = evaluate(Changes(source="a", seasons=seasons))
    assert len(made) == 15 == Alert.objects.count()
    assert evaluate(Changes(source="a", seasons=seasons)) == []


@time_machine.travel(NOW, tick=False)
def test_announced_airings_reach_the_evaluation(
    owner, heartstopper, bbc_one, django_capture_on_commit_callbacks
):
    from telly.listings.models import Airing

    Follow.objects.create(user=owner, title=heartstopper)
    airing = Airing.objects.create(
        channel=bbc_one,
        title=heartstopper,
        raw_title="Heartstopper",
        is_premiere=True,
        start=dt.datetime(2025, 5, 2, 19, tzinfo=dt.UTC),
        stop=dt.datetime(2025, 5, 2, 19, 30, tzinfo=dt.UTC),
    )
    with django_capture_on_commit_callbacks(execute=True):
        announce(Changes(source="xmltv", airings={airing.pk}, titles={heartstopper.pk}))
    [alert] = Alert.objects.all()
    assert alert.headline.startswith("Premiere today: Heartstopper")
