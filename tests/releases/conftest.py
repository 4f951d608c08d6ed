"""Series with season histories written here (never read from ../shared/data)."""

from __future__ import annotations

import datetime as dt

import pytest

from telly.catalog.models import Genre, Season, SeriesStatus, Title, TitleKind
from telly.releases.history import forget_fit


@pytest.fixture(autouse=True)
def _fresh_fit() -> None:
    forget_fit()


def make_series(
    name: str, premieres: list[dt.date], status: str = SeriesStatus.RETURNING, **fields: object
) -> Title:
    title = Title.objects.create(
        kind=TitleKind.SERIES,
        name=name,
        year=premieres[0].year if premieres else None,
        status=status,
        **fields,
    )
    for number, premiere in enumerate(premieres, start=1):
        Season.objects.create(
            title=title, number=number, premiere=premiere, finale=premiere + dt.timedelta(days=56)
        )
    return title


@pytest.fixture
def autumn_show(db: None) -> Title:
    """Returns every late September, on a channel, in the drama genre."""
    title = make_series(
        "Autumn Show",
        [dt.date(2019, 9, 24), dt.date(2020, 9, 22), dt.date(2021, 9, 21), dt.date(2022, 9, 27)],
        network="BBC One",
    )
    title.genres.set(Genre.for_names(["Drama"]))
    return title
