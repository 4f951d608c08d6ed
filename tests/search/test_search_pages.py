"""/search/ (sections per kind, tabs, filters; a plain form without JavaScript) and the header
box's /search/suggest/ fragment."""

from __future__ import annotations

import pytest


def test_the_results_page_shows_a_section_per_kind(client, guide):
    page = client.get("/search/", {"q": "heartstopper"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Results for “heartstopper”" in html
    assert 'id="sec-title"' in html and 'id="sec-character"' in html
    assert "Elle Argent" in html and "Yasmin Finney" in html
    assert 'href="/shows/heartstopper/"' in html


def test_a_tab_shows_one_kind_with_filters(client, guide):
    page = client.get("/search/", {"q": "the", "kind": "series", "genre": "history"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "The Crown" in html and "The Office" not in html
    assert 'name="year_from"' in html and 'aria-current="page"' in html


def test_the_page_works_as_a_plain_form(client, db):
    page = client.get("/search/")
    assert page.status_code == 200
    assert 'action="/search/"' in page.content.decode()


def test_nothing_found_says_so(client, guide):
    assert "Nothing found" in client.get("/search/", {"q": "zzqxj"}).content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x", "year_from": "soon"},
        {"q": "x", "kind": "spaceship"},
        {"q": "x", "year_from": "2010", "year_to": "2000"},
    ],
)
def test_bad_filters_are_a_400_with_a_message(client, guide, params):
    page = client.get("/search/", params)
    assert page.status_code == 400
    assert 'class="message error"' in page.content.decode()


def test_suggestions_list_the_best_few(client, guide):
    page = client.get("/search/suggest/", {"q": "hartstop"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Heartstopper" in html and "All results for" in html
    assert html.count('class="suggest-item"') <= 8


def test_suggestions_for_nothing_are_empty(client, guide):
    assert client.get("/search/suggest/", {"q": " "}).content.decode().strip() == ""


def test_the_page_reads_a_fixed_number_of_queries(client, guide, count_queries):
    client.get("/search/", {"q": "the"})  # builds the index
    with count_queries as queries:
        client.get("/search/", {"q": "the crown"})
    assert len(queries) <= 12
