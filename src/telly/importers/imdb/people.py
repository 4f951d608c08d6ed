"""name.basics → Person (+ its IMDb ExternalId)."""

from __future__ import annotations

from functools import cached_property, lru_cache
from pathlib import Path

from telly.catalog.models import ExternalId, Person
from telly.catalog.text import make_slug, name_key
from telly.importers.context import ImportContext
from telly.importers.imdb.bulk import BATCH, BulkWriter, Fixed, IdBlock, provenance
from telly.importers.imdb.files import NAME, TEXT, YEAR, fast_rows, is_id, is_year, line_pattern

SOURCE = "imdb"
PROFESSIONS = {
    "actor": "Acting",
    "actress": "Acting",
    "self": "Acting",
    "director": "Directing",
    "writer": "Writing",
    "producer": "Production",
    "composer": "Sound",
    "cinematographer": "Camera",
    "editor": "Editing",
}
PERSON_COLUMNS = (
    "id",
    "name",
    "slug",
    "name_key",
    "birth_year",
    "death_year",
    "known_for",
)
NAMES = line_pattern(r"nm(\d+)", NAME, YEAR, YEAR, TEXT, r"[^\t\r\n]*")
PERSON_EXTID_COLUMNS = ("value", "person_id")
TITLE_EXTID_COLUMNS = ("value", "title_id")


def extid_fixed(at: object) -> Fixed:
    return (("scheme", SOURCE), ("first_seen", at), ("last_seen", at))


# People's names repeat a lot (first and last names recombine): remember their derived forms.
person_key = lru_cache(maxsize=100_000)(name_key)


@lru_cache(maxsize=100_000)
def person_slug(name: str) -> str:
    return make_slug(name, "person")


class Slugs:
    """Unique slugs without a query per row: the taken ones in a set, a counter per base."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self.counter: dict[str, int] = {}

    def make(self, base: str, *candidates: str) -> str:
        for candidate in (base, *candidates):
            if candidate and candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        n = self.counter.get(base, 2)
        while f"{base}-{n}" in self.taken:
            n += 1
        self.counter[base] = n + 1
        slug = f"{base}-{n}"
        self.taken.add(slug)
        return slug


class PersonLoader:
    def __init__(self, ctx: ImportContext, writer: BulkWriter) -> None:
        self.ctx, self.writer = ctx, writer
        self.ids: dict[int, int] = {
            int(value[2:]): pk
            for value, pk in writer.select(
                "SELECT value, person_id FROM catalog_externalid WHERE scheme = 'imdb' AND person_id IS NOT NULL"
            )
            if value[2:].isdecimal()
        }
        self.changed: set[int] = set()
        self._slugs: Slugs | None = None

    @property
    def slugs(self) -> Slugs:
        if self._slugs is None:
            self._slugs = Slugs(
                {s for (s,) in self.writer.select("SELECT slug FROM catalog_person")}
            )
        return self._slugs

    @cached_property
    def stamped(self) -> Fixed:
        """The provenance of the people this run creates (a query: ask before the connection
        is busy elsewhere)."""
        fields = ("name", "birth_year", "death_year", "known_for")
        return provenance(Person, fields, SOURCE, self.ctx.seen_at)

    def load(self, path: Path) -> None:
        ctx, writer = self.ctx, self.writer
        self.at = writer.db_time(ctx.seen_at)
        self.fixed = self.stamped
        block = IdBlock(writer, Person)
        people: list[tuple] = []
        extids: list[tuple] = []
        known: list[tuple[int, dict]] = []

        def careful(line: int, f: list[str | None]) -> tuple[str, ...] | None:
            if not f:
                ctx.reject(line, "expected 6 tab-separated fields (name.basics)", "person", path)
                return None
            nconst, name, birth, death, professions = f[0], f[1], f[2], f[3], f[4]
            if not nconst or not is_id(nconst, "nm"):
                ctx.reject(line, f"nconst {nconst!r} is not an IMDb name id (nm…)", "person", path)
                return None
            if not name:
                ctx.reject(line, "primaryName is empty", "person", path)
                return None
            if (birth and not is_year(birth)) or (death and not is_year(death)):
                ctx.reject(
                    line, f"birthYear/deathYear {birth!r}/{death!r} is not a year", "person", path
                )
                return None
            return nconst[2:], name, birth or "", death or "", professions or ""

        for chunk in fast_rows(path, "name.basics", NAMES, careful, ctx.row_read):
            for nconst, name, birth, death, professions in chunk:
                first = professions.split(",", 1)[0] if professions else ""
                known_for = PROFESSIONS.get(first, first.replace("_", " ").capitalize())[:60]
                values = {
                    "name": name[:200],
                    "birth_year": int(birth) if birth else None,
                    "death_year": int(death) if death else None,
                    "known_for": known_for,
                }
                number = int(nconst)
                pk = self.ids.get(number)
                if pk is not None:
                    known.append((pk, values))
                    if len(known) >= 2000:
                        self._update(known)
                        known = []
                    continue
                pk = block.take()
                self.ids[number] = pk
                slug = self.slugs.make(person_slug(name))
                people.append(
                    (
                        pk,
                        values["name"],
                        slug,
                        person_key(name),
                        values["birth_year"],
                        values["death_year"],
                        known_for,
                    )
                )
                extids.append(("nm" + nconst, pk))
                if len(people) >= BATCH:
                    self._flush(people, extids)
                    people, extids = [], []
        self._flush(people, extids)
        self._update(known)

    def _flush(self, people: list[tuple], extids: list[tuple]) -> None:
        if people:
            self.writer.insert(Person, PERSON_COLUMNS, people, self.fixed)
            self.writer.insert(ExternalId, PERSON_EXTID_COLUMNS, extids, extid_fixed(self.at))
            self.ctx.tally.created("person", len(people))
            if len(self.changed) < 200_000:
                self.changed.update(p[0] for p in people)

    def _update(self, known: list[tuple[int, dict]]) -> None:
        """People we already have: change only what differs and is not locked."""
        if not known:
            return
        found = Person.objects.in_bulk([pk for pk, _ in known])
        unchanged = []
        for pk, values in known:
            person = found.get(pk)
            if person is None:
                continue
            changed = person.apply_source(values, SOURCE, self.ctx.seen_at)
            if changed:
                person.save(
                    update_fields=[*changed, "sources", "seen_at", "updated_at", "name_key"]
                )
                self.changed.add(pk)
                self.ctx.tally.updated("person")
            else:
                unchanged.append(pk)
        if unchanged:
            Person.objects.filter(pk__in=unchanged).update(seen_at=self.ctx.seen_at)
            ExternalId.objects.filter(person__in=unchanged, scheme="imdb").update(
                last_seen=self.ctx.seen_at
            )
            self.ctx.tally.unchanged("person", len(unchanged))

    def announce(self) -> None:
        self.ctx.changes.people.update(self.changed)  # type: ignore[union-attr]
