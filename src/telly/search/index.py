"""The in-memory search index: compact arrays built from documents, and matching against them.

A *document* is one thing a visitor can find: a title, a person, a character (a cast credit),
a channel or a provider. Each has *own* words (its name) and *context* words that help find it
but are not its name (a character's title and actor: "argent heartstopper" finds Elle Argent).

Two ways in, both answered from arrays, never by scanning every document:

- **Whole keys** (titles, people, channels, providers): the name folded with no spaces. A
  sorted list answers exact and prefix queries by bisection; a deletion neighbourhood of each
  key's first seven letters (every string made by deleting up to two of them, hashed to 32 bits)
  answers typos: a query within two edits of a key shares one of those strings with it. The
  candidates are then checked with a real edit distance (transpositions count as one edit).
  This path forgives typos that cross word boundaries ("thecrwn", "heart stoper").
- **Words**: a vocabulary of folded words with its own deletion neighbourhood, and postings
  (word -> documents). Each query word becomes a few vocabulary words (exact, within its typo
  budget, or, for the last word, words it begins); the rarest query words propose documents and
  every query word scores them. This path forgives word order and mixes title words with
  character and cast names.

Documents are numbered by falling popularity, so a truncated posting list keeps the most
popular documents and ties break towards them.
"""

from __future__ import annotations

import bisect
import math
import threading
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import ne
from pathlib import Path
from typing import NamedTuple

import numpy as np
from rapidfuzz.distance import OSA
from rapidfuzz.process import cdist

from telly.search.text import (
    KEY_PREFIX,
    WORD_PREFIX,
    deletion_hashes,
    deletions,
    hash_many,
    max_key_typos,
    max_typos,
    tokens,
)

KINDS = ("title", "person", "character", "channel", "provider")
KIND_CODE = {name: code for code, name in enumerate(KINDS)}
FORMAT_VERSION = 3

# Scores. Bands are wide apart so that relevance decides before popularity (worth < 25).
EXACT = 1000.0
TYPO_STEP = 200.0  # whole key within 1 edit: 800, 2 edits: 600
PREFIX = 780.0  # + up to 100 by how much of the key the query covers: above one typo
FUZZY_PREFIX = 550.0
ALL_WORDS = 950.0  # every query word exactly, covering the whole name, in any order
WORDS = 400.0  # x share of query words matched (weighted by how well)
COVERAGE = 150.0  # x share of the document's own words matched

GENERATE_LIMIT = 20_000  # postings a query word may propose before it only scores
CANDIDATE_LIMIT = 4_000  # documents scored word by word (those proposed by most query words)
TOP = 400  # candidates handed back per index, best first
PREFIX_WORDS = 48  # vocabulary words a last-word prefix expands to (most frequent first)
PREFIX_KEYS = 300
FUZZY_KEYS = 5_000


class Document(NamedTuple):
    kind: int
    ref: int  # primary key in its table (a character's is the credit's)
    title_ref: int  # the title it belongs to (itself for a title), -1 for none
    popularity: float
    year: int  # 0 when unknown
    keys: tuple[str, ...]  # whole keys (name, original name); empty for characters
    own: list[str]
    context: list[str]


@dataclass
class Query:
    text: str
    words: list[str]
    key: str
    partial_last: bool  # the last word may be unfinished (no space typed after it)


def popularity_bonus(popularity: np.ndarray) -> np.ndarray:
    """Up to 25 points: enough to order equally relevant results, never to jump a band."""
    return np.minimum(25.0, 3.0 * np.log1p(np.maximum(popularity, 0.0)))


