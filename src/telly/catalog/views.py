from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from telly.catalog import queries
from telly.catalog.models import Genre, Person, Title, TitleKind
from telly.catalog.panels import person_panels, title_panels

EPISODIC: list[str] = [TitleKind.SERIES, TitleKind.MINISERIES]
NON_EPISODIC: list[str] = [TitleKind.FILM, TitleKind.SPECIAL]


def _title_page(request: HttpRequest, slug: str, kinds: list[str]) -> HttpResponse:
    title = queries.title_for_page(slug=slug)
    if title.kind not in kinds:
        return redirect(title, permanent=True)
    context = {
        "title": title,
        "seasons": list(title.seasons.all()),
        "episodes": queries.episodes_by_season(title) if title.is_episodic else {},
        "cast": queries.cast_of(title),
        "crew": queries.crew_of(title),
        "panels": title_panels.render(request, title),
    }
    return render(request, "catalog/title_detail.html", context)


def show_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _title_page(request, slug, EPISODIC)


def film_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _title_page(request, slug, NON_EPISODIC)


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person.objects.prefetch_related("external_ids"), slug=slug)
    credits = queries.credits_of_person(person)
    context = {
        "person": person,
        "cast_credits": [c for c in credits if c.role == "cast"],
        "crew_credits": [c for c in credits if c.role == "crew"],
        "panels": person_panels.render(request, person),
    }
    return render(request, "catalog/person_detail.html", context)


def _int_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdecimal() or len(raw) > 4:
        raise Http404(f"{name} must be a year")
    return int(raw)


def browse(
    request: HttpRequest, kind: str | None = None, genre_slug: str | None = None
) -> HttpResponse:
    genre = get_object_or_404(Genre, slug=genre_slug) if genre_slug else None
    order = request.GET.get("order", "popular")
    titles = queries.filter_titles(
        kind=kind or request.GET.get("kind") or None,
        genre=genre.slug if genre else None,
        year_from=_int_param(request, "from"),
        year_to=_int_param(request, "to"),
        order=order,
    ).prefetch_related("genres")
    page = Paginator(titles, 48).get_page(request.GET.get("page"))
    heading = (
        genre.name
        if genre
        else {"series": "TV shows", "film": "Films"}.get(kind or "", "Everything")
    )
    context = {
        "genre": genre,
        "kind": kind,
        "heading": heading,
        "page": page,
        "order": order,
        "genres": queries.genres_with_counts(),
    }
    return render(request, "catalog/browse.html", context)


def show_list(request: HttpRequest) -> HttpResponse:
    return browse(request, kind="series")


def film_list(request: HttpRequest) -> HttpResponse:
    return browse(request, kind="film")


def genre_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return browse(request, genre_slug=slug)


def genre_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/genre_list.html", {"genres": queries.genres_with_counts()})


def title_by_id(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect(get_object_or_404(Title, pk=pk))
