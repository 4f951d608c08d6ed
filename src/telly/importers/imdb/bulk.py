"""Batched writes of plain tuples, the fastest way each database takes them: ``executemany``
on SQLite, ``COPY`` on PostgreSQL. Column lists come from the models, so a field added later
gets its default instead of breaking the import."""

from __future__ import annotations

import contextlib
import json
import queue
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.db import IntegrityError, connection, models

BATCH = 5000
Fixed = tuple[tuple[str, Any], ...]
Job = tuple[Callable[[sqlite3.Connection], Any], Callable[[Any], None] | None]
SWITCH_INTERVAL = 0.0002  # seconds (see BulkWriter.in_background)


def sql_literal(value: Any) -> str | None:
    """A constant as SQLite reads it in a statement; None when it is not a plain constant."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return None


def provenance(model: type[models.Model], fields: Iterable[str], source: str, at: Any) -> Fixed:
    """The ``Sourced`` columns of the rows of ``model`` one run creates: each of ``fields``
    came from ``source``, seen at ``at`` (the run's instant). That is the same for every row,
    so it is kept once, in a ``Stamp``, and the rows only point to it: their own ``sources``
    and times stay empty (``Sourced.from_db`` reads them from the stamp)."""
    from telly.catalog.models import Stamp

    stamp = Stamp.for_rows(model, fields, source, at)
    return (
        ("sources", "{}"),
        ("seen_at", None),
        ("created_at", None),
        ("updated_at", None),
        ("stamp_id", stamp),
    )


def payload(rows: list[tuple]) -> str:
    """A batch as the one parameter of ``json_each``: compact, and without the encoder's
    check for containers that hold themselves (tuples of plain values cannot)."""
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"), check_circular=False)


class Background:
    """SQLite's side of a bulk load on a second core. Each batch goes to SQLite as one
    ``INSERT ... SELECT ... FROM json_each(?)`` statement run by a writer thread: while SQLite
    builds pages and B-trees the GIL is free, so the next rows are parsed at the same time.
    (``executemany`` cannot overlap: it takes the GIL back to bind every row.)

    The writer thread owns the connection while the load runs; every query Django makes on it
    meanwhile first waits until the queued statements are done (``sync``), so the two threads
    never use it at once. An error in the writer is raised in the loading thread at its next
    batch or wait, and the load's transaction then rolls back as it would have anyway."""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw
        self.jobs: queue.Queue[Job | None] = queue.Queue(maxsize=8)
        self.done: list[tuple[Callable[[Any], None], Any]] = []
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._work, name="telly-bulk-writer", daemon=True)
        self.thread.start()

    def _work(self) -> None:
        while True:
            job = self.jobs.get()
            try:
                if job is None:
                    return
                if self.error is None:
                    work, then = job
                    result = work(self.raw)
                    if then is not None:
                        self.done.append((then, result))
            except BaseException as exc:  # handed to the loading thread
                self.error = exc
            finally:
                self.jobs.task_done()

    def _raise(self) -> None:
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def submit(
        self,
        sql: str,
        params: tuple,
        then: Callable[[int], None] | None = None,
        unchecked: bool = False,
    ) -> None:
        """Queue a statement; ``then(rows it changed)`` runs in the loading thread later.
        ``unchecked``: the caller has made sure every row satisfies the table's CHECK
        constraints (see ``BulkWriter.checks_hold``), so SQLite does not test them per row."""

        def work(raw: sqlite3.Connection) -> int:
            before = raw.total_changes
            if not unchecked:
                raw.execute(sql, params)
                return raw.total_changes - before
            raw.execute("PRAGMA ignore_check_constraints = ON")
            try:
                raw.execute(sql, params)
            finally:
                raw.execute("PRAGMA ignore_check_constraints = OFF")
            return raw.total_changes - before

        self.call(work, then)

    def call(
        self, work: Callable[[sqlite3.Connection], Any], then: Callable[[Any], None] | None
    ) -> None:
        """Queue ``work(connection)``; ``then(its result)`` runs in the loading thread at the
        next ``sync``."""
        self._raise()
        self.jobs.put((work, then))

    def sync(self) -> None:
        """Wait until every queued statement ran; then report their results and errors."""
        self.jobs.join()
        done, self.done = self.done, []
        for then, changes in done:
            then(changes)
        self._raise()

    def stop(self) -> None:
        """End the thread. After an error elsewhere, the statements still queued are skipped."""
        if self.thread.is_alive():
            self.jobs.put(None)
            self.thread.join()


