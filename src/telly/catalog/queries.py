"""Queries shared by the catalogue's pages and its JSON API (neither holds logic the other lacks)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from telly.catalog.models import (
    Credit,
    CreditRole,
    Episode,
    Genre,
    Person,
    Season,
    Title,
    TitleKind,
)


def title_for_page(**lookup: object) -> Title:
    """One title with everything its page shows, in a fixed number of queries."""
    queryset = Title.objects.prefetch_related(
        "genres",
        "external_ids",
        Prefetch("seasons", queryset=Season.objects.order_by("number")),
    )
    return get_object_or_404(queryset, **lookup)


def episodes_by_season(title: Title) -> dict[int | None, list[Episode]]:
    grouped: dict[int | None, list[Episode]] = {}
    for episode in title.episodes.order_by("season_number", "number"):
        grouped.setdefault(episode.season_number, []).append(episode)
    return grouped


@dataclass
class CastMember:
    person: Person
    characters: list[str]
    episode_count: int | None


def cast_of(title: Title, limit: int | None = None) -> list[CastMember]:
    """Cast in billing order, one entry per person with every character they play."""
    members: dict[int, CastMember] = {}
    credits = (
        Credit.objects.filter(title=title, role=CreditRole.CAST)
        .select_related("person")
        .order_by("order", "id")
    )
    for credit in credits:
        member = members.get(credit.person_id)
        if member is None:
            if limit is not None and len(members) >= limit:
                continue
            member = members[credit.person_id] = CastMember(credit.person, [], credit.episode_count)
        if credit.character and credit.character not in member.characters:
            member.characters.append(credit.character)
    return list(members.values())


def crew_of(title: Title) -> list[Credit]:
    return list(
        Credit.objects.filter(title=title, role=CreditRole.CREW)
        .select_related("person")
        .order_by("order", "id")
    )


def credits_of_person(person: Person) -> list[Credit]:
    return list(
        Credit.objects.filter(person=person)
        .select_related("title")
        .order_by("-title__year", "title__name", "order")
    )


def filter_titles(
    *,
    kind: str | None = None,
    genre: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    q: str | None = None,
    order: str = "popular",
) -> QuerySet[Title]:
    titles = Title.objects.all()
    if kind == "series":
        titles = titles.series()
    elif kind == "film":
        titles = titles.films()
    elif kind in TitleKind.values:
        titles = titles.filter(kind=kind)
    if genre:
        titles = titles.filter(genres__slug=genre)
    if year_from:
        titles = titles.filter(year__gte=year_from)
    if year_to:
        titles = titles.filter(year__lte=year_to)
    if q:
        titles = titles.filter(name__icontains=q)
    ordering = {
        "popular": ["-popularity", "name"],
        "newest": ["-year", "-popularity", "name"],
        "name": ["name", "year"],
        "rating": ["-rating", "-votes", "name"],
    }.get(order, ["-popularity", "name"])
    return titles.order_by(*ordering, "id")


def genres_with_counts() -> QuerySet[Genre]:
    return (
        Genre.objects.annotate(title_count=Count("titles"))
        .filter(title_count__gt=0)
        .order_by("name")
    )
