"""The bundled demo articles load, and a second load creates nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from telly.demo import editorial, store
from telly.editorial.models import Article


def test_the_demo_loads_once(db: None) -> None:
    data = store.read("editorial")
    assert data is not None
    first = editorial.load(data, lambda message: None)
    assert first["articles"] == len(data["articles"]) >= 5
    assert {a["kind"] for a in data["articles"]} >= {"news", "review", "feature", "list", "podcast"}
    assert all(v == 0 for v in editorial.load(data, lambda message: None).values())
    assert (
        Article.objects.published().count() < Article.objects.count()
    )  # a draft and a scheduled piece


SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.mark.conformance
def test_the_demo_file_is_what_the_shared_facts_build() -> None:
    assert editorial.build(SHARED) == store.read("editorial")


@pytest.mark.conformance
def test_the_demo_articles_state_the_facts_of_the_data() -> None:
    built = {a["slug"]: a for a in editorial.build(SHARED)["articles"]}
    review = built["heartstopper-review-gentle-and-brave"]
    assert "The 2022 series" in review["standfirst"]
    assert "Joe Locke as Charlie Spring" in review["body"]
    assert "£5.99 a month" in built["netflix-basic-price-history-uk"]["body"]
    assert (
        "Jenna Ortega as Wednesday Addams"
        in built["telly-podcast-wednesday-comedy-or-horror"]["body"]
    )
