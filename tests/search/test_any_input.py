"""Whatever a visitor types (any Unicode, control characters, huge strings), search answers."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from telly.search.query import KIND_CHOICES, search
from telly.search.text import tokens


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_folding_any_text_never_raises(text):
    assert all(word for word in tokens(text))


@pytest.mark.django_db
@given(text=st.text(max_size=120), kind=st.sampled_from([None, *KIND_CHOICES]))
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_searching_any_text_never_raises(guide, text, kind):
    found = search(text, kind, 10)
    assert len(found) <= 10


@pytest.mark.django_db
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_the_api_never_answers_500(client, guide, text):
    assert client.get("/api/v1/search", {"q": text}).status_code in (200, 422)


def test_a_very_long_query_is_cut_not_refused(guide):
    assert search("heartstopper " * 1000, "title", 3)[0].name == "Heartstopper"
