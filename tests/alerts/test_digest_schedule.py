import datetime as dt

from telly.alerts.schedule import due_for

NOW = dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)


def test_instant_alerts_are_due_now():
    assert due_for(now=NOW, tz="Europe/London", cadence="instant", digest_hour=8) == NOW


def test_a_digest_is_due_at_the_next_digest_hour_in_the_users_zone():
    # 12:00 UTC is 13:00 in London (BST): 08:00 has passed, so tomorrow 08:00 BST = 07:00 UTC.
    assert due_for(now=NOW, tz="Europe/London", cadence="digest", digest_hour=8) == dt.datetime(
        2025, 6, 2, 7, tzinfo=dt.UTC
    )
    # 12:00 UTC is 22:00 in Sydney: 08:00 tomorrow there is 22:00 UTC today.
    assert due_for(now=NOW, tz="Australia/Sydney", cadence="digest", digest_hour=8) == dt.datetime(
        2025, 6, 1, 22, tzinfo=dt.UTC
    )


def test_an_episode_alert_waits_for_the_morning_of_its_day():
    day = dt.date(2025, 6, 5)
    assert due_for(
        now=NOW, tz="Europe/London", cadence="instant", digest_hour=None, on_day=day
    ) == dt.datetime(2025, 6, 5, 6, tzinfo=dt.UTC)


def test_a_bad_time_zone_falls_back_to_the_site_zone():
    assert due_for(now=NOW, tz="Nowhere/Else", cadence="digest", digest_hour=8) == dt.datetime(
        2025, 6, 2, 7, tzinfo=dt.UTC
    )
