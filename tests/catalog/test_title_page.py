import pytest

pytestmark = pytest.mark.django_db


def test_it_shows_cast_with_characters(client, heartstopper):
    page = client.get("/shows/heartstopper/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Joe Locke" in html and "as Charlie Spring" in html
    assert "Yasmin Finney" in html and "as Elle Argent" in html
    assert "Season 2" in html


def test_it_redirects_a_series_asked_for_as_a_film(client, heartstopper):
    page = client.get("/films/heartstopper/")
    assert page.status_code == 301
    assert page["Location"] == "/shows/heartstopper/"


def test_an_unknown_title_is_404(client, db):
    assert client.get("/shows/no-such-show/").status_code == 404


def test_it_stays_within_a_query_budget(client, catalogue, count_queries):
    with count_queries as queries:
        assert client.get("/shows/heartstopper/").status_code == 200
    assert len(queries) <= 15, [q["sql"] for q in queries.captured_queries]


def test_person_page_lists_credits_with_characters(client, heartstopper):
    page = client.get("/people/kit-connor/")
    assert page.status_code == 200
    assert "Nick Nelson" in page.content.decode()


def test_home_shows_popular_titles(client, catalogue, count_queries):
    with count_queries as queries:
        page = client.get("/")
    assert page.status_code == 200
    assert "Heartstopper" in page.content.decode()
    assert len(queries) <= 15


def test_genre_page_filters_titles(client, catalogue):
    page = client.get("/genres/comedy/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Heartstopper" not in html
    assert "Sample Series 1" in html


def test_browse_rejects_a_year_that_is_not_a_year(client, catalogue):
    assert client.get("/shows/?from=abc").status_code == 404
