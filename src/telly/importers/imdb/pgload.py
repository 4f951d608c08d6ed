"""The IMDb bulk load on PostgreSQL: raw chunks to ``COPY``, the joins done by the server.

IMDb's TSV is nearly PostgreSQL's ``COPY`` text format already (tab separated, ``\\N`` for
null, no quoting). A chunk of lines that fits its file's strict whole-chunk pattern (every
field checked as the row-by-row reader checks it, and no backslash but a whole ``\\N`` field,
no carriage return, no NUL) goes to ``COPY`` as the bytes it is, into TEMP staging tables (no
WAL). A chunk that does not fit is read line by line as ``files.fast_rows`` reads it: the same
``file:line`` rejects and ``--skip-bad``, the rows it keeps written to the same staging table.

Then the server builds the real rows with ``INSERT ... SELECT``: episodes joined to their
title.basics row and their series, seasons grouped from them (with their episode counts),
credits joined to titles and people. Python computes only what SQL cannot compute the same
way: the name keys and slugs of titles and people (``catalog.text``), the few characters lists
that are not one plain name, and crew job names. Rows of titles the database already had go
through the loaders' own merge code, so matching, locks and counts are theirs.

Used for a big load on PostgreSQL (``run.wants_deferred_indexes``): secondary indexes and
foreign keys are set aside as for the row-by-row path and rebuilt at the end, inside the
file's one transaction.
"""

from __future__ import annotations

import gzip
import re
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, models

from telly.catalog.models import Credit, Episode, ExternalId, Person, Season, Title
from telly.catalog.text import make_slug, name_key
from telly.importers.context import ImportContext
from telly.importers.errors import BadInput
from telly.importers.imdb.bulk import BATCH, BulkWriter, DeferredIndexes, IdBlock, provenance
from telly.importers.imdb.credits import (
    CAST,
    PRINCIPALS,
    CreditLoader,
    characters,
    crew_job,
    principal_check,
)
from telly.importers.imdb.files import HEADERS, Careful, _bad_line, careful_rows
from telly.importers.imdb.people import SOURCE, TITLE_EXTID_COLUMNS, PersonLoader, extid_fixed
from telly.importers.imdb.titles import (
    BASICS,
    EPISODE_SOURCED,
    EPISODES,
    EPISODIC,
    KINDS,
    NOT_IN_GUIDE,
    SEASON_SOURCED,
    TITLE_SOURCED,
    TitleLoader,
    basics_check,
    episode_check,
    read_ratings,
)
from telly.importers.reading import is_gzip

CHUNK = 1 << 20  # bytes read, checked and sent at a time

# Fields as the whole-chunk patterns check them (bytes; a backslash only as a whole \N field).
_TEXT = rb"(?:\\N|[^\t\n\r\\\x00]*)"
_NAME = rb"[^\t\n\r\\\x00]+"  # must be there (not \N, not empty)
_YEAR = rb"(?:\\N|\d{4})"
_SMALL = rb"(?:\\N|\d{1,5})"
_TYPES = b"|".join(sorted(t.encode() for t in {*KINDS, *NOT_IN_GUIDE, "tvEpisode"}))


def _chunk_pattern(*fields: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"(?:" + rb"\t".join(fields) + rb"\n)*")


BASICS_CHUNK = _chunk_pattern(
    rb"tt\d{1,18}", rb"(?:" + _TYPES + rb")", _NAME, _TEXT, _TEXT, _YEAR, _YEAR, _SMALL, _TEXT
)
EPISODES_CHUNK = _chunk_pattern(rb"tt\d{1,18}", rb"tt\d{1,18}", _SMALL, _SMALL)
PRINCIPALS_CHUNK = _chunk_pattern(rb"tt\d{1,18}", rb"\d{1,5}", rb"nm\d{1,18}", _TEXT, _TEXT, _TEXT)


def strip_first_tt(chunk: bytes) -> bytes:
    """``tt123\\t...`` lines → ``123\\t...`` (a checked chunk: every line starts with tt, and a
    newline followed by tt is nowhere else)."""
    return chunk[2:].replace(b"\ntt", b"\n")


def strip_all_tt(chunk: bytes) -> bytes:
    """title.episode holds ids and numbers only: every tt is an id's prefix."""
    return chunk.replace(b"tt", b"")


