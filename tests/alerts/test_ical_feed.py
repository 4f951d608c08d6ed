import datetime as dt

import time_machine
from icalendar import Calendar

from telly.accounts.models import Follow
from telly.alerts.models import alert_settings_for
from telly.catalog.models import AirPrecision, Episode
from telly.releases.models import Certainty, DatePrecision, EventKind, ReleaseEvent

NOW = dt.datetime(2025, 5, 1, 9, tzinfo=dt.UTC)


def _url(user, query=""):
    return f"/feeds/{alert_settings_for(user).feed_secret}/calendar.ics{query}"


def _setup(owner, title):
    Follow.objects.create(user=owner, title=title)
    timed = Episode.objects.create(
        title=title,
        season_number=3,
        number=1,
        name="Back",
        air_at=dt.datetime(2025, 5, 10, 19, tzinfo=dt.UTC),
        air_precision=AirPrecision.MINUTE,
        runtime=30,
    )
    dated = Episode.objects.create(
        title=title, season_number=3, number=2, air_at=dt.datetime(2025, 5, 17, tzinfo=dt.UTC)
    )
    ReleaseEvent.objects.create(
        title=title,
        season_number=4,
        kind=EventKind.PREMIERE,
        date=dt.date(2025, 6, 1),
        precision=DatePrecision.MONTH,
        certainty=Certainty.ESTIMATED,
        window_start=dt.date(2025, 5, 20),
        window_end=dt.date(2025, 6, 20),
        probability=0.8,
    )
    return timed, dated


@time_machine.travel(NOW, tick=False)
def test_it_is_valid_rfc_5545_with_timed_and_all_day_events(client, owner, heartstopper):
    timed, dated = _setup(owner, heartstopper)
    response = client.get(_url(owner))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events = {e["UID"].split("@")[0]: e for e in calendar.walk("VEVENT")}
    first = events[f"episode-{timed.pk}"]
    assert first.decoded("DTSTART") == dt.datetime(2025, 5, 10, 19, tzinfo=dt.UTC)
    assert first.decoded("DTEND") == dt.datetime(2025, 5, 10, 19, 30, tzinfo=dt.UTC)
    second = events[f"episode-{dated.pk}"]
    assert second.decoded("DTSTART") == dt.date(2025, 5, 17) and second.decoded("DTEND") == dt.date(
        2025, 5, 18
    )
    estimate = next(e for uid, e in events.items() if uid.startswith("release-"))
    assert estimate["STATUS"] == "TENTATIVE" and "Estimated" in str(estimate["DESCRIPTION"])


@time_machine.travel(NOW, tick=False)
def test_uids_are_stable_between_refreshes(client, owner, heartstopper):
    _setup(owner, heartstopper)
    uids = [
        sorted(
            str(e["UID"])
            for e in Calendar.from_ical(client.get(_url(owner)).content).walk("VEVENT")
        )
        for _ in range(2)
    ]
    assert uids[0] == uids[1] and len(uids[0]) == 3


@time_machine.travel(NOW, tick=False)
def test_filters_days_ahead_and_premieres_only(client, owner, heartstopper):
    _setup(owner, heartstopper)
    soon = Calendar.from_ical(client.get(_url(owner, "?days=12")).content).walk("VEVENT")
    assert len(soon) == 1
    premieres = Calendar.from_ical(client.get(_url(owner, "?premieres=1")).content).walk("VEVENT")
    assert {str(e["CATEGORIES"].cats[0]) for e in premieres} == {"premiere"}
    assert client.get(_url(owner, "?days=-3")).status_code == 400
    assert client.get(_url(owner, "?days=lots")).status_code == 400


def test_an_unknown_or_rotated_secret_is_not_found(client, owner_client, owner):
    old = _url(owner)
    assert client.get(old).status_code == 200
    assert client.get("/feeds/not-a-secret/calendar.ics").status_code == 404
    assert owner_client.post("/feeds/rotate/").status_code == 302
    assert client.get(old).status_code == 404
    owner.alert_settings.refresh_from_db()
    assert client.get(_url(owner)).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_refreshes_within_the_hour_are_identical_and_say_how_often_to_poll(
    client, owner, heartstopper
):
    _setup(owner, heartstopper)
    first, second = client.get(_url(owner)), client.get(_url(owner))
    assert first.content == second.content
    calendar = Calendar.from_ical(first.content)
    assert calendar.decoded("REFRESH-INTERVAL") == dt.timedelta(hours=6)
