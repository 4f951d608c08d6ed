"""The magazine's pages: the front, sections, articles, authors, tags, the podcast, the staff
preview and the promo click counter."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from telly.catalog.models import Title
from telly.editorial import csp, jsonld, queries
from telly.editorial.models import Article, ArticleKind, Author, Promo, PromoClick, Section, Tag
from telly.editorial.text import embed_for, render_body

PER_PAGE = 20


def _page(request: HttpRequest, articles: QuerySet[Article]) -> Page:
    return Paginator(articles, PER_PAGE).get_page(request.GET.get("page"))


@csp.protected
def index(request: HttpRequest) -> HttpResponse:
    articles = list(queries.published()[:13])
    context = {
        "lead": articles[0] if articles else None,
        "articles": articles[1:],
        "sections": Section.objects.all(),
        "reviews": list(queries.published().filter(kind=ArticleKind.REVIEW)[:4]),
    }
    return render(request, "editorial/index.html", context)


@csp.protected
def section_detail(request: HttpRequest, section_slug: str) -> HttpResponse:
    section = get_object_or_404(Section, slug=section_slug)
    context = {
        "section": section,
        "page": _page(request, queries.section_articles(section)),
        "sections": Section.objects.all(),
    }
    return render(request, "editorial/section.html", context)


@csp.protected
def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author, slug=slug)
    return render(
        request,
        "editorial/author.html",
        {"author": author, "page": _page(request, queries.author_articles(author))},
    )


@csp.protected
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    return render(
        request,
        "editorial/tag.html",
        {"tag": tag, "page": _page(request, queries.published().filter(tags=tag))},
    )


@csp.protected
def title_coverage(request: HttpRequest, title_slug: str) -> HttpResponse:
    """Every published article about one show or film."""
    title = get_object_or_404(Title, slug=title_slug)
    articles = queries.published().about_title(title)
    return render(
        request, "editorial/title_coverage.html", {"title": title, "page": _page(request, articles)}
    )


@csp.protected
def podcast(request: HttpRequest) -> HttpResponse:
    episodes = queries.published().filter(kind=ArticleKind.PODCAST)
    return render(request, "editorial/podcast.html", {"page": _page(request, episodes)})


WATCH_BOX_SECONDS = 300


def _watch_box(request: HttpRequest, article: Article) -> list[queries.TitleWatch]:
    """The where-to-watch box. Shared by every visitor of a region for a few minutes (offers
    change daily at most, and it is the page's costliest part); a visitor with a profile gets
    their own (their services first), never cached."""
    region = getattr(request, "region", settings.TELLY_DEFAULT_REGION)
    profile = getattr(request, "profile", None)
    if profile is not None:
        return queries.where_to_watch(article, region, profile=profile)
    key = f"editorial:watch:{article.pk}:{region}:{article.updated_at.timestamp()}"
    return cache.get_or_set(key, lambda: queries.where_to_watch(article, region), WATCH_BOX_SECONDS)


def _render_article(
    request: HttpRequest, article: Article, *, preview: bool = False
) -> HttpResponse:
    context = {
        "article": article,
        "body_html": render_body(article.body),
        "titles": list(article.title_links.all()),
        "where_to_watch": _watch_box(request, article),
        "more": queries.more_like_this(article),
        "jsonld": jsonld.script_tag(jsonld.for_article(article)),
        "canonical": jsonld.absolute(article.get_absolute_url()),
        "preview": preview,
        "embed": embed_for(article.video_url) if article.video_url else None,
    }
    response = render(request, "editorial/article.html", context)
    if preview:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    return response


@csp.protected
def article_detail(request: HttpRequest, section_slug: str, slug: str) -> HttpResponse:
    return _render_article(request, queries.article_for_page(section_slug, slug))


def article_by_id(request: HttpRequest, pk: int) -> HttpResponse:
    """A stable short address (the feeds' guid): sends readers to the article's page, which
    moves if its section or slug changes."""
    article = get_object_or_404(Article.objects.published().select_related("section"), pk=pk)
    return redirect(article, permanent=True)


@staff_member_required
@csp.protected
def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Any article as a reader would see it, drafts included: editors only."""
    article = get_object_or_404(Article.objects.select_related("section"), pk=pk)
    article = queries.article_for_page(article.section.slug, article.slug, include_unpublished=True)
    return _render_article(request, article, preview=True)


@require_GET
def promo_click(request: HttpRequest, pk: int) -> HttpResponse:
    """Count a click on a promo, then send the reader where it points."""
    promo = get_object_or_404(Promo, pk=pk)
    target = promo.url
    safe_target = target.startswith("https://") or url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    )
    if not safe_target:
        target = "/"
    if promo in Promo.objects.live(promo.placement):
        referer = request.headers.get("Referer", "")
        page = urlsplit(referer).path.replace("\x00", "")[:300] if referer else ""
        Promo.objects.filter(pk=promo.pk).update(clicks=F("clicks") + 1)
        PromoClick.objects.create(promo=promo, page=page, at=timezone.now())
    response = HttpResponseRedirect(target)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
