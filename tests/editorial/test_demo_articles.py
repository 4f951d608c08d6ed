"""The bundled demo articles load, and a second load creates nothing."""

from __future__ import annotations

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
