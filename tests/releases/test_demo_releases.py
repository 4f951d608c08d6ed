import datetime as dt

import pytest

from telly.catalog.models import ExternalId, SeriesStatus, Title
from telly.demo import releases as demo
from telly.releases.models import Certainty, ReleaseEvent

pytestmark = pytest.mark.django_db

SHOWS = {
    "shows": [
        {
            "tvmaze": "73",
            "imdb": "tt1520211",
            "name": "Walking Example",
            "year": 2010,
            "status": "Running",
            "network": "AMC",
            "country": "US",
            "genres": ["Drama", "Horror"],
            "recorded": "2017-03-26",
            "seasons": [
                {
                    "number": n,
                    "premiere": f"{2009 + n}-10-{10 + n:02d}",
                    "finale": f"{2010 + n}-03-{10 + n:02d}",
                    "episode_count": 16,
                }
                for n in range(1, 8)
            ]
            + [{"number": 8, "premiere": None, "finale": None, "episode_count": None}],
        },
        {
            "tvmaze": "180",
            "imdb": "",
            "name": "Short Lived",
            "year": 2002,
            "status": "Ended",
            "network": "FOX",
            "country": "US",
            "genres": [],
            "recorded": "2017-03-26",
            "seasons": [
                {
                    "number": 1,
                    "premiere": "2002-09-20",
                    "finale": "2002-12-20",
                    "episode_count": None,
                }
            ],
        },
    ]
}


def test_loading_creates_series_seasons_events_and_an_estimate_as_of_the_recording(heartstopper):
    counts = demo.load(SHOWS, print)
    assert counts["series created"] == 2
    walking = Title.objects.get(external_ids__scheme="tvmaze", external_ids__value="73")
    assert walking.status == SeriesStatus.RETURNING
    assert walking.seasons.count() == 8
    estimate = ReleaseEvent.objects.estimates().get(title=walking)
    assert estimate.season_number == 8
    assert estimate.estimated_on == dt.date(2017, 3, 26)
    assert dt.date(2017, 9, 1) <= estimate.date <= dt.date(2017, 11, 1)
    ended = Title.objects.get(name="Short Lived")
    assert not ReleaseEvent.objects.estimates().filter(title=ended).exists()
    assert ReleaseEvent.objects.filter(title=ended, certainty=Certainty.CONFIRMED).count() == 2


def test_loading_twice_creates_nothing_the_second_time(db):
    demo.load(SHOWS, print)
    before = (Title.objects.count(), ReleaseEvent.objects.count(), ExternalId.objects.count())
    counts = demo.load(SHOWS, print)
    assert counts["series created"] == 0
    assert counts["seasons"] == 0
    assert counts["release events created"] == 0
    assert (
        Title.objects.count(),
        ReleaseEvent.objects.count(),
        ExternalId.objects.count(),
    ) == before


def test_a_show_in_the_catalogue_is_matched_by_imdb_id(heartstopper):
    ExternalId.objects.filter(title=heartstopper, scheme="imdb").update(value="tt1520211")
    demo.load(SHOWS, print)
    heartstopper.refresh_from_db()
    assert heartstopper.status == SeriesStatus.RETURNING
    assert heartstopper.external_ids.filter(scheme="tvmaze", value="73").exists()
