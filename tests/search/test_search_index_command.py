"""`telly search-index` reports the index; `--rebuild` repairs it."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from telly.search.models import IndexState


def run(*args: str) -> str:
    out = StringIO()
    call_command("search-index", *args, stdout=out)
    return out.getvalue()


def test_it_says_when_nothing_is_built_yet(db):
    assert "has not been built yet" in run()


def test_rebuild_builds_and_reports(guide):
    out = run("--rebuild")
    state = IndexState.objects.get()
    assert f"{state.documents} documents" in out
    assert state.documents >= 11 + 4 + 3 + 2  # titles, people, characters, providers
    assert f"generation {state.generation}" in run()
