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
from collections.abc import Iterable
from dataclasses import dataclass
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
        docs = sorted(documents, key=lambda d: -d.popularity)
        n = len(docs)
        kind = np.fromiter((d.kind for d in docs), dtype=np.uint8, count=n)
        ref = np.fromiter((d.ref for d in docs), dtype=np.int64, count=n)
        title_ref = np.fromiter((d.title_ref for d in docs), dtype=np.int64, count=n)
        year = np.fromiter((d.year or 0 for d in docs), dtype=np.int16, count=n)
        popularity = np.fromiter((d.popularity or 0.0 for d in docs), dtype=np.float32, count=n)

        # Word ids in order of first sight, renumbered alphabetically afterwards (one pass).
        first_seen: dict[str, int] = {}
        number = first_seen.setdefault
        dt_tok = array("i")
        own_count = array("i")
        context_count = array("i")
        key_pairs: list[tuple[str, int]] = []
        for i, doc in enumerate(docs):
            own = dict.fromkeys(doc.own)
            dt_tok.extend([number(w, len(first_seen)) for w in own])
            own_count.append(len(own))
            if doc.context:
                context = [w for w in dict.fromkeys(doc.context) if w not in own]
                dt_tok.extend([number(w, len(first_seen)) for w in context])
                context_count.append(len(context))
            else:
                context_count.append(0)
            for key in doc.keys:
                if key:
                    key_pairs.append((key, i))
        words = list(first_seen)
        order = sorted(range(len(words)), key=words.__getitem__)
        vocab = [words[i] for i in order]
        rank = np.empty(len(words), dtype=np.int32)
        rank[np.asarray(order, dtype=np.int64)] = np.arange(len(words), dtype=np.int32)
        toks = (
            rank[np.frombuffer(dt_tok, dtype=np.int32)]
            if len(dt_tok)
            else np.zeros(0, dtype=np.int32)
        )
        owns = np.frombuffer(own_count, dtype=np.int32).astype(np.int64)
        contexts = np.frombuffer(context_count, dtype=np.int32).astype(np.int64)
        starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(owns + contexts, out=starts[1:])
        # Own words first in each document, then its context words.
        flags = np.zeros(2 * n, dtype=bool)
        flags[0::2] = True
        sizes = np.empty(2 * n, dtype=np.int64)
        sizes[0::2], sizes[1::2] = owns, contexts
        dt_own = np.repeat(flags, sizes)
        doc_of = np.repeat(np.arange(n, dtype=np.int32), np.diff(starts))
        # Postings: documents per word, ascending document number = falling popularity.
        by_word = np.lexsort((doc_of, toks))
        post_doc = doc_of[by_word]
        post_start = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(toks, minlength=len(vocab)), out=post_start[1:])

        wdel_hash, wdel_word = _neighbourhood(vocab, WORD_PREFIX)
        key_pairs = sorted(set(key_pairs))
        keys = [k for k, _ in key_pairs]
        kdel_hash, kdel_key = _neighbourhood(keys, KEY_PREFIX)
        arrays: dict[str, np.ndarray] = {
            "kind": kind,
            "ref": ref,
            "title_ref": title_ref,
            "year": year,
            "bonus": popularity_bonus(popularity).astype(np.float32),
            "dt_start": starts,
            "dt_tok": toks,
            "dt_own": dt_own,
            "post_start": post_start,
            "post_doc": post_doc,
            "wdel_hash": wdel_hash,
            "wdel_word": wdel_word,
            "key_doc": np.fromiter((d for _, d in key_pairs), dtype=np.int32, count=len(key_pairs)),
            "key_len": np.fromiter((len(k) for k in keys), dtype=np.int32, count=len(keys)),
            "kdel_hash": kdel_hash,
            "kdel_key": kdel_key,
        }
        return cls(arrays, vocab, keys)

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
            keep &= np.isin(self.kind[docs], np.fromiter(kinds, dtype=np.uint8))
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
    return np.unique(np.concatenate(parts))


def _neighbourhood(strings: list[str], prefix: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of each string's prefix deletion neighbourhood, sorted, with the string's number.
    Strings sharing a prefix share its variants (computed once)."""
    owners_of: dict[str, list[int]] = {}
    for i, text in enumerate(strings):
        owners_of.setdefault(text[:prefix], []).append(i)
    heads = list(owners_of)
    hashes, head_of = deletion_hashes(heads, prefix)
    owner_count = np.fromiter(
        (len(o) for o in owners_of.values()), dtype=np.int64, count=len(heads)
    )
    owners_flat = np.fromiter(
        (i for o in owners_of.values() for i in o), dtype=np.int32, count=len(strings)
    )
    owner_start = np.zeros(len(heads), dtype=np.int64)
    np.cumsum(owner_count[:-1], out=owner_start[1:])
    repeat = owner_count[head_of]
    variant_of = np.repeat(np.arange(len(hashes)), repeat)
    first = np.zeros(len(hashes), dtype=np.int64)
    np.cumsum(repeat[:-1], out=first[1:])
    position = (
        np.arange(int(repeat.sum()))
        - np.repeat(first, repeat)
        + np.repeat(owner_start[head_of], repeat)
    )
    owners = owners_flat[position]
    pair_hashes = hashes[variant_of]
    order = np.argsort(pair_hashes, kind="stable")
    return pair_hashes[order], owners[order]


def _split(raw: np.ndarray) -> list[str]:
    text = raw.tobytes().decode("utf-8", "surrogatepass")
    return text.split("\n") if text else []


def relevance_floor(words: int) -> float:
    """Scores below this are noise for a query of this many words (a single weak word match)."""
    return 0.0 if words <= 1 else WORDS * 0.5 / words + math.ulp(1.0)
