"""title.principals → Credit: cast (actor, actress, self) with characters, crew with jobs.

Principals of episodes are not kept (a credit belongs to a title); they are counted as skipped.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from django.db import connection

from telly.catalog.models import Credit
from telly.importers.context import ImportContext
from telly.importers.imdb.bulk import BATCH, BulkWriter
from telly.importers.imdb.files import (
    LAST,
    TEXT,
    Careful,
    fast_rows,
    is_id,
    is_number,
    line_pattern,
)
from telly.importers.imdb.people import SOURCE, PersonLoader
from telly.importers.imdb.titles import TitleLoader

CAST = {"actor", "actress", "self"}
PRINCIPALS = line_pattern(r"tt(\d+)", r"(\d{1,5})", r"nm(\d+)", TEXT, TEXT, LAST)
CREDIT_COLUMNS = ("title_id", "person_id", "role", "character", "job", "order")


def characters(raw: str | None) -> str:
    """``["Nick Nelson"]`` → ``Nick Nelson``; several are joined with `` / ``."""
    if not raw:
        return ""
    if raw.startswith('["') and raw.endswith('"]') and '","' not in raw and "\\" not in raw:
        return raw[2:-2][:300]
    try:
        value = json.loads(raw)
    except ValueError:
        return raw[:300]
    return " / ".join(str(v) for v in value)[:300] if isinstance(value, list) else str(value)[:300]


def crew_job(job: str, category: str) -> str:
    """A crew credit's job: IMDb's job, else its category ("production_designer" →
    "Production designer"), capitalised, at most 100 characters."""
    name = (job or (category or "crew").replace("_", " ")).strip()
    return name[:1].upper() + name[1:100]


def principal_check(ctx: ImportContext, path: Path, *, keep_nm: bool = False) -> Careful:
    """The careful line-by-line check of a title.principals row (for a chunk that does not fit
    the strict pattern): (tconst without ``tt``, ordering, nconst (without ``nm`` unless
    ``keep_nm``), category, job, characters), or None after ``ctx.reject``."""

    def careful(line: int, f: list[str | None]) -> tuple[str, ...] | None:
        if not f:
            ctx.reject(line, "expected 6 tab-separated fields (title.principals)", "credit", path)
            return None
        tconst, ordering, nconst, category, job, chars = f
        if not tconst or not is_id(tconst, "tt") or not nconst or not is_id(nconst, "nm"):
            ctx.reject(
                line, f"tconst/nconst {tconst!r}/{nconst!r} are not IMDb ids", "credit", path
            )
            return None
        if ordering and not is_number(ordering):
            ctx.reject(line, f"ordering {ordering!r} is not a whole number", "credit", path)
            return None
        return (
            tconst[2:],
            ordering or "0",
            nconst if keep_nm else nconst[2:],
            category or "",
            job or "",
            chars or "",
        )

    return careful


class CreditLoader:
    def __init__(
        self, ctx: ImportContext, writer: BulkWriter, titles: TitleLoader, people: PersonLoader
    ) -> None:
        self.ctx, self.writer, self.titles, self.people = ctx, writer, titles, people

    def load(self, path: Path) -> None:
        ctx, writer = self.ctx, self.writer
        self.fixed = (("source", SOURCE), ("seen_at", writer.db_time(ctx.seen_at)))
        title_ids, person_ids, new_titles = self.titles.ids, self.people.ids, self.titles.new_titles
        batch: list[tuple] = []
        known: list[tuple] = []
        group_title, group_keys = -1, set[tuple]()

        for chunk in fast_rows(
            path, "title.principals", PRINCIPALS, principal_check(ctx, path), ctx.row_read
        ):
            for tconst, ordering, nconst, category, job, chars in chunk:
                title_id = title_ids.get(int(tconst))
                person_id = person_ids.get(int(nconst))
                if title_id is None or person_id is None:
                    # An episode's principal, or a title/person this import did not bring in.
                    ctx.tally.add("credit", "skipped")
                    continue
                if category in CAST:
                    row = (
                        title_id,
                        person_id,
                        "cast",
                        characters(chars),
                        "",
                        int(ordering),
                    )
                else:
                    row = (
                        title_id,
                        person_id,
                        "crew",
                        "",
                        crew_job(job, category),
                        int(ordering),
                    )
                if title_id in new_titles:
                    if title_id != group_title:
                        group_title, group_keys = title_id, set()
                    key = row[1:5]
                    if key in group_keys:
                        continue  # the same part listed twice
                    group_keys.add(key)
                    batch.append(row)
                    if len(batch) >= BATCH:
                        self._insert(batch)
                        batch = []
                else:
                    known.append(row)
                    if len(known) >= 5000:
                        self._merge(known)
                        known = []
        self._insert(batch)
        self._merge(known)

    def _insert(self, batch: list[tuple]) -> None:
        if not batch:
            return
        if self.writer.background is not None:
            # The unique constraint drops a repeated part (see below); counted once it ran.
            self.writer.submit(
                Credit, CREDIT_COLUMNS, batch, self.fixed, "INSERT OR IGNORE", self._count
            )
            return
        if self.writer.vendor == "sqlite":
            # IMDb rarely lists one part twice for a title out of order; let the unique
            # constraint drop such a repeat instead of failing the file.
            sql, pad = self.writer.sqlite_insert(
                Credit, CREDIT_COLUMNS, "INSERT OR IGNORE", self.fixed
            )
            with connection.cursor() as cursor:
                before = cursor.connection.total_changes
                sqlite3.Cursor.executemany(
                    cursor.cursor, sql, [row + pad for row in batch] if pad else batch
                )
                inserted = cursor.connection.total_changes - before
        else:
            inserted = self.writer.insert(Credit, CREDIT_COLUMNS, batch, self.fixed)
        self._count(len(batch), inserted)

    def _count(self, rows: int, inserted: int) -> None:
        self.ctx.tally.created("credit", inserted)
        self.ctx.tally.add("credit", "skipped", rows - inserted)

    def _merge(self, rows_: list[tuple]) -> None:
        """Credits of titles the database already had: add missing parts, keep the rest."""
        if not rows_:
            return
        ctx = self.ctx
        existing = {
            (c.title_id, c.person_id, c.role, c.character, c.job): c
            for c in Credit.objects.filter(title_id__in={r[0] for r in rows_})
        }
        new, unchanged = [], []
        seen = set()
        for row in rows_:
            key = row[:5]
            if key in seen:
                continue
            seen.add(key)
            credit = existing.get(key)
            if credit is None:
                new.append(
                    Credit(
                        title_id=row[0],
                        person_id=row[1],
                        role=row[2],
                        character=row[3],
                        job=row[4],
                        order=row[5],
                        source=SOURCE,
                        seen_at=ctx.seen_at,
                    )
                )
            elif credit.order != row[5]:
                credit.order, credit.source, credit.seen_at = row[5], SOURCE, ctx.seen_at
                credit.save(update_fields=["order", "source", "seen_at"])
                ctx.tally.updated("credit")
            else:
                unchanged.append(credit.pk)
        if new:
            created = Credit.objects.bulk_create(new)
            ctx.tally.created("credit", len(created))
            ctx.changes.credits.update(c.pk for c in created if c.pk)  # type: ignore[union-attr]
        if unchanged:
            Credit.objects.filter(pk__in=unchanged).update(seen_at=ctx.seen_at)
            ctx.tally.unchanged("credit", len(unchanged))
