"""Which provider a feed means: one provider however a feed spells it.

Feeds name the same service many ways ("Amazon Prime Video", "Prime Video"; "Disney Plus",
"Disney+"; "Now TV", "NOW"). Importers resolve every name through here so that a service is
one row with one price history and one catalogue:

    >>> provider_for_name("Disney Plus")          # doctest: +SKIP
    <Provider: Disney+>
    >>> resolver = ProviderResolver()             # doctest: +SKIP  (one query, then in memory)
    >>> resolver.resolve("Prime Video", tmdb_id=9)  # doctest: +SKIP
    <Provider: Prime Video>

Matching is on a *name key*: case, spacing, punctuation and a trailing "+"/"plus" do not matter
(``"Disney+"`` and ``"disney plus"`` are both ``disneyplus``). A name matches a provider's
name, slug or any of its ``aliases``, or the aliases of the well-known services below.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from telly.catalog.text import make_slug
from telly.streaming.models import Provider, ProviderKind


@dataclass(frozen=True)
class KnownProvider:
    """A well-known service: the name we show, the names feeds use, its TMDB id."""

    name: str
    kind: str  # a ProviderKind value
    regions: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    tmdb_id: int | None = None
    homepage: str = ""
    priority: int = 100
    extra_tmdb_ids: tuple[int, ...] = field(default=())


# ProviderKind values, spelled out so the table below stays short.
SUB, FREE, ADS, STORE = "subscription", "free", "ads", "store"

# TMDB ids from TMDB's watch-provider list (tmdb/watch-provider-tv-list.json).
KNOWN_PROVIDERS: tuple[KnownProvider, ...] = (
    KnownProvider(
        "Netflix",
        SUB,
        ("GB", "US", "IE", "DE", "FR", "ES", "IT", "NL", "CA", "AU"),
        ("Netflix basic with Ads",),
        8,
        "https://www.netflix.com/",
        1,
    ),
    KnownProvider(
        "Prime Video",
        SUB,
        ("GB", "US", "IE", "DE", "FR", "ES", "IT", "NL", "CA", "AU"),
        ("Amazon Prime Video", "Amazon Prime", "Prime"),
        9,
        "https://www.primevideo.com/",
        2,
        (119,),
    ),
    KnownProvider(
        "Disney+",
        SUB,
        ("GB", "US", "IE", "DE", "FR", "ES", "IT", "NL", "CA", "AU"),
        ("Disney Plus", "DisneyPlus"),
        337,
        "https://www.disneyplus.com/",
        3,
    ),
    KnownProvider(
        "BBC iPlayer", FREE, ("GB",), ("iPlayer",), 38, "https://www.bbc.co.uk/iplayer", 4
    ),
    KnownProvider(
        "ITVX", ADS, ("GB",), ("ITV Hub", "ITV X", "ITVX Premium"), 41, "https://www.itv.com/", 5
    ),
    KnownProvider(
        "Channel 4",
        ADS,
        ("GB",),
        ("All 4", "All4", "4OD", "Channel 4 streaming"),
        103,
        "https://www.channel4.com/",
        6,
    ),
    KnownProvider(
        "My5", ADS, ("GB",), ("Channel 5", "Demand 5"), 333, "https://www.channel5.com/", 7
    ),
    KnownProvider(
        "NOW",
        SUB,
        ("GB", "IE"),
        ("Now TV", "NOW TV", "Now Entertainment"),
        39,
        "https://www.nowtv.com/",
        8,
        (484,),
    ),
    KnownProvider(
        "Sky Go", SUB, ("GB", "IE"), ("SkyGo",), 29, "https://www.sky.com/watch/sky-go", 9
    ),
    KnownProvider(
        "Apple TV+",
        SUB,
        ("GB", "US", "IE", "DE", "FR", "ES", "IT", "NL", "CA", "AU"),
        ("Apple TV Plus", "AppleTV+"),
        350,
        "https://tv.apple.com/",
        10,
    ),
    KnownProvider(
        "Paramount+",
        SUB,
        ("GB", "US", "IE", "DE", "FR", "IT", "CA", "AU"),
        ("Paramount Plus",),
        531,
        "https://www.paramountplus.com/",
        11,
    ),
    KnownProvider("UKTV Play", ADS, ("GB",), ("UKTV",), 137, "https://uktvplay.co.uk/", 12),
    KnownProvider("Hulu", SUB, ("US",), (), 15, "https://www.hulu.com/", 13),
    KnownProvider("Max", SUB, ("US",), ("HBO Max",), 1899, "https://www.max.com/", 14, (384,)),
    KnownProvider(
        "Peacock", SUB, ("US",), ("Peacock Premium",), 386, "https://www.peacocktv.com/", 15, (387,)
    ),
    KnownProvider(
        "Freevee",
        ADS,
        ("GB", "US"),
        ("Amazon Freevee", "IMDb TV"),
        613,
        "https://www.amazon.com/freevee",
        16,
    ),
    KnownProvider(
        "Apple TV Store",
        STORE,
        ("GB", "US", "IE", "DE", "FR", "ES", "IT", "NL", "CA", "AU"),
        ("Apple TV", "iTunes", "Apple iTunes"),
        2,
        "https://tv.apple.com/",
        40,
    ),
    KnownProvider(
        "Amazon Video",
        STORE,
        ("GB", "US", "IE", "DE", "FR", "ES", "IT", "CA", "AU"),
        ("Amazon Store", "Amazon Instant Video"),
        10,
        "https://www.amazon.co.uk/",
        41,
    ),
    KnownProvider(
        "Google Play Movies",
        STORE,
        ("GB", "US", "IE", "DE", "FR", "ES", "IT", "NL", "CA", "AU"),
        ("Google Play", "Google TV"),
        3,
        "https://play.google.com/",
        42,
    ),
    KnownProvider("Sky Store", STORE, ("GB", "IE"), (), 130, "https://www.skystore.com/", 43),
    KnownProvider(
        "Rakuten TV",
        STORE,
        ("GB", "IE", "DE", "FR", "ES", "IT", "NL"),
        ("Rakuten",),
        35,
        "https://www.rakuten.tv/",
        44,
    ),
    KnownProvider(
        "Microsoft Store",
        STORE,
        ("GB", "US", "IE", "DE", "FR", "ES", "IT", "NL", "CA", "AU"),
        (),
        68,
        "https://www.microsoft.com/",
        45,
    ),
    KnownProvider("Vudu", STORE, ("US",), ("Fandango at Home",), 7, "https://www.vudu.com/", 46),
)


def name_key(name: str) -> str:
    """``"Disney+"``, ``"Disney Plus"`` and ``" disney-plus "`` → ``"disneyplus"``."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().casefold()
    text = text.replace("+", " plus ")
    return re.sub(r"[^a-z0-9]", "", text)


