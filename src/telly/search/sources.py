"""Reading search documents from the database: the whole catalogue, or the few rows that changed.

Rows are streamed with ``values_list(...).iterator()``. A full build
(:func:`index_everything`) writes them straight into the index :class:`~telly.search.index.Builder`
as word numbers, folding each distinct word once and making no object per document; the few
rows that changed are read as :class:`~telly.search.index.Document` objects (:func:`changed`).
Both give the same documents (a test checks it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.apps import apps

from telly.catalog.models import Credit, CreditRole, Person, Title
from telly.search.index import KIND_CODE, Builder, Document, SearchIndex
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
    order, but as columns of word numbers (1.8M documents in a few arrays, not 1.8M objects)."""
    builder = Builder()
    text_ids, key, add = builder.text_ids, builder.key, builder.add
    # A character's context is its title's words and its actor's, kept per row read here.
    title_context: dict[int, tuple[list[int], float, int]] = {}
    for pk, name, original, year, popularity in _rows(
        Title, "pk", "name", "original_name", "year", "popularity"
    ):
        words = text_ids(name)
        other = text_ids(original) if original and original != name else []
        popularity, year = float(popularity or 0), year or 0
        title_context[pk] = (words, popularity, year)
        if words or other:
            add(TITLE, pk, pk, popularity, year, (key(words), key(other)), words + other)
    person_context: dict[int, list[int]] = {}
    for pk, name, popularity in _rows(Person, "pk", "name", "popularity"):
        words = text_ids(name)
        person_context[pk] = words
        if words:
            add(PERSON, pk, -1, float(popularity or 0), 0, (key(words),), words)
    nothing: tuple[list[int], float, int] = ([], 0.0, 0)
    cast = Credit.objects.order_by().filter(role=CreditRole.CAST).exclude(character="")
    for pk, title_id, person_id, character in cast.values_list(
        "pk", "title_id", "person_id", "character"
    ).iterator(chunk_size=CHUNK):
        own = text_ids(character)
        if own:
            t_words, popularity, year = title_context.get(title_id, nothing)
            context = t_words + person_context.get(person_id, [])
            add(CHARACTER, pk, title_id, popularity, year, (), own, context)
    for doc in channels():
        builder.add_document(doc)
    for doc in providers():
        builder.add_document(doc)
    return builder.finish()


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
