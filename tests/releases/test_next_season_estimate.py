import datetime as dt

import pytest
import time_machine

from telly.catalog.models import SeriesStatus
from telly.releases import queries
from telly.releases.estimates import refresh_titles
from telly.releases.models import Certainty, DatePrecision, EventKind, ReleaseEvent

from .conftest import make_series

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2023, 3, 1, 12, tzinfo=dt.UTC))
def test_a_returning_series_gets_an_estimate_for_its_next_season(autumn_show):
    refresh_titles([autumn_show.pk])
    estimate = queries.next_season_estimate(autumn_show)
    assert estimate is not None
    assert estimate.season_number == 5
    assert estimate.certainty == Certainty.ESTIMATED
    assert estimate.precision == DatePrecision.MONTH
    assert estimate.date == dt.date(2023, 9, 1)
    assert estimate.window_start <= dt.date(2023, 9, 26) <= estimate.window_end
    assert estimate.probability == pytest.approx(0.8)


@time_machine.travel(dt.datetime(2023, 3, 1, 12, tzinfo=dt.UTC))
def test_the_estimate_says_why_in_one_sentence(autumn_show):
    refresh_titles([autumn_show.pk])
    why = queries.next_season_estimate(autumn_show).explanation
    assert why.startswith("Season 4 followed season 3 after 12 months")
    assert why.endswith(".") and why.count(".") == 1


@time_machine.travel(dt.datetime(2023, 3, 1, 12, tzinfo=dt.UTC))
def test_it_mirrors_season_premieres_and_finales_as_confirmed_events(autumn_show):
    refresh_titles([autumn_show.pk])
    premieres = ReleaseEvent.objects.filter(title=autumn_show, kind=EventKind.PREMIERE).dated()
    assert sorted(premieres.values_list("season_number", flat=True)) == [1, 2, 3, 4]
    assert set(premieres.values_list("certainty", flat=True)) == {Certainty.CONFIRMED}
    assert ReleaseEvent.objects.filter(title=autumn_show, kind=EventKind.FINALE).count() == 4


@pytest.mark.parametrize(
    "status", [SeriesStatus.ENDED, SeriesStatus.CANCELLED, SeriesStatus.UNKNOWN]
)
@time_machine.travel(dt.datetime(2023, 3, 1, 12, tzinfo=dt.UTC))
def test_it_does_not_estimate_a_series_that_ended_or_whose_future_is_unknown(status):
    title = make_series("Done", [dt.date(2020, 1, 5), dt.date(2021, 1, 4)], status=status)
    refresh_titles([title.pk])
    assert queries.next_season_estimate(title) is None


@time_machine.travel(dt.datetime(2023, 3, 1, 12, tzinfo=dt.UTC))
def test_refreshing_twice_keeps_one_estimate(autumn_show):
    refresh_titles([autumn_show.pk])
    refresh_titles([autumn_show.pk])
    assert (
        ReleaseEvent.objects.filter(title=autumn_show, certainty=Certainty.ESTIMATED).count() == 1
    )
    assert ReleaseEvent.objects.filter(title=autumn_show).count() == 9


def test_an_estimate_is_never_in_the_past():
    title = make_series("Late", [dt.date(2019, 1, 10), dt.date(2020, 1, 9), dt.date(2021, 1, 14)])
    with time_machine.travel(dt.datetime(2022, 6, 1, 12, tzinfo=dt.UTC)):
        refresh_titles([title.pk])
    estimate = queries.next_season_estimate(title)
    assert estimate.window_start > dt.date(2022, 6, 1)
    assert estimate.date >= dt.date(2022, 6, 1)


@time_machine.travel(dt.datetime(2023, 3, 1, 12, tzinfo=dt.UTC))
def test_mirrored_dates_follow_the_catalogue_when_a_season_changes_or_goes(autumn_show):
    refresh_titles([autumn_show.pk])
    autumn_show.seasons.filter(number=4).update(premiere=dt.date(2022, 10, 4))
    autumn_show.seasons.filter(number=3).delete()
    refresh_titles([autumn_show.pk])
    premieres = dict(
        ReleaseEvent.objects.filter(title=autumn_show, kind=EventKind.PREMIERE)
        .dated()
        .values_list("season_number", "date")
    )
    assert premieres == {1: dt.date(2019, 9, 24), 2: dt.date(2020, 9, 22), 4: dt.date(2022, 10, 4)}


@time_machine.travel(dt.datetime(2023, 3, 1, 12, tzinfo=dt.UTC))
def test_an_announced_next_season_without_a_date_is_still_estimated(autumn_show):
    autumn_show.seasons.create(number=5)
    refresh_titles([autumn_show.pk])
    assert queries.next_season_estimate(autumn_show).season_number == 5


@time_machine.travel(dt.datetime(2023, 3, 1, 12, tzinfo=dt.UTC))
def test_no_estimate_when_later_seasons_are_known_but_their_dates_are_not(autumn_show):
    refresh_titles([autumn_show.pk])
    assert queries.next_season_estimate(autumn_show) is not None
    # Seasons 5 and 6 are listed without dates: season 5 has come and gone, the history is
    # missing dates, and an estimate for season 5 would be a guess about the past.
    autumn_show.seasons.create(number=5)
    autumn_show.seasons.create(number=6)
    refresh_titles([autumn_show.pk])
    assert queries.next_season_estimate(autumn_show) is None
