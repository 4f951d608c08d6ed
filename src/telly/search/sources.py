"""Reading search documents from the database: the whole catalogue, or the few rows that changed.

Rows are streamed with ``values_list(...).iterator()``. A full build
(:func:`index_everything`) writes them straight into the index :class:`~telly.search.index.Builder`
as word numbers, folding each distinct word once and making no object per document; the few
rows that changed are read as :class:`~telly.search.index.Document` objects (:func:`changed`).
Both give the same documents (a test checks it).
"""

from __future__ import annotations

import gc
from array import array
from collections.abc import Iterable, Iterator
from itertools import compress

import numpy as np
from django.apps import apps
from django.db.models import QuerySet

from telly.catalog.models import Credit, CreditRole, Person, Title
from telly.search.index import KIND_CODE, Builder, Document, SearchIndex, ranges
from telly.search.text import compact, tokens
from telly.streaming.models import Provider

CHUNK = 20_000
TITLE, PERSON, CHARACTER, CHANNEL, PROVIDER = (
    KIND_CODE[k] for k in ("title", "person", "character", "channel", "provider")
)


def _channel_model():  # listings comes after search's dependencies; read it only if installed
    try:
        return apps.get_model("listings", "Channel")
    except LookupError:
        return None


def _title_document(
    pk: int, name: str, original: str, year: int | None, popularity: float
) -> tuple[Document | None, list[str]]:
    words = tokens(name)
    other = tokens(original) if original and original != name else []
    own = words + [w for w in other if w not in words]
    if not own:
        return None, []
    keys = tuple(k for k in {compact(words), compact(other)} if k)
    return Document(TITLE, pk, pk, float(popularity or 0), year or 0, keys, own, []), words


def _person_document(pk: int, name: str, popularity: float) -> tuple[Document | None, list[str]]:
    words = tokens(name)
    if not words:
        return None, []
    return Document(PERSON, pk, -1, float(popularity or 0), 0, (compact(words),), words, []), words


def titles(
    ids: Iterable[int] | None = None,
) -> Iterator[tuple[Document | None, int, list[str], float, int]]:
    rows = Title.objects.order_by()
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    for pk, name, original, year, popularity in rows.values_list(
        "pk", "name", "original_name", "year", "popularity"
    ).iterator(chunk_size=CHUNK):
        doc, words = _title_document(pk, name, original, year, popularity)
        yield doc, pk, words, float(popularity or 0), year or 0


def people(ids: Iterable[int] | None = None) -> Iterator[tuple[Document | None, int, list[str]]]:
    rows = Person.objects.order_by()
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    for pk, name, popularity in rows.values_list("pk", "name", "popularity").iterator(
        chunk_size=CHUNK
    ):
        doc, words = _person_document(pk, name, popularity)
        yield doc, pk, words


def characters(
    title_words: dict[int, tuple[list[str], float, int]],
    person_words: dict[int, list[str]],
    credit_ids: Iterable[int] | None = None,
    title_ids: Iterable[int] | None = None,
    person_ids: Iterable[int] | None = None,
) -> Iterator[Document]:
    """Cast credits with a character name. ``title_words``/``person_words`` must hold the
    words of every title and person these credits point at (missing ones are read here)."""
    rows = Credit.objects.order_by().filter(role=CreditRole.CAST).exclude(character="")
    if credit_ids is not None:
        rows = rows.filter(pk__in=list(credit_ids))
    if title_ids is not None:
        rows = rows.filter(title_id__in=list(title_ids))
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    cache: dict[tuple[int, int], list[str]] = {}
    for pk, title_id, person_id, character in rows.values_list(
        "pk", "title_id", "person_id", "character"
    ).iterator(chunk_size=CHUNK):
        own = tokens(character)
        if not own:
            continue
        if title_id not in title_words:
            for _, t_pk, words, popularity, year in titles([title_id]):
                title_words[t_pk] = (words, popularity, year)
        if person_id not in person_words:
            for _, p_pk, words in people([person_id]):
                person_words[p_pk] = words
        t_words, popularity, year = title_words.get(title_id, ([], 0.0, 0))
        context = cache.get((title_id, person_id))
        if context is None:
            context = t_words + person_words.get(person_id, [])
            if len(cache) < 100_000:
                cache[(title_id, person_id)] = context
        yield Document(CHARACTER, pk, title_id, popularity, year, (), own, context)


def channels(ids: Iterable[int] | None = None) -> Iterator[Document]:
    model = _channel_model()
    if model is None:
        return
    rows = model.objects.order_by()
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    for pk, name in rows.values_list("pk", "name").iterator(chunk_size=CHUNK):
        words = tokens(name)
        if words:
            yield Document(CHANNEL, pk, -1, 0.0, 0, (compact(words),), words, [])


