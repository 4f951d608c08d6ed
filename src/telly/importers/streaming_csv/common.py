"""What both catalogue layouts share: which service, which region, countries, cast by name."""

from __future__ import annotations

import ast
import re
from functools import cache

import pycountry

from telly.importers.context import ImportContext
from telly.importers.errors import BadInput
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
