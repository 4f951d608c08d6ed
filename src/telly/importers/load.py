"""Upserting parsed records, one at a time, for the record-shaped sources (TVmaze, TMDB,
streaming catalogues, the curated CSVs). The IMDb bulk path has its own batched writer
(``imdb/bulk.py``) built on the same rules.

Matching, the same for every source:

1. by external id: any id the record carries (``imdb:tt0944947``, ``tmdb:tv/1399``...) that is
   already known names the title;
2. otherwise by normalised name (``telly.catalog.text.name_key``) + year + kind family
   (episodic: series/miniseries; single: film/special), when exactly one title fits;
3. otherwise a new title.

Every id a record carries is then recorded on the title, so the next source matches in step 1.
Field values go through ``Sourced.apply_source``: each changed field remembers its source,
``seen_at`` is the run's time, and fields an editor locked are never overwritten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Model, Q

from telly.catalog.models import (
    Credit,
    Episode,
    ExternalId,
    Genre,
    Person,
    Season,
    Sourced,
    Title,
)
from telly.catalog.text import make_slug, name_key
from telly.importers.context import ImportContext

EPISODIC = ("series", "miniseries")
SINGLE = ("film", "special")


def kind_family(kind: str) -> tuple[str, ...]:
    return EPISODIC if kind in EPISODIC else SINGLE


@dataclass
class TitleRecord:
    """A title as a source describes it. ``fields`` holds only what the source says."""

    kind: str
    name: str
    year: int | None = None
    ids: dict[str, str] = field(default_factory=dict)  # scheme -> value
    fields: dict[str, Any] = field(default_factory=dict)
    genres: list[str] = field(default_factory=list)


def to_decimal(value: Any, places: str = "0.1") -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value)).quantize(Decimal(places))


def find_title(record: TitleRecord) -> Title | None:
    """Step 1 and 2 of matching (see the module docstring)."""
    ids = [(s, v) for s, v in record.ids.items() if v]
    if ids:
        query = Q()
        for scheme, value in ids:
            query |= Q(scheme=scheme, value=value)
        hit = ExternalId.objects.filter(query, title__isnull=False).select_related("title").first()
        if hit is not None:
            return hit.title
    candidates = Title.objects.filter(
        name_key=name_key(record.name), kind__in=kind_family(record.kind)
    )
    if record.year:
        candidates = candidates.filter(Q(year=record.year) | Q(year__isnull=True))
    found = list(candidates.values_list("pk", flat=True))
    if found and ids:
        # A title that already carries an id of the same scheme with another value is another
        # title (asked apart: most names have no candidate, and then one query is enough).
        other = set(
            ExternalId.objects.filter(
                title_id__in=found, scheme__in=[s for s, _ in ids]
            ).values_list("title_id", flat=True)
        )
        found = [pk for pk in found if pk not in other]
    return Title.objects.get(pk=found[0]) if len(found) == 1 else None


def record_ids(title: Title, ids: dict[str, str], at: dt.datetime, *, new: bool = False) -> None:
    """Note every id a record carries on its title. ``new``: the title was just created because
    none of these ids named a title, so they are all new (one INSERT, no look-ups)."""
    ids = {s: v for s, v in ids.items() if v}
    if not ids:
        return
    if not new:
        query = Q()
        for scheme, value in ids.items():
            query |= Q(scheme=scheme, value=value)
        known = ExternalId.objects.filter(query, title__isnull=False)
        have = set(known.values_list("scheme", "value"))
        if have:
            known.update(last_seen=at)
        ids = {s: v for s, v in ids.items() if (s, v) not in have}
    ExternalId.objects.bulk_create(
        [
            ExternalId(scheme=s, value=v, title=title, first_seen=at, last_seen=at)
            for s, v in ids.items()
        ]
    )


def genres_named(ctx: ImportContext, names: list[str]) -> list[Genre]:
    """``Genre.for_names``, remembered for the run (catalogues repeat a few genre lists)."""
    key = ("genres", tuple(names))
    if key not in ctx.cache:
        ctx.cache[key] = Genre.for_names(names)
    return ctx.cache[key]


def title_slug(ctx: ImportContext, title: Title) -> str:
    """``Title.unique_slug`` with the taken slugs read once per run instead of once per title."""
    from telly.importers.imdb.people import Slugs

    slugs = ctx.cache.get("title-slugs")
    if slugs is None:
        slugs = ctx.cache["title-slugs"] = Slugs(set(Title.objects.values_list("slug", flat=True)))
    base = make_slug(title.name)
    return slugs.make(base, f"{base}-{title.year}" if title.year else "", f"{base}-{title.kind}")


def upsert_title(ctx: ImportContext, record: TitleRecord) -> Title:
    at, source = ctx.seen_at, ctx.format
    title = find_title(record)
    values = {
        "name": record.name,
        "kind": record.kind,
        **({"year": record.year} if record.year else {}),
    }
    values.update({k: v for k, v in record.fields.items() if v not in (None, "", [])})
    created = title is None
    if title is None:
        title = Title(
            **values,
            sources=dict.fromkeys(values, source),
            seen_at=at,
            created_at=at,
            updated_at=at,
        )
        # What Title.save() would do, without a search-index row per title: the run announces
        # its new titles once it commits (ctx.changes), and search takes them in bulk.
        title.name_key = name_key(title.name)
        title.slug = title_slug(ctx, title)
        Title.objects.bulk_create([title])
        changed: list[str] = list(values)
    else:
        # A match by name must not rename or re-kind the title it found.
        values.pop("kind", None)
        changed = title.apply_source(values, source, at)
        title.save()
    record_ids(title, record.ids, at, new=created)
    if record.genres and "genres" not in title.locked_fields:
        genres = genres_named(ctx, record.genres)
        have = set(title.genres.values_list("id", flat=True)) if not created else set()
        missing = [g for g in genres if g.id not in have]
        if missing:
            Title.genres.through.objects.bulk_create(
                [Title.genres.through(title_id=title.pk, genre_id=g.pk) for g in missing],
                ignore_conflicts=True,
            )
            changed.append("genres")
    ctx.tally.outcome("title", created, bool(changed))
    assert ctx.changes is not None
    if created:
        ctx.changes.new_titles.add(title.pk)
    if changed:
        ctx.changes.titles.add(title.pk)
    return title


def save_sourced[M: Sourced](
    ctx: ImportContext,
    model: type[M],
    found: M | None,
    keys: dict[str, Any],
    values: dict[str, Any],
) -> tuple[M, bool]:
    """Create ``model(**keys, **values)`` when ``found`` is None, else apply ``values`` to it
    (editor locks honoured); either way with this run's source and time. Returns the row and
    whether anything changed (a new row always has)."""
    if found is None:
        row = model(
            **keys,
            **values,
            # Relations (an episode's season) are not facts a source states.
            sources={k: ctx.format for k, v in values.items() if not isinstance(v, Model)},
            seen_at=ctx.seen_at,
            created_at=ctx.seen_at,
            updated_at=ctx.seen_at,
        )
        row.save()
        return row, True
    changed = bool(found.apply_source(values, ctx.format, ctx.seen_at))
    found.save()
    return found, changed


def upsert_season(ctx: ImportContext, title: Title, number: int, values: dict[str, Any]) -> Season:
    found = Season.objects.filter(title=title, number=number).first()
    values = {k: v for k, v in values.items() if v not in (None, "")}
    season, changed = save_sourced(ctx, Season, found, {"title": title, "number": number}, values)
    ctx.tally.outcome("season", found is None, changed)
    if changed:
        ctx.changes.seasons.add(season.pk)  # type: ignore[union-attr]
    return season


def upsert_episode(
    ctx: ImportContext,
    title: Title,
    season: Season | None,
    season_number: int | None,
    number: int | None,
    values: dict[str, Any],
) -> Episode:
    episode = None
    if season_number is not None and number is not None:
        episode = Episode.objects.filter(
            title=title, season_number=season_number, number=number
        ).first()
    elif values.get("name"):
        episode = Episode.objects.filter(
            title=title, season_number=season_number, number=number, name=values["name"]
        ).first()
    values = {k: v for k, v in values.items() if v not in (None, "")}
    if season is not None:
        values["season"] = season
    created = episode is None
    episode, changed = save_sourced(
        ctx,
        Episode,
        episode,
        {"title": title, "season_number": season_number, "number": number},
        values,
    )
    ctx.tally.outcome("episode", created, changed)
    if changed:
        ctx.changes.episodes.add(episode.pk)  # type: ignore[union-attr]
    return episode


def upsert_person(
    ctx: ImportContext, name: str, ids: dict[str, str], values: dict[str, Any] | None = None
) -> Person:
    """A person by external id, else a new one: people are not matched by name alone, since two
    actors often share a name."""
    values = {"name": name, **{k: v for k, v in (values or {}).items() if v not in (None, "")}}
    person = None
    ids = {s: v for s, v in ids.items() if v}
    if ids:
        query = Q()
        for scheme, value in ids.items():
            query |= Q(scheme=scheme, value=value)
        hit = (
            ExternalId.objects.filter(query, person__isnull=False).select_related("person").first()
        )
        person = hit.person if hit else None
    created = person is None
    if person is None:
        person = Person(
            **values,
            sources=dict.fromkeys(values, ctx.format),
            seen_at=ctx.seen_at,
            created_at=ctx.seen_at,
            updated_at=ctx.seen_at,
        )
        person.save()
        changed = True
    else:
        changed = bool(person.apply_source(values, ctx.format, ctx.seen_at))
        person.save()
    for scheme, value in ids.items():
        if not ExternalId.objects.filter(scheme=scheme, value=value, person__isnull=False).update(
            last_seen=ctx.seen_at
        ):
            ExternalId.objects.create(
                scheme=scheme,
                value=value,
                person=person,
                first_seen=ctx.seen_at,
                last_seen=ctx.seen_at,
            )
    ctx.tally.outcome("person", created, changed)
    if changed:
        ctx.changes.people.add(person.pk)  # type: ignore[union-attr]
    return person


def upsert_credit(
    ctx: ImportContext,
    title: Title,
    person: Person,
    *,
    role: str = "cast",
    character: str = "",
    job: str = "",
    order: int = 0,
    episode_count: int | None = None,
) -> Credit:
    character, job = character[:300], job[:100]
    credit = Credit.objects.filter(
        title=title, person=person, role=role, character=character, job=job
    ).first()
    created = credit is None
    if created:
        credit = Credit.objects.create(
            title=title,
            person=person,
            role=role,
            character=character,
            job=job,
            order=order,
            episode_count=episode_count,
            source=ctx.format,
            seen_at=ctx.seen_at,
        )
        changed = True
    else:
        changed = credit.order != order or (
            episode_count is not None and credit.episode_count != episode_count
        )
        credit.order = order
        if episode_count is not None:
            credit.episode_count = episode_count
        if changed:
            credit.source = ctx.format
        credit.seen_at = ctx.seen_at
        credit.save()
    ctx.tally.outcome("credit", created, changed)
    if created:
        ctx.changes.credits.add(credit.pk)  # type: ignore[union-attr]
    return credit
