"""Text helpers for names: the normal form used to match one title from several sources."""

from __future__ import annotations

import re
import unicodedata

from django.utils.text import slugify

_ARTICLES = ("the ", "a ", "an ")
_NON_WORD = re.compile(r"[^0-9a-z]+")
# Most names, once lower-cased, are plain words and single spaces: then folding changes nothing
# and the slug is the words joined by dashes (what slugify would make), found without the work.
_PLAIN = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


def fold(text: str) -> str:
    """Lower case, accents removed, ``&`` read as ``and``, punctuation as spaces.

    >>> fold("Amélie & Co.")
    'amelie and co'
    """
    text = text or ""
    if not text.isascii():  # ASCII has nothing to decompose (and names mostly are)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower()
    if _PLAIN.fullmatch(text):
        return text
    text = text.replace("&", " and ")
    return " ".join(_NON_WORD.split(text)).strip()


def name_key(text: str) -> str:
    """The key two sources' spellings of one name share: folded, no leading article, no spaces.

    >>> name_key("The Crown") == name_key("Crown, The") == name_key("crown")
    True
    """
    folded = fold(text)
    if folded.endswith((" the", " a", " an")):
        folded = folded.rsplit(" ", 1)[0]
    for article in _ARTICLES:
        if folded.startswith(article):
            folded = folded[len(article) :]
            break
    return folded.replace(" ", "")[:200]


def make_slug(text: str, fallback: str = "untitled") -> str:
    folded = text or ""
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    lowered = folded.lower()
    slug = lowered.replace(" ", "-") if _PLAIN.fullmatch(lowered) else slugify(folded)
    return (slug or fallback)[:80].strip("-") or fallback


def slug_prefix_range(base: str) -> tuple[str, str]:
    """Bounds for ``slug__range`` that hold every slug starting with ``base``.

    Unlike ``startswith`` (a LIKE, which SQLite answers with a full scan), a range uses the
    slug's index: slugs are made of ``[a-z0-9-]``, all below ``~``.
    """
    return base, base + "~"
