"""Drafts never reach readers; a scheduled article appears at its time and not before, in
pages, feeds, the sitemap, the API and the title page's coverage."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from telly.catalog.models import Title
from telly.editorial.models import Article, ArticleState

RELEASE = dt.datetime(2026, 3, 1, 7, 0, tzinfo=dt.UTC)
PUBLIC_URLS = [
    "/news/",
    "/news/drama/",
    "/news/feed/",
    "/news/feed/atom/",
    "/news/drama/feed/",
    "/news/titles/heartstopper/feed/",
    "/news/titles/heartstopper/",
    "/sitemap-coverage.xml",
    "/sitemap-news.xml",
    "/api/v1/articles",
    "/api/v1/articles?title=heartstopper",
    "/shows/heartstopper/",
    "/news/authors/priya-nair/",
]


@pytest.fixture
def hidden(make_article, heartstopper: Title) -> dict[str, Article]:
    return {
        "draft": make_article(
            "Secret draft about Heartstopper",
            state=ArticleState.DRAFT,
            published_at=None,
            titles=[heartstopper],
        ),
        "in_review": make_article(
            "Piece in review", state=ArticleState.REVIEW, titles=[heartstopper]
        ),
        "scheduled": make_article(
            "Scheduled Heartstopper scoop", published_at=RELEASE, titles=[heartstopper]
        ),
    }


def _everything(client: Client) -> str:
    pages = []
    for url in PUBLIC_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append(response.content.decode())
    return "\n".join(pages)


@time_machine.travel(RELEASE - dt.timedelta(minutes=1), tick=False)
def test_nothing_unpublished_shows_anywhere_before_its_time(
    client: Client, hidden: dict[str, Article]
) -> None:
    text = _everything(client)
    for article in hidden.values():
        assert article.headline not in text
        assert article.slug not in text
        assert client.get(article.get_absolute_url()).status_code == 404
        assert client.get(f"/api/v1/articles/{article.slug}").status_code == 404


@time_machine.travel(RELEASE, tick=False)
def test_a_scheduled_article_appears_at_its_time(
    client: Client, hidden: dict[str, Article]
) -> None:
    text = _everything(client)
    assert hidden["scheduled"].headline in text
    assert client.get(hidden["scheduled"].get_absolute_url()).status_code == 200
    assert client.get(f"/api/v1/articles/{hidden['scheduled'].slug}").status_code == 200
    assert hidden["draft"].headline not in text
    assert hidden["in_review"].headline not in text


@time_machine.travel(RELEASE + dt.timedelta(days=30), tick=False)
def test_a_draft_stays_hidden_even_with_a_past_publish_time(
    client: Client, make_article, heartstopper: Title
) -> None:
    draft = make_article("Old draft", state=ArticleState.DRAFT, published_at=RELEASE)
    assert draft.headline not in _everything(client)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_editors_preview_drafts_and_readers_cannot(
    client: Client, editor, stranger, hidden: dict[str, Article]
) -> None:
    url = f"/news/preview/{hidden['draft'].pk}/"
    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(stranger)
    assert client.get(url).status_code == 302
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assert hidden["draft"].headline in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]