class SearchIndex:
    """Immutable arrays; build with :meth:`build`, persist with :meth:`save` / :meth:`load`."""

    def __init__(self, arrays: dict[str, np.ndarray], vocab: list[str], keys: list[str]) -> None:
        self.arrays = arrays
        self.kind: np.ndarray = arrays["kind"]
        self.ref: np.ndarray = arrays["ref"]
        self.title_ref: np.ndarray = arrays["title_ref"]
        self.year: np.ndarray = arrays["year"]
        self.bonus: np.ndarray = arrays["bonus"]
        self.dt_start: np.ndarray = arrays["dt_start"]
        self.dt_tok: np.ndarray = arrays["dt_tok"]
        self.dt_own: np.ndarray = arrays["dt_own"]
        self.post_start: np.ndarray = arrays["post_start"]
        self.post_doc: np.ndarray = arrays["post_doc"]
        self.wdel_hash: np.ndarray = arrays["wdel_hash"]
        self.wdel_word: np.ndarray = arrays["wdel_word"]
        self.key_doc: np.ndarray = arrays["key_doc"]
        self.key_len: np.ndarray = arrays["key_len"]
        self.kdel_hash: np.ndarray = arrays["kdel_hash"]
        self.kdel_key: np.ndarray = arrays["kdel_key"]
        self.vocab = vocab
        self.vocab_id = {word: i for i, word in enumerate(vocab)}
        self.keys = keys
        self.alive = np.ones(len(self.kind), dtype=bool)
        self._refs: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._local = threading.local()

    def __len__(self) -> int:
        return len(self.kind)

    # -- building -------------------------------------------------------------------------

    @classmethod
    def build(cls, documents: Iterable[Document]) -> SearchIndex:
        builder = Builder()
        for doc in documents:
            builder.add_document(doc)
        return builder.finish()

    # -- persistence ----------------------------------------------------------------------

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        strings = {
            "vocab_text": np.frombuffer(
                "\n".join(self.vocab).encode("utf-8", "surrogatepass"), dtype=np.uint8
            ),
            "keys_text": np.frombuffer(
                "\n".join(self.keys).encode("utf-8", "surrogatepass"), dtype=np.uint8
            ),
            "format": np.array([FORMAT_VERSION]),
        }
        with open(tmp, "wb") as out:
            np.savez(out, **self.arrays, **strings)  # type: ignore[arg-type]
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> SearchIndex | None:
        """The saved index, or None when the file is missing, unreadable or of another format."""
        try:
            with np.load(path, allow_pickle=False) as saved:
                if int(saved["format"][0]) != FORMAT_VERSION:
                    return None
                arrays = {
                    name: saved[name]
                    for name in saved.files
                    if name not in ("vocab_text", "keys_text", "format")
                }
                vocab = _split(saved["vocab_text"])
                keys = _split(saved["keys_text"])
        except (OSError, ValueError, KeyError, EOFError):
            return None
        return cls(arrays, vocab, keys)

    # -- lookups --------------------------------------------------------------------------

    def positions(self, kind: int, refs: Iterable[int]) -> list[int]:
        """Document numbers of these rows of one kind (for marking them superseded)."""
        if kind not in self._refs:
            mine = np.flatnonzero(self.kind == kind)
            order = np.argsort(self.ref[mine], kind="stable")
            self._refs[kind] = (self.ref[mine][order], mine[order])
        sorted_refs, docs = self._refs[kind]
        wanted = np.fromiter(refs, dtype=np.int64)
        at = np.searchsorted(sorted_refs, wanted)
        at = np.minimum(at, len(sorted_refs) - 1) if len(sorted_refs) else at
        if not len(sorted_refs):
            return []
        hit = sorted_refs[at] == wanted
        return [int(d) for d in docs[at[hit]]]

    def _scratch(self) -> np.ndarray:
        """A zeroed vote counter per document, one per thread (callers zero what they touch)."""
        votes = getattr(self._local, "votes", None)
        if votes is None:
            votes = self._local.votes = np.zeros(len(self.kind), dtype=np.int8)
        return votes

    def _positions_scratch(self) -> np.ndarray:
        where = getattr(self._local, "where", None)
        if where is None:
            where = self._local.where = np.zeros(len(self.kind), dtype=np.int32)
        return where

    def retire(self, positions: Iterable[int]) -> None:
        for position in positions:
            self.alive[position] = False

    # -- matching -------------------------------------------------------------------------

    def match(
        self, query: Query, kinds: frozenset[int] | None = None, top: int = TOP
    ) -> tuple[np.ndarray, np.ndarray]:
        """The best ``top`` candidates: document numbers and their relevance (popularity not
        included), ordered by relevance plus popularity."""
        empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
        if not query.key or not len(self.kind):
            return empty
        by_key: dict[int, float] = {}
        self._match_keys(query, by_key)
        word_docs, word_scores = self._match_words(query)
        docs = np.concatenate(
            [np.fromiter(by_key.keys(), dtype=np.int64, count=len(by_key)), word_docs]
        )
        scores = np.concatenate(
            [np.fromiter(by_key.values(), dtype=np.float32, count=len(by_key)), word_scores]
        )
        if not len(docs):
            return empty
        keep = self.alive[docs]
        if kinds is not None:
            wanted = np.zeros(256, dtype=bool)
            wanted[list(kinds)] = True
            keep &= wanted[self.kind[docs]]
        docs, scores = docs[keep], scores[keep]
        # One score per document: the best of its two ways in.
        order = np.lexsort((-scores, docs))
        docs, scores = docs[order], scores[order]
        first = np.ones(len(docs), dtype=bool)
        first[1:] = docs[1:] != docs[:-1]
        docs, scores = docs[first], scores[first]
        rank = scores + self.bonus[docs]
        if len(docs) > top:
            best = np.argpartition(-rank, top)[:top]
            docs, scores, rank = docs[best], scores[best], rank[best]
        order = np.lexsort((docs, -rank))
        return docs[order], scores[order]

    def _match_keys(self, query: Query, scores: dict[int, float]) -> None:
        key = query.key
        keys = self.keys
        lo = bisect.bisect_left(keys, key)
        hi = bisect.bisect_left(keys, key + "\U0010ffff", lo)
        if hi > lo:
            span = np.arange(lo, hi)
            if hi - lo > PREFIX_KEYS:
                # Shortest keys first, then the most popular (lowest document number).
                rank = (
                    self.key_len[lo:hi].astype(np.int64) * (len(self.kind) + 1)
                    + self.key_doc[lo:hi]
                )
                span = lo + np.argpartition(rank, PREFIX_KEYS)[:PREFIX_KEYS]
            words = [self.vocab_id.get(w, -1) for w in query.words]
            for j in span.tolist():
                length, doc = int(self.key_len[j]), int(self.key_doc[j])
                if length == len(key):
                    score = EXACT
                elif not query.partial_last and self._starts_with(doc, words):
                    # "Spirit " (a space typed after the word): the visitor is typing a longer
                    # name that begins with these words, so those outrank the name itself.
                    score = EXACT + 50.0 * len(key) / length
                else:
                    score = PREFIX + 100.0 * len(key) / length
                _keep(scores, doc, score)
        typos = max_key_typos(key)
        if not typos or not len(self.kdel_hash):
            return
        candidates = _lookup(self.kdel_hash, self.kdel_key, deletions(key[:KEY_PREFIX], typos))
        if not len(candidates):
            return
        candidates = candidates[:FUZZY_KEYS]
        texts = [keys[j] for j in candidates.tolist()]
        full = cdist([key], texts, scorer=OSA.distance, score_cutoff=typos, dtype=np.int32)[0]
        heads = cdist(
            [key],
            [t[: len(key)] for t in texts],
            scorer=OSA.distance,
            score_cutoff=typos,
            dtype=np.int32,
        )[0]
        docs = self.key_doc[candidates]
        for j in np.flatnonzero((full <= typos) | (heads <= typos)).tolist():
            text, doc = texts[j], int(docs[j])
            if full[j] <= typos:
                _keep(
                    scores, doc, EXACT - TYPO_STEP * max(1, int(full[j])) if text != key else EXACT
                )
            if heads[j] <= typos and len(text) > len(key):
                _keep(
                    scores, doc, FUZZY_PREFIX + 100.0 * len(key) / len(text) - 100.0 * int(heads[j])
                )

    def _starts_with(self, doc: int, words: list[int]) -> bool:
        start = int(self.dt_start[doc])
        own = self.dt_tok[start : start + len(words)].tolist()
        return own == words and bool(self.dt_own[start : start + len(words)].all())

    def _word_matches(self, word: str, prefix: bool) -> tuple[np.ndarray, np.ndarray]:
        found: dict[int, float] = {}
        exact = self.vocab_id.get(word)
        if exact is not None:
            found[exact] = 1.0
        typos = max_typos(word)
        if typos and len(self.wdel_hash):
            near = _lookup(self.wdel_hash, self.wdel_word, deletions(word[:WORD_PREFIX], typos))
            if len(near):
                texts = [self.vocab[j] for j in near.tolist()]
                dist = cdist(
                    [word], texts, scorer=OSA.distance, score_cutoff=typos, dtype=np.int32
                )[0]
                for j in np.flatnonzero(dist <= typos).tolist():
                    wid = int(near[j])
                    weight = 1.0 - 0.25 * int(dist[j])
                    if found.get(wid, 0.0) < weight:
                        found[wid] = weight
        if prefix and len(word) >= 2:
            lo = bisect.bisect_right(self.vocab, word)
            hi = bisect.bisect_left(self.vocab, word + "\U0010ffff", lo)
            span = np.arange(lo, hi)
            if hi - lo > PREFIX_WORDS:
                freq = self.post_start[lo + 1 : hi + 1] - self.post_start[lo:hi]
                span = lo + np.argpartition(-freq, PREFIX_WORDS)[:PREFIX_WORDS]
            for wid in span.tolist():
                weight = 0.6 + 0.35 * len(word) / len(self.vocab[wid])
                if found.get(wid, 0.0) < weight:
                    found[wid] = weight
        ids = np.fromiter(found.keys(), dtype=np.int64, count=len(found))
        weights = np.fromiter(found.values(), dtype=np.float32, count=len(found))
        return ids, weights

    def _match_words(self, query: Query) -> tuple[np.ndarray, np.ndarray]:
        none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
        words = query.words
        if not words or not len(self.vocab):
            return none
        last = len(words) - 1
        matches = [
            self._word_matches(w, prefix=query.partial_last and i == last)
            for i, w in enumerate(words)
        ]
        sizes = [int((self.post_start[ids + 1] - self.post_start[ids]).sum()) for ids, _ in matches]
        order = sorted(range(len(words)), key=lambda i: sizes[i])
        proposals = []
        votes = self._scratch()
        for rank, i in enumerate(order):
            if sizes[i] == 0:
                continue
            if rank > 0 and sizes[i] > GENERATE_LIMIT:
                break
            ids = matches[i][0].tolist()
            lists = [
                self.post_doc[self.post_start[w] : self.post_start[w + 1]][:GENERATE_LIMIT]
                for w in ids
            ]
            proposed = np.concatenate(lists) if len(lists) > 1 else lists[0]
            votes[proposed] += 1  # repeated indices add once: one vote per query word
            proposals.append(proposed)
        if not proposals:
            return none
        proposed = np.concatenate(proposals) if len(proposals) > 1 else proposals[0]
        counts = votes[proposed]
        votes[proposed] = 0
        # First occurrence of each document, without sorting: the last write of its position wins.
        where = self._positions_scratch()
        where[proposed] = np.arange(len(proposed), dtype=np.int32)
        unique = where[proposed] == np.arange(len(proposed), dtype=np.int32)
        candidates, counts = proposed[unique], counts[unique]
        if len(candidates) > CANDIDATE_LIMIT:
            # Documents proposed by the most query words first, then the most popular.
            rank_of = -counts.astype(np.int64) * (len(self.kind) + 1) + candidates
            candidates = candidates[np.argpartition(rank_of, CANDIDATE_LIMIT)[:CANDIDATE_LIMIT]]
        candidates = candidates.astype(np.int64)
        starts = self.dt_start[candidates]
        lengths = self.dt_start[candidates + 1] - starts
        seg = np.zeros(len(candidates), dtype=np.int64)
        np.cumsum(lengths[:-1], out=seg[1:])
        positions = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(seg - starts, lengths)
        toks = self.dt_tok[positions]
        own = self.dt_own[positions]
        total = np.zeros(len(candidates), dtype=np.float32)
        exact_words = np.zeros(len(candidates), dtype=np.int32)
        own_hit = np.zeros(len(toks), dtype=bool)
        own_exact = np.zeros(len(toks), dtype=bool)
        weight_of = np.zeros(len(self.vocab), dtype=np.float32)
        for ids, weights in matches:
            weight_of[ids] = weights
            w = weight_of[toks]
            weight_of[ids] = 0.0
            best = np.maximum.reduceat(w, seg)
            total += best
            exact_words += best >= 1.0
            own_hit |= (w > 0) & own
            own_exact |= (w >= 1.0) & own
        own_total = np.add.reduceat(own.astype(np.int32), seg)
        own_matched = np.add.reduceat(own_hit.astype(np.int32), seg)
        coverage = own_matched / np.maximum(own_total, 1)
        n = len(words)
        score = WORDS * total / n + COVERAGE * coverage
        complete = (exact_words == n) & (
            np.add.reduceat(own_exact.astype(np.int32), seg) == own_total
        )
        score = np.where(complete, ALL_WORDS, score).astype(np.float32)
        keep = total > 0
        return candidates[keep], score[keep]


