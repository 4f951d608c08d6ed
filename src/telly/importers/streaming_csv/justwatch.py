"""``justwatch-csv``: JustWatch-derived titles.csv (with seasons and IMDb ids) and credits.csv."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from telly.catalog.models import Credit, ExternalId, Person
from telly.catalog.text import name_key
from telly.importers.context import ImportContext
from telly.importers.imdb.people import Slugs, person_slug
from telly.importers.load import TitleRecord, upsert_title
from telly.importers.offers import upsert_offer
from telly.importers.reading import csv_rows, header_fields
from telly.importers.streaming_csv.common import (
    provider_for,
    python_list,
    require_region,
)
from telly.streaming.providers import ProviderResolver

TITLES = (
    "id",
    "title",
    "type",
    "release_year",
    "age_certification",
    "runtime",
    "genres",
    "production_countries",
    "seasons",
    "imdb_id",
)
GENRES = {
    "scifi": "Science fiction",
    "documentation": "Documentary",
    "war": "War",
    "reality": "Reality",
}


def sniff(path: Path, head: bytes) -> bool:
    header = set(header_fields(head))
    return {"id", "title", "type", "seasons", "imdb_id"} <= header or (
        {"name", "character", "role"} <= header and bool(header & {"title_id", "id"})
    )


def run(ctx: ImportContext) -> None:
    with open(ctx.path, "rb") as f:
        header = header_fields(f.read(4096))
    if "seasons" in header:
        run_titles(ctx)
    else:
        run_credits(ctx, header)


def number(text: str, column: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{column} {text!r} is not a number") from None


def run_titles(ctx: ImportContext) -> None:
    region = require_region(ctx)
    resolver = ProviderResolver()
    provider = provider_for(ctx, resolver)
    for line, row in csv_rows(ctx.path, TITLES):
        ctx.row_read()
        if "__width__" in row:
            ctx.reject(line, row["__width__"], "title")
            continue
        name, kind, jw_id = " ".join(row["title"].split()), row["type"].strip(), row["id"].strip()
        imdb_id, year = row["imdb_id"].strip(), row["release_year"].strip()
        try:
            if not name or not jw_id:
                raise ValueError("id and title must not be empty")
            if kind not in ("SHOW", "MOVIE"):
                raise ValueError(f"type {kind!r} is neither SHOW nor MOVIE")
            if year and not re.fullmatch(r"\d{4}", year):
                raise ValueError(f"release_year {year!r} is not a year")
            if imdb_id and not re.fullmatch(r"tt\d+", imdb_id):
                raise ValueError(f"imdb_id {imdb_id!r} is not an IMDb title id")
            seasons = number(row["seasons"], "seasons")
            runtime = number(row["runtime"], "runtime")
            score = number(row.get("imdb_score", ""), "imdb_score")
            votes = number(row.get("imdb_votes", ""), "imdb_votes")
            popularity = number(row.get("tmdb_popularity", ""), "tmdb_popularity")
        except ValueError as exc:
            ctx.reject(line, str(exc), "title")
            continue
        series = kind == "SHOW"
        record = TitleRecord(
            kind="series" if series else "film",
            name=name,
            year=int(year) if year else None,
            ids={"justwatch": jw_id, **({"imdb": imdb_id} if imdb_id else {})},
            fields={
                "certification": row["age_certification"].strip()[:16],
                "runtime": int(runtime) if runtime and 0 < runtime < 1000 else None,
                "countries": sorted(
                    {
                        c
                        for c in python_list(row["production_countries"])
                        if re.fullmatch(r"[A-Z]{2}", c)
                    }
                ),
                "rating": score.quantize(Decimal("0.1"))
                if score is not None and 0 <= score <= 10
                else None,
                "votes": int(votes) if votes is not None else None,
                "popularity": float(popularity) if popularity is not None else None,
            },
            genres=[GENRES.get(g, g.capitalize()) for g in python_list(row["genres"])],
        )
        title = upsert_title(ctx, record)
        count = int(seasons) if series and seasons else 0
        upsert_offer(
            ctx,
            title,
            provider,
            region,
            "subscription",
            seasons=list(range(1, count + 1)),
        )


CREDIT_BATCH = 1000  # credits.csv rows resolved and written together


@dataclass
class CreditRow:
    title: str  # JustWatch title id
    person: str  # JustWatch person id ('' when the file has none)
    name: str
    role: str  # ACTOR or DIRECTOR
    character: str


def run_credits(ctx: ImportContext, header: list[str]) -> None:
    """credits.csv: Kaggle names the columns person_id,id (title); one copy renamed them id,title_id.

    Rows are resolved a batch at a time (a few queries per batch, not per row); the rules
    (``CreditBatch``) are applied row after row in memory, so a batch boundary changes nothing."""
    person_col, title_col = ("person_id", "id") if "person_id" in header else ("id", "title_id")
    batch = CreditBatch(ctx)
    rows: list[CreditRow] = []
    for line, row in csv_rows(ctx.path, (person_col, title_col, "name", "character", "role")):
        ctx.row_read()
        if "__width__" in row:
            ctx.reject(line, row["__width__"], "credit")
            continue
        jw_title, person_id, name, role = (
            row[title_col].strip(),
            row[person_col].strip(),
            row["name"].strip(),
            row["role"].strip(),
        )
        if not jw_title or not name or role not in ("ACTOR", "DIRECTOR"):
            ctx.reject(
                line,
                f"expected a title id, a name and role ACTOR or DIRECTOR; got {jw_title!r}, {name!r}, {role!r}",
                "credit",
            )
            continue
        rows.append(CreditRow(jw_title, person_id, name, role, row["character"].strip()))
        if len(rows) >= CREDIT_BATCH:
            batch.load(rows)
            rows = []
    batch.load(rows)


class CreditBatch:
    """People and credits of credits.csv rows, a batch at a time.

    For each row: the person who holds its JustWatch id, else the person of that name already
    credited on the title, else (for a row without an id) the only person of that name, else a
    new person; the ids a row gives are recorded on whoever it turns out to be. Then the credit,
    created or confirmed as ``load.upsert_credit`` would. Writes go out in bulk, and what changed
    is announced through ``ctx.changes`` for search to pick up after the commit."""

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.titles: dict[str, int | None] = {}  # JustWatch title id → our title id
        self._slugs: Slugs | None = None

    @property
    def slugs(self) -> Slugs:
        if self._slugs is None:
            self._slugs = Slugs(set(Person.objects.values_list("slug", flat=True)))
        return self._slugs

    def load(self, rows: list[CreditRow]) -> None:
        if not rows:
            return
        ctx, at, source = self.ctx, self.ctx.seen_at, self.ctx.format
        tally, changes = ctx.tally, ctx.changes
        unknown = {r.title for r in rows} - self.titles.keys()
        if unknown:
            for value, title_id in ExternalId.objects.filter(
                scheme="justwatch", value__in=unknown, title__isnull=False
            ).values_list("value", "title_id"):
                self.titles[value] = title_id
            for value in unknown:
                self.titles.setdefault(value, None)
        live: list[tuple[CreditRow, int]] = [
            (r, t) for r in rows if (t := self.titles[r.title]) is not None
        ]
        tally.add("credit", "skipped", len(rows) - len(live))  # titles.csv did not bring them
        if not live:
            return
        title_ids = {t for _, t in live}
        keys = {r.name: name_key(r.name) for r, _ in live}
        by_id: dict[str, Person] = {
            e.value: e.person  # type: ignore[misc]
            for e in ExternalId.objects.filter(
                scheme="justwatch",
                value__in={f"person/{r.person}" for r, _ in live if r.person},
                person__isnull=False,
            ).select_related("person")
        }
        credited: dict[tuple[int, str], Person] = {}
        for credit in Credit.objects.filter(
            title_id__in=title_ids, person__name_key__in=set(keys.values())
        ).select_related("person"):
            credited.setdefault((credit.title_id, credit.person.name_key), credit.person)
        by_key: dict[str, list[Person]] = {}
        for person in Person.objects.filter(name_key__in=set(keys.values())).order_by("pk"):
            by_key.setdefault(person.name_key, []).append(person)
        existing = {
            (c.title_id, c.person_id, c.role, c.character, c.job): c
            for c in Credit.objects.filter(title_id__in=title_ids)
        }

        new_people: list[Person] = []
        new_ids: list[ExternalId] = []
        seen_people: dict[int, Person] = {}  # found ones, by pk
        renamed: dict[int, Person] = {}
        confirmed_ids: set[str] = set()
        new_credits: dict[tuple, Credit] = {}
        moved_credits: list[Credit] = []
        seen_credits: list[int] = []

        for row, title_id in live:
            key = keys[row.name]
            jw_id = f"person/{row.person}" if row.person else ""
            person = by_id.get(jw_id) if jw_id else None
            if person is not None:
                if person.apply_source({"name": row.name}, source, at):
                    person.name_key = name_key(person.name)
                    if person.pk:
                        renamed[person.pk] = person
                    tally.updated("person")
                else:
                    tally.unchanged("person")
                if person.pk:
                    seen_people[person.pk] = person
                    confirmed_ids.add(jw_id)
            else:
                person = credited.get((title_id, key))
                if person is None and not jw_id:
                    same = by_key.get(key, [])
                    person = same[0] if len(same) == 1 else None
                if person is None:
                    person = Person(
                        name=row.name,
                        name_key=key,
                        slug=self.slugs.make(person_slug(row.name)),
                        sources={"name": source},
                        seen_at=at,
                        created_at=at,
                        updated_at=at,
                    )
                    new_people.append(person)
                    by_key.setdefault(key, []).append(person)
                    tally.created("person")
                else:
                    tally.unchanged("person")
                if jw_id:
                    new_ids.append(
                        ExternalId(
                            scheme="justwatch",
                            value=jw_id,
                            person=person,
                            first_seen=at,
                            last_seen=at,
                        )
                    )
                    by_id[jw_id] = person
            if row.role == "ACTOR":
                role, character, job = "cast", row.character[:300], ""
            else:
                role, character, job = "crew", "", "Director"
            credited.setdefault((title_id, key), person)
            found = existing.get((title_id, person.pk, role, character, job)) if person.pk else None
            if found is not None:
                if found.order != 0:
                    found.order, found.source, found.seen_at = 0, source, at
                    moved_credits.append(found)
                    tally.updated("credit")
                else:
                    seen_credits.append(found.pk)
                    tally.unchanged("credit")
                continue
            part = (title_id, person.pk or -id(person), role, character, job)
            if part in new_credits:
                tally.unchanged("credit")  # the same part twice in the file
                continue
            new_credits[part] = Credit(
                title_id=title_id,
                person=person,
                role=role,
                character=character,
                job=job,
                order=0,
                source=source,
                seen_at=at,
            )
            tally.created("credit")

        Person.objects.bulk_create(new_people)
        changes.people.update(p.pk for p in new_people)  # type: ignore[union-attr]
        if renamed:
            Person.objects.bulk_update(
                list(renamed.values()), ["name", "name_key", "sources", "seen_at", "updated_at"]
            )
            changes.people.update(renamed)  # type: ignore[union-attr]
        if seen_people:
            Person.objects.filter(pk__in=list(seen_people)).update(seen_at=at)
        if new_ids:
            ExternalId.objects.bulk_create(new_ids)
        if confirmed_ids:
            ExternalId.objects.filter(
                scheme="justwatch", value__in=confirmed_ids, person__isnull=False
            ).update(last_seen=at)
        created = Credit.objects.bulk_create(list(new_credits.values()))
        changes.credits.update(c.pk for c in created)  # type: ignore[union-attr]
        if moved_credits:
            Credit.objects.bulk_update(moved_credits, ["order", "source", "seen_at"])
        if seen_credits:
            Credit.objects.filter(pk__in=seen_credits).update(seen_at=at)