_KNOWN_BY_KEY: dict[str, KnownProvider] = {}
for _known in KNOWN_PROVIDERS:
    for _name in (_known.name, *_known.aliases):
        _KNOWN_BY_KEY.setdefault(name_key(_name), _known)
_KNOWN_BY_TMDB: dict[int, KnownProvider] = {
    tmdb_id: k for k in KNOWN_PROVIDERS for tmdb_id in (k.tmdb_id, *k.extra_tmdb_ids) if tmdb_id
}


def known_provider(name: str | None = None, tmdb_id: int | None = None) -> KnownProvider | None:
    """The well-known service a name or TMDB id means, if it is one we know."""
    if tmdb_id is not None and tmdb_id in _KNOWN_BY_TMDB:
        return _KNOWN_BY_TMDB[tmdb_id]
    return _KNOWN_BY_KEY.get(name_key(name)) if name else None


class ProviderResolver:
    """Resolves many names with one query: build one per import, call ``resolve`` per row."""

    def __init__(self) -> None:
        self.by_key: dict[str, Provider] = {}
        self.by_tmdb: dict[int, Provider] = {}
        for provider in Provider.objects.all():
            self._remember(provider)

    def _remember(self, provider: Provider) -> None:
        for name in (provider.name, provider.slug, *(provider.aliases or [])):
            self.by_key.setdefault(name_key(name), provider)
        if provider.tmdb_id:
            self.by_tmdb[provider.tmdb_id] = provider

    def find(self, name: str | None = None, tmdb_id: int | None = None) -> Provider | None:
        """The existing provider for this name or TMDB id, or None."""
        if tmdb_id is not None and tmdb_id in self.by_tmdb:
            return self.by_tmdb[tmdb_id]
        keys = [name_key(name)] if name else []
        known = known_provider(name, tmdb_id)
        if known is not None:
            keys += [name_key(n) for n in (known.name, *known.aliases)]
        for key in keys:
            if key and key in self.by_key:
                return self.by_key[key]
        return None

    def get(self, name: str, tmdb_id: int | None = None, *, kind: str | None = None) -> Provider:
        """``resolve`` that always answers a provider (created when missing)."""
        provider = self.resolve(name, tmdb_id, kind=kind)
        assert provider is not None  # resolve creates when asked to
        return provider

    def resolve(
        self, name: str, tmdb_id: int | None = None, *, create: bool = True, kind: str | None = None
    ) -> Provider | None:
        """The provider for ``name`` (and/or TMDB id), created if ``create`` and none exists.

        A new well-known service gets its display name, kind, regions and aliases from
        ``KNOWN_PROVIDERS``; an unknown one is created under the name as given, of ``kind``
        (a ``ProviderKind`` or the monetization of the offer that named it: rent/buy → store)."""
        provider = self.find(name, tmdb_id)
        if provider is not None or not create:
            return provider
        if not name or not name_key(name):
            raise ValueError("a provider needs a name")
        provider = create_provider(name, tmdb_id, taken_tmdb=set(self.by_tmdb), kind=kind)
        self._remember(provider)
        return provider


