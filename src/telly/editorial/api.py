"""``/api/v1/articles``: published articles, filtered by section, title, person and kind."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from telly.api.errors import ERRORS, ApiError
from telly.api.pagination import Page, paginate
from telly.catalog.models import Person, Title
from telly.editorial import queries
from telly.editorial.jsonld import absolute
from telly.editorial.models import Article, ArticleTitle, Section
from telly.editorial.text import render_body

router = Router(tags=["editorial"])

MAX_OFFSET = 1_000_000
_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,200}$")

Kind = Literal["news", "review", "feature", "list", "podcast"]


class SectionOut(Schema):
    name: str
    slug: str


class AuthorOut(Schema):
    name: str
    slug: str


class LinkedTitleOut(Schema):
    id: int
    slug: str
    name: str
    season: int | None


class LinkedPersonOut(Schema):
    id: int
    slug: str
    name: str


class LinkedProviderOut(Schema):
    slug: str
    name: str


class ArticleSummary(Schema):
    id: int
    slug: str
    kind: str
    headline: str
    standfirst: str
    section: SectionOut
    authors: list[AuthorOut]
    published_at: dt.datetime
    url: str
    rating: int | None
    verdict: str

    @staticmethod
    def resolve_url(obj: Article | dict) -> str:
        return obj["url"] if isinstance(obj, dict) else absolute(obj.get_absolute_url())

    @staticmethod
    def resolve_authors(obj: Article | dict) -> list[dict[str, str]]:
        if isinstance(obj, dict):
            return obj["authors"]
        return [{"name": a.name, "slug": a.slug} for a in obj.authors.all()]


class PodcastOut(Schema):
    audio_url: str
    audio_type: str
    audio_size: int | None
    duration_seconds: int | None
    episode_number: int | None


class ArticleDetail(ArticleSummary):
    updated_at: dt.datetime
    body_markdown: str
    body_html: str
    lead_image_url: str
    lead_image_alt: str
    lead_image_credit: str
    video_url: str
    tags: list[str]
    titles: list[LinkedTitleOut]
    people: list[LinkedPersonOut]
    providers: list[LinkedProviderOut]
    podcast: PodcastOut | None


def _detail(article: Article) -> dict:
    links: list[ArticleTitle] = list(article.title_links.all())
    return {
        **{
            name: getattr(article, name)
            for name in (
                "id",
                "slug",
                "kind",
                "headline",
                "standfirst",
                "published_at",
                "rating",
                "verdict",
                "updated_at",
                "lead_image_url",
                "lead_image_alt",
                "lead_image_credit",
                "video_url",
            )
        },
        "section": article.section,
        "authors": [{"name": a.name, "slug": a.slug} for a in article.authors.all()],
        "url": absolute(article.get_absolute_url()),
        "body_markdown": article.body,
        "body_html": str(render_body(article.body)),
        "tags": [t.name for t in article.tags.all()],
        "titles": [
            {
                "id": link.title_id,
                "slug": link.title.slug,
                "name": link.title.name,
                "season": link.season.number if link.season_id else None,
            }
            for link in links
        ],
        "people": [{"id": p.pk, "slug": p.slug, "name": p.name} for p in article.people.all()],
        "providers": [{"slug": p.slug, "name": p.name} for p in article.providers.all()],
        "podcast": {
            "audio_url": article.audio_url,
            "audio_type": article.audio_type,
            "audio_size": article.audio_size,
            "duration_seconds": article.duration,
            "episode_number": article.episode_number,
        }
        if article.kind == "podcast"
        else None,
    }


class ArticleFilters(Schema):
    section: str | None = None
    title: str | None = None
    person: str | None = None
    kind: Kind | None = None
    limit: int = 20
    offset: int = 0


def _lookup(model: type[Title] | type[Person], key: str, what: str) -> int:
    """The id of a title or person given its slug or id; 404 in the API's shape if unknown."""
    key = key.strip()
    if not _SLUG.match(key):  # NUL bytes and the like never reach the database
        raise ApiError(404, f"unknown_{what}", f"No {what} {key!r}.")
    if key.isdecimal():  # an id; one beyond a 64-bit integer cannot exist (and would overflow)
        found = model.objects.filter(pk=int(key)) if len(key) <= 18 else model.objects.none()
    else:
        found = model.objects.filter(slug=key)
    pk = found.values_list("pk", flat=True).first()
    if pk is None:
        raise ApiError(404, f"unknown_{what}", f"No {what} {key!r}.")
    return pk


@router.get(
    "/articles",
    response={200: Page[ArticleSummary], **ERRORS},
    summary="Published articles, newest first",
)
def list_articles(request: HttpRequest, filters: Query[ArticleFilters]) -> dict:
    """Filter by ``section`` (slug), ``title`` and ``person`` (slug or id), ``kind``."""
    if filters.offset > MAX_OFFSET:
        raise ApiError(400, "bad_offset", f"offset must be at most {MAX_OFFSET}")
    articles = queries.published()
    if filters.section:
        wanted = filters.section.strip()
        section = Section.objects.filter(slug=wanted).first() if _SLUG.match(wanted) else None
        if section is None:
            raise ApiError(404, "unknown_section", f"No section {filters.section!r}.")
        articles = articles.filter(section=section)
    if filters.title:
        articles = articles.about_title(_lookup(Title, filters.title, "title"))
    if filters.person:
        articles = articles.about_person(_lookup(Person, filters.person, "person"))
    if filters.kind:
        articles = articles.filter(kind=filters.kind)
    return paginate(articles, filters.limit, filters.offset)


@router.get(
    "/articles/{slug}", response={200: ArticleDetail, **ERRORS}, summary="One published article"
)
def get_article(request: HttpRequest, slug: str) -> dict:
    if not _SLUG.match(slug):
        raise ApiError(404, "not_found", f"No published article {slug!r}.")
    article = (
        queries.published()
        .filter(slug=slug)
        .prefetch_related(
            "tags", "people", "providers", "title_links__title", "title_links__season"
        )
        .first()
    )
    if article is None:
        raise ApiError(404, "not_found", f"No published article {slug!r}.")
    return _detail(article)
