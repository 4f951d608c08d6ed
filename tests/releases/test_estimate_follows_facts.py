import datetime as dt

import pytest
import time_machine
from django.db import transaction

from telly.catalog.models import Season, SeriesStatus
from telly.catalog.signals import Changes, announce, changes_committed
from telly.releases import queries
from telly.releases.estimates import refresh_titles
from telly.releases.models import Certainty, DatePrecision, EventKind, ReleaseEvent

from .conftest import make_series

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2023, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def announced_changes():
    seen: list[Changes] = []

    def listen(sender, changes, **kwargs):
        seen.append(changes)

    changes_committed.connect(listen, dispatch_uid="test-releases-listen")
    yield seen
    changes_committed.disconnect(dispatch_uid="test-releases-listen")


def event(title, kind, day, **fields):
    return ReleaseEvent.objects.create(title=title, kind=kind, date=day, source="editor", **fields)


def test_a_renewal_sets_the_status_and_brings_an_estimate():
    title = make_series(
        "Maybe", [dt.date(2020, 5, 1), dt.date(2021, 5, 7), dt.date(2022, 5, 6)], status=""
    )
    refresh_titles([title.pk])
    assert queries.next_season_estimate(title) is None

    event(title, EventKind.RENEWAL, dt.date(2022, 8, 1))  # saving a fact refreshes on commit

    title.refresh_from_db()
    assert title.status == SeriesStatus.RENEWED
    estimate = queries.next_season_estimate(title)
    assert estimate is not None and estimate.season_number == 4
    assert "renewed in August 2022" in estimate.explanation


def test_a_cancellation_removes_the_estimate(autumn_show):
    refresh_titles([autumn_show.pk])
    assert queries.next_season_estimate(autumn_show) is not None
    event(autumn_show, EventKind.CANCELLATION, dt.date(2023, 1, 10))
    autumn_show.refresh_from_db()
    assert autumn_show.status == SeriesStatus.CANCELLED
    assert queries.next_season_estimate(autumn_show) is None


def test_a_production_halt_pushes_the_estimate_back(autumn_show):
    refresh_titles([autumn_show.pk])
    before = queries.next_season_estimate(autumn_show).date
    event(autumn_show, EventKind.PRODUCTION_HALT, dt.date(2022, 11, 1))
    event(autumn_show, EventKind.PRODUCTION_START, dt.date(2023, 2, 1))
    after = queries.next_season_estimate(autumn_show)
    assert after.date >= before.replace(month=before.month + 2)
    assert "halted for 3 month(s)" in after.explanation


def test_a_late_filming_wrap_sets_a_floor_under_the_window(autumn_show):
    event(
        autumn_show, EventKind.PRODUCTION_WRAP, dt.date(2023, 10, 15), precision=DatePrecision.DAY
    )
    estimate = queries.next_season_estimate(autumn_show)
    assert estimate.window_start >= dt.date(2023, 12, 14)
    assert "filming wrapped in October 2023" in estimate.explanation


def test_an_announced_date_replaces_the_estimate_and_tells_alerts(autumn_show, announced_changes):
    refresh_titles([autumn_show.pk])
    estimate = queries.next_season_estimate(autumn_show)

    with transaction.atomic():
        announced = event(
            autumn_show,
            EventKind.PREMIERE,
            dt.date(2023, 9, 19),
            season_number=5,
            certainty=Certainty.ANNOUNCED,
        )

    estimate.refresh_from_db()
    assert estimate.replaced_by == announced
    assert queries.next_season_estimate(autumn_show) is None
    assert any(
        c.source == "releases" and announced.pk in c.release_events for c in announced_changes
    )
    assert list(ReleaseEvent.objects.filter(replaced_by=announced)) == [estimate]


def test_a_season_date_from_an_import_replaces_the_estimate(autumn_show, announced_changes):
    refresh_titles([autumn_show.pk])
    estimate = queries.next_season_estimate(autumn_show)

    with transaction.atomic():
        season = Season.objects.create(title=autumn_show, number=5, premiere=dt.date(2023, 9, 26))
        announce(Changes(source="tvmaze", seasons={season.pk}))

    estimate.refresh_from_db()
    assert estimate.replaced_by is not None
    assert estimate.replaced_by.date == dt.date(2023, 9, 26)
    assert estimate.replaced_by.certainty == Certainty.ANNOUNCED
    assert any(
        c.source == "releases" and estimate.replaced_by_id in c.release_events
        for c in announced_changes
    )


def test_our_own_announcements_do_not_start_another_refresh(autumn_show, announced_changes):
    refresh_titles([autumn_show.pk])
    with transaction.atomic():
        event(autumn_show, EventKind.PREMIERE, dt.date(2023, 9, 19), season_number=5)
    assert len([c for c in announced_changes if c.source == "releases"]) == 1
