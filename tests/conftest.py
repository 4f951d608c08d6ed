"""Shared fixtures: a small catalogue built in code, the fixed cast of users, query counting.

Tests never read ../shared/data (that is the conformance suite's job) and never reach the
network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from telly.catalog.models import (
    Credit,
    CreditRole,
    Episode,
    ExternalId,
    Genre,
    Person,
    Season,
    Title,
    TitleKind,
)


@pytest.fixture
def heartstopper(db: None) -> Title:
    """Heartstopper with two seasons, a few episodes and four cast members with characters."""
    drama, romance = Genre.for_names(["Drama", "Romance"])
    title = Title.objects.create(
        kind=TitleKind.SERIES,
        name="Heartstopper",
        year=2022,
        popularity=56.4,
        countries=["GB"],
        certification="TV-14",
        runtime=29,
    )
    title.genres.set([drama, romance])
    ExternalId.objects.create(scheme="imdb", value="tt10638036", title=title)
    ExternalId.objects.create(scheme="justwatch", value="ts217231", title=title)
    for number, premiere in ((1, dt.date(2022, 4, 22)), (2, dt.date(2023, 8, 3))):
        season = Season.objects.create(
            title=title, number=number, premiere=premiere, episode_count=8
        )
        for ep in (1, 2):
            Episode.objects.create(
                title=title,
                season=season,
                season_number=number,
                number=ep,
                name=f"Episode {ep}",
                air_at=dt.datetime.combine(premiere, dt.time(8), tzinfo=dt.UTC),
            )
    for order, (name, character) in enumerate(
        [
            ("Joe Locke", "Charlie Spring"),
            ("Kit Connor", "Nick Nelson"),
            ("Yasmin Finney", "Elle Argent"),
            ("William Gao", "Tao Xu"),
        ]
    ):
        person = Person.objects.create(name=name)
        Credit.objects.create(
            title=title, person=person, role=CreditRole.CAST, character=character, order=order
        )
    return title


@pytest.fixture
def catalogue(heartstopper: Title) -> list[Title]:
    """Heartstopper plus thirty more titles of both kinds across years and genres."""
    comedy = Genre.for_names(["Comedy"])[0]
    titles = [heartstopper]
    for i in range(30):
        kind = TitleKind.FILM if i % 3 == 0 else TitleKind.SERIES
        title = Title.objects.create(
            kind=kind, name=f"Sample {kind.label} {i}", year=1990 + i, popularity=float(i)
        )
        if i % 2:
            title.genres.add(comedy)
        titles.append(title)
    return titles


@pytest.fixture
def owner(db: None):
    return get_user_model().objects.create_user(
        "owner", "owner@example.org", "correct horse battery"
    )


@pytest.fixture
def friend(db: None):
    return get_user_model().objects.create_user(
        "friend", "friend@example.org", "correct horse battery"
    )


@pytest.fixture
def stranger(db: None):
    return get_user_model().objects.create_user(
        "stranger", "stranger@example.org", "correct horse battery"
    )


@pytest.fixture
def editor(db: None):
    return get_user_model().objects.create_superuser(
        "editor", "editor@example.org", "correct horse battery"
    )


@pytest.fixture
def count_queries() -> Iterator[CaptureQueriesContext]:
    """``with count_queries as q: ...; assert len(q) <= 10``"""
    yield CaptureQueriesContext(connection)
