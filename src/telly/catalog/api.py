from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from telly.api.errors import ERRORS, ApiError
from telly.api.pagination import Page, paginate
from telly.catalog import queries
from telly.catalog.models import Genre, Person, Title

router = Router(tags=["catalogue"])


class GenreOut(Schema):
    name: str
    slug: str


class GenreCountOut(GenreOut):
    title_count: int


class ExternalIdOut(Schema):
    scheme: str
    value: str


class TitleSummary(Schema):
    id: int
    slug: str
    kind: str
    name: str
    year: int | None
    end_year: int | None
    popularity: float
    rating: float | None
    url: str

    @staticmethod
    def resolve_url(obj: Title | dict) -> str:
        return obj["url"] if isinstance(obj, dict) else obj.get_absolute_url()


class SeasonOut(Schema):
    number: int
    name: str
    premiere: dt.date | None
    finale: dt.date | None
    episode_count: int | None


class EpisodeOut(Schema):
    season_number: int | None
    number: int | None
    name: str
    air_at: dt.datetime | None
    air_precision: str
    runtime: int | None


class CastOut(Schema):
    person_id: int
    person_slug: str
    name: str
    characters: list[str]
    episode_count: int | None


class CrewOut(Schema):
    person_id: int
    person_slug: str
    name: str
    job: str


class TitleDetail(TitleSummary):
    original_name: str
    status: str
    runtime: int | None
    certification: str
    countries: list[str]
    languages: list[str]
    network: str
    genres: list[GenreOut]
    external_ids: list[ExternalIdOut]
    seasons: list[SeasonOut]
    episodes: list[EpisodeOut]
    cast: list[CastOut]
    crew: list[CrewOut]


class PersonSummary(Schema):
    id: int
    slug: str
    name: str
    birth_year: int | None
    url: str

    @staticmethod
    def resolve_url(obj: Person | dict) -> str:
        return obj["url"] if isinstance(obj, dict) else obj.get_absolute_url()


class PersonCreditOut(Schema):
    title: TitleSummary
    role: str
    character: str
    job: str


class PersonDetail(PersonSummary):
    death_year: int | None
    known_for: str
    external_ids: list[ExternalIdOut]
    credits: list[PersonCreditOut]


class TitleFilters(Schema):
    kind: Literal["series", "film", "miniseries", "special"] | None = None
    genre: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    q: str | None = None
    order: Literal["popular", "newest", "name", "rating"] = "popular"
    limit: int = 20
    offset: int = 0


@router.get("/titles", response={200: Page[TitleSummary], **ERRORS}, summary="List titles")
def list_titles(request: HttpRequest, filters: Query[TitleFilters]) -> dict:
    if filters.genre and not Genre.objects.filter(slug=filters.genre).exists():
        raise ApiError(
            400, "unknown_genre", f"No genre with slug {filters.genre!r}; see /api/v1/genres."
        )
    titles = queries.filter_titles(
        kind=filters.kind,
        genre=filters.genre,
        year_from=filters.year_from,
        year_to=filters.year_to,
        q=filters.q,
        order=filters.order,
    )
    return paginate(titles, filters.limit, filters.offset)


def title_summary(title: Title) -> dict:
    """The summary fields of a title, for endpoints that assemble a dict around it."""
    return {
        "id": title.pk,
        "slug": title.slug,
        "kind": title.kind,
        "name": title.name,
        "year": title.year,
        "end_year": title.end_year,
        "popularity": title.popularity,
        "rating": float(title.rating) if title.rating is not None else None,
        "url": title.get_absolute_url(),
    }


def _title(key: str) -> Title:
    if key.isdecimal() and len(key) < 19:
        return queries.title_for_page(pk=int(key))
    return queries.title_for_page(slug=key)


@router.get(
    "/titles/{key}", response={200: TitleDetail, **ERRORS}, summary="One title by id or slug"
)
def get_title(request: HttpRequest, key: str) -> dict:
    title = _title(key)
    cast = [
        {
            "person_id": m.person.pk,
            "person_slug": m.person.slug,
            "name": m.person.name,
            "characters": m.characters,
            "episode_count": m.episode_count,
        }
        for m in queries.cast_of(title)
    ]
    crew = [
        {
            "person_id": c.person.pk,
            "person_slug": c.person.slug,
            "name": c.person.name,
            "job": c.job,
        }
        for c in queries.crew_of(title)
    ]
    episodes = [e for season in queries.episodes_by_season(title).values() for e in season]
    return {
        **title_summary(title),
        "original_name": title.original_name,
        "status": title.status,
        "runtime": title.runtime,
        "certification": title.certification,
        "countries": title.countries,
        "languages": title.languages,
        "network": title.network,
        "genres": list(title.genres.all()),
        "external_ids": list(title.external_ids.all()),
        "seasons": list(title.seasons.all()),
        "episodes": episodes,
        "cast": cast,
        "crew": crew,
    }


@router.get("/people", response={200: Page[PersonSummary], **ERRORS}, summary="List people")
def list_people(
    request: HttpRequest, q: str | None = None, limit: int = 20, offset: int = 0
) -> dict:
    people = Person.objects.order_by("-popularity", "name", "id")
    if q:
        people = people.filter(name__icontains=q)
    return paginate(people, limit, offset)


@router.get(
    "/people/{key}", response={200: PersonDetail, **ERRORS}, summary="One person by id or slug"
)
def get_person(request: HttpRequest, key: str) -> dict:
    lookup = {"pk": int(key)} if key.isdecimal() and len(key) < 19 else {"slug": key}
    person = get_object_or_404(Person.objects.prefetch_related("external_ids"), **lookup)
    return {
        "id": person.pk,
        "slug": person.slug,
        "name": person.name,
        "birth_year": person.birth_year,
        "url": person.get_absolute_url(),
        "death_year": person.death_year,
        "known_for": person.known_for,
        "external_ids": list(person.external_ids.all()),
        "credits": queries.credits_of_person(person),
    }


@router.get(
    "/genres", response={200: list[GenreCountOut], **ERRORS}, summary="Genres with title counts"
)
def list_genres(request: HttpRequest) -> list:
    return list(queries.genres_with_counts())
