"""``/sitemap.xml`` is an index; its parts list every published article, section, author and
tag page, and the catalogue's titles and people, and nothing unpublished."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client
from lxml import etree

from telly.catalog.models import Title
from telly.editorial.models import ArticleState, Author, Tag

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _locs(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return etree.fromstring(response.content).xpath("//sm:loc/text()", namespaces=NS)


@time_machine.travel(dt.datetime(2026, 2, 1, tzinfo=dt.UTC), tick=False)
def test_the_sitemap_lists_published_pages_and_nothing_else(
    client: Client, make_article, heartstopper: Title, comedy
) -> None:
    shy = Author.objects.create(name="Unpublished Writer")
    secret_tag = Tag.objects.create(name="Secret")
    published = make_article("Out now", titles=[heartstopper])
    published.tags.add(Tag.objects.create(name="Public"))
    draft = make_article("A draft", state=ArticleState.DRAFT, published_at=None)
    scheduled = make_article("Later", published_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    for article in (draft, scheduled):
        article.authors.set([shy])
        article.tags.set([secret_tag])

    parts = _locs(client, "/sitemap.xml")
    assert "http://testserver/sitemap-news.xml" in parts
    every = [loc for part in parts for loc in _locs(client, part.removeprefix("http://testserver"))]
    assert "http://testserver/news/drama/out-now/" in every
    assert "http://testserver/news/drama/" in every and "http://testserver/news/comedy/" in every
    assert "http://testserver/news/authors/priya-nair/" in every
    assert "http://testserver/news/tags/public/" in every
    assert "http://testserver/shows/heartstopper/" in every
    assert "http://testserver/news/titles/heartstopper/" in every
    assert "http://testserver/people/joe-locke/" in every
    for hidden in (
        draft.get_absolute_url(),
        scheduled.get_absolute_url(),
        shy.get_absolute_url(),
        secret_tag.get_absolute_url(),
    ):
        assert f"http://testserver{hidden}" not in every
    assert len(every) == len(set(every))


def test_robots_txt_points_at_the_sitemap(client: Client) -> None:
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()
