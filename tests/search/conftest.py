"""A small catalogue that exercises every kind of forgiveness, and a fresh index per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from telly.catalog.models import Credit, CreditRole, Genre, Person, Title, TitleKind
from telly.search import live
from telly.streaming.models import Provider


@pytest.fixture(autouse=True)
def fresh_index(settings, tmp_path) -> Iterator[None]:
    """Each test builds its own index from its own rows, saved under its own directory."""
    settings.TELLY_SEARCH_DIR = tmp_path / "search"
    live.forget()
    yield
    live.forget()


def make_title(
    name: str,
    kind: str = TitleKind.SERIES,
    year: int | None = 2000,
    popularity: float = 1.0,
    genres: tuple[str, ...] = (),
    **extra,
) -> Title:
    title = Title.objects.create(kind=kind, name=name, year=year, popularity=popularity, **extra)
    if genres:
        title.genres.set(Genre.for_names(list(genres)))
    return title


def cast(title: Title, person: str, character: str, order: int = 0) -> Credit:
    actor = Person.objects.filter(name=person).first() or Person.objects.create(name=person)
    return Credit.objects.create(
        title=title, person=actor, role=CreditRole.CAST, character=character, order=order
    )


@pytest.fixture
def guide(heartstopper: Title) -> dict[str, Title]:
    """Heartstopper (with its cast) plus titles chosen to tell good search from bad."""
    titles = {
        "heartstopper": heartstopper,
        "crown": make_title("The Crown", year=2016, popularity=80.0, genres=("Drama", "History")),
        "crown_jewels": make_title(
            "The Crown Jewels", kind=TitleKind.FILM, year=1999, popularity=95.0
        ),
        "amelie": make_title(
            "Amélie", kind=TitleKind.FILM, year=2001, popularity=40.0, genres=("Comedy", "Romance")
        ),
        "greys": make_title("Grey's Anatomy", year=2005, popularity=60.0, genres=("Drama",)),
        "stranger": make_title(
            "Stranger Things", year=2016, popularity=90.0, genres=("Drama", "Sci-Fi")
        ),
        "strange": make_title("Doctor Strange", kind=TitleKind.FILM, year=2016, popularity=50.0),
        "office": make_title("The Office", year=2005, popularity=70.0, genres=("Comedy",)),
        "office_uk": make_title(
            "The Office",
            year=2001,
            popularity=30.0,
            genres=("Comedy",),
            original_name="The Office (UK)",
        ),
        "tokyo": make_title(
            "東京物語", kind=TitleKind.FILM, year=1953, popularity=10.0, original_name="Tokyo Story"
        ),
    }
    cast(titles["crown"], "Claire Foy", "Queen Elizabeth II")
    cast(titles["crown"], "Olivia Colman", "Queen Elizabeth II", order=1)
    cast(titles["office"], "Steve Carell", "Michael Scott")
    Provider.objects.create(name="Netflix", slug="netflix", aliases=["Netflix UK"])
    Provider.objects.create(name="BBC iPlayer", slug="bbc-iplayer", kind="free")
    return titles
