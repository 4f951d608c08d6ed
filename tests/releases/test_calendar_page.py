import datetime as dt

import pytest
import time_machine

from telly.catalog.models import Genre
from telly.releases.estimates import refresh_titles
from telly.releases.models import Certainty, DatePrecision, EventKind, ReleaseEvent
from telly.streaming.models import Monetization, Offer, Provider

from .conftest import make_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar_data(autumn_show):
    """Autumn Show (BBC One, drama) has an estimate for Sep 2023; Streamer Show returns on
    Netflix on 14 Sep 2023 (announced) and its season 1 finale was 20 Sep 2022."""
    with time_machine.travel(dt.datetime(2023, 3, 1, 12, tzinfo=dt.UTC)):
        refresh_titles([autumn_show.pk])
    netflix = Provider.objects.create(name="Netflix", slug="netflix")
    streamer = make_series("Streamer Show", [dt.date(2022, 9, 1)], network="Netflix")
    streamer.genres.set(Genre.for_names(["Comedy"]))
    Offer.objects.create(
        title=streamer, provider=netflix, region="GB", monetization=Monetization.SUBSCRIPTION
    )
    ReleaseEvent.objects.create(
        title=streamer,
        season_number=2,
        kind=EventKind.PREMIERE,
        date=dt.date(2023, 9, 14),
        certainty=Certainty.ANNOUNCED,
        source="editor",
    )
    ReleaseEvent.objects.create(
        title=streamer,
        season_number=3,
        kind=EventKind.PREMIERE,
        date=dt.date(2023, 9, 1),
        precision=DatePrecision.SEASON,
        certainty=Certainty.ANNOUNCED,
        source="editor",
    )
    return autumn_show, streamer


def test_the_month_lists_announced_dates_and_estimates_apart(client, calendar_data):
    response = client.get("/calendar/?month=2023-09")
    assert response.status_code == 200
    html = response.content.decode()
    announced, estimates = html.split('id="estimates-h"')
    assert "Streamer Show" in announced and "Return" in announced
    assert "autumn 2023" in announced  # a season-precision date, shown as such
    assert "Autumn Show" not in announced
    assert "Autumn Show" in estimates and "most likely September 2023" in estimates
    assert 'href="/account/calendar/"' in html


def test_the_week_view_shows_only_that_week(client, calendar_data):
    html = client.get("/calendar/?week=2023-09-13").content.decode()
    assert "Week of 11 Sep 2023" in html
    assert "Streamer Show" in html
    assert "Thursday 14 Sep" in html
    other = client.get("/calendar/?week=2023-12-13").content.decode()
    assert "No announced premieres or finales" in other


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("service=netflix", "Streamer Show", "Autumn Show"),
        ("channel=BBC+One", "Autumn Show", "Streamer Show"),
        ("genre=comedy", "Streamer Show", "Autumn Show"),
        ("genre=drama", "Autumn Show", "Streamer Show"),
    ],
)
def test_filters_narrow_the_calendar(client, calendar_data, query, shown, hidden):
    html = client.get(f"/calendar/?month=2023-09&{query}").content.decode()
    body = html.split('aria-labelledby="announced-h"')[1]
    assert shown in body
    assert hidden not in body


@pytest.mark.parametrize(
    "query",
    ["month=2023-13", "week=yesterday", "service=nope", "genre=nope", "channel=" + "x" * 200],
)
def test_bad_parameters_get_a_400_with_a_message(client, calendar_data, query):
    response = client.get(f"/calendar/?{query}")
    assert response.status_code == 400
    assert "cannot be shown" in response.content.decode()


def test_the_calendar_takes_a_fixed_number_of_queries(client, calendar_data, count_queries):
    for n in range(12):
        title = make_series(f"Extra {n}", [dt.date(2022, 9, 10 + n)])
        ReleaseEvent.objects.create(
            title=title,
            season_number=2,
            kind=EventKind.PREMIERE,
            date=dt.date(2023, 9, 10 + n),
            source="editor",
        )
    with count_queries as queries:
        response = client.get("/calendar/?month=2023-09")
    assert response.status_code == 200
    assert "Extra 11" in response.content.decode()
    assert len(queries) <= 12


def test_the_month_and_week_switch_keeps_the_period_in_view(client, calendar_data):
    html = client.get("/calendar/?week=2023-09-13&genre=comedy").content.decode()
    assert 'href="?month=2023-09&amp;genre=comedy"' in html
    html = client.get("/calendar/?month=2023-09").content.decode()
    assert 'href="?week=2023-08-28"' in html  # the week holding 1 Sep
    assert (
        "Week of 28 Aug 2023" in client.get("/calendar/?month=2023-09&view=week").content.decode()
    )
