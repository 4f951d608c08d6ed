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


def check_limit(limit: int, most: int = MAX_LIMIT) -> int:
    """The limit itself, or a 400 that says the allowed range."""
    from telly.api.errors import ApiError

    if not 1 <= limit <= most:
        raise ApiError(400, "bad_limit", f"limit must be between 1 and {most}")
    return limit


def paginate(queryset: QuerySet[Any], limit: int, offset: int) -> dict[str, Any]:
    from telly.api.errors import ApiError

    check_limit(limit)
    if offset < 0 or offset > MAX_OFFSET:
        raise ApiError(400, "bad_offset", f"offset must be between 0 and {MAX_OFFSET}")
    return {
        "count": queryset.count(),
        "limit": limit,
        "offset": offset,
        "results": list(queryset[offset : offset + limit]),
    }
