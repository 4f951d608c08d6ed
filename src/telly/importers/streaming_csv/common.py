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
    ("crunchyroll", "Crunchyroll"),
    ("starz", "Starz"),
    ("showtime", "Showtime"),
    ("britbox", "BritBox"),
    ("iplayer", "BBC iPlayer"),
    ("itvx", "ITVX"),
    ("channel4", "Channel 4"),
    ("nowtv", "NOW"),
    ("mubi", "MUBI"),
    ("pluto", "Pluto TV"),
    ("rakuten", "Rakuten Viki"),
    ("viki", "Rakuten Viki"),
)


def provider_for(ctx: ImportContext, resolver: ProviderResolver) -> Provider:
    if ctx.provider:
        return must(resolver.resolve(ctx.provider))
    # "Disney Plus titles.csv", "now-tv_titles.csv" and "channel_4.csv" name their service too.
    stem = "".join(c for c in ctx.path.name.lower() if c.isalnum())
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
