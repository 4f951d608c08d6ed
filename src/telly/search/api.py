"""``GET /api/v1/search``: the same results as the search page, as JSON."""

from __future__ import annotations

from typing import Literal

import pycountry
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from telly.api.errors import ERRORS, ApiError
from telly.search.query import search as run_search

router = Router(tags=["search"])

Kind = Literal["title", "series", "film", "person", "character", "channel", "provider"]


class SearchParams(Schema):
    q: str = Field(..., max_length=200, description="What to look for; typos are fine")
    kind: Kind | None = Field(None, description="Only this kind of result")
    limit: int = Field(10, ge=1, le=100)
    genre: str | None = Field(None, max_length=60, description="Genre slug (titles only)")
    year_from: int | None = Field(None, ge=1870, le=2100)
    year_to: int | None = Field(None, ge=1870, le=2100)
    provider: str | None = Field(
        None, max_length=120, description="Provider slug: available now in region"
    )
    region: str | None = Field(
        None, max_length=2, description="ISO 3166-1 code for provider and on_tv"
    )
    on_tv: bool = Field(False, description="Airs on TV in the next seven days")


class SearchHit(Schema):
    kind: str
    id: int
    name: str
    label: str
    detail: str
    url: str
    score: float
    title_id: int | None
    person_id: int | None
    year: int | None


class SearchOut(Schema):
    query: str
    count: int
    results: list[SearchHit]


@router.get(
    "/search",
    response={200: SearchOut, **ERRORS},
    summary="Search titles, people, characters, channels and providers",
)
def search(request: HttpRequest, params: Query[SearchParams]) -> SearchOut:
    region = None
    if params.region:
        region = params.region.upper()
        if (
            not params.region.isalpha()
            or len(region) != 2
            or not pycountry.countries.get(alpha_2=region)
        ):
            raise ApiError(
                400,
                "bad_region",
                f"Unknown region {params.region!r}: use an ISO 3166-1 code such as GB.",
            )
    if params.year_from and params.year_to and params.year_from > params.year_to:
        raise ApiError(400, "bad_years", "year_from must not be after year_to.")
    found = run_search(
        params.q,
        params.kind,
        params.limit,
        genre=params.genre,
        year_from=params.year_from,
        year_to=params.year_to,
        provider=params.provider,
        region=region or getattr(request, "region", None),
        on_tv=params.on_tv,
    )
    return SearchOut(
        query=params.q, count=len(found), results=[SearchHit(**vars(r)) for r in found]
    )
