"""What both catalogue layouts share: which service, which region, countries, cast by name."""

from __future__ import annotations

import ast
import re
from functools import cache

import pycountry

from telly.catalog.models import Credit, ExternalId, Person, Title
from telly.catalog.text import name_key
from telly.importers.context import ImportContext
from telly.importers.errors import BadInput
from telly.importers.load import upsert_person
from telly.importers.offers import must
from telly.streaming.models import Provider
from telly.streaming.providers import ProviderResolver

# File-name words → the service they mean (the provider resolver knows the aliases).
FILE_PROVIDERS = (
    ("netflix", "Netflix"),
    ("amazon", "Prime Video"),
    ("prime", "Prime Video"),
    ("disney", "Disney+"),
    ("hulu", "Hulu"),
    ("hbo", "Max"),
    ("paramount", "Paramount+"),
    ("apple", "Apple TV+"),
    ("peacock", "Peacock"),
)


def provider_for(ctx: ImportContext, resolver: ProviderResolver) -> Provider:
    if ctx.provider:
        return must(resolver.resolve(ctx.provider))
    stem = ctx.path.name.lower()
    for word, name in FILE_PROVIDERS:
        if word in stem:
            return must(resolver.resolve(name))
    raise BadInput(
        ctx.path,
        None,
        "which service is this catalogue? give --provider (the file name does not say)",
    )


def require_region(ctx: ImportContext) -> str:
    if not ctx.region:
        raise BadInput(
            ctx.path, None, "catalogues do not say their region: give --region (e.g. --region US)"
        )
    return ctx.region


@cache
def country_code(name: str) -> str | None:
    name = name.strip()
    if not name:
        return None
    if re.fullmatch(r"[A-Z]{2}", name):
        return name
    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return None


def python_list(raw: str) -> list[str]:
    """``"['drama', 'crime']"`` → ['drama', 'crime']; anything else → []."""
    raw = raw.strip()
    if not raw.startswith("["):
        return []
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def person_on_title(
    ctx: ImportContext, title: Title, name: str, ids: dict[str, str] | None = None
) -> Person:
    """A person named in a catalogue: by id if one is known, else the person of that name already
    credited on this title, else (for a name without ids) the only person of that name, else a
    new person. The ids the
    catalogue gives are recorded on whoever it turns out to be."""
    ids = {k: v for k, v in (ids or {}).items() if v}
    if (
        ids
        and ExternalId.objects.filter(
            person__isnull=False, scheme__in=list(ids), value__in=list(ids.values())
        ).exists()
    ):
        return upsert_person(ctx, name, ids)
    key = name_key(name)
    credited = (
        Credit.objects.filter(title=title, person__name_key=key).select_related("person").first()
    )
    person = credited.person if credited is not None else None
    if person is None and not ids:
        # Without ids a name is all we have; with ids, another id is another person.
        same = list(Person.objects.filter(name_key=key)[:2])
        person = same[0] if len(same) == 1 else None
    if person is None:
        return upsert_person(ctx, name, ids)
    for scheme, value in ids.items():
        ExternalId.objects.get_or_create(
            scheme=scheme,
            value=value,
            person=person,
            defaults={"first_seen": ctx.seen_at, "last_seen": ctx.seen_at},
        )
    ctx.tally.unchanged("person")
    return person