KIND_OF_MONETIZATION = {"subscription": SUB, "free": FREE, "ads": ADS, "rent": STORE, "buy": STORE}


def create_provider(
    name: str,
    tmdb_id: int | None = None,
    *,
    taken_tmdb: set[int] | None = None,
    kind: str | None = None,
) -> Provider:
    known = known_provider(name, tmdb_id)
    if known is not None:
        values = {
            "name": known.name,
            "kind": known.kind,
            "regions": list(known.regions),
            "aliases": list(known.aliases),
            "homepage": known.homepage,
            "display_priority": known.priority,
            "tmdb_id": known.tmdb_id,
        }
    else:
        values = {"name": " ".join(name.split()), "tmdb_id": tmdb_id}
        if kind:
            values["kind"] = ProviderKind(KIND_OF_MONETIZATION.get(kind, kind))
    if values["tmdb_id"] in (taken_tmdb or set()):
        values["tmdb_id"] = None
    base = provider_slug(str(values["name"]))
    slug, n = base, 2
    while Provider.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    try:
        with transaction.atomic():
            return Provider.objects.create(slug=slug, **values)
    except IntegrityError:
        # Another import created it meanwhile (same name or TMDB id): use that row.
        existing = Provider.objects.filter(name=values["name"]).first()
        if existing is None and values["tmdb_id"]:
            existing = Provider.objects.filter(tmdb_id=values["tmdb_id"]).first()
        if existing is None:
            raise
        return existing


def provider_slug(name: str) -> str:
    """``"Disney+"`` → ``"disney-plus"`` (a bare "+" would vanish from the slug)."""
    return make_slug(name.replace("+", " plus"), "provider")


def provider_for_name(
    name: str, tmdb_id: int | None = None, *, create: bool = True, kind: str | None = None
) -> Provider | None:
    """The provider a feed means by ``name`` (aliases resolved), created if missing.

    For many rows build one ``ProviderResolver`` instead: this makes a fresh one per call."""
    return ProviderResolver().resolve(name, tmdb_id, create=create, kind=kind)
