"""The one way to search Telly: :func:`search`. The page, the suggestions, the API and other apps
(the editorial link suggester...) all call it.

    >>> results = search("hartstoper")                      # doctest: +SKIP
    >>> results[0].name, results[0].kind                      # doctest: +SKIP
    ('Heartstopper', 'title')
    >>> search("elle argent", kind="character")[0].label      # doctest: +SKIP
    'Elle Argent → Yasmin Finney in Heartstopper'

Ranking: exact name first, then relevance (how many query words match and how well, how much
of the name they cover), then popularity. Filters narrow titles: kind (series / film), genre,
year range, available on a provider in a region now, on TV in the next seven days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from telly.catalog.models import Credit, Person, Title, TitleKind
from telly.search import live
from telly.search.index import ALL_WORDS, KIND_CODE, KINDS, TOP, Query
from telly.search.text import MAX_QUERY_CHARS, MAX_QUERY_TOKENS, compact, tokens
from telly.streaming.models import Offer, Provider

KIND_CHOICES = ("title", "series", "film", "person", "character", "channel", "provider")
SERIES_KINDS = (TitleKind.SERIES, TitleKind.MINISERIES)
FILM_KINDS = (TitleKind.FILM, TitleKind.SPECIAL)
VIA_CHARACTER = 5.0  # a title found through one of its characters ranks just below it
MAX_LIMIT = 100
RELATIVE_FLOOR = 0.35
SHORTLIST = 60  # candidates ranked for a search of one kind without filters


@dataclass
class Filters:
    genre: str | None = None  # genre slug
    year_from: int | None = None
    year_to: int | None = None
    provider: str | None = None  # provider slug: available now in ``region``
    region: str | None = None
    on_tv: bool = False  # airs in the next seven days (in ``region`` when given)

    def narrows_titles(self) -> bool:
        return bool(self.genre or self.year_from or self.year_to or self.provider or self.on_tv)


@dataclass
class Result:
    kind: str  # title, person, character, channel, provider
    id: int
    name: str
    url: str
    label: str  # one line: "Elle Argent → Yasmin Finney in Heartstopper"
    detail: str = ""  # "Series · 2022–"
    score: float = 0.0
    title_id: int | None = None
    person_id: int | None = None
    year: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def parse(text: str) -> Query:
    text = (text or "")[:MAX_QUERY_CHARS]
    words = tokens(text)[:MAX_QUERY_TOKENS]
    partial = bool(text) and not text[-1].isspace()
    return Query(text, words, compact(words), partial)


def _kinds_for(kind: str | None) -> frozenset[int] | None:
    if kind is None:
        return None
    if kind in ("title", "series", "film"):
        return frozenset({KIND_CODE["title"], KIND_CODE["character"]})
    return frozenset({KIND_CODE[kind]})


def search(
    q: str,
    kind: str | None = None,
    limit: int = 10,
    *,
    genre: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    provider: str | None = None,
    region: str | None = None,
    on_tv: bool = False,
) -> list[Result]:
    """The best ``limit`` results for ``q`` (any text: it never raises on odd input).

    ``kind`` is one of :data:`KIND_CHOICES` or None for everything. Title filters (genre,
    years, provider in region, on TV) restrict results to titles.
    """
    if kind is not None and kind not in KIND_CHOICES:
        raise ValueError(f"unknown kind {kind!r}: use one of {', '.join(KIND_CHOICES)}")
    limit = max(1, min(int(limit), MAX_LIMIT))
    filters = Filters(genre, year_from, year_to, provider, region, on_tv)
    if filters.narrows_titles() and kind not in ("series", "film"):
        kind = "title"
    query = parse(q)
    if not query.key:
        if not filters.narrows_titles():
            return []
        # Filters without words: browse the matching titles, most popular first.
        browse = _title_rows(kind, filters).order_by("-popularity", "name")[:limit]
        return _hydrate([("title", pk, 0.0, 0.0) for pk in browse.values_list("pk", flat=True)])
    snap = live.current()
    ranked = _rank(snap, query, kind, filters, limit)
    if kind in ("series", "film") or filters.narrows_titles():  # "title" needs no database check
        ranked = _filter_titles(ranked, kind, filters, limit)
    return _hydrate(ranked[:limit])


def ranked(q: str, kind: str | None = None, limit: int = 10) -> list[tuple[str, int, float]]:
    """(kind, row id, relevance) of the best ``limit`` matches, without reading the rows: for
    callers that only need ids (the benchmark, link suggesters)."""
    query = parse(q)
    if not query.key:
        return []
    found = _rank(live.current(), query, kind, Filters(), limit)
    if kind in ("series", "film"):
        found = _filter_titles(found, kind, Filters(), limit)
    return [(k, ref, score) for k, ref, score, _ in found[:limit]]


def _rank(
    snap: live.Snapshot, query: Query, kind: str | None, filters: Filters, limit: int = 10
) -> list[tuple[str, int, float, float]]:
    """(kind, row id, relevance, relevance + popularity), best first, one per row."""
    want = _kinds_for(kind)
    titles_only = kind in ("title", "series", "film")
    # Filters and the page's sections look further down the list than a plain search needs to.
    narrow = kind in ("series", "film") or filters.narrows_titles() or kind is None
    top = TOP if narrow else max(SHORTLIST, 2 * limit)
    best: dict[tuple[str, int], tuple[float, float]] = {}
    for part in snap.parts:
        docs, scores = part.match(query, want, top)
        if not len(docs):
            continue
        ranks = scores + part.bonus[docs]
        kinds = part.kind[docs]
        if filters.year_from or filters.year_to:
            years = part.year[docs]
            ok = years > 0
            if filters.year_from:
                ok &= years >= filters.year_from
            if filters.year_to:
                ok &= years <= filters.year_to
            docs, scores, ranks, kinds = docs[ok], scores[ok], ranks[ok], kinds[ok]
        refs = part.ref[docs].tolist()
        title_refs = part.title_ref[docs].tolist()
        for doc_kind, ref, title_ref, score, rank in zip(
            kinds.tolist(), refs, title_refs, scores.tolist(), ranks.tolist(), strict=True
        ):
            name = KINDS[doc_kind]
            if titles_only and name == "character":
                if score < ALL_WORDS:
                    continue  # only a complete match ("heartstopper elle argent") names a title
                name, ref, score, rank = (
                    "title",
                    title_ref,
                    score - VIA_CHARACTER,
                    rank - VIA_CHARACTER,
                )
            old = best.get((name, ref))
            if old is None or old[1] < rank:
                best[(name, ref)] = (score, rank)
    if not best:
        return []
    # A result far weaker than the best is noise ("the office" for "the crown"): leave it out.
    floor = RELATIVE_FLOOR * max(score for score, _ in best.values())
    ranked = [(k, r, s, rk) for (k, r), (s, rk) in best.items() if s >= floor]
    ranked.sort(key=lambda item: (-item[3], item[0], item[1]))
    return ranked


def _filter_titles(
    ranked: list[tuple[str, int, float, float]], kind: str | None, filters: Filters, limit: int
) -> list[tuple[str, int, float, float]]:
    ids = [r for k, r, _, _ in ranked if k == "title"]
    if not ids:
        return []
    allowed = set(_title_rows(kind, filters).filter(pk__in=ids).values_list("pk", flat=True))
    return [item for item in ranked if item[0] == "title" and item[1] in allowed]


def _title_rows(kind: str | None, filters: Filters) -> QuerySet[Title]:
    """Titles that pass the filters (the year range is also checked here, for browsing)."""
    rows = Title.objects.all()
    if filters.year_from:
        rows = rows.filter(year__gte=filters.year_from)
    if filters.year_to:
        rows = rows.filter(year__lte=filters.year_to)
    if kind == "series":
        rows = rows.filter(kind__in=SERIES_KINDS)
    elif kind == "film":
        rows = rows.filter(kind__in=FILM_KINDS)
    if filters.genre:
        rows = rows.filter(genres__slug=filters.genre)
    if filters.provider:
        offers = Offer.objects.available(filters.region or "GB").filter(
            provider__slug=filters.provider
        )
        rows = rows.filter(pk__in=offers.values("title_id"))
    if filters.on_tv:
        rows = rows.filter(_on_tv_this_week(filters.region))
    return rows


def _on_tv_this_week(region: str | None) -> Q:
    from django.apps import apps

    try:
        airing = apps.get_model("listings", "Airing")
    except LookupError:
        return Q(pk__in=[])
    now = timezone.now()
    airings = airing.objects.filter(
        start__lt=now + dt.timedelta(days=7), stop__gt=now, title__isnull=False
    )
    if region:
        airings = airings.filter(channel__region=region)
    return Q(pk__in=airings.values("title_id"))


def _url(obj: Any) -> str:
    try:
        return obj.get_absolute_url()
    except (NoReverseMatch, AttributeError):
        return ""


@dataclass
class _TitleRow:
    """The few fields of a title a result shows (``Title.years_label`` reads them)."""

    id: int
    name: str
    slug: str
    kind: str
    year: int | None
    end_year: int | None
    status: str

    @property
    def is_episodic(self) -> bool:
        return TitleKind(self.kind).is_episodic if self.kind in TitleKind.values else False

    @property
    def years_label(self) -> str:
        return str(Title.years_label.fget(self))  # type: ignore[attr-defined,arg-type]

    @property
    def url(self) -> str:
        route = "catalog:show" if self.is_episodic else "catalog:film"
        if route not in _ROUTES:
            try:
                _ROUTES[route] = reverse(route, args=["slug-here"])
            except NoReverseMatch:
                _ROUTES[route] = ""
        return _ROUTES[route].replace("slug-here", self.slug)


_ROUTES: dict[str, str] = {}


def _titles(ids: list[int]) -> list[_TitleRow]:
    """The rows with one plain SELECT: this runs on every keystroke of the suggestions, where
    model instances and the ORM's own overhead would be most of the time."""
    quote = connection.ops.quote_name
    columns = ("id", "name", "slug", "kind", "year", "end_year", "status")
    sql = (
        f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(Title._meta.db_table)} "
        f"WHERE {quote('id')} IN ({', '.join(['%s'] * len(ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        return [_TitleRow(*row) for row in cursor.fetchall()]


