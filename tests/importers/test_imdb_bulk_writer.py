"""A big IMDb load writes on a second thread (``imdb.bulk.Background``). It must store exactly
what the plain path stores, and a failure on the writer thread must leave nothing behind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db import connection

from telly.catalog.models import Episode, ExternalId, Season, Title
from telly.importers.imdb import bulk
from telly.importers.runner import import_path
from tests.importers.test_imdb_fast_path import catalogue, snapshot

# Outside a test transaction, as ``telly import`` runs: the rollback is the import's own.
pytestmark = pytest.mark.django_db(transaction=True)


def foreign_keys_on() -> bool:
    with connection.cursor() as cursor:
        return bool(cursor.execute("PRAGMA foreign_keys").fetchone()[0])


def full_snapshot() -> tuple:
    return (
        *snapshot(),
        sorted(Season.objects.values_list("title__name", "number", "episode_count")),
        sorted(ExternalId.objects.values_list("value", "title__name", "person__name")),
        sorted(Title.objects.values_list("name", "genres__name")),
    )


def wipe() -> None:
    for model in (ExternalId, Episode, Season, Title):
        model.objects.all().delete()
    from telly.catalog.models import Credit, Person

    Credit.objects.all().delete()
    Person.objects.all().delete()


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    # Many batches and id blocks from a small file: the queue fills, blocks follow on.
    monkeypatch.setattr(bulk, "BATCH", 7)
    for module in ("titles", "credits", "people"):
        monkeypatch.setattr(f"telly.importers.imdb.{module}.BATCH", 7)
    original = bulk.IdBlock.__init__

    def small_block(self, writer, model, block=50_000) -> None:  # type: ignore[no-untyped-def]
        original(self, writer, model, 11)

    monkeypatch.setattr(bulk.IdBlock, "__init__", small_block)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the writer thread is SQLite's")
def test_the_writer_thread_stores_what_the_plain_path_stores(
    tmp_path: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = catalogue(tmp_path / "imdb", 120)
    plain, _ = import_path(directory, "imdb", options={"defer_indexes": False})
    expected = full_snapshot()
    wipe()
    queued: list[object] = []
    call = bulk.Background.call
    monkeypatch.setattr(
        bulk.Background,
        "call",
        lambda self, work, then: (queued.append(work), call(self, work, then)),
    )
    threaded, _ = import_path(directory, "imdb", options={"defer_indexes": True})
    assert len(queued) > 100  # batches of 7 rows, and the index rebuilds, went through the thread
    assert full_snapshot() == expected
    assert threaded.counts == plain.counts
    assert threaded.counts["episode"]["created"] == 360
    assert foreign_keys_on()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the writer thread is SQLite's")
def test_a_statement_failing_on_the_writer_thread_fails_the_import_and_keeps_nothing(
    tmp_path: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = catalogue(tmp_path / "imdb", 60)
    real_payload = bulk.payload
    calls = {"n": 0}

    def broken_after_a_while(rows):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return "[not json" if calls["n"] == 25 else real_payload(rows)

    monkeypatch.setattr(bulk, "payload", broken_after_a_while)
    with pytest.raises(Exception, match="JSON"):
        import_path(directory, "imdb", options={"defer_indexes": True})
    assert calls["n"] >= 25
    assert Title.objects.count() == 0 and Episode.objects.count() == 0
    assert foreign_keys_on()


def pragma(name: str) -> object:
    with connection.cursor() as cursor:
        return cursor.execute(f"PRAGMA {name}").fetchone()[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the writer thread is SQLite's")
def test_rows_written_without_per_row_checks_satisfy_every_check(
    tmp_path: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    unchecked: list[bool] = []
    submit = bulk.Background.submit

    def spy(self, sql, params, then=None, unchecked_=False):  # type: ignore[no-untyped-def]
        unchecked.append(unchecked_)
        return submit(self, sql, params, then, unchecked_)

    monkeypatch.setattr(bulk.Background, "submit", spy)
    import_path(catalogue(tmp_path / "imdb", 60), "imdb", options={"defer_indexes": True})
    assert True in unchecked and False in unchecked  # external ids (a CheckConstraint) checked
    assert pragma("ignore_check_constraints") == 0
    # quick_check tests every CHECK constraint of every row (and NOT NULL) after the fact.
    assert pragma("quick_check") == "ok"


def test_which_bulk_statements_may_skip_the_per_row_checks() -> None:
    writer = bulk.BulkWriter()
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    fixed = bulk.provenance(Episode, ("name",), "imdb", at)
    columns, defaults = writer.columns(Episode, ("title_id", "name"), fixed)
    assert writer.checks_hold(Episode, ("title_id", "name"), columns, defaults)
    # A JSON column bound per row would have to be parsed per row: checked.
    given = ("title_id", "name", "sources")
    columns, defaults = writer.columns(Episode, given, fixed[1:])
    assert not writer.checks_hold(Episode, given, columns, defaults)
    # A literal that is not JSON: checked (and SQLite refuses it).
    broken = (("sources", "{not json"), *fixed[1:])
    columns, defaults = writer.columns(Episode, ("title_id",), broken)
    assert not writer.checks_hold(Episode, ("title_id",), columns, defaults)
    # A model-level CheckConstraint (an external id names one title or one person): checked.
    columns, defaults = writer.columns(ExternalId, ("value", "title_id"), ())
    assert not writer.checks_hold(ExternalId, ("value", "title_id"), columns, defaults)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the per-row key checks are SQLite's")
def test_a_big_load_checks_keys_once_at_the_end_and_a_broken_key_fails_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = catalogue(tmp_path / "imdb", 60)
    during: list[bool] = []
    check = bulk.BulkWriter.check_keys

    def spy(self, tables):  # type: ignore[no-untyped-def]
        during.append(foreign_keys_on())
        return check(self, tables)

    monkeypatch.setattr(bulk.BulkWriter, "check_keys", spy)
    run, _ = import_path(directory, "imdb", options={"defer_indexes": True})
    assert during == [False, False] and foreign_keys_on()  # off for the load, checked, on again
    assert run.counts["credit"]["created"] == 60
    wipe()
    # A credit naming a person who is not there: the end-of-load check fails the file.
    real_payload = bulk.payload

    def broken_person(rows):  # type: ignore[no-untyped-def]
        if rows and len(rows[0]) == 6 and rows[0][2] == "cast":
            rows = [(r[0], 10**9, *r[2:]) for r in rows]
        return real_payload(rows)

    monkeypatch.setattr(bulk, "payload", broken_person)
    with pytest.raises(Exception, match="foreign key"):
        import_path(directory, "imdb", options={"defer_indexes": True})
    assert Title.objects.count() == 0 and Episode.objects.count() == 0
    assert foreign_keys_on()
    # Without the bulk path the keys are checked row by row, as always.
    during.clear()
    monkeypatch.setattr(bulk, "payload", real_payload)
    import_path(directory, "imdb", options={"defer_indexes": False})
    assert during == []
