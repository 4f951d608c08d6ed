import datetime as dt

import pytest
import time_machine

from telly.releases.estimates import refresh_titles
from telly.releases.models import Certainty, EventKind, ReleaseEvent

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2023, 3, 1, 12, tzinfo=dt.UTC))
def test_the_title_page_shows_status_estimate_window_and_why(client, autumn_show):
    refresh_titles([autumn_show.pk])
    html = client.get(autumn_show.get_absolute_url()).content.decode()
    panel = html.split('id="release-dates"')[1].split("</section>")[0]
    assert "Returning" in panel
    assert "Season <strong>5</strong>" in panel or "Season 5" in panel
    assert "most likely <strong>September 2023</strong>" in panel
    assert "80% chance between" in panel
    assert "Season 4 followed season 3 after 12 months" in panel


@time_machine.travel(dt.datetime(2023, 3, 1, 12, tzinfo=dt.UTC))
def test_an_announced_date_is_shown_instead_of_an_estimate(client, autumn_show):
    refresh_titles([autumn_show.pk])
    ReleaseEvent.objects.create(
        title=autumn_show,
        season_number=5,
        kind=EventKind.PREMIERE,
        date=dt.date(2023, 9, 19),
        certainty=Certainty.ANNOUNCED,
        source="editor",
        network="BBC One",
    )
    refresh_titles([autumn_show.pk])
    panel = (
        client.get(autumn_show.get_absolute_url()).content.decode().split('id="release-dates"')[1]
    )
    assert "19 Sep 2023" in panel
    assert "Our estimate" not in panel.split("</section>")[0]


def test_a_film_has_no_release_panel(client, catalogue):
    film = next(t for t in catalogue if not t.is_episodic)
    html = client.get(film.get_absolute_url()).content.decode()
    assert 'id="release-dates"' not in html


def test_a_series_with_nothing_known_has_no_release_panel(client, catalogue):
    show = next(t for t in catalogue if t.is_episodic and not t.seasons.exists())
    assert 'id="release-dates"' not in client.get(show.get_absolute_url()).content.decode()


@time_machine.travel(dt.datetime(2023, 3, 1, 12, tzinfo=dt.UTC))
def test_the_panel_takes_a_fixed_number_of_queries(autumn_show, rf):
    from telly.releases.panels import title_panel

    refresh_titles([autumn_show.pk])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        data = title_panel(rf.get("/"), autumn_show)
    assert data is not None
    assert len(queries) == 1


def test_an_old_estimate_whose_window_has_passed_says_so(client, autumn_show):
    with time_machine.travel(dt.datetime(2023, 3, 1, 12, tzinfo=dt.UTC)):
        refresh_titles([autumn_show.pk])
        fresh = client.get(autumn_show.get_absolute_url()).content.decode()
    with time_machine.travel(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)):
        later = client.get(autumn_show.get_absolute_url()).content.decode()
    assert "window has passed" not in fresh
    assert "Estimated on 1 Mar 2023 from what was known then." in later
    assert "That window has passed, and no date has reached Telly since." in later
