"""The questions pages, feeds and the API ask about articles. Every one starts from
``Article.objects.published(at)``, so nothing unpublished is ever answered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from telly.catalog.models import Person, Title
from telly.editorial.models import Article, ArticleTitle, Author, Section
from telly.streaming import queries as streaming_queries
from telly.streaming.models import Provider


def published(at: dt.datetime | None = None) -> Any:
    return Article.objects.published(at).newest().for_cards()


def article_for_page(section_slug: str, slug: str, *, include_unpublished: bool = False) -> Article:
    """The article at ``/news/<section>/<slug>/`` with all it links to, or 404."""
    base = Article.objects.all() if include_unpublished else Article.objects.published()
    return get_object_or_404(
        base.select_related("section").prefetch_related(
            "authors",
            "tags",
            "people",
            "providers",
            Prefetch("title_links", ArticleTitle.objects.select_related("title", "season")),
        ),
        section__slug=section_slug,
        slug=slug,
    )


def more_like_this(
    article: Article, limit: int = 4, at: dt.datetime | None = None
) -> list[Article]:
    """Published articles that share a title or a person with this one, newest first, then the
    newest of its section to fill the space."""
    title_ids = [link.title_id for link in article.title_links.all()]
    person_ids = [p.pk for p in article.people.all()]
    others = published(at).exclude(pk=article.pk)
    shared: list[Article] = []
    if title_ids or person_ids:
        shared = list(
            others.filter(
                Q(title_links__title__in=title_ids) | Q(people__in=person_ids)
            ).distinct()[:limit]
        )
    if len(shared) < limit:
        seen = [a.pk for a in shared]
        shared += list(
            others.filter(section_id=article.section_id).exclude(pk__in=seen)[: limit - len(shared)]
        )
    return shared


def coverage_of_title(title: Title, limit: int = 4) -> list[Article]:
    return list(published().about_title(title)[:limit])


def coverage_of_person(person: Person, limit: int = 4) -> list[Article]:
    return list(published().about_person(person)[:limit])


def section_articles(section: Section) -> Any:
    return published().filter(section=section)


def author_articles(author: Author) -> Any:
    return published().filter(authors=author)


@dataclass
class WatchOption:
    provider: Provider
    monetization: str
    label: str
    price: Any = None
    currency: str = ""
    url: str = ""


@dataclass
class TitleWatch:
    title: Title
    season_label: str = ""
    options: list[WatchOption] = field(default_factory=list)


WATCH_BOX_TITLES = 4


def where_to_watch(
    article: Article, region: str, at: dt.datetime | None = None, profile: Any = None
) -> list[TitleWatch]:
    """For each title the article links (the first four), the ways to watch it in ``region``
    now, cheapest kind first, from the streaming app's ``where_to_watch`` (which knows plans
    and the reader's services)."""
    links = list(article.title_links.all())[:WATCH_BOX_TITLES]
    at = at or timezone.now()
    result = []
    for link in links:
        answer = streaming_queries.where_to_watch(link.title, region, at, profile=profile)
        options = [
            WatchOption(
                provider=o.provider,
                monetization=str(o.monetization),
                label=o.monetization.label,
                price=o.price,
                currency=o.currency,
                url=o.url,
            )
            for o in answer.options
        ]
        result.append(TitleWatch(link.title, link.season.label if link.season_id else "", options))
    return result
