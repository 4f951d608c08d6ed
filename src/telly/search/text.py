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
import zlib
from collections.abc import Iterable

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
    """The string and every string made by deleting up to ``depth`` letters.

    >>> sorted(deletions("abc", 1))
    ['ab', 'abc', 'ac', 'bc']
    """
    found = {text}
    frontier = {text}
    for _ in range(depth):
        nxt = set()
        for word in frontier:
            for i in range(len(word)):
                nxt.add(word[:i] + word[i + 1 :])
        found |= nxt
        frontier = nxt
    return found


def variant_hash(text: str) -> int:
    """A stable 32-bit hash (Python's ``hash`` changes between processes; the index is saved).
    Collisions only add candidates that the edit-distance check then drops."""
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))
