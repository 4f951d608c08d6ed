"""The IMDb import: people, then titles with their seasons and episodes, then credits.

Built for the full dumps: every file is streamed, rows become plain tuples written in batches
(``bulk.py``), and the only things held in memory are the maps from IMDb ids to our ids. Rows
for titles and people that are new go straight in; rows that match what the database already
holds are compared field by field (editor locks honoured) and updated only where they differ,
so a re-import changes nothing and says so.

``title.episode`` is joined to ``title.basics`` by a merge on ``tconst`` (IMDb sorts both
files that way), falling back to holding rows read ahead when a file is not sorted.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from django.db import connection

from telly.catalog.models import Credit, Episode, ExternalId, Person, Season, Title
from telly.importers.context import ImportContext
from telly.importers.errors import BadInput
from telly.importers.imdb import pgload
from telly.importers.imdb.bulk import BulkWriter, DeferredIndexes
from telly.importers.imdb.credits import CreditLoader
from telly.importers.imdb.files import locate
from telly.importers.imdb.people import PersonLoader
from telly.importers.imdb.titles import TitleLoader, read_ratings


def run(ctx: ImportContext) -> None:
    files = locate(ctx.path)
    if not files:
        raise BadInput(
            ctx.path, None, "no IMDb dataset files here (title.basics.tsv, name.basics.tsv...)"
        )
    if "title.episode" in files and "title.basics" not in files:
        raise BadInput(
            files["title.episode"],
            None,
            "title.episode needs title.basics beside it (episode names and years)",
        )
    writer = BulkWriter()
    cache = writer.bigger_cache()
    deferred = None
    if wants_deferred_indexes(ctx, files.get("title.basics")):
        deferred = DeferredIndexes(writer, TABLES)
    people = PersonLoader(ctx, writer)
    titles = TitleLoader(ctx, writer, {})
    if deferred is not None:
        deferred.drop()
        if pgload.handles(ctx, writer):  # PostgreSQL: raw chunks to COPY, joins on the server
            pgload.run(ctx, files, writer, deferred, people, titles)
            return
    # A big load parses on one core while SQLite writes on the other (``bulk.Background``).
    with writer.in_background() if deferred is not None else contextlib.nullcontext():
        if "name.basics" in files:
            people.load(files["name.basics"])
        titles.ratings = (
            read_ratings(ctx, files["title.ratings"]) if "title.ratings" in files else {}
        )
        if "title.basics" in files:
            titles.load(files["title.basics"], files.get("title.episode"))
        elif titles.ratings:
            titles.apply_ratings_only()
        if deferred is not None:
            # Built while title.principals is read; credits go in after them.
            deferred.restore([t for t in TABLES if t != Credit._meta.db_table])
        # Every episode is in by now: counted on the writer thread (after the episode indexes
        # it uses) while title.principals is read.
        titles.count_episodes_per_season()
        # Keys checked once per table (see keys_checked_at_end), also while title.principals
        # is read. A broken one (which the loaders cannot make: every id they write is of a
        # row in this transaction or before it) fails the file.
        if ctx.keys_checked_at_end:
            writer.check_keys([t for t in TABLES if t != Credit._meta.db_table])
        if "title.principals" in files:
            CreditLoader(ctx, writer, titles, people).load(files["title.principals"])
        if deferred is not None:
            deferred.restore()
        if ctx.keys_checked_at_end:
            writer.check_keys([Credit._meta.db_table])
    writer.restore_cache(cache)
    titles.announce()
    people.announce()


@contextlib.contextmanager
def keys_checked_at_end(ctx: ImportContext) -> Iterator[None]:
    """On SQLite, a big load checks foreign keys once per table, after the table is loaded
    (``run``, ``BulkWriter.check_keys``), rather than on every row it inserts: per row, SQLite looks the parent up in its table, which for the 1.2M
    credits of a 100,000-series catalogue cost more than inserting them (measured with
    ``bench.profile_import --replay``: 6.1 s against 2.8 s). The pragma cannot change inside a
    transaction, so this runs around the import's; inside someone else's transaction it
    changes nothing, and the per-row checks stay."""
    if connection.vendor != "sqlite":
        yield
        return
    try:
        files = locate(ctx.path)
    except BadInput:
        files = {}
    if not wants_deferred_indexes(ctx, files.get("title.basics")):
        yield
        return
    ctx.keys_checked_at_end = connection.disable_constraint_checking()
    try:
        yield
    finally:
        if ctx.keys_checked_at_end:
            connection.enable_constraint_checking()


TABLES = [
    m._meta.db_table
    for m in (Title, Season, Episode, Person, Credit, ExternalId, Title.genres.through)
]
BIG_LOAD_ROWS = 50_000


def wants_deferred_indexes(ctx: ImportContext, basics: Path | None) -> bool:
    """Rebuild indexes at the end when the file is big and the tables small next to it (an
    empty or mostly-new database); ``ctx.options["defer_indexes"]`` forces either way."""
    forced = ctx.options.get("defer_indexes")
    if forced is not None:
        return bool(forced)
    if basics is None:
        return False
    size = basics.stat().st_size * (4 if basics.name.endswith(".gz") else 1)
    estimated_rows = size // 80
    return estimated_rows > BIG_LOAD_ROWS and estimated_rows > 4 * Title.objects.count()
