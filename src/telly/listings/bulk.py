"""Writing many airings fast: one prepared ``INSERT`` run with ``executemany``.

An XMLTV fortnight for 500 channels is 218k airings; building a model instance for each and
going through ``bulk_create`` costs more than parsing the file. Two ways in:

- ``insert_airings(rows)``: plain dicts of field attnames (``channel_id``, ``start``...);
  missing fields take their defaults; values are adapted per field type the way the ORM would
  (datetimes for the backend, JSON encoded).
- ``AiringWriter(columns)``: for importers that build rows themselves, tuples in the order of
  ``columns`` (every column of the table but the id), with datetimes and JSON already adapted
  by ``writer.datetime(...)`` and ``writer.json(...)``, which remember the values they have
  seen (a fortnight of listings repeats the same few thousand instants and category lists).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection

from telly.listings.models import Airing

BATCH = 2000
_CACHE_LIMIT = 1 << 16


class AiringWriter:
    def __init__(self, columns: Sequence[str] | None = None) -> None:
        fields = {f.attname: f for f in Airing._meta.concrete_fields if not f.primary_key}
        self.columns = tuple(columns or fields)
        missing = set(fields) - set(self.columns)
        unknown = set(self.columns) - set(fields)
        if missing or unknown:
            raise ValueError(
                f"airing columns: missing {sorted(missing)}, unknown {sorted(unknown)}"
            )
        quote = connection.ops.quote_name
        names = ", ".join(quote(fields[c].column) for c in self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        self.sql = f"INSERT INTO {quote(Airing._meta.db_table)} ({names}) VALUES ({marks})"
        self._fields = [fields[c] for c in self.columns]
        self._datetimes: dict[dt.datetime, Any] = {}
        self._json: dict[tuple[str, ...], Any] = {}
        if connection.vendor == "sqlite":
            # What Django's SQLite backend stores (naive UTC text), without its per-value checks.
            self._adapt_datetime: Callable[[dt.datetime], Any] = lambda value: (
                value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
            )
        else:
            self._adapt_datetime = connection.ops.adapt_datetimefield_value
        self._json_field = Airing._meta.get_field("categories")

    def datetime(self, value: dt.datetime | None) -> Any:
        if value is None:
            return None
        adapted = self._datetimes.get(value)
        if adapted is None:
            if len(self._datetimes) > _CACHE_LIMIT:
                self._datetimes.clear()
            adapted = self._datetimes[value] = self._adapt_datetime(value)
        return adapted

    def json(self, value: list[Any]) -> Any:
        """A JSON list column's value (``categories``, ``credits``)."""
        try:
            key = tuple(value)
            adapted = self._json.get(key)
        except TypeError:  # credits: a list of dicts
            return self._json_field.get_db_prep_save(value, connection)
        if adapted is None:
            if len(self._json) > _CACHE_LIMIT:
                self._json.clear()
            adapted = self._json[key] = self._json_field.get_db_prep_save(value, connection)
        return adapted

    def values(self, row: dict[str, Any]) -> list[Any]:
        """A dict of attnames as the tuple ``write`` takes: defaults filled in, values adapted."""
        values = []
        for field in self._fields:
            if field.attname in row:
                value = row[field.attname]
            else:
                value = field.get_default() if field.has_default() else None
            kind = field.get_internal_type()
            if kind == "DateTimeField":
                value = self.datetime(value)
            elif kind == "JSONField":
                value = self.json(value if value is not None else [])
            values.append(value)
        return values

    def write(self, rows: Iterable[Sequence[Any]]) -> int:
        """Insert adapted rows (inside the caller's transaction); how many were written."""
        if connection.vendor == "postgresql":
            return self._copy(rows)
        written = 0
        batch: list[Sequence[Any]] = []
        with connection.cursor() as cursor:
            for row in rows:
                batch.append(row)
                if len(batch) >= BATCH:
                    cursor.executemany(self.sql, batch)
                    written += len(batch)
                    batch = []
            if batch:
                cursor.executemany(self.sql, batch)
                written += len(batch)
        return written

    def _copy(self, rows: Iterable[Sequence[Any]]) -> int:
        """PostgreSQL: ``COPY ... FROM STDIN``, several times faster than many INSERTs."""
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in self._fields)
        written = 0
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {quote(Airing._meta.db_table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
        return written


def insert_airings(rows: Iterable[dict[str, Any]]) -> int:
    """Insert the rows (inside the caller's transaction); how many were written."""
    writer = AiringWriter()
    return writer.write(writer.values(row) for row in rows)