class BulkWriter:
    def __init__(self) -> None:
        self.vendor = connection.vendor
        self._columns: dict[type[models.Model], tuple[list[str], tuple[Any, ...]]] = {}
        self.background: Background | None = None

    @contextlib.contextmanager
    def in_background(self) -> Iterator[None]:
        """Run the SQLite side of the load on a writer thread (see ``Background``); nothing
        changes on other databases, or on an SQLite too old for ``->>`` (3.38)."""
        if self.vendor != "sqlite" or sqlite3.sqlite_version_info < (3, 38):
            yield
            return
        connection.ensure_connection()
        background = Background(connection.connection)

        def wait_first(execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
            background.sync()
            return execute(sql, params, many, context)

        self.background = background
        # The writer wants the GIL back after each statement; by default a busy parsing thread
        # keeps it for up to 5 ms first, which for short statements is longer than they took.
        switch = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        failed = True
        try:
            with connection.execute_wrapper(wait_first):
                yield
                background.sync()
            failed = False
        finally:
            self.background = None
            sys.setswitchinterval(switch)
            if failed:
                background.error = background.error or RuntimeError("load failed")
            background.stop()

    def sync(self) -> None:
        if self.background is not None:
            self.background.sync()

    def check_keys(self, tables: Sequence[str]) -> None:
        """Every foreign key of every row of ``tables``, one pass each (``PRAGMA
        foreign_key_check``), for an SQLite load that turned the per-row checks off. With a
        writer thread the check is queued behind the rows, so it runs while the next file is
        parsed. A broken key raises ``IntegrityError`` (in the loading thread, at the next
        ``sync``), and the load's transaction rolls back."""

        def work(raw: sqlite3.Connection) -> tuple | None:
            for table in tables:
                quoted = connection.ops.quote_name(table)
                broken = raw.execute(f"PRAGMA foreign_key_check({quoted})").fetchone()
                if broken is not None:
                    return tuple(broken)
            return None

        def then(broken: tuple | None) -> None:
            if broken is not None:
                table, rowid, parent, _ = broken
                raise IntegrityError(
                    f"foreign key check failed: row {rowid} of {table} names a row of {parent} "
                    "that is not there"
                )

        if self.background is not None:
            self.background.call(work, then)
            return
        connection.ensure_connection()
        then(work(connection.connection))

    def bigger_cache(self) -> int | None:
        """SQLite keeps 2 MB of pages by default: unique indexes over hundreds of thousands of
        slugs then read pages back from the OS on every insert. Give the load 256 MB."""
        if self.vendor != "sqlite":
            return None
        previous = self.select("PRAGMA cache_size")[0][0]
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
        return previous

    def restore_cache(self, previous: int | None) -> None:
        if previous is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(previous)}")

    def db_time(self, value: Any) -> Any:
        if self.vendor == "postgresql" and value is not None:
            # Text is what COPY sends anyway: adapting a datetime per row costs more than the row.
            return value.isoformat()
        return connection.ops.adapt_datetimefield_value(value)

    def columns(
        self, model: type[models.Model], given: Sequence[str], fixed: Fixed = ()
    ) -> tuple[list[str], tuple[Any, ...]]:
        """All concrete columns: ``given`` first, then the ``fixed`` ones (the same value in every
        row, e.g. the source and the run's time), then the rest with their field defaults. The
        values returned are those to add to each row: fixed values, then defaults."""
        key = (model, tuple(given), fixed)
        if key not in self._columns:  # type: ignore[comparison-overlap]
            named = {*given, *(c for c, _ in fixed)}
            rest = [
                f
                for f in model._meta.concrete_fields
                if f.column not in named and not f.primary_key
            ]
            defaults = [v for _, v in fixed]
            for f in rest:
                value = f.get_default()
                if isinstance(f, models.JSONField):
                    value = json.dumps(value)
                elif isinstance(f, models.DateTimeField) and value is not None:
                    value = self.db_time(value)
                defaults.append(value)
            self._columns[key] = (  # type: ignore[index]
                [*given, *(c for c, _ in fixed), *(f.column for f in rest)],
                tuple(defaults),
            )
        return self._columns[key]  # type: ignore[index]

    def insert(
        self,
        model: type[models.Model],
        given: Sequence[str],
        rows: Iterable[tuple],
        fixed: Fixed = (),
    ) -> int:
        """Insert rows whose values are in the order of ``given``, with the ``fixed`` (column,
        value) pairs the same in every row; returns how many."""
        columns, defaults = self.columns(model, given, fixed)
        table = connection.ops.quote_name(model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        n = 0
        if self.vendor == "postgresql":
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row + defaults)
                    n += 1
            return n
        # The sqlite3 cursor itself: Django's wrapper would rewrite the query and tee the rows
        # for every batch. Fixed values and defaults go in the statement, so rows are bound as
        # they come: binding the same long strings (provenance, times) row after row cost more
        # than everything else SQLite does for a row.
        if self.background is not None:
            return self.submit(model, given, rows, fixed)
        sql, pad = self.sqlite_insert(model, given, fixed=fixed)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            batch = rows if isinstance(rows, list) and not pad else None
            if batch is not None:
                for start in range(0, len(batch), BATCH):
                    sqlite3.Cursor.executemany(raw, sql, batch[start : start + BATCH])
                return len(batch)
            batch = []
            for row in rows:
                batch.append(row + pad)
                if len(batch) >= BATCH:
                    sqlite3.Cursor.executemany(raw, sql, batch)
                    n += len(batch)
                    batch = []
            if batch:
                sqlite3.Cursor.executemany(raw, sql, batch)
                n += len(batch)
        return n

    def submit(
        self,
        model: type[models.Model],
        given: Sequence[str],
        rows: Iterable[tuple],
        fixed: Fixed = (),
        verb: str = "INSERT",
        then: Callable[[int, int], None] | None = None,
    ) -> int:
        """Queue rows for the writer thread, a batch per statement; ``then(rows, inserted)``
        is called for each batch once it ran. Returns how many rows were queued."""
        assert self.background is not None
        columns, defaults = self.columns(model, given, fixed)
        literals = [sql_literal(v) for v in defaults]
        if None in literals:  # a default SQLite cannot take as a constant: bind it per row
            rows = (row + defaults for row in rows)
            given, literals = columns, []
        table = connection.ops.quote_name(model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        picks = ", ".join(
            [f"value ->> {i}" for i in range(len(given))]
            + [lit for lit in literals if lit is not None]  # none are None here
        )
        sql = f"{verb} INTO {table} ({cols}) SELECT {picks} FROM json_each(?)"
        unchecked = self.checks_hold(model, given, columns, defaults if literals else ())
        n = 0
        batch = rows if isinstance(rows, list) else list(rows)
        for start in range(0, len(batch), BATCH):
            part = batch[start : start + BATCH]
            size = len(part)
            done = None if then is None else (lambda changes, size=size: then(size, changes))
            self.background.submit(sql, (payload(part),), done, unchecked)
            n += size
        return n

    def checks_hold(
        self,
        model: type[models.Model],
        given: Sequence[str],
        columns: Sequence[str],
        defaults: Sequence[Any],
    ) -> bool:
        """Whether the rows of a bulk statement satisfy the table's CHECK constraints without
        SQLite testing them row by row. SQLite's CHECKs on these tables are of two kinds:
        ``JSON_VALID(column)`` on JSON fields, which parses the text on every row (the dearest
        part of inserting an episode), and ``column >= 0`` on the unsigned integer fields. A
        JSON column qualifies when it is not bound per row but written into the statement as
        a literal, checked here once; an unsigned integer bound per row qualifies because the
        IMDb loaders bind only numbers they read from ASCII digits (``files.SMALL``/``YEAR``,
        ``is_number``/``is_year``), never a negative one. A table with a model-level
        ``CheckConstraint`` is always checked."""
        if any(isinstance(c, models.CheckConstraint) for c in model._meta.constraints):
            return False
        fields = {f.column: f for f in model._meta.concrete_fields}
        literal = dict(zip(columns[len(given) :], defaults, strict=False))
        for column, field in fields.items():
            if not isinstance(field, models.JSONField):
                continue
            if column not in literal:
                return False
            value = literal[column]
            try:
                if value is not None and not isinstance(value, str):
                    return False
                if value is not None:
                    json.loads(value)
            except ValueError:
                return False
        return True

    def sqlite_insert(
        self,
        model: type[models.Model],
        given: Sequence[str],
        verb: str = "INSERT",
        fixed: Fixed = (),
    ) -> tuple[str, tuple[Any, ...]]:
        """(SQL, what to add to each row): fixed values and defaults are written into the
        statement as literals when they all can be (then nothing is added), else bound with
        every row."""
        columns, defaults = self.columns(model, given, fixed)
        table = connection.ops.quote_name(model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        literals = [lit for lit in map(sql_literal, defaults) if lit is not None]
        if len(literals) == len(defaults):
            marks = ", ".join(["?"] * len(given) + literals)
            return f"{verb} INTO {table} ({cols}) VALUES ({marks})", ()
        return f"{verb} INTO {table} ({cols}) VALUES ({', '.join(['?'] * len(columns))})", defaults

    def update(
        self, model: type[models.Model], set_columns: Sequence[str], rows: list[tuple]
    ) -> None:
        """``rows`` are (*values for set_columns, id)."""
        if not rows:
            return
        self.sync()
        table = connection.ops.quote_name(model._meta.db_table)
        sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in set_columns)
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", rows)

    def reserve_ids(self, model: type[models.Model], n: int) -> int:
        """Reserve ``n`` consecutive primary keys; returns the first. The import holds the write
        lock on SQLite (IMMEDIATE transactions); on PostgreSQL the sequence is advanced."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    "GREATEST((SELECT COALESCE(MAX(id), 0) FROM "
                    + connection.ops.quote_name(table)
                    + "), "
                    "nextval(pg_get_serial_sequence(%s, 'id'))) + %s)",
                    [table, table, n],
                )
                last = cursor.fetchone()[0]
                return last - n + 1
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
            return cursor.fetchone()[0] + 1

    def select(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


class IdBlock:
    """Hands out primary keys from blocks reserved with ``BulkWriter.reserve_ids``."""

    def __init__(self, writer: BulkWriter, model: type[models.Model], block: int = 50_000) -> None:
        self.writer, self.model, self.block = writer, model, block
        self.next = 0
        self.end = 0  # exclusive

    def take(self) -> int:
        if self.next >= self.end:
            if self.end and self.writer.vendor == "sqlite":
                # The load holds SQLite's write lock and every new row of this table takes its
                # id from here: the next block follows on (no query, which would also wait for
                # the rows still queued).
                self.next = self.end
            else:
                # Rows of the last block may still be buffered, so never go below its end.
                self.next = max(self.writer.reserve_ids(self.model, self.block), self.end)
            self.end = self.next + self.block
        value = self.next
        self.next += 1
        return value


class DeferredIndexes:
    """Secondary indexes dropped for a bulk load and rebuilt at the end, inside the same
    transaction: building an index once from sorted rows is far cheaper than keeping it up to
    date row by row. Used only when the load is much bigger than what the tables hold. Primary
    keys and unique constraints stay (they guard correctness); unique *indexes* dropped here are
    checked again when rebuilt, so a duplicate still fails the import."""

    def __init__(self, writer: BulkWriter, tables: list[str]) -> None:
        self.writer, self.tables = writer, tables
        self.dropped: list[tuple[str, str]] = []  # (table, CREATE INDEX ...)
        self.foreign_keys: list[tuple[str, str]] = []  # (table, ALTER TABLE ... ADD ...)

    def _indexes(self, table: str) -> list[tuple[str, str]]:
        if self.writer.vendor == "sqlite":
            return self.writer.select(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
        if self.writer.vendor == "postgresql":
            return self.writer.select(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                [table, table],
            )
        return []

    def drop(self) -> None:
        with connection.cursor() as cursor:
            for table in self.tables:
                for name, sql in self._indexes(table):
                    cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                    self.dropped.append((table, sql))
            if self.writer.vendor == "postgresql":
                # PostgreSQL checks a deferred foreign key with one trigger call per row at
                # commit; adding the constraint back checks all rows in one join instead.
                for table in self.tables:
                    quoted = connection.ops.quote_name(table)
                    for name, definition in self.writer.select(
                        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                        "WHERE conrelid = %s::regclass AND contype = 'f'",
                        [table],
                    ):
                        cursor.execute(
                            f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}"
                        )
                        self.foreign_keys.append(
                            (
                                table,
                                f"ALTER TABLE {quoted} ADD CONSTRAINT "
                                f"{connection.ops.quote_name(name)} {definition}",
                            )
                        )

    def restore(self, tables: Sequence[str] | None = None) -> None:
        """Rebuild what was set aside, for ``tables`` (default: all). With a writer thread the
        builds are queued behind the rows, so they run while the next file is parsed."""
        indexes = [sql for table, sql in self.dropped if tables is None or table in tables]
        keys = [sql for table, sql in self.foreign_keys if tables is None or table in tables]
        self.dropped = [(t, s) for t, s in self.dropped if tables is not None and t not in tables]
        self.foreign_keys = [
            (t, s) for t, s in self.foreign_keys if tables is not None and t not in tables
        ]
        if self.writer.background is not None:
            for sql in indexes:
                self.writer.background.submit(sql, ())
            return
        with connection.cursor() as cursor:
            if self.writer.vendor == "postgresql":
                # Deferred foreign-key checks must fire before PostgreSQL builds an index.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for sql in indexes:
                cursor.execute(sql)
            for sql in keys:
                cursor.execute(sql)
            if self.writer.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
