"""Limit/offset pages for list endpoints: ``{"count": n, "limit": l, "offset": o, "results": [...]}``."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from ninja import Schema

T = TypeVar("T")

MAX_LIMIT = 100


class Page(Schema, Generic[T]):  # noqa: UP046 (pydantic generic model)
    count: int
    limit: int
    offset: int
    results: list[T]


def paginate(queryset: QuerySet[Any], limit: int, offset: int) -> dict[str, Any]:
    from telly.api.errors import ApiError

    if limit < 1 or limit > MAX_LIMIT:
        raise ApiError(400, "bad_limit", f"limit must be between 1 and {MAX_LIMIT}")
    if offset < 0:
        raise ApiError(400, "bad_offset", "offset must be 0 or more")
    return {
        "count": queryset.count(),
        "limit": limit,
        "offset": offset,
        "results": list(queryset[offset : offset + limit]),
    }
