"""How search reads text: folded tokens, the compact key, and deletion neighbourhoods.

Both the index and the query go through :func:`tokens`, so "Amélie", "AMELIE" and "amelie"
are one word, "Grey's" is "greys", and punctuation separates words. Unlike
``telly.catalog.text.fold`` it keeps letters of every script ("Дом", "東京"): a search box must
find titles whatever their alphabet.

    >>> tokens("Amélie & Co. — Grey's")
    ['amelie', 'and', 'co', 'greys']
    >>> compact(tokens("The Crown"))
    'thecrown'

The compact key (tokens joined with no space) is what forgives missing and extra spaces:
"heart stopper", "Heart-Stopper" and "heartstopper" share it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import numpy as np

_WORD = re.compile(r"[^\W_]+")
_APOSTROPHES = str.maketrans("", "", "'’`´ʼ")
MAX_QUERY_CHARS = 200
MAX_QUERY_TOKENS = 8

# How much of a key or word its deletion neighbourhood covers. Edits after the prefix are
# found by checking candidates against the whole string (the "prefix" form of SymSpell).
KEY_PREFIX = 7
WORD_PREFIX = 8


def fold(text: str) -> str:
    """Lower case, accents removed, ``&`` read as ``and``, apostrophes dropped."""
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = text.casefold()
    else:
        text = text.lower()
    return text.replace("&", " and ").translate(_APOSTROPHES)


def tokens(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def compact(words: Iterable[str]) -> str:
    return "".join(words)


def max_typos(word: str) -> int:
    """Edits a query word of this length may carry: none for short words (too many false
    friends), one from four letters, two from seven."""
    n = len(word)
    return 0 if n < 4 else 1 if n < 7 else 2


def max_key_typos(key: str) -> int:
    """Edits a whole query (spaces removed) may carry: a longer string has room for two."""
    n = len(key)
    return 0 if n < 4 else 1 if n < 6 else 2


def index_depth(text: str) -> int:
    """Deletions indexed for a stored string: never below three letters, so that short
    variants ("ab") do not match half the catalogue."""
    return max(0, min(2, len(text) - 3))


def deletions(text: str, depth: int) -> set[str]:
    """The string and every string made by deleting up to ``depth`` (at most two) letters.

    >>> sorted(deletions("abc", 1))
    ['ab', 'abc', 'ac', 'bc']
    """
    found = {text}
    if depth <= 0:
        return found
    n = len(text)
    ones = [text[:i] + text[i + 1 :] for i in range(n)]
    found.update(ones)
    if depth >= 2:
        for i, word in enumerate(ones):  # delete i, then a later letter: each pair once
            found.update([word[:j] + word[j + 1 :] for j in range(i, n - 1)])
    return found


_PRIME = np.uint64(1_099_511_628_211)
_POWERS = np.concatenate(
    ([np.uint64(1)], np.cumprod(np.full(4096, _PRIME, dtype=np.uint64), dtype=np.uint64))
)
_SHIFT = np.uint64(29)


def hash_many(texts: list[str]) -> np.ndarray:
    """A stable 32-bit hash of each (non-empty) string, computed for all of them at once.

    Python's ``hash`` changes between processes and the index is saved, so the hash is a
    polynomial over the code points, ``sum(cp[k] * P ** (len - k)) + len * P`` in numpy's
    wrapping uint64 arithmetic, top bits kept. Collisions only add candidates that the
    edit-distance check then drops. :func:`deletion_hashes` computes the same values.
    """
    if not texts:
        return np.zeros(0, dtype=np.uint32)
    raw = np.frombuffer("\x00".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    ends = np.flatnonzero(raw == 0)
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(raw)]))
    lengths = stops - starts
    from_end = np.repeat(stops, lengths + 1)[: len(raw)] - np.arange(len(raw))
    weights = _POWERS[np.clip(from_end, 0, len(_POWERS) - 1)]
    sums = np.add.reduceat(raw.astype(np.uint64) * weights, starts)
    sums = sums + lengths.astype(np.uint64) * _PRIME
    return (sums >> _SHIFT).astype(np.uint32)


_INVERSE = np.uint64(pow(int(_PRIME), -1, 2**64))  # P is odd, so it has one modulo 2**64
_INVERSE_2 = np.uint64(pow(int(_PRIME), -2, 2**64))


def deletion_hashes(heads: list[str], width: int) -> tuple[np.ndarray, np.ndarray]:
    """For strings of at most ``width`` letters: the :func:`hash_many` hash of every string
    made by deleting up to :func:`index_depth` letters, and which string each came from.

    The same as hashing ``deletions(head, index_depth(head))`` for each head (repeats
    included), but from each head's prefix sums of ``cp[k] * P ** (len - k)``: deleting a
    letter moves the letters before it one power down (a product with the inverse of P,
    arithmetic being modulo 2**64), so each variant costs a few operations on whole columns.
    """
    count = len(heads)
    if not count:
        return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int64)
    padded = "".join(h.ljust(width, "\x00") for h in heads)
    raw = np.frombuffer(padded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    points = raw.reshape(count, width).astype(np.uint64)
    lengths = np.fromiter(map(len, heads), dtype=np.int64, count=count)
    depth = np.clip(lengths - 3, 0, 2)
    exponent = np.clip(lengths[None, :] - np.arange(width)[:, None], 0, len(_POWERS) - 1)
    before = np.zeros((width + 1, count), dtype=np.uint64)  # before[i]: letters 0..i-1
    np.cumsum(points.T * _POWERS[exponent], axis=0, out=before[1:])  # padding adds 0
    total = before[width]
    size = lengths.astype(np.uint64)
    hashes = [total + size * _PRIME]
    owners = [np.arange(count, dtype=np.int64)]
    one = total + (size - np.uint64(1)) * _PRIME
    for i in range(width):
        rows = np.flatnonzero((depth >= 1) & (lengths > i))
        if len(rows):
            variant = _INVERSE * before[i] + one - before[i + 1]
            hashes.append(variant[rows])
            owners.append(rows)
    two = total + (size - np.uint64(2)) * _PRIME
    for i in range(width):
        for j in range(i + 1, width):
            rows = np.flatnonzero((depth >= 2) & (lengths > j))
            if len(rows):
                middle = before[j] - before[i + 1]
                variant = _INVERSE_2 * before[i] + _INVERSE * middle + two - before[j + 1]
                hashes.append(variant[rows])
                owners.append(rows)
    return (np.concatenate(hashes) >> _SHIFT).astype(np.uint32), np.concatenate(owners)
