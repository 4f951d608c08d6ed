"""The full build's fast path (rows straight into columns) gives exactly the index that building
from one :class:`Document` per row gives, and its shortcuts keep the meaning of the slow way."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from telly.catalog.models import CreditRole, Person
from telly.search import sources
from telly.search.index import Builder, SearchIndex, _neighbourhood, ranges
from telly.search.text import deletion_hashes, deletions, hash_many, index_depth, tokens

from .conftest import cast, make_title


def test_the_fast_build_equals_one_document_at_a_time(guide):
    # Rows that exercise the shortcuts: words repeated inside a name, a character named like
    # its title or its actor, accents, an original name, a name with no words, a crew credit.
    echo = make_title("Echo Echo Beach", year=None, popularity=0.0, original_name="Écho Plage")
    make_title("…", popularity=3.0)
    cast(echo, "Beach Boy", "Echo")
    cast(echo, "Zoë Wanamaker", "Zoe Beach")
    cast(echo, "Nobody", "—")
    Person.objects.create(name="Anna Ánna")
    echo.credits.create(person=Person.objects.create(name="Crew Member"), role=CreditRole.CREW)
    fast = sources.index_everything()
    slow = SearchIndex.build(sources.everything())
    assert fast.vocab == slow.vocab and fast.keys == slow.keys
    assert fast.arrays.keys() == slow.arrays.keys()
    for name, values in slow.arrays.items():
        assert fast.arrays[name].dtype == values.dtype, name
        assert np.array_equal(fast.arrays[name], values), name
    # A word repeated in one document is kept once, at its first place (own, not context).
    doc = fast.positions(2, [c.pk for c in echo.credits.filter(character="Echo")])[0]
    start, stop = fast.dt_start[doc], fast.dt_start[doc + 1]
    words = [fast.vocab[t] for t in fast.dt_tok[start:stop]]
    assert words == ["echo", "beach", "boy"]
    assert fast.dt_own[start:stop].tolist() == [True, False, False]


_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(" \t\n\u00a0\u2028&'’\u0301\u0308ǅßİﬁ"),
    ),
    max_size=40,
)


@given(st.lists(_TEXT, max_size=6))
@settings(max_examples=300, deadline=None)
def test_folding_piece_by_piece_gives_the_words_of_the_whole_text(texts):
    builder = Builder()
    for text in texts:  # the second time round, the pieces come from the cache
        for _ in range(2):
            assert [builder.words[i] for i in builder.text_ids(text)] == tokens(text)


_WORDS = st.lists(
    st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=11), max_size=12
)


@given(_WORDS, st.sampled_from([7, 8]), st.booleans())
@settings(max_examples=200, deadline=None)
def test_the_neighbourhood_holds_each_deletion_of_each_prefix_once(strings, prefix, in_order):
    if in_order:
        strings = sorted(strings)
    hashes, owners = _neighbourhood(strings, prefix)
    expected = {
        (int(h), i)
        for i, text in enumerate(strings)
        for h in hash_many(sorted(deletions(text[:prefix], index_depth(text[:prefix]))))
    }
    pairs = list(zip(hashes.tolist(), owners.tolist(), strict=True))
    assert len(pairs) == len(set(pairs)) and set(pairs) == expected
    assert hashes.tolist() == sorted(hashes.tolist())


def test_ranges_concatenates_aranges():
    starts, lengths = np.array([5, 0, 9, 2]), np.array([2, 0, 3, 1])
    assert ranges(starts, lengths).tolist() == [5, 6, 9, 10, 11, 2]
    assert ranges(np.zeros(0), np.zeros(0)).tolist() == []


@given(st.lists(_TEXT, max_size=8))
@settings(max_examples=200, deadline=None)
def test_folding_many_texts_at_once_gives_each_ones_words(texts):
    one_by_one, at_once = Builder(), Builder()
    expected = [[one_by_one.words[i] for i in one_by_one.text_ids(t)] for t in texts]
    tok, counts = at_once.texts_ids(texts)
    assert counts.tolist() == [len(words) for words in expected]
    assert [at_once.words[i] for i in tok.tolist()] == [w for words in expected for w in words]


def test_a_text_holding_the_separator_is_still_read_right():
    builder = Builder()
    texts = ["Elle Argent", "a \x00\x01\x00 b", "", "Nick Nelson"]
    tok, counts = builder.texts_ids(texts)
    assert counts.tolist() == [2, 2, 0, 2]
    assert [builder.words[i] for i in tok] == ["elle", "argent", "a", "b", "nick", "nelson"]


@given(st.lists(st.text(min_size=1, max_size=8).filter(lambda t: "\x00" not in t), max_size=10))
@settings(max_examples=200, deadline=None)
def test_deletion_hashes_are_the_hashes_of_the_deletions(heads):
    hashes, owners = deletion_hashes(heads, 8)
    expected = {
        (int(h), i)
        for i, head in enumerate(heads)
        for h in hash_many(sorted(deletions(head, index_depth(head))))
    }
    assert set(zip(hashes.tolist(), owners.tolist(), strict=True)) == expected
