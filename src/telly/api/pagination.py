"""Limit/offset pages for list endpoints: ``{"count": n, "limit": l, "offset": o, "results": [...]}``."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from ninja import Schema

T = TypeVar("T")

MAX_LIMIT = 100
MAX_OFFSET = 10_000_000  # beyond any catalogue; a larger one overflows SQLite's integer


class Page(Schema, Generic[T]):  # noqa: UP046 (pydantic generic model)
    count: int
    limit: int
    offset: int
    results: list[T]


def paginate(queryset: QuerySet[Any], limit: int, offset: int) -> dict[str, Any]:
    from telly.api.errors import ApiError

    if limit < 1 or limit > MAX_LIMIT:
        raise ApiError(400, "bad_limit", f"limit must be between 1 and {MAX_LIMIT}")
    if offset < 0 or offset > MAX_OFFSET:
        raise ApiError(400, "bad_offset", f"offset must be between 0 and {MAX_OFFSET}")
    return {
        "count": queryset.count(),
        "limit": limit,
        "offset": offset,
        "results": list(queryset[offset : offset + limit]),
    }
