"""Writing many airings fast: one prepared ``INSERT`` run with ``executemany``.

An XMLTV fortnight for 500 channels is 218k airings; building a model instance for each and
going through ``bulk_create`` costs more than parsing the file. Rows here are plain dicts of
field attnames (``channel_id``, ``start``...); missing fields take their defaults; values are
adapted per field type the way the ORM would (datetimes for the backend, JSON encoded).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection

from telly.listings.models import Airing

BATCH = 2000


def _datetime_adapter() -> Callable[[Any], Any]:
    if connection.vendor == "sqlite":
        # What Django's SQLite backend stores (naive UTC text), without its per-value checks.
        return lambda value: value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    return connection.ops.adapt_datetimefield_value


def _json_adapter(field: Any) -> Callable[[Any], Any]:
    empty = field.get_db_prep_save([], connection)

    def adapt(value: Any) -> Any:
        # Most airings have no credits and many no categories: adapt the empty list once.
        return empty if value == [] else field.get_db_prep_save(value, connection)

    return adapt


def _plan() -> tuple[str, list[tuple[str, Callable[[Any], Any] | None, Any]]]:
    fields = [f for f in Airing._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"INSERT INTO {quote(Airing._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    plan = []
    for field in fields:
        kind = field.get_internal_type()
        adapt: Callable[[Any], Any] | None = None
        if kind == "DateTimeField":
            adapt = _datetime_adapter()
        elif kind == "JSONField":
            adapt = _json_adapter(field)
        default = field.get_default() if field.has_default() else None
        plan.append((field.attname, adapt, default))
    return sql, plan


def insert_airings(rows: Iterable[dict[str, Any]]) -> int:
    """Insert the rows (inside the caller's transaction); how many were written."""
    sql, plan = _plan()
    written = 0
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            values = []
            for attname, adapt, default in plan:
                value = row.get(attname, default)
                if callable(value):
                    value = value()
                values.append(adapt(value) if adapt is not None and value is not None else value)
            batch.append(values)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written
