"""``/sitemap.xml``: an index of sitemaps for the magazine (published articles, sections,
authors, tags) and the catalogue's public pages (titles, people). Unpublished articles never
appear: every article list reads ``Article.objects.published()``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from telly.catalog.models import Person, Title
from telly.editorial.models import Article, ArticleState, Author, Section, Tag


def _published_filter(prefix: str) -> Q:
    return Q(
        **{f"{prefix}state": ArticleState.PUBLISHED, f"{prefix}published_at__lte": timezone.now()}
    )


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 10000

    def items(self) -> Any:
        return Article.objects.published().select_related("section").order_by("-published_at", "pk")

    def lastmod(self, article: Article) -> dt.datetime | None:
        return max(filter(None, [article.updated_at, article.published_at]), default=None)


class SectionSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self) -> Any:
        return Section.objects.annotate(
            newest=Max("articles__published_at", filter=_published_filter("articles__"))
        ).order_by("order", "pk")

    def lastmod(self, section: Any) -> dt.datetime | None:
        return section.newest


class AuthorSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self) -> Any:
        return Author.objects.filter(_published_filter("articles__")).distinct().order_by("pk")


class TagSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.3

    def items(self) -> Any:
        return Tag.objects.filter(_published_filter("articles__")).distinct().order_by("pk")


class TitleCoverageSitemap(Sitemap):
    """``/news/titles/<slug>/`` for every title with a published article."""

    changefreq = "weekly"
    priority = 0.5

    def items(self) -> Any:
        return (
            Title.objects.filter(_published_filter("article_links__article__"))
            .distinct()
            .order_by("pk")
            .only("pk", "slug")
        )

    def location(self, title: Title) -> str:
        return reverse("editorial:title", args=[title.slug])


class TitleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7
    limit = 20000

    def items(self) -> Any:
        return Title.objects.order_by("pk").only("pk", "slug", "kind", "updated_at")

    def lastmod(self, title: Title) -> dt.datetime:
        return title.updated_at


class PersonSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4
    limit = 20000

    def items(self) -> Any:
        return Person.objects.order_by("pk").only("pk", "slug", "updated_at")

    def lastmod(self, person: Person) -> dt.datetime:
        return person.updated_at


SITEMAPS: dict[str, type[Sitemap]] = {
    "news": ArticleSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
    "tags": TagSitemap,
    "coverage": TitleCoverageSitemap,
    "titles": TitleSitemap,
    "people": PersonSitemap,
}
