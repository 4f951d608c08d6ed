"""List pages and feeds take a fixed number of queries, however many articles there are."""

from __future__ import annotations

import pytest
from django.test import Client
from django.test.utils import CaptureQueriesContext


def _queries(client: Client, url: str) -> int:
    from django.db import connection

    client.get(url)  # warm the session, caches and content types
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/news/",
        "/news/drama/",
        "/news/authors/priya-nair/",
        "/news/feed/",
        "/news/drama/feed/atom/",
        "/news/podcast/",
        "/sitemap-news.xml",
        "/api/v1/articles",
    ],
)
def test_a_list_costs_the_same_for_five_or_twenty_five_articles(
    client: Client, make_article, url: str
) -> None:
    for i in range(5):
        make_article(f"First batch {i}")
    few = _queries(client, url)
    for i in range(20):
        make_article(f"Second batch {i}")
    many = _queries(client, url)
    assert many == few, f"{url}: {few} queries with 5 articles, {many} with 25"
    assert many <= 12