def _hydrate(ranked: list[tuple[str, int, float, float]]) -> list[Result]:
    """Rows for the ranked ids: one query per kind present, whatever the number of results."""
    wanted: dict[str, list[int]] = {}
    for kind, ref, _, _ in ranked:
        wanted.setdefault(kind, []).append(ref)
    found: dict[tuple[str, int], Result] = {}
    if "title" in wanted:
        for title in _titles(wanted["title"]):
            label = TitleKind(title.kind).label if title.kind in TitleKind.values else ""
            found[("title", title.id)] = Result(
                "title",
                title.id,
                title.name,
                title.url,
                title.name,
                " · ".join(p for p in (label, title.years_label) if p),
                title_id=title.id,
                year=title.year,
                extra={"kind": title.kind, "slug": title.slug},
            )
    if "person" in wanted:
        for person in Person.objects.filter(pk__in=wanted["person"]):
            found[("person", person.pk)] = Result(
                "person",
                person.pk,
                person.name,
                _url(person),
                person.name,
                person.known_for or "Person",
                person_id=person.pk,
                extra={"slug": person.slug},
            )
    if "character" in wanted:
        for credit in Credit.objects.filter(pk__in=wanted["character"]).select_related(
            "title", "person"
        ):
            label = f"{credit.character} → {credit.person.name} in {credit.title.name}"
            found[("character", credit.pk)] = Result(
                "character",
                credit.pk,
                credit.character,
                _url(credit.title),
                label,
                f"{credit.person.name} in {credit.title}",
                title_id=credit.title_id,
                person_id=credit.person_id,
                year=credit.title.year,
                extra={
                    "person": credit.person.name,
                    "person_url": _url(credit.person),
                    "title": credit.title.name,
                },
            )
    if "channel" in wanted:
        from django.apps import apps

        channel_model = apps.get_model("listings", "Channel")
        for channel in channel_model.objects.filter(pk__in=wanted["channel"]):
            found[("channel", channel.pk)] = Result(
                "channel",
                channel.pk,
                channel.name,
                _url(channel),
                channel.name,
                f"TV channel · {channel.region}",
            )
    if "provider" in wanted:
        for provider in Provider.objects.filter(pk__in=wanted["provider"]):
            found[("provider", provider.pk)] = Result(
                "provider",
                provider.pk,
                provider.name,
                _url(provider),
                provider.name,
                provider.get_kind_display(),
            )
    results = []
    for kind, ref, score, _ in ranked:
        result = found.get((kind, ref))
        if result is not None:  # a row deleted since the index saw it is simply left out
            result.score = round(score, 1)
            results.append(result)
    return results


def facets(q: str, per_kind: int = 5) -> dict[str, list[Result]]:
    """The best few of each kind, for the results page's sections (one ranking pass)."""
    query = parse(q)
    if not query.key:
        return {}
    snap = live.current()
    ranked = _rank(snap, query, None, Filters())
    grouped: dict[str, list[tuple[str, int, float, float]]] = {}
    for item in ranked:
        bucket = grouped.setdefault(item[0], [])
        if len(bucket) < per_kind:
            bucket.append(item)
    flat = [item for kind in KINDS for item in grouped.get(kind, [])]
    out: dict[str, list[Result]] = {}
    for result in _hydrate(flat):
        out.setdefault(result.kind, []).append(result)
    return out


__all__ = ["KIND_CHOICES", "Filters", "Result", "facets", "parse", "ranked", "search"]