class Builder:
    """Collects documents as flat columns, with words as numbers: no object per document, so a
    full build of millions of documents stays a few arrays (see :func:`sources.index_everything`).

    Words are numbered in order of first sight and renumbered alphabetically by :meth:`finish`.
    A document's words may repeat (a character named like its title): :meth:`finish` keeps each
    word once per document, at its first place, so an own word is never also context.
    """

    def __init__(self) -> None:
        self.word_id: dict[str, int] = {}
        self.words: list[str] = []
        self.kind = array("B")
        self.ref = array("q")
        self.title_ref = array("q")
        self.popularity = array("d")
        self.year = array("l")
        self.tok = array("i")
        self.own_count = array("i")
        self.context_count = array("i")
        self.key_text: list[str] = []
        self.key_doc = array("q")
        self._pieces: dict[str, list[int]] = {}
        self._piece_numbers = _PieceNumbers(self)

    def __len__(self) -> int:
        return len(self.kind)

    def ids(self, words: Iterable[str]) -> list[int]:
        """Numbers of these (already folded) words."""
        word_id, out = self.word_id, []
        for word in words:
            number = word_id.get(word)
            if number is None:
                number = word_id[word] = len(self.words)
                self.words.append(word)
            out.append(number)
        return out

    def text_ids(self, text: str) -> list[int]:
        """Numbers of ``tokens(text)``, folding each distinct space-separated piece only once
        (names share their words: 1.8M names hold fewer than 100k distinct pieces)."""
        out: list[int] = []
        pieces = self._pieces
        for piece in text.split():
            ids = pieces.get(piece)
            if ids is None:
                ids = pieces[piece] = self.ids(tokens(piece))
            out += ids
        return out

    def texts_ids(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`text_ids` of many texts at once: their word numbers one after another, and
        how many each has. One split of all the texts joined, one dictionary look-up per
        piece, the rest in numpy (no Python loop per text)."""
        count = len(texts)
        if not count:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
        numbers = self._piece_numbers
        pieces = f" {_SEPARATOR} ".join(texts).split()
        piece = np.fromiter(map(numbers.__getitem__, pieces), dtype=np.int64, count=len(pieces))
        between = piece == numbers[_SEPARATOR]
        if int(between.sum()) != count - 1:  # a text holds the separator itself
            ids = [self.text_ids(text) for text in texts]
            counts = np.fromiter(map(len, ids), dtype=np.int64, count=count)
            flat = np.fromiter((i for row in ids for i in row), np.int32, int(counts.sum()))
            return flat, counts
        row = np.cumsum(between)
        start = _column(numbers.start, np.int64)
        sizes = start[piece + 1] - start[piece]  # the separator has no words
        tok = _column(numbers.tok, np.int32)[ranges(start[piece], sizes)]
        return tok, np.bincount(row, weights=sizes, minlength=count).astype(np.int64)

    def add(
        self,
        kind: int,
        ref: int,
        title_ref: int,
        popularity: float,
        year: int,
        keys: Iterable[str],
        own: list[int],
        context: list[int] | tuple[()] = (),
    ) -> None:
        number = len(self.kind)
        self.kind.append(kind)
        self.ref.append(ref)
        self.title_ref.append(title_ref)
        self.popularity.append(popularity)
        self.year.append(year)
        self.tok.extend(own)
        self.tok.extend(context)
        self.own_count.append(len(own))
        self.context_count.append(len(context))
        for key in keys:
            if key:
                self.key_text.append(key)
                self.key_doc.append(number)

    def add_columns(
        self,
        kind: int,
        ref: np.ndarray,
        title_ref: np.ndarray | int,
        popularity: np.ndarray,
        year: np.ndarray | int,
        tok: np.ndarray,
        own_count: np.ndarray,
        context_count: np.ndarray | int = 0,
        keys: Sequence[Sequence[str]] = (),
    ) -> None:
        """Many documents of one kind at once: one value per document in each array (or one
        number for all), ``tok`` their word numbers one after another (own words, then
        context), and ``keys`` lists of one whole key per document ("" for none)."""
        first, count = len(self.kind), len(ref)

        def column(values: np.ndarray | int, dtype: type) -> bytes:
            return np.broadcast_to(np.asarray(values, dtype=dtype), (count,)).tobytes()

        self.kind.frombytes(column(kind, np.uint8))
        self.ref.frombytes(column(ref, np.int64))
        self.title_ref.frombytes(column(title_ref, np.int64))
        self.popularity.frombytes(column(popularity, np.float64))
        self.year.frombytes(column(year, np.dtype("l").type))
        self.tok.frombytes(np.asarray(tok, dtype=np.dtype("i")).tobytes())
        self.own_count.frombytes(column(own_count, np.dtype("i").type))
        self.context_count.frombytes(column(context_count, np.dtype("i").type))
        for texts in keys:
            for number, text in enumerate(texts, first):
                if text:
                    self.key_text.append(text)
                    self.key_doc.append(number)

    def compact_keys(self, tok: np.ndarray, counts: np.ndarray) -> list[str]:
        """The compact key (words with no spaces) of each of these rows of word numbers, in one
        join: no word holds a line break, so one after each row splits them apart."""
        if not len(counts):
            return []
        words = np.asarray(self.words, dtype=object)[tok]
        ends = np.cumsum(counts)
        return "".join(np.insert(words, ends, "\n").tolist()).split("\n")[:-1]

    def add_document(self, doc: Document) -> None:
        self.add(
            doc.kind,
            doc.ref,
            doc.title_ref,
            float(doc.popularity or 0.0),
            doc.year or 0,
            doc.keys,
            self.ids(doc.own),
            self.ids(doc.context),
        )

    def finish(self) -> SearchIndex:
        """The index. Its parts are made one after another, each dropping its scratch arrays
        before the next starts, so the build's peak memory is one part's, not their sum."""
        n = len(self.kind)
        popularity = _column(self.popularity, np.float64)
        # Documents numbered by falling popularity; ties keep the order they came in.
        order = np.argsort(-popularity, kind="stable")  # new number -> arrival
        number = np.empty(n, dtype=np.int64)
        number[order] = np.arange(n, dtype=np.int64)
        words = self.words
        alphabetical = sorted(range(len(words)), key=words.__getitem__)
        vocab = [words[i] for i in alphabetical]
        keys, key_doc = self._keys(number)
        arrays: dict[str, np.ndarray] = {
            "kind": _column(self.kind, np.uint8)[order],
            "ref": _column(self.ref, np.int64)[order],
            "title_ref": _column(self.title_ref, np.int64)[order],
            "year": _column(self.year, np.int64)[order].astype(np.int16),
            "bonus": popularity_bonus(popularity[order].astype(np.float32)).astype(np.float32),
            "key_doc": key_doc,
            "key_len": np.fromiter(map(len, keys), dtype=np.int32, count=len(keys)),
        }
        arrays["wdel_hash"], arrays["wdel_word"] = _neighbourhood(vocab, WORD_PREFIX)
        arrays["kdel_hash"], arrays["kdel_key"] = _neighbourhood(keys, KEY_PREFIX)
        rank = np.empty(len(words), dtype=np.int32)
        rank[np.asarray(alphabetical, dtype=np.int64)] = np.arange(len(words), dtype=np.int32)
        arrays.update(self._words(order, rank))
        return SearchIndex(arrays, vocab, keys)

    def _keys(self, number: np.ndarray) -> tuple[list[str], np.ndarray]:
        """Whole keys sorted, then by document; a key repeated for one document kept once."""
        key_doc = number[_column(self.key_doc, np.int64)].tolist()
        key_text = self.key_text
        by_key = sorted(
            sorted(range(len(key_doc)), key=key_doc.__getitem__), key=key_text.__getitem__
        )
        keys: list[str] = []
        docs: list[int] = []
        last_key, last_doc = None, -1
        for j in by_key:
            text, doc = key_text[j], key_doc[j]
            if text != last_key or doc != last_doc:
                keys.append(text)
                docs.append(doc)
                last_key, last_doc = text, doc
        return keys, np.asarray(docs, dtype=np.int32)

    def _words(self, order: np.ndarray, rank: np.ndarray) -> dict[str, np.ndarray]:
        """Each document's words (``dt_*``, own words first) and the postings (``post_*``)."""
        n = len(order)
        owns = _column(self.own_count, np.int64)
        sizes = owns + _column(self.context_count, np.int64)
        arrival_start = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(sizes, out=arrival_start[1:])
        # The words laid out in the new document order.
        new_sizes = sizes[order]
        starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(new_sizes, out=starts[1:])
        total = int(starts[-1])
        dt_tok = rank[_column(self.tok, np.int32)[ranges(arrival_start[:-1][order], new_sizes)]]
        del arrival_start
        offset = ranges(np.zeros(n, dtype=np.int64), new_sizes)
        dt_own = offset < np.repeat(owns[order], new_sizes)
        del offset
        doc_of = np.repeat(np.arange(n, dtype=np.int32), new_sizes)
        # Postings: a stable sort by word keeps each word's documents ascending (= falling
        # popularity) and a word repeated in one document next to itself, first place first.
        by_word = np.argsort(dt_tok, kind="stable")
        post_tok, post_doc = dt_tok[by_word], doc_of[by_word]
        repeated = np.zeros(total, dtype=bool)
        repeated[1:] = (post_tok[1:] == post_tok[:-1]) & (post_doc[1:] == post_doc[:-1])
        if repeated.any():
            keep = np.ones(total, dtype=bool)
            keep[by_word[repeated]] = False
            dt_tok, dt_own, doc_of = dt_tok[keep], dt_own[keep], doc_of[keep]
            post_tok, post_doc = post_tok[~repeated], post_doc[~repeated]
            np.cumsum(np.bincount(doc_of, minlength=n), out=starts[1:])
        post_start = np.zeros(len(rank) + 1, dtype=np.int64)
        np.cumsum(np.bincount(post_tok, minlength=len(rank)), out=post_start[1:])
        return {
            "dt_start": starts,
            "dt_tok": dt_tok,
            "dt_own": dt_own,
            "post_start": post_start,
            "post_doc": post_doc,
        }


_SEPARATOR = "\x00\x01\x00"  # a piece no name holds (if one does, texts are read one by one)


class _PieceNumbers(dict[str, int]):
    """Space-separated pieces of text, numbered as first met, with their word numbers in
    ``tok[start[n]:start[n + 1]]``: a piece is folded once, however often it comes."""

    def __init__(self, builder: Builder) -> None:
        super().__init__()
        self.builder = builder
        self.start = array("q", [0])
        self.tok = array("i")

    def __missing__(self, piece: str) -> int:
        self.tok.extend(self.builder.ids(tokens(piece)))
        self.start.append(len(self.tok))
        number = self[piece] = len(self.start) - 2
        return number


def _column(values: array, dtype: type) -> np.ndarray:
    """A column (an ``array.array``) as a numpy array of ``dtype`` (empty ones too)."""
    if not len(values):
        return np.zeros(0, dtype=dtype)
    return np.frombuffer(values, dtype=np.dtype(values.typecode)).astype(dtype, copy=False)


def _keep(scores: dict[int, float], doc: int, score: float) -> None:
    if scores.get(doc, -1.0) < score:
        scores[doc] = score


def _lookup(hashes: np.ndarray, targets: np.ndarray, variants: set[str]) -> np.ndarray:
    wanted = hash_many(list(variants))
    lo = np.searchsorted(hashes, wanted, "left")
    hi = np.searchsorted(hashes, wanted, "right")
    parts = [targets[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if b > a]
    if not parts:
        return np.zeros(0, dtype=np.int32)
    return _distinct(np.concatenate(parts))


def _distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` by a sort and a mask: numpy 2.5's ``unique`` (hash-based) took 30
    times as long, about 1 ms on 10,000 candidates, enough to show in a query's latency."""
    values = np.sort(values)
    if len(values) < 2:
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def _neighbourhood(strings: list[str], prefix: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of each string's prefix deletion neighbourhood, sorted, with the string's number.

    The strings come sorted (the vocabulary, the keys), so those sharing a prefix are neighbours
    and share its variants, hashed once. Unsorted strings work too, with more hashing. A variant
    met twice in one prefix ("bok" from "book") is kept once.
    """
    count = len(strings)
    if not count:
        return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int32)
    heads = [text[:prefix] for text in strings]
    first = np.flatnonzero(
        np.concatenate(
            ([True], np.fromiter(map(ne, heads[1:], heads), dtype=bool, count=count - 1))
        )
    )
    hashes, head_of = deletion_hashes([heads[i] for i in first.tolist()], prefix)
    # Sorted by hash (then prefix) and without repeats, in one sort of packed pairs.
    packed = np.sort((hashes.astype(np.uint64) << np.uint64(32)) | head_of.astype(np.uint64))
    packed = packed[np.concatenate(([True], packed[1:] != packed[:-1]))]
    hashes = (packed >> np.uint64(32)).astype(np.uint32)
    head_of = (packed & np.uint64(0xFFFFFFFF)).astype(np.int64)
    # Each variant once per string of its prefix (those strings are consecutive numbers).
    owner_count = np.diff(np.append(first, count))[head_of]
    owners = ranges(first[head_of], owner_count, np.int32)
    return np.repeat(hashes, owner_count), owners


def ranges(starts: np.ndarray, lengths: np.ndarray, dtype: type = np.int64) -> np.ndarray:
    """``concatenate([arange(s, s + n) for s, n in zip(starts, lengths)])`` without the loop."""
    lengths = np.asarray(lengths, dtype=np.int64)
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=dtype)
    begin = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=begin[1:])
    out: np.ndarray = np.arange(total, dtype=dtype)
    out += np.repeat((np.asarray(starts, dtype=np.int64) - begin).astype(dtype), lengths)
    return out


def _split(raw: np.ndarray) -> list[str]:
    text = raw.tobytes().decode("utf-8", "surrogatepass")
    return text.split("\n") if text else []


def relevance_floor(words: int) -> float:
    """Scores below this are noise for a query of this many words (a single weak word match)."""
    return 0.0 if words <= 1 else WORDS * 0.5 / words + math.ulp(1.0)
