"""schema.org JSON-LD for an article page: NewsArticle, Review (with reviewRating and the
TVSeries or Movie it reviews), PodcastEpisode, or Article for features and lists."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from telly.catalog.models import Title
from telly.editorial.models import Article, ArticleKind


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"


def work(title: Title) -> dict[str, Any]:
    """A title as a schema.org creative work: TVSeries for shows, Movie for films."""
    thing: dict[str, Any] = {
        "@type": "TVSeries" if title.is_episodic else "Movie",
        "name": title.name,
        "url": absolute(title.get_absolute_url()),
    }
    if title.year:
        thing["startDate" if title.is_episodic else "dateCreated"] = str(title.year)
    return thing


def iso_duration(seconds: int) -> str:
    """``3725`` → ``PT1H2M5S``."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return (
        "PT"
        + (f"{hours}H" if hours else "")
        + (f"{minutes}M" if minutes else "")
        + (f"{secs}S" if secs or not (hours or minutes) else "")
    )


def for_article(article: Article) -> dict[str, Any]:
    kind = article.kind_enum
    titles = [link.title for link in article.title_links.all()]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": kind.schema_type,
        "headline": article.headline,
        "name": article.headline,
        "description": article.standfirst,
        "url": absolute(article.get_absolute_url()),
        "mainEntityOfPage": absolute(article.get_absolute_url()),
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": (article.updated_at or article.published_at).isoformat()
        if article.updated_at or article.published_at
        else None,
        "author": [
            {"@type": "Person", "name": author.name, "url": absolute(author.get_absolute_url())}
            for author in article.authors.all()
        ],
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": settings.SITE_URL,
        },
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
    }
    if article.lead_image_url:
        data["image"] = {
            "@type": "ImageObject",
            "url": article.lead_image_url,
            "caption": article.lead_image_alt,
        }
    if kind == ArticleKind.REVIEW:
        if titles:
            data["itemReviewed"] = work(titles[0])
        if article.rating is not None:
            data["reviewRating"] = {
                "@type": "Rating",
                "ratingValue": article.rating,
                "bestRating": 5,
                "worstRating": 0,
            }
        if article.verdict:
            data["reviewBody"] = article.verdict
    elif kind == ArticleKind.PODCAST:
        data["partOfSeries"] = {
            "@type": "PodcastSeries",
            "name": f"{settings.SITE_NAME} podcast",
            "url": absolute("/news/podcast/"),
        }
        if article.episode_number:
            data["episodeNumber"] = article.episode_number
        if article.audio_url:
            media: dict[str, Any] = {
                "@type": "AudioObject",
                "contentUrl": article.audio_url,
                "encodingFormat": article.audio_type,
            }
            if article.duration:
                media["duration"] = iso_duration(article.duration)
            data["associatedMedia"] = media
        if article.duration:
            data["timeRequired"] = iso_duration(article.duration)
        if titles:
            data["about"] = [work(t) for t in titles]
    elif titles:
        data["about"] = [work(t) for t in titles]
    if kind != ArticleKind.REVIEW and article.people.all():
        data["mentions"] = [
            {"@type": "Person", "name": p.name, "url": absolute(p.get_absolute_url())}
            for p in article.people.all()
        ]
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def script_tag(data: dict[str, Any]) -> SafeString:
    """``<script type="application/ld+json">`` with ``<``, ``>`` and ``&`` escaped so no text in
    the data can close the script element."""
    encoded = (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return mark_safe(f'<script type="application/ld+json">{encoded}</script>')
