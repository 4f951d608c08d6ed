"""Credits from sources that name people without ids (streaming catalogues): a handful of
queries per title, not per person.

A name is the person already credited on this title under that name, else the only person of
that name in the catalogue, else a new person. Two different people who share a name and have
no ids are thereby merged: catalogues give nothing better to tell them apart.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from telly.catalog.models import Credit, Person, Title
from telly.catalog.text import make_slug, name_key
from telly.importers.context import ImportContext
from telly.importers.imdb.people import Slugs


@dataclass(frozen=True)
class Part:
    name: str
    role: str = "cast"
    character: str = ""
    job: str = ""
    order: int = 0


class CastWriter:
    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self._by_key: dict[str, list[int | Person]] | None = None
        self._slugs: Slugs | None = None

    @property
    def by_key(self) -> dict[str, list[int | Person]]:
        if self._by_key is None:
            self._by_key = defaultdict(list)
            for pk, key in Person.objects.values_list("id", "name_key"):
                self._by_key[key].append(pk)
        return self._by_key

    def person(self, name: str, key: str, credited: dict[str, int | Person]) -> int | Person:
        """A known person's id, or a new Person (saved with the title's credits, in bulk)."""
        if key in credited:
            return credited[key]
        same = self.by_key.get(key, [])
        if len(same) == 1:
            return same[0]
        if self._slugs is None:
            self._slugs = Slugs(set(Person.objects.values_list("slug", flat=True)))
        at = self.ctx.seen_at
        person = Person(
            name=name[:200],
            name_key=name_key(name[:200]),
            slug=self._slugs.make(make_slug(name, "person")),
            sources={"name": self.ctx.format},
            seen_at=at,
            created_at=at,
            updated_at=at,
        )
        self.by_key[key].append(person)
        return person

    def write(self, title: Title, parts: list[Part]) -> None:
        if not parts:
            return
        ctx = self.ctx
        assert ctx.changes is not None
        is_new = title.pk in ctx.changes.new_titles
        existing: dict[tuple, Credit] = {}
        credited: dict[str, int | Person] = {}
        if not is_new:
            for credit in Credit.objects.filter(title=title).select_related("person"):
                existing[(credit.person_id, credit.role, credit.character, credit.job)] = credit
                credited.setdefault(credit.person.name_key, credit.person_id)
        new_people: list[Person] = []
        new: dict[tuple, Credit] = {}
        for part in parts:
            key = name_key(part.name)
            found = self.person(part.name, key, credited)
            if isinstance(found, Person) and found.pk is None:
                if found not in new_people:
                    new_people.append(found)
                person_ref: int = -id(found)  # not saved yet: told apart by identity
            else:
                person_ref = found.pk if isinstance(found, Person) else found
            credited.setdefault(key, found)
            part_key = (person_ref, part.role, part.character[:300], part.job[:100])
            if part_key in existing:
                ctx.tally.unchanged("credit")
                continue
            if part_key in new:
                continue
            credit = Credit(
                title=title,
                role=part.role,
                character=part_key[2],
                job=part_key[3],
                order=part.order,
                source=ctx.format,
                seen_at=ctx.seen_at,
            )
            if isinstance(found, Person):
                credit.person = found
            else:
                credit.person_id = found
            new[part_key] = credit
        if new_people:
            # Person.save() would also write one search-index row each: the run announces
            # its new people at commit instead.
            Person.objects.bulk_create(new_people)
            ctx.tally.created("person", len(new_people))
            ctx.changes.people.update(p.pk for p in new_people)  # type: ignore[union-attr]
        if new:
            created = Credit.objects.bulk_create(list(new.values()))
            ctx.tally.created("credit", len(created))
            ctx.changes.credits.update(c.pk for c in created if c.pk)
        if existing:
            Credit.objects.filter(pk__in=[c.pk for c in existing.values()]).update(
                seen_at=ctx.seen_at
            )