class Stage:
    """One TEMP staging table fed by ``COPY``: raw checked chunks, or rows of the careful path."""

    def __init__(self, name: str, columns: Sequence[tuple[str, str]]) -> None:
        self.name = name
        self.columns = [c for c, _ in columns]
        self.types = dict(columns)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            cursor.execute(
                f"CREATE TEMP TABLE {name} ("
                + ", ".join(f"{c} {t}" for c, t in columns)
                + ") ON COMMIT DROP"
            )

    def load(
        self,
        path: Path,
        kind: str,
        pattern: re.Pattern[bytes],
        fix: Callable[[bytes], bytes],
        line: re.Pattern[str],
        careful: Careful,
        counted: Callable[[int], None],
    ) -> None:
        """Stream ``path`` in: each chunk that ``pattern`` matches whole goes as ``fix(chunk)``;
        the others line by line (``line`` pattern, else ``careful``), as ``fast_rows`` does."""
        width = len(HEADERS[kind])
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {self.name} FROM STDIN") as copy,
        ):
            for n, chunk in chunks(path, kind):
                count = chunk.count(b"\n")
                if pattern.fullmatch(chunk) is not None:
                    copy.write(fix(chunk))
                else:
                    for row in careful_rows(chunk.decode("utf-8"), n, width, line, careful):
                        copy.write_row([v if v != "" else None for v in row])
                counted(count)

    def analyze(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {self.name}")


def chunks(path: Path, kind: str) -> Iterator[tuple[int, bytes]]:
    """(line number before the chunk, chunk of whole lines ending in a newline) after the
    header, which is checked; the chunk is valid UTF-8."""
    header = HEADERS[kind]
    n = 0
    try:
        with gzip.open(path, "rb") if is_gzip(path) else open(path, "rb") as f:
            first = f.readline()
            n = 1
            if not first:
                raise BadInput(path, 1, f"empty file: expected the IMDb {kind} header")
            head = first.decode("utf-8", "replace").lstrip("\ufeff").rstrip("\r\n")
            if tuple(head.split("\t")) != header:
                raise BadInput(path, 1, f"not an IMDb {kind} header: expected {' '.join(header)}")
            rest = b""
            while True:
                block = f.read(CHUNK)
                if block:
                    cut = block.rfind(b"\n") + 1
                    if not cut:
                        rest += block
                        continue
                    text, rest = rest + block[:cut], block[cut:]
                elif rest:
                    text, rest = rest + b"\n", b""
                else:
                    break
                text.decode("utf-8")  # raises on a byte that is not UTF-8 (located below)
                yield n, text
                n += text.count(b"\n")
    except UnicodeDecodeError:
        raise _bad_line(path) from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise BadInput(path, n + 1, f"truncated or corrupt gzip ({exc})") from exc


def select_list(
    writer: BulkWriter,
    model: type[models.Model],
    exprs: dict[str, str],
    fixed: tuple[tuple[str, Any], ...] = (),
) -> tuple[str, str, list[Any]]:
    """(column list, select list, parameters) for ``INSERT INTO model (...) SELECT ...``:
    ``exprs`` {column: SQL expression}, then the fixed values and every other column's default
    from the model (``BulkWriter.columns``), each bound and cast to its column's type."""
    columns, values = writer.columns(model, list(exprs), fixed)
    fields = {f.column: f for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    picks = [exprs[c] for c in exprs]
    for column in columns[len(exprs) :]:
        picks.append(f"%s::{fields[column].db_type(connection)}")
    return ", ".join(quote(c) for c in columns), ", ".join(picks), list(values)


def execute(sql: str, params: Sequence[Any] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def scalar(sql: str, params: Sequence[Any] = ()) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def copy_rows(table: str, rows: Iterable[tuple]) -> None:
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def batches(sql: str, size: int = BATCH) -> Iterator[list[tuple]]:
    """Rows of a query in batches, through a server-side cursor (the file's transaction)."""
    with connection.connection.cursor(name="telly_stage") as cursor:
        cursor.itersize = size
        cursor.execute(sql)
        while rows := cursor.fetchmany(size):
            yield rows


def handles(ctx: ImportContext, writer: BulkWriter) -> bool:
    """PostgreSQL, unless ``ctx.options["staged"]`` is False (the row-by-row ``COPY`` path,
    kept for comparison)."""
    return writer.vendor == "postgresql" and ctx.options.get("staged", True) is not False


def run(
    ctx: ImportContext,
    files: dict[str, Path],
    writer: BulkWriter,
    deferred: DeferredIndexes,
    people: PersonLoader,
    titles: TitleLoader,
) -> None:
    """The whole load (``run.run`` hands over once it has set the indexes aside)."""
    with connection.cursor() as cursor:
        # Memory for the joins, the sorts of the index rebuilds and their parallel workers;
        # for this transaction only.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    loaded = False
    if "title.basics" in files:
        # People and ratings are read while the server inserts episodes (see StagedTitles).
        StagedTitles(
            ctx, writer, titles, people, files.get("name.basics"), files.get("title.ratings")
        ).load(files["title.basics"], files.get("title.episode"))
        loaded = True
    else:
        if "name.basics" in files:
            people.load(files["name.basics"])
        if "title.ratings" in files:
            titles.ratings = read_ratings(ctx, files["title.ratings"])
            titles.apply_ratings_only()
    deferred.restore([t for t in deferred.tables if t != Credit._meta.db_table])
    if "title.principals" in files:
        StagedCredits(ctx, writer, titles, people, loaded).load(files["title.principals"])
    deferred.restore()
    titles.announce()
    people.announce()


class UniqueSetAside:
    """Unique constraints of big tables dropped while the server inserts their rows, added back
    after (one sorted build instead of an index insertion per row, and a third of the WAL).
    Adding one back checks every row, so a duplicate still fails the import."""

    def __init__(self, *models_: type[models.Model]) -> None:
        self.restores: list[str] = []
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for model in models_:
                table = model._meta.db_table
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'u'",
                    [table],
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
                    self.restores.append(
                        f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                    )

    def restore(self) -> None:
        with connection.cursor() as cursor:
            for sql in self.restores:
                cursor.execute(sql)
        self.restores = []

    def statements(self) -> list[tuple[str, list[Any]]]:
        """The restores, for ``ServerSide`` to run."""
        restores, self.restores = self.restores, []
        return [(sql, []) for sql in restores]


class StagedTitles:
    """title.basics (+ title.episode): titles in Python (keys, slugs, matching), their episodes
    and seasons set-based on the server."""

    def __init__(
        self,
        ctx: ImportContext,
        writer: BulkWriter,
        titles: TitleLoader,
        people: PersonLoader,
        people_path: Path | None,
        ratings_path: Path | None,
    ) -> None:
        self.ctx, self.writer, self.titles, self.people = ctx, writer, titles, people
        self.people_path, self.ratings_path = people_path, ratings_path

    def load(self, path: Path, episode_path: Path | None) -> None:
        ctx = self.ctx
        basics = Stage(
            "telly_stage_basics",
            [
                ("tconst", "text"),  # digits as the file writes them (the ids keep them)
                ("type", "text"),
                ("name", "text"),
                ("original", "text"),
                ("adult", "text"),
                ("start", "integer"),
                ("end_year", "integer"),
                ("runtime", "integer"),
                ("genres", "text"),
            ],
        )
        basics.load(
            path, "title.basics", BASICS_CHUNK, strip_first_tt, BASICS,
            basics_check(self.ctx, path), ctx.row_read,
        )  # fmt: skip
        episodes = Stage(
            "telly_stage_episode",
            [("tconst", "bigint"), ("parent", "bigint"), ("season", "integer"), ("num", "integer")],
        )
        if episode_path is not None:
            episodes.load(
                episode_path, "title.episode", EPISODES_CHUNK, strip_all_tt, EPISODES,
                episode_check(self.ctx, episode_path), ctx.row_read,
            )  # fmt: skip
        self._titles_and_episodes()

    # -- titles in Python (as TitleLoader.load), episodes and seasons on the server ------------

    def _titles_and_episodes(self) -> None:
        """Titles get their ids first (matching titles already here); then, while the server
        joins episodes to their series and inserts them and their seasons (a second thread
        waiting on the connection), Python works out title rows (keys, slugs), reads the
        ratings and the people (``overlap``); what they wrote in memory goes in after."""
        ctx, writer, loader = self.ctx, self.writer, self.titles
        ids = loader.ids
        block = IdBlock(writer, Title)
        new: list[tuple] = []
        matched: list[tuple] = []
        genre_lists: dict[str | None, list[int]] = {}
        # In file order (a fresh TEMP table scans in the order it was written).
        for batch in batches(
            "SELECT tconst, type, name, original, adult, start, end_year, runtime, genres "
            "FROM telly_stage_basics WHERE type <> 'tvEpisode'",
            20_000,
        ):
            for row in batch:
                digits, type_, name, _, adult, start, _, _, genres = row
                kind = KINDS.get(type_)
                if kind is None or adult == "1":
                    ctx.tally.add("title", "skipped")  # video games and adult titles
                    continue
                if genres not in genre_lists:
                    genre_lists[genres] = loader.genre_ids(genres)  # may create a genre
                number = int(digits)
                pk = ids.get(number)
                if pk is None and loader.by_name:
                    key = (name_key(name or ""), start, kind in EPISODIC)
                    pk = loader.by_name.get(key)
                    if pk is not None:
                        # Matched by name + year + kind: remember the IMDb id; never twice.
                        del loader.by_name[key]
                        ids[number] = pk
                        matched.append((pk, kind, row, True))
                        continue
                if pk is not None:
                    matched.append((pk, kind, row, False))
                    continue
                pk = block.take()
                ids[number] = pk
                loader.new_titles.add(pk)
                new.append((pk, kind, row))
        known = loader.preexisting
        Stage(
            "telly_stage_title", [("tconst", "bigint"), ("title_id", "bigint"), ("known", "bool")]
        )
        copy_rows("telly_stage_title", ((t, pk, pk in known) for t, pk in ids.items()))
        with connection.cursor() as cursor:
            for table in ("telly_stage_basics", "telly_stage_episode", "telly_stage_title"):
                cursor.execute(f"ANALYZE {table}")
        in_basics = scalar("SELECT COUNT(*) FROM telly_stage_basics WHERE type = 'tvEpisode'")
        in_episode = scalar("SELECT COUNT(*) FROM telly_stage_episode")
        loader.slugs  # noqa: B018 (read the taken slugs now: the connection is busy below)
        if self.people_path is not None:
            self.people.slugs  # noqa: B018
            self.people.stamped  # noqa: B018
        buffered = Buffered(writer, {Person: count_lines(self.people_path)})
        aside = UniqueSetAside(Season, Episode)
        server = ServerSide(self._episode_statements() + aside.statements())
        try:
            keys = self._title_keys(new)
            if self.people_path is not None:
                self.people.writer = buffered  # type: ignore[assignment]
                try:
                    self.people.load(self.people_path)
                finally:
                    self.people.writer = writer
        except BaseException:
            server.thread.join()  # the connection is ours again; the transaction rolls back
            raise
        _, joined, _, seasons, created = server.finish()[:5]
        self._insert_titles(keys, genre_lists)
        aside = UniqueSetAside(Person)
        buffered.write()
        aside.restore()
        self._merge_titles(matched, genre_lists)
        ctx.tally.created("season", seasons)
        ctx.tally.created("episode", created)
        loader.episodes_created += created
        merged = self._merge_episodes()
        # No title.episode row, no series known, no season or episode number, or a
        # title.episode row that title.basics never named as an episode.
        skipped = (in_basics - joined) + (in_episode - joined) + (joined - merged - created)
        ctx.tally.add("episode", "skipped", skipped)

    def _values(self, kind: str, row: tuple) -> dict:
        digits, _, name, original, _, start, end, runtime, _ = row
        name = name or ""
        rating, votes = self.titles.ratings.get(int(digits), (None, 0))
        return {
            "kind": kind,
            "name": name[:300],
            "original_name": (original if original and original != name else "")[:300],
            "year": start,
            "end_year": end,
            "runtime": runtime,
            "rating": Decimal(rating) if rating else None,
            "votes": votes,
        }

    def _title_keys(self, new: list[tuple]) -> list[tuple]:
        """(tconst digits, id, slug, name key, genres) of the new titles: what SQL cannot work
        out the same way (no query: the connection is the server's meanwhile). Ratings are read
        here too."""
        loader = self.titles
        if self.ratings_path is not None:
            loader.ratings = read_ratings(self.ctx, self.ratings_path)
        slugs = loader.slugs
        keys: list[tuple] = []
        for pk, kind, row in new:
            digits, name, start = row[0], row[2] or "", row[5]
            base = make_slug(name)
            slug = slugs.make(base, f"{base}-{start}" if start else "", f"{base}-{kind}")
            keys.append((digits, pk, slug, name_key(name), row[8]))
        return keys

    def _insert_titles(self, keys: list[tuple], genre_lists: dict[str | None, list[int]]) -> None:
        """The new titles, their IMDb ids and genre links, by the server from the staged
        title.basics rows and what Python worked out (``_title_keys``)."""
        writer, at = self.writer, self.titles.at
        Stage(
            "telly_stage_new_title",
            [
                ("tconst", "text"),
                ("id", "bigint"),
                ("slug", "text"),
                ("name_key", "text"),
                ("genres", "text"),
            ],
        )
        copy_rows("telly_stage_new_title", keys)
        Stage(
            "telly_stage_rating", [("tconst", "bigint"), ("rating", "numeric"), ("votes", "bigint")]
        )
        ratings = self.titles.ratings
        copy_rows("telly_stage_rating", ((t, r, v) for t, (r, v) in ratings.items()))
        Stage("telly_stage_genre", [("genres", "text"), ("genre_id", "bigint")])
        copy_rows(
            "telly_stage_genre",
            ((g, pk) for g, pks in genre_lists.items() if g is not None for pk in set(pks)),
        )
        for table in ("telly_stage_new_title", "telly_stage_rating", "telly_stage_genre"):
            execute(f"ANALYZE {table}")
        aside = UniqueSetAside(Title, Title.genres.through)
        kinds = " ".join(f"WHEN '{t}' THEN '{k}'" for t, k in KINDS.items())
        name = "coalesce(b.name, '')"
        cols, picks, params = select_list(
            writer,
            Title,
            {
                "id": "k.id",
                "kind": f"CASE b.type {kinds} END",
                "name": f"left({name}, 300)",
                "original_name": f"CASE WHEN b.original <> '' AND b.original <> {name} "
                "THEN left(b.original, 300) ELSE '' END",
                "slug": "k.slug",
                "name_key": "k.name_key",
                "year": "b.start",
                "end_year": "b.end_year",
                "runtime": "b.runtime",
                "rating": "r.rating",
                "votes": "coalesce(r.votes, 0)",
            },
            provenance(Title, TITLE_SOURCED, SOURCE, self.ctx.seen_at),
        )
        created = execute(
            f"INSERT INTO catalog_title ({cols}) SELECT {picks} FROM telly_stage_new_title k "
            "JOIN telly_stage_basics b ON b.tconst = k.tconst AND b.type <> 'tvEpisode' "
            "LEFT JOIN telly_stage_rating r ON r.tconst = k.tconst::bigint ORDER BY k.id",
            params,
        )
        self.ctx.tally.created("title", created)
        cols, picks, params = select_list(
            writer, ExternalId, {"value": "'tt' || k.tconst", "title_id": "k.id"}, extid_fixed(at)
        )
        execute(
            f"INSERT INTO catalog_externalid ({cols}) SELECT {picks} FROM telly_stage_new_title k "
            "ORDER BY k.id",
            params,
        )
        cols, picks, params = select_list(
            writer, Title.genres.through, {"title_id": "k.id", "genre_id": "g.genre_id"}
        )
        execute(
            f"INSERT INTO {Title.genres.through._meta.db_table} ({cols}) SELECT {picks} "
            "FROM telly_stage_new_title k JOIN telly_stage_genre g ON g.genres = k.genres "
            "ORDER BY k.id",
            params,
        )
        aside.restore()

    def _merge_titles(self, matched: list[tuple], genre_lists: dict) -> None:
        """Titles the database had: TitleLoader's merge (locks, unchanged counts)."""
        extids = [("tt" + row[0], pk) for pk, _, row, by_name in matched if by_name]
        if extids:
            self.writer.insert(ExternalId, TITLE_EXTID_COLUMNS, extids, extid_fixed(self.titles.at))
        batch: list[tuple[int, dict, list[int]]] = []
        for pk, kind, row, _ in matched:
            batch.append((pk, self._values(kind, row), genre_lists[row[8]]))
            if len(batch) >= 2000:
                self.titles._merge_titles(batch)
                batch = []
        self.titles._merge_titles(batch)

    def _episode_statements(self) -> list[tuple[str, list[Any]]]:
        writer = self.writer
        new = "NOT known AND season IS NOT NULL AND num IS NOT NULL"
        season_cols, season_picks, season_params = select_list(
            writer,
            Season,
            {"title_id": "title_id", "number": "season", "episode_count": "COUNT(*)"},
            provenance(Season, SEASON_SOURCED, SOURCE, self.ctx.seen_at),
        )
        cols, picks, params = select_list(
            writer,
            Episode,
            {
                "title_id": "e.title_id",
                "season_id": "s.id",
                "season_number": "e.season",
                "number": "e.num",
                "name": "left(coalesce(e.name, ''), 300)",
                "air_at": "make_timestamptz(e.start, 1, 1, 0, 0, 0, 'UTC')",
                "air_precision": "CASE WHEN e.start IS NULL THEN 'day' ELSE 'year' END",
                "runtime": "e.runtime",
            },
            provenance(Episode, EPISODE_SOURCED, SOURCE, self.ctx.seen_at),
        )
        return [
            ("DROP TABLE IF EXISTS telly_stage_ep", []),
            # Each episode once with what both files say of it and its series' title, if any.
            (
                "CREATE TEMP TABLE telly_stage_ep ON COMMIT DROP AS "
                "SELECT m.title_id, m.known, e.season, e.num, b.name, b.start, b.runtime "
                "FROM telly_stage_episode e "
                "JOIN telly_stage_basics b ON b.tconst::bigint = e.tconst "
                "AND b.type = 'tvEpisode' "
                "LEFT JOIN telly_stage_title m ON m.tconst = e.parent",
                [],
            ),
            ("ANALYZE telly_stage_ep", []),
            (
                f"INSERT INTO catalog_season ({season_cols}) SELECT {season_picks} "
                f"FROM telly_stage_ep WHERE {new} GROUP BY title_id, season "
                "ORDER BY title_id, season",
                season_params,
            ),
            (
                f"INSERT INTO catalog_episode ({cols}) SELECT {picks} FROM telly_stage_ep e "
                "JOIN catalog_season s ON s.title_id = e.title_id AND s.number = e.season "
                "WHERE NOT e.known AND e.season IS NOT NULL AND e.num IS NOT NULL",
                params,
            ),
        ]

    def _merge_episodes(self) -> int:
        """Episodes of titles the database had: matched one by one (TitleLoader's merge)."""
        writer, loader = self.writer, self.titles
        season_block = IdBlock(writer, Season)
        first_season: int | None = None
        merged = 0
        for batch in batches(
            "SELECT title_id, season, num, name, start, runtime FROM telly_stage_ep WHERE known",
            2000,
        ):
            if first_season is None:
                first_season = season_block.take()
                season_block.next = first_season  # handed out again by the merge
            loader._merge_episodes(batch, season_block)
            merged += len(batch)
        if first_season is not None and season_block.next > first_season:
            execute(
                "UPDATE catalog_season SET episode_count = c.n FROM (SELECT season_id, COUNT(*) "
                "AS n FROM catalog_episode WHERE season_id >= %s AND season_id < %s "
                "GROUP BY season_id) AS c WHERE catalog_season.id = c.season_id",
                [first_season, season_block.next],
            )
        return merged


class ServerSide:
    """Statements the server runs on a second thread, in order, on the import's connection
    (its transaction and TEMP tables), while this thread does Python work that needs no
    query. ``finish()`` waits, then gives each statement's row count or raises its error."""

    def __init__(self, statements: list[tuple[str, list[Any]]]) -> None:
        connection.ensure_connection()
        self.raw = connection.connection
        self.statements = statements
        self.counts: list[int] = []
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="telly-pgload", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            for sql, params in self.statements:
                with self.raw.cursor() as cursor:
                    cursor.execute(sql, params or None)
                    self.counts.append(cursor.rowcount)
        except BaseException as exc:  # raised in the loading thread by finish()
            self.error = exc

    def finish(self) -> list[int]:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.counts


class Buffered:
    """A ``BulkWriter`` stand-in for a loader working while the connection is busy: rows are
    kept in memory until ``write()``; ids come from blocks reserved beforehand."""

    def __init__(self, writer: BulkWriter, reserve: dict[type[models.Model], int]) -> None:
        self.writer = writer
        self.vendor = writer.vendor
        self.background = None
        self.pending: list[tuple] = []
        self.ranges = {
            model: [writer.reserve_ids(model, n), n] for model, n in reserve.items() if n
        }

    def db_time(self, value: Any) -> Any:
        return self.writer.db_time(value)

    def columns(self, *args: Any, **kwargs: Any) -> Any:
        return self.writer.columns(*args, **kwargs)

    def insert(
        self, model: type[models.Model], given: Sequence[str], rows: Any, fixed: Any = ()
    ) -> int:
        rows = list(rows)
        self.pending.append((model, given, rows, fixed))
        return len(rows)

    def reserve_ids(self, model: type[models.Model], n: int) -> int:
        block = self.ranges.get(model)
        if block is not None and block[1] >= n:
            first = block[0]
            block[0] += n
            block[1] -= n
            return first
        return self.writer.reserve_ids(model, n)  # waits for the connection

    def select(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.writer.select(sql, params)

    def write(self) -> None:
        for model, given, rows, fixed in self.pending:
            self.writer.insert(model, given, rows, fixed)
        self.pending = []


def count_lines(path: Path | None, block: int = 50_000) -> int:
    """Lines of a file rounded up to whole ``IdBlock`` blocks (ids to reserve for its rows
    beforehand); 0 for gzip or no file (ids are then reserved as they are needed)."""
    if path is None or is_gzip(path):
        return 0
    n = 1
    with open(path, "rb") as f:
        while data := f.read(CHUNK):
            n += data.count(b"\n")
    return -(-n // block) * block


class StagedCredits:
    """title.principals: credits of new titles set-based; of titles the database had, merged
    by ``CreditLoader``."""

    def __init__(
        self,
        ctx: ImportContext,
        writer: BulkWriter,
        titles: TitleLoader,
        people: PersonLoader,
        title_map: bool,
    ) -> None:
        self.ctx, self.writer, self.titles, self.people = ctx, writer, titles, people
        self.title_map = title_map  # telly_stage_title is there already

    def load(self, path: Path) -> None:
        ctx, writer = self.ctx, self.writer
        principals = Stage(
            "telly_stage_principal",
            [
                ("tconst", "bigint"),
                ("ordering", "integer"),
                ("nconst", "text"),
                ("category", "text"),
                ("job", "text"),
                ("chars", "text"),
            ],
        )

        # The line pattern gives nconst without its nm; the staging table keeps it whole.
        class Line:
            def __init__(self, pattern: re.Pattern[str]) -> None:
                self.pattern = pattern

            def match(self, line: str) -> Any:
                m = self.pattern.match(line)
                return None if m is None else _NmGroups(m)

        principals.load(
            path, "title.principals", PRINCIPALS_CHUNK, strip_first_tt,
            Line(PRINCIPALS), principal_check(ctx, path, keep_nm=True), ctx.row_read,  # type: ignore[arg-type]
        )  # fmt: skip
        principals.analyze()
        if not self.title_map:
            Stage(
                "telly_stage_title",
                [("tconst", "bigint"), ("title_id", "bigint"), ("known", "bool")],
            )
            known = self.titles.preexisting
            copy_rows(
                "telly_stage_title",
                ((t, pk, pk in known) for t, pk in self.titles.ids.items()),
            )
            execute("ANALYZE telly_stage_title")
        Stage("telly_stage_person", [("nconst", "bigint"), ("person_id", "bigint")])
        copy_rows("telly_stage_person", self.people.ids.items())
        execute("ANALYZE telly_stage_person")
        # What Python says of the characters lists SQL does not take apart the same way, and
        # of crew jobs (capitalised as Python does it).
        simple = (
            "(p.chars LIKE '[\"%%\"]' AND strpos(p.chars, '\",\"') = 0 "
            "AND strpos(p.chars, chr(92)) = 0)"
        )
        Stage("telly_stage_chars", [("raw", "text"), ("value", "text")])
        copy_rows(
            "telly_stage_chars",
            (
                (raw, characters(raw))
                for (raw,) in self.writer.select(
                    f"SELECT DISTINCT p.chars FROM telly_stage_principal p WHERE p.chars <> '' "
                    f"AND p.category IN ('actor', 'actress', 'self') AND NOT {simple}"
                )
            ),
        )
        Stage("telly_stage_jobs", [("job", "text"), ("category", "text"), ("value", "text")])
        copy_rows(
            "telly_stage_jobs",
            (
                (job, category, crew_job(job, category))
                for job, category in self.writer.select(
                    "SELECT DISTINCT coalesce(p.job, ''), coalesce(p.category, '') "
                    "FROM telly_stage_principal p "
                    "WHERE p.category IS NULL OR p.category NOT IN ('actor', 'actress', 'self')"
                )
            ),
        )
        execute("ANALYZE telly_stage_chars")
        execute("ANALYZE telly_stage_jobs")  # hash joins for both, not sorts of every credit
        cast = "p.category IN ('actor', 'actress', 'self')"
        fields = (
            "m.title_id, who.person_id, "
            f"CASE WHEN {cast} THEN 'cast' ELSE 'crew' END AS role, "
            f"CASE WHEN NOT {cast} OR p.chars IS NULL OR p.chars = '' THEN '' "
            f"WHEN {simple} THEN left(substr(p.chars, 3, length(p.chars) - 4), 300) "
            "ELSE c.value END AS character, "
            f"CASE WHEN {cast} THEN '' ELSE j.value END AS job, p.ordering"
        )
        source = (
            "FROM telly_stage_principal p "
            "JOIN telly_stage_title m ON m.tconst = p.tconst "
            "JOIN telly_stage_person who ON who.nconst = substr(p.nconst, 3)::bigint "
            "LEFT JOIN telly_stage_chars c ON c.raw = p.chars "
            "LEFT JOIN telly_stage_jobs j ON j.job = coalesce(p.job, '') "
            "AND j.category = coalesce(p.category, '')"
        )
        total = scalar("SELECT COUNT(*) FROM telly_stage_principal")
        execute("DROP TABLE IF EXISTS telly_stage_credit")
        joined = execute(
            "CREATE TEMP TABLE telly_stage_credit ON COMMIT DROP AS "
            f"SELECT {fields}, m.known, p.ctid AS line {source}"
        )
        # Credits of titles the database had: CreditLoader's merge (add missing, keep the rest),
        # first, while the unique part index is there to find them.
        merger = CreditLoader(ctx, writer, self.titles, self.people)
        merged = 0
        for batch in batches(
            "SELECT title_id, person_id, role, character, job, ordering FROM telly_stage_credit "
            "WHERE known",
            5000,
        ):
            merger._merge(batch)
            merged += len(batch)
        cols, picks, params = select_list(
            writer,
            Credit,
            {
                "title_id": "title_id",
                "person_id": "person_id",
                "role": "role",
                "character": "character",
                "job": "job",
                "order": "ordering",
            },
            (("source", SOURCE), ("seen_at", writer.db_time(ctx.seen_at))),
        )
        aside = UniqueSetAside(Credit)
        # A part listed twice for a title is kept once, as first listed (CreditLoader drops the
        # repeat without counting it).
        inserted = execute(
            f"INSERT INTO catalog_credit ({cols}) SELECT {picks} FROM ("
            "SELECT DISTINCT ON (title_id, person_id, role, character, job) * "
            "FROM telly_stage_credit WHERE NOT known "
            "ORDER BY title_id, person_id, role, character, job, line) AS x",
            params,
        )
        aside.restore()
        ctx.tally.created("credit", inserted)
        # An episode's principal, or a title or person this import did not bring in.
        ctx.tally.add("credit", "skipped", total - joined)


class _NmGroups:
    """A PRINCIPALS line match whose nconst group keeps its ``nm`` (the staging column does)."""

    def __init__(self, match: re.Match[str]) -> None:
        self.match = match

    def groups(self, default: str) -> tuple[str, ...]:
        g = list(self.match.groups(default))
        g[2] = "nm" + g[2]
        return tuple(g)


__all__ = ["CAST", "handles", "run"]
