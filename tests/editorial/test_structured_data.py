"""Article pages carry OpenGraph tags and schema.org JSON-LD that parses: NewsArticle, Review
with reviewRating and the TVSeries it reviews, PodcastEpisode."""

from __future__ import annotations

import json

from django.test import Client
from lxml import html as lxml_html

from telly.catalog.models import Title
from telly.editorial.jsonld import iso_duration
from telly.editorial.models import ArticleKind


def _page(client: Client, url: str) -> lxml_html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200
    return lxml_html.fromstring(response.content)


def _jsonld(page: lxml_html.HtmlElement) -> dict:
    scripts = page.xpath('//script[@type="application/ld+json"]/text()')
    assert len(scripts) == 1
    return json.loads(scripts[0])


def test_a_review_has_a_rating_and_names_the_series(
    client: Client, make_article, heartstopper: Title
) -> None:
    review = make_article(
        "Heartstopper review",
        kind=ArticleKind.REVIEW,
        rating=4,
        verdict="Warm.",
        titles=[heartstopper],
    )
    data = _jsonld(_page(client, review.get_absolute_url()))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Review"
    assert data["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 4,
        "bestRating": 5,
        "worstRating": 0,
    }
    assert data["itemReviewed"]["@type"] == "TVSeries"
    assert data["itemReviewed"]["name"] == "Heartstopper"
    assert data["itemReviewed"]["url"].endswith("/shows/heartstopper/")
    assert data["author"][0]["name"] == "Priya Nair"


def test_news_is_a_news_article_about_its_titles(
    client: Client, make_article, heartstopper: Title
) -> None:
    news = make_article(
        "Heartstopper news",
        kind=ArticleKind.NEWS,
        titles=[heartstopper],
        people=[heartstopper.credits.first().person],
    )
    data = _jsonld(_page(client, news.get_absolute_url()))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Heartstopper news"
    assert data["datePublished"].startswith("2026-01-10T09:00:00")
    assert data["about"][0] == {
        "@type": "TVSeries",
        "name": "Heartstopper",
        "url": "http://127.0.0.1:8000/shows/heartstopper/",
        "startDate": "2022",
    }
    assert data["mentions"][0]["name"] == "Joe Locke"


def test_a_podcast_episode_has_its_audio_and_duration(client: Client, make_article) -> None:
    episode = make_article(
        "Episode 3",
        kind=ArticleKind.PODCAST,
        audio_url="https://media.example.org/3.mp3",
        duration=3725,
        episode_number=3,
    )
    data = _jsonld(_page(client, episode.get_absolute_url()))
    assert data["@type"] == "PodcastEpisode"
    assert data["episodeNumber"] == 3
    assert data["associatedMedia"]["contentUrl"] == "https://media.example.org/3.mp3"
    assert data["associatedMedia"]["duration"] == "PT1H2M5S"


def test_text_in_the_data_cannot_close_the_script_element(client: Client, make_article) -> None:
    article = make_article("Bad </script><script>alert(1)</script> headline")
    response = client.get(article.get_absolute_url())
    assert b"</script><script>alert(1)" not in response.content
    assert (
        _jsonld(lxml_html.fromstring(response.content))["headline"]
        == "Bad </script><script>alert(1)</script> headline"
    )


def test_the_page_has_opengraph_and_a_canonical_link(client: Client, make_article) -> None:
    article = make_article(
        "Shared widely",
        lead_image_url="https://img.example.org/a.jpg",
        lead_image_alt="Two boys on a bus",
    )
    page = _page(client, article.get_absolute_url())
    og = {
        m.get("property"): m.get("content")
        for m in page.xpath("//meta[starts-with(@property, 'og:')]")
    }
    assert og["og:type"] == "article"
    assert og["og:title"] == "Shared widely"
    assert og["og:image"] == "https://img.example.org/a.jpg"
    assert og["og:image:alt"] == "Two boys on a bus"
    assert page.xpath("//link[@rel='canonical']/@href") == [
        "http://127.0.0.1:8000/news/drama/shared-widely/"
    ]


def test_iso_durations() -> None:
    assert [iso_duration(s) for s in (0, 59, 60, 3600, 3725)] == [
        "PT0S",
        "PT59S",
        "PT1M",
        "PT1H",
        "PT1H2M5S",
    ]