def providers(ids: Iterable[int] | None = None) -> Iterator[Document]:
    rows = Provider.objects.order_by()
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    for pk, name, aliases in rows.values_list("pk", "name", "aliases").iterator(chunk_size=CHUNK):
        words = tokens(name)
        if not words:
            continue
        other = [tokens(a) for a in (aliases or []) if isinstance(a, str)]
        keys = tuple(dict.fromkeys(compact(w) for w in [words, *other] if w))
        context = [w for alias in other for w in alias if w not in words]
        yield Document(PROVIDER, pk, -1, 0.0, 0, keys, words, context)


def index_everything() -> SearchIndex:
    """The index of the whole catalogue: the documents of :func:`everything`, read in the same
    order, but as columns of word numbers (1.8M documents in a few arrays, not 1.8M objects).

    The cyclic garbage collector is paused meanwhile: the build makes no cycles, and its
    passes over the long-lived word lists cost more than a tenth of the build."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _index_everything()
    finally:
        if enabled:
            gc.enable()


def _index_everything() -> SearchIndex:
    builder = Builder()
    # Titles' and people's words, kept as columns for their characters' context.
    titles, people = _Words(), _Words()
    rows = Title.objects.order_by().values_list("pk", "name", "original_name", "year", "popularity")
    for block in _blocks(rows):
        pks, names, originals, years, popularities = zip(*block, strict=True)
        others = [o if o and o != n else "" for n, o in zip(names, originals, strict=True)]
        words, other = builder.texts_ids(names), builder.texts_ids(others)
        ref = np.asarray(pks, dtype=np.int64)
        popularity = np.fromiter((p or 0.0 for p in popularities), np.float64, len(pks))
        year = np.fromiter((y or 0 for y in years), np.int64, len(pks))
        titles.extend(ref, *words, popularity, year)
        tok, own = _side_by_side(words, other)
        named = own > 0
        keys = [list(compress(builder.compact_keys(*part), named)) for part in (words, other)]
        builder.add_columns(
            TITLE,
            ref[named],
            ref[named],
            popularity[named],
            year[named],
            tok,
            own[named],
            keys=keys,
        )
    for block in _blocks(Person.objects.order_by().values_list("pk", "name", "popularity")):
        pks, names, popularities = zip(*block, strict=True)
        tok, own = builder.texts_ids(names)
        ref = np.asarray(pks, dtype=np.int64)
        people.extend(ref, tok, own)
        named = own > 0
        popularity = np.fromiter((p or 0.0 for p in popularities), np.float64, len(pks))[named]
        keys = [list(compress(builder.compact_keys(tok, own), named))]
        builder.add_columns(PERSON, ref[named], -1, popularity, 0, tok, own[named], keys=keys)
    _characters(builder, titles, people)
    for doc in channels():
        builder.add_document(doc)
    for doc in providers():
        builder.add_document(doc)
    return builder.finish()


def _side_by_side(*parts: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Rows made of parts: ``(word numbers, how many per row)`` of each part, for the same rows,
    give each row's words of the first part, then of the second, ... and how many in all."""
    sizes = np.zeros(len(parts[0][1]), dtype=np.int64)
    for _, counts in parts:
        sizes += counts
    at = np.zeros(len(sizes), dtype=np.int64)
    np.cumsum(sizes[:-1], out=at[1:])
    tok = np.empty(int(sizes.sum()), dtype=np.int32)
    for words, counts in parts:
        tok[ranges(at, counts)] = words
        at += counts
    return tok, sizes


