"""title.basics (+ title.episode, title.ratings) → Title, Season, Episode, genres, IMDb ids."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from telly.catalog.models import Episode, ExternalId, Genre, Season, Title
from telly.catalog.text import make_slug, name_key
from telly.importers.context import ImportContext
from telly.importers.imdb.bulk import BATCH, BulkWriter, IdBlock, provenance
from telly.importers.imdb.files import (
    LAST,
    NAME,
    SMALL,
    TEXT,
    YEAR,
    Careful,
    fast_rows,
    is_id,
    is_number,
    is_year,
    line_pattern,
)
from telly.importers.imdb.people import SOURCE, TITLE_EXTID_COLUMNS, Slugs, extid_fixed

KINDS = {
    "tvSeries": "series",
    "tvMiniSeries": "miniseries",
    "movie": "film",
    "tvMovie": "film",
    "tvSpecial": "special",
    "short": "film",
    "tvShort": "film",
    "video": "film",
    "tvPilot": "special",
}
NOT_IN_GUIDE = {"videoGame": "video games are not in a TV guide"}
EPISODIC = {"series", "miniseries"}
TITLE_COLUMNS = (
    "id",
    "kind",
    "name",
    "original_name",
    "slug",
    "name_key",
    "year",
    "end_year",
    "runtime",
    "rating",
    "votes",
)
SEASON_COLUMNS = ("id", "title_id", "number")
EPISODE_COLUMNS = (
    "title_id",
    "season_id",
    "season_number",
    "number",
    "name",
    "air_at",
    "air_precision",
    "runtime",
)
TYPES = "|".join(sorted({*KINDS, *NOT_IN_GUIDE, "tvEpisode"}))
BASICS = line_pattern(r"tt(\d+)", f"({TYPES})", NAME, TEXT, r"([^\t\n]*)", YEAR, YEAR, SMALL, LAST)
EPISODES = line_pattern(r"tt(\d+)", r"tt(\d+)", SMALL, SMALL)
# The fields IMDb sets on the titles, episodes and seasons a load creates (their provenance).
TITLE_SOURCED = (
    *("kind", "name", "original_name", "year", "end_year", "runtime"),
    *("rating", "votes", "genres"),
)
EPISODE_SOURCED = ("name", "air_at", "runtime")
SEASON_SOURCED = ("number",)
ANNOUNCE_LIMIT = 200_000  # above this, changed episodes are announced through their titles


RATINGS = line_pattern(r"tt(\d+)", r"(10\.0|\d\.\d)", r"(\d{1,9})")


def read_ratings(ctx: ImportContext, path: Path) -> dict[int, tuple[str, int]]:
    def careful(line: int, f: list[str | None]) -> tuple[str, ...] | None:
        if not f or not f[0] or not is_id(f[0], "tt"):
            ctx.reject(line, "expected tconst, averageRating, numVotes", "rating", path)
            return None
        try:
            rating = Decimal(f[1] or "")
            votes = int(f[2] or "0")
        except (ArithmeticError, ValueError):
            ctx.reject(
                line, f"averageRating {f[1]!r} / numVotes {f[2]!r} are not numbers", "rating", path
            )
            return None
        if not 0 <= rating <= 10 or votes < 0:
            ctx.reject(line, f"averageRating {f[1]!r} is not between 0 and 10", "rating", path)
            return None
        return f[0][2:], str(rating.quantize(Decimal("0.1"))), str(votes)

    ratings: dict[int, tuple[str, int]] = {}
    for batch in fast_rows(path, "title.ratings", RATINGS, careful, ctx.row_read):
        for tconst, rating, votes in batch:
            ratings[int(tconst)] = (rating, int(votes))
    return ratings


def basics_check(ctx: ImportContext, path: Path) -> Careful:
    """The careful line-by-line check of a title.basics row (for a chunk that does not fit the
    strict pattern): the row as the fast path reads it, or None after ``ctx.reject``."""

    def careful(line: int, f: list[str | None]) -> tuple[str, ...] | None:
        if not f:
            ctx.reject(line, "expected 9 tab-separated fields (title.basics)", "title", path)
            return None
        tconst, type_, name, original, adult, start, end, runtime, genres = f
        if not tconst or not is_id(tconst, "tt"):
            ctx.reject(line, f"tconst {tconst!r} is not an IMDb title id (tt…)", "title", path)
            return None
        if (start and not is_year(start)) or (end and not is_year(end)):
            ctx.reject(line, f"startYear/endYear {start!r}/{end!r} is not a year", "title", path)
            return None
        if runtime and not is_number(runtime):
            ctx.reject(line, f"runtimeMinutes {runtime!r} is not a whole number", "title", path)
            return None
        if type_ != "tvEpisode" and type_ not in NOT_IN_GUIDE:
            if type_ not in KINDS:
                ctx.reject(line, f"titleType {type_!r} is not an IMDb title type", "title", path)
                return None
            if adult != "1" and not name:
                ctx.reject(line, "primaryTitle is empty", "title", path)
                return None
        return (
            tconst[2:],
            type_ or "",
            name or "",
            original or "",
            adult or "",
            start or "",
            end or "",
            runtime or "",
            genres or "",
        )

    return careful


def episode_check(ctx: ImportContext, path: Path) -> Careful:
    """The careful check of a title.episode row, as ``basics_check``."""

    def careful(line: int, f: list[str | None]) -> tuple[str, ...] | None:
        if not f or not f[0] or not f[1] or not is_id(f[0], "tt") or not is_id(f[1], "tt"):
            ctx.reject(
                line,
                "expected tconst, parentTconst, seasonNumber, episodeNumber",
                "episode",
                path,
            )
            return None
        season, number = f[2], f[3]
        if (season and not is_number(season)) or (number and not is_number(number)):
            ctx.reject(
                line,
                f"seasonNumber {season!r} / episodeNumber {number!r} are not numbers",
                "episode",
                path,
            )
            return None
        return f[0][2:], f[1][2:], season or "", number or ""

    return careful


class EpisodeIndex:
    """title.episode rows looked up by tconst, read in step with title.basics (both sorted by
    tconst, as IMDb ships them) a chunk at a time; rows read ahead are held until asked for, so
    an unsorted file costs memory, never correctness."""

    def __init__(self, ctx: ImportContext, path: Path | None) -> None:
        self.ctx, self.path = ctx, path
        self.ahead: dict[int, tuple[int, int | None, int | None]] = {}
        self.chunks: Iterator[list[tuple[str, ...]]] | None = self._read(path) if path else None
        self.top = -1  # the largest tconst read so far
        self.sorted = True

    def _read(self, path: Path) -> Iterator[list[tuple[str, ...]]]:
        ctx = self.ctx

        return fast_rows(path, "title.episode", EPISODES, episode_check(ctx, path), ctx.row_read)

    def _more(self) -> bool:
        """Read the next chunk into ``ahead``; False at the end of the file."""
        chunk = next(self.chunks, None) if self.chunks is not None else None
        if chunk is None:
            self.chunks = None
            return False
        rows = {
            int(t): (int(p), int(s) if s else None, int(n) if n else None) for t, p, s, n in chunk
        }
        if rows:
            keys = list(rows)
            if keys[0] <= self.top or sorted(keys) != keys:
                self.sorted = False
            self.top = max(self.top, max(keys))
            self.ahead.update(rows)
        return True

    def get(self, tconst: int) -> tuple[int, int | None, int | None] | None:
        found = self.ahead.pop(tconst, None)
        if found is not None:
            return found
        # Read on while the row may still come: past it in a sorted file, to the end otherwise.
        while (tconst > self.top or not self.sorted) and self._more():
            found = self.ahead.pop(tconst, None)
            if found is not None:
                return found
        return None

    def leftover(self) -> int:
        """title.episode rows whose episode title.basics never named."""
        while self._more():
            pass
        return len(self.ahead)


class TitleLoader:
    def __init__(
        self, ctx: ImportContext, writer: BulkWriter, ratings: dict[int, tuple[str, int]]
    ) -> None:
        self.ctx, self.writer, self.ratings = ctx, writer, ratings
        self.at = writer.db_time(ctx.seen_at)
        self.ids: dict[int, int] = {
            int(v[2:]): pk
            for v, pk in writer.select(
                "SELECT value, title_id FROM catalog_externalid WHERE scheme = 'imdb' AND title_id IS NOT NULL"
            )
            if v[2:].isdecimal()
        }
        self.preexisting = set(self.ids.values())  # titles the database had before this run
        self.by_name = self._titles_without_imdb_id()
        self.preexisting.update(pk for pk in self.by_name.values() if pk)
        self.genres = {g.name: g.pk for g in Genre.objects.all()}
        self._genre_lists: dict[str, list[int]] = {}
        self._slugs: Slugs | None = None
        self.new_titles: set[int] = set()
        self.changed_titles: set[int] = set()
        self.changed_episodes: set[int] = set()
        self.seasons: dict[tuple[int, int], int] = {}
        self.episodes_created = 0
        self.first_new_season: int | None = None
        self.max_episode_before = writer.select("SELECT COALESCE(MAX(id), 0) FROM catalog_episode")[
            0
        ][0]

    def _titles_without_imdb_id(self) -> dict[tuple[str, int | None, bool], int | None]:
        """(name key, year, episodic) → title id for titles no IMDb id names yet; None when two
        titles share the key (ambiguous: never guess)."""
        found: dict[tuple[str, int | None, bool], int | None] = {}
        for pk, key, year, kind in self.writer.select(
            "SELECT id, name_key, year, kind FROM catalog_title t WHERE NOT EXISTS ("
            "SELECT 1 FROM catalog_externalid e WHERE e.title_id = t.id AND e.scheme = 'imdb')"
        ):
            k = (key, year, kind in EPISODIC)
            found[k] = None if k in found else pk
        return found

    @property
    def slugs(self) -> Slugs:
        if self._slugs is None:
            self._slugs = Slugs(
                {s for (s,) in self.writer.select("SELECT slug FROM catalog_title")}
            )
        return self._slugs

    def genre_ids(self, names: str | None) -> list[int]:
        if not names:
            return []
        if names in self._genre_lists:
            return self._genre_lists[names]
        out = []
        for name in names.split(","):
            pk = self.genres.get(name)
            if pk is None:
                Genre.for_names([name])
                self.genres = {g.name: g.pk for g in Genre.objects.all()}
                pk = self.genres.get(name) or self.genres.get(name.replace("-", " "))
            if pk is not None:
                out.append(pk)
        self._genre_lists[names] = out
        return out

    # -- title.basics -------------------------------------------------------------------------

    def load(self, path: Path, episode_path: Path | None) -> None:
        ctx, writer = self.ctx, self.writer
        at = self.at
        seen = ctx.seen_at
        title_fixed = provenance(Title, TITLE_SOURCED, SOURCE, seen)
        episode_fixed = provenance(Episode, EPISODE_SOURCED, SOURCE, seen)
        season_fixed = provenance(Season, SEASON_SOURCED, SOURCE, seen)
        extid_fixed_ = extid_fixed(at)
        title_block, season_block = IdBlock(writer, Title), IdBlock(writer, Season)
        index = EpisodeIndex(ctx, episode_path)
        titles: list[tuple] = []
        extids: list[tuple] = []
        links: list[tuple] = []
        seasons: list[tuple] = []
        episodes: list[tuple] = []
        matched: list[tuple[int, dict, list[int]]] = []
        known_episodes: list[tuple] = []
        orphans: list[tuple] = []
        year_instants: dict[int, object] = {}

        def flush() -> None:
            nonlocal titles, extids, links, seasons, episodes
            if titles:
                writer.insert(Title, TITLE_COLUMNS, titles, title_fixed)
                ctx.tally.created("title", len(titles))
            if extids:
                writer.insert(ExternalId, TITLE_EXTID_COLUMNS, extids, extid_fixed_)
            if links:
                writer.insert(Title.genres.through, ("title_id", "genre_id"), links)
            if seasons:
                writer.insert(Season, SEASON_COLUMNS, seasons, season_fixed)
                ctx.tally.created("season", len(seasons))
            if episodes:
                writer.insert(Episode, EPISODE_COLUMNS, episodes, episode_fixed)
                ctx.tally.created("episode", len(episodes))
                self.episodes_created += len(episodes)
            titles, extids, links, seasons, episodes = [], [], [], [], []

        def episode_row(
            title_id: int,
            season: int | None,
            number: int | None,
            name: str | None,
            year: str | None,
            runtime: str | None,
        ) -> tuple | None:
            if season is None or number is None:
                ctx.tally.add("episode", "skipped")  # IMDb gives no season/episode number
                return None
            season_id = self.seasons.get((title_id, season))
            if season_id is None:
                season_id = season_block.take()
                if self.first_new_season is None:
                    self.first_new_season = season_id
                self.seasons[(title_id, season)] = season_id
                seasons.append((season_id, title_id, season))
            air = None
            if year:
                air = year_instants.get(int(year))
                if air is None:
                    air = year_instants[int(year)] = writer.db_time(
                        dt.datetime(int(year), 1, 1, tzinfo=dt.UTC)
                    )
            return (
                title_id,
                season_id,
                season,
                number,
                (name or "")[:300],
                air,
                "year" if air else "day",
                int(runtime) if runtime else None,
            )

        get_episode = index.get
        ids, preexisting = self.ids, self.preexisting
        for batch in fast_rows(path, "title.basics", BASICS, basics_check(ctx, path), ctx.row_read):
            for tconst, type_, name, original, adult, start, end, runtime, genres in batch:
                number = int(tconst)
                if type_ == "tvEpisode":
                    found = get_episode(number)
                    if found is None:
                        ctx.tally.add("episode", "skipped")  # no title.episode row: parent unknown
                        continue
                    parent, season, ep = found
                    parent_id = ids.get(parent)
                    if parent_id is None:
                        orphans.append((parent, season, ep, name, start, runtime))
                        continue
                    if parent_id in preexisting:
                        known_episodes.append((parent_id, season, ep, name, start, runtime))
                        if len(known_episodes) >= 2000:
                            self._merge_episodes(known_episodes, season_block)
                            known_episodes = []
                        continue
                    row = episode_row(parent_id, season, ep, name, start, runtime)
                    if row is not None:
                        episodes.append(row)
                        if len(episodes) >= BATCH:
                            flush()
                    continue
                kind = KINDS.get(type_)
                if kind is None or adult == "1":
                    # Video games and adult titles are not in a TV guide.
                    ctx.tally.add("title", "skipped")
                    continue
                rating, votes = self.ratings.get(number, (None, 0))
                year = int(start) if start else None
                values = {
                    "kind": kind,
                    "name": name[:300],
                    "original_name": (original if original and original != name else "")[:300],
                    "year": year,
                    "end_year": int(end) if end else None,
                    "runtime": int(runtime) if runtime else None,
                    "rating": Decimal(rating) if rating else None,
                    "votes": votes,
                }
                genre_ids = self.genre_ids(genres)
                pk = ids.get(number)
                key = name_key(name)
                if pk is None:
                    pk = self.by_name.get((key, year, kind in EPISODIC)) if self.by_name else None
                    if pk is not None:
                        # Matched by name + year + kind: remember the IMDb id; never match it twice.
                        del self.by_name[(key, year, kind in EPISODIC)]
                        ids[number] = pk
                        extids.append(("tt" + tconst, pk))
                if pk is not None:
                    matched.append((pk, values, genre_ids))
                    if len(matched) >= 2000:
                        self._merge_titles(matched)
                        matched = []
                    continue
                pk = title_block.take()
                ids[number] = pk
                self.new_titles.add(pk)
                base = make_slug(name)
                slug = self.slugs.make(base, f"{base}-{year}" if year else "", f"{base}-{kind}")
                titles.append(
                    (
                        pk,
                        kind,
                        values["name"],
                        values["original_name"],
                        slug,
                        key,
                        year,
                        values["end_year"],
                        values["runtime"],
                        rating,
                        votes,
                    )
                )
                extids.append(("tt" + tconst, pk))
                links.extend((pk, g) for g in genre_ids)
                if len(titles) >= BATCH:
                    flush()
        flush()
        self._merge_titles(matched)
        # Episodes whose series came later in the file (or was already in the database).
        for parent, season, ep, name, start, runtime in orphans:
            parent_id = self.ids.get(parent)
            if parent_id is None:
                ctx.tally.add("episode", "skipped")  # its series is neither in the file nor here
            elif parent_id in self.preexisting:
                known_episodes.append((parent_id, season, ep, name, start, runtime))
            else:
                row = episode_row(parent_id, season, ep, name, start, runtime)
                if row is not None:
                    episodes.append(row)
        flush()
        self._merge_episodes(known_episodes, season_block)
        flush()
        ctx.tally.add("episode", "skipped", index.leftover())

    def count_episodes_per_season(self) -> None:
        """Seasons this run created get their episode count (IMDb does not state it)."""
        if self.first_new_season is None:
            return
        from django.db import connection

        # One grouped count joined in (a correlated count per season took seconds at scale).
        # Every season this run made has at least one episode: it was made for one.
        sql = (
            "UPDATE catalog_season SET episode_count = c.n FROM (SELECT season_id, COUNT(*) AS n "
            "FROM catalog_episode WHERE season_id >= %s GROUP BY season_id) AS c "
            "WHERE catalog_season.id = c.season_id"
        )
        if self.writer.background is not None:
            self.writer.background.submit(sql.replace("%s", "?"), (self.first_new_season,))
            return
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.first_new_season])

    # -- rows the database already has ---------------------------------------------------------

    def _merge_titles(self, matched: list[tuple[int, dict, list[int]]]) -> None:
        if not matched:
            return
        ctx = self.ctx
        found = Title.objects.in_bulk([pk for pk, _, _ in matched])
        have_links: dict[int, set[int]] = {}
        for tid, gid in Title.genres.through.objects.filter(title_id__in=found).values_list(
            "title_id", "genre_id"
        ):
            have_links.setdefault(tid, set()).add(gid)
        unchanged: list[int] = []
        links: list = []
        for pk, values, genre_ids in matched:
            title = found.get(pk)
            if title is None:
                continue
            if title.kind != values["kind"] and "kind" in title.locked_fields:
                values.pop("kind")
            changed = title.apply_source(values, SOURCE, ctx.seen_at)
            missing = (
                []
                if "genres" in title.locked_fields
                else [g for g in genre_ids if g not in have_links.get(pk, set())]
            )
            if missing:
                links.extend(Title.genres.through(title_id=pk, genre_id=g) for g in missing)
                title.sources["genres"] = SOURCE
                changed.append("genres")
            if changed:
                title.save(
                    update_fields=[c for c in changed if c != "genres"]
                    + ["sources", "seen_at", "updated_at", "name_key"]
                )
                self.changed_titles.add(pk)
                ctx.tally.updated("title")
            else:
                unchanged.append(pk)
        if links:
            Title.genres.through.objects.bulk_create(links, ignore_conflicts=True)
        if unchanged:
            Title.objects.filter(pk__in=unchanged).update(seen_at=ctx.seen_at)
            ctx.tally.unchanged("title", len(unchanged))
        ExternalId.objects.filter(title__in=list(found), scheme="imdb").update(
            last_seen=ctx.seen_at
        )

    def _merge_episodes(self, rows_: list[tuple], season_block: IdBlock) -> None:
        """Episodes of titles the database already had: match on (title, season, number)."""
        if not rows_:
            return
        ctx = self.ctx
        title_ids = {r[0] for r in rows_}
        existing = {
            (e.title_id, e.season_number, e.number): e
            for e in Episode.objects.filter(title_id__in=title_ids)
        }
        for sid, tid, number in Season.objects.filter(title_id__in=title_ids).values_list(
            "id", "title_id", "number"
        ):
            self.seasons.setdefault((tid, number), sid)
        unchanged: list[int] = []
        for tid, season, ep, name, start, runtime in rows_:
            if season is None or ep is None:
                ctx.tally.add("episode", "skipped")
                continue
            episode = existing.get((tid, season, ep))
            if episode is None:
                sid = self.seasons.get((tid, season))
                if sid is None:
                    # From the block: an id the database hands out could be one the block
                    # has reserved for the new series' seasons.
                    season_obj = Season.objects.create(
                        id=season_block.take(),
                        title_id=tid,
                        number=season,
                        sources={"number": SOURCE},
                        seen_at=ctx.seen_at,
                        created_at=ctx.seen_at,
                        updated_at=ctx.seen_at,
                    )
                    sid = self.seasons[(tid, season)] = season_obj.pk
                    ctx.tally.created("season")
                air = dt.datetime(int(start), 1, 1, tzinfo=dt.UTC) if start else None
                new = Episode.objects.create(
                    title_id=tid,
                    season_id=sid,
                    season_number=season,
                    number=ep,
                    name=(name or "")[:300],
                    air_at=air,
                    air_precision="year" if air else "day",
                    runtime=int(runtime) if runtime else None,
                    sources=dict.fromkeys(("name", "air_at", "runtime"), SOURCE),
                    seen_at=ctx.seen_at,
                    created_at=ctx.seen_at,
                    updated_at=ctx.seen_at,
                )
                self.changed_episodes.add(new.pk)
                ctx.tally.created("episode")
                continue
            values: dict = {
                "name": (name or "")[:300],
                "runtime": int(runtime) if runtime else None,
            }
            # A year says less than a date another source gave: keep the more precise one.
            if start and (episode.air_at is None or episode.air_precision == "year"):
                values["air_at"] = dt.datetime(int(start), 1, 1, tzinfo=dt.UTC)
                values["air_precision"] = "year"
            if not values["name"]:
                values.pop("name")
            if values["runtime"] is None:
                values.pop("runtime")
            changed = episode.apply_source(values, SOURCE, ctx.seen_at)
            if changed:
                episode.save(update_fields=[*changed, "sources", "seen_at", "updated_at"])
                self.changed_episodes.add(episode.pk)
                ctx.tally.updated("episode")
            else:
                unchanged.append(episode.pk)
        if unchanged:
            Episode.objects.filter(pk__in=unchanged).update(seen_at=ctx.seen_at)
            ctx.tally.unchanged("episode", len(unchanged))

    def apply_ratings_only(self) -> None:
        """title.ratings on its own: ratings and votes of titles already imported from IMDb."""
        matched: list[tuple[int, dict, list[int]]] = []
        for number, (rating, votes) in self.ratings.items():
            pk = self.ids.get(number)
            if pk is None:
                self.ctx.tally.add("rating", "skipped")
                continue
            matched.append((pk, {"rating": Decimal(rating), "votes": votes}, []))
            if len(matched) >= 2000:
                self._merge_titles(matched)
                matched = []
        self._merge_titles(matched)

    def announce(self) -> None:
        changes = self.ctx.changes
        assert changes is not None
        changes.new_titles.update(self.new_titles)
        changes.titles.update(self.new_titles | self.changed_titles)
        if 0 < self.episodes_created <= ANNOUNCE_LIMIT:
            # Bulk-inserted episodes all belong to new titles (announced above); name them too
            # while there are few enough to be worth it.
            changes.episodes.update(
                pk
                for (pk,) in self.writer.select(
                    "SELECT id FROM catalog_episode WHERE id > %s", [self.max_episode_before]
                )
            )
        changes.episodes.update(self.changed_episodes)