class _Words:
    """Rows' word numbers as columns, looked up by primary key in bulk."""

    def __init__(self) -> None:
        self.pk, self.tok, self.count = array("q"), array("i"), array("q")
        self.popularity, self.year = array("d"), array("q")
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None

    def extend(
        self,
        pk: np.ndarray,
        tok: np.ndarray,
        count: np.ndarray,
        popularity: np.ndarray | None = None,
        year: np.ndarray | None = None,
    ) -> None:
        self.pk.frombytes(pk.astype(np.int64).tobytes())
        self.tok.frombytes(tok.astype(np.int32).tobytes())
        self.count.frombytes(count.astype(np.int64).tobytes())
        zero = np.zeros(len(pk), dtype=np.int64)
        self.popularity.frombytes(
            (zero if popularity is None else popularity).astype(np.float64).tobytes()
        )
        self.year.frombytes((zero if year is None else year).astype(np.int64).tobytes())

    def columns(self, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For each wanted primary key: where its words start in :meth:`words`, how many (none
        for a row not read), its popularity and year (0 when not read). Call once all rows
        are added."""
        n = len(wanted)
        if not len(self.pk):
            return np.zeros(n, np.int64), np.zeros(n, np.int64), np.zeros(n), np.zeros(n, np.int64)
        if self._sorted is None:
            pks = np.frombuffer(self.pk, dtype=np.int64)
            order = np.argsort(pks, kind="stable")
            self._sorted = (pks[order], order)
        pks, order = self._sorted
        count = np.frombuffer(self.count, dtype=np.int64)
        start = np.zeros(len(count), dtype=np.int64)
        np.cumsum(count[:-1], out=start[1:])
        at = np.minimum(np.searchsorted(pks, wanted), len(pks) - 1)
        found, row = pks[at] == wanted, order[at]
        return (
            start[row],
            np.where(found, count[row], 0),
            np.where(found, np.frombuffer(self.popularity, dtype=np.float64)[row], 0.0),
            np.where(found, np.frombuffer(self.year, dtype=np.int64)[row], 0),
        )

    def words(self) -> np.ndarray:
        return np.frombuffer(self.tok, dtype=np.int32) if len(self.tok) else np.zeros(0, np.int32)


def _characters(builder: Builder, titles: _Words, people: _Words) -> None:
    """Every cast credit with a character name, a block of rows at a time: their words
    (:meth:`Builder.texts_ids`), their context (their title's words, then their actor's) and
    their title's popularity and year, all joined in bulk."""
    rows = Credit.objects.order_by().filter(role=CreditRole.CAST).exclude(character="")
    for block in _blocks(rows.values_list("pk", "title_id", "person_id", "character")):
        pks, title_ids, person_ids, names = zip(*block, strict=True)
        own = builder.texts_ids(names)
        named = own[1] > 0  # a character whose name has no words is left out (and has no tok)
        if not named.any():
            continue
        title_ref = np.asarray(title_ids, dtype=np.int64)[named]
        t_start, t_count, popularity, year = titles.columns(title_ref)
        p_start, p_count, _, _ = people.columns(np.asarray(person_ids, dtype=np.int64)[named])
        tok, _ = _side_by_side(
            (own[0], own[1][named]),
            (titles.words()[ranges(t_start, t_count)], t_count),
            (people.words()[ranges(p_start, p_count)], p_count),
        )
        builder.add_columns(
            CHARACTER,
            np.asarray(pks, dtype=np.int64)[named],
            title_ref,
            popularity,
            year,
            tok,
            own[1][named],
            t_count + p_count,
        )


def _blocks(rows: QuerySet, size: int = 200_000) -> Iterator[list[tuple]]:
    """The rows in lists of ``size``, streamed from the database."""
    block: list[tuple] = []
    for row in rows.iterator(chunk_size=CHUNK):
        block.append(row)
        if len(block) >= size:
            yield block
            block = []
    if block:
        yield block


def _rows(model, *fields: str) -> Iterator[tuple]:
    return model.objects.order_by().values_list(*fields).iterator(chunk_size=CHUNK)


def everything() -> Iterator[Document]:
    """Every document of the catalogue, one object each (:func:`index_everything` is the fast
    way to index them all)."""
    title_words: dict[int, tuple[list[str], float, int]] = {}
    for doc, pk, words, popularity, year in titles():
        title_words[pk] = (words, popularity, year)
        if doc is not None:
            yield doc
    person_words: dict[int, list[str]] = {}
    for doc, pk, words in people():
        person_words[pk] = words
        if doc is not None:
            yield doc
    yield from characters(title_words, person_words)
    yield from channels()
    yield from providers()


def changed(kind: str, ids: set[int]) -> tuple[list[Document], list[tuple[int, int]]]:
    """Fresh documents for changed rows, and every (kind, ref) they replace (deleted rows
    replace theirs with nothing). A renamed title or person also renews its characters."""
    docs: list[Document] = []
    replaced: list[tuple[int, int]] = []
    if kind == "title":
        title_words = {}
        for doc, pk, words, popularity, year in titles(ids):
            title_words[pk] = (words, popularity, year)
            if doc is not None:
                docs.append(doc)
        replaced += [(TITLE, i) for i in ids]
        chars = list(characters(title_words, {}, title_ids=ids))
        docs += chars
        replaced += _old_characters(title_ids=ids)
    elif kind == "person":
        person_words = {}
        for doc, pk, words in people(ids):
            person_words[pk] = words
            if doc is not None:
                docs.append(doc)
        replaced += [(PERSON, i) for i in ids]
        docs += list(characters({}, person_words, person_ids=ids))
        replaced += _old_characters(person_ids=ids)
    elif kind == "character":
        docs += list(characters({}, {}, credit_ids=ids))
        replaced += [(CHARACTER, i) for i in ids]
    elif kind == "channel":
        docs += list(channels(ids))
        replaced += [(CHANNEL, i) for i in ids]
    elif kind == "provider":
        docs += list(providers(ids))
        replaced += [(PROVIDER, i) for i in ids]
    return docs, replaced


def _old_characters(
    title_ids: set[int] | None = None, person_ids: set[int] | None = None
) -> list[tuple[int, int]]:
    """Characters the index may hold for these titles or people: those still in the database
    (their context may have changed) are re-read; a deleted credit arrives as its own change."""
    rows = Credit.objects.order_by()
    if title_ids is not None:
        rows = rows.filter(title_id__in=list(title_ids))
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    return [(CHARACTER, pk) for pk in rows.values_list("pk", flat=True)]
