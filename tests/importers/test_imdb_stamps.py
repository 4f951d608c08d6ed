"""A bulk IMDb load keeps the provenance its rows share once, in a ``Stamp``, instead of on every
row. Read through the models, a stamped row has the same sources and times as a row that carries
its own; a later change by another source, or by an editor, is the row's own again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db import connection

from telly.catalog.models import Episode, Person, Season, Stamp, Title
from telly.importers.runner import import_path
from tests.importers.test_imdb_fast_path import catalogue

pytestmark = pytest.mark.django_db


def stored(model: type, pk: int) -> tuple:
    """The row's own provenance columns, as the database has them."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT sources, seen_at, created_at, updated_at, stamp_id FROM {table} WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()


def test_bulk_rows_share_one_stamp_per_kind_and_read_as_their_own(tmp_path: Path) -> None:
    _, ctx = import_path(catalogue(tmp_path / "imdb", 20), "imdb")
    show = Title.objects.get(name="Show 3")
    episode = Episode.objects.filter(title=show).order_by("number").first()
    season = Season.objects.get(title=show, number=1)
    person = Person.objects.get(name="Actor 3")
    # Stored: nothing of it on the row but the stamp's id.
    for row in (show, episode, season, person):
        sources, seen_at, created_at, updated_at, stamp_id = stored(type(row), row.pk)
        assert sources in ("{}", {}) and (seen_at, created_at, updated_at) == (None, None, None)
        assert stamp_id == row.stamp_id
    assert Stamp.objects.filter(kind="catalog.episode").count() == 1
    assert len({Episode.objects.values_list("stamp_id", flat=True)[i] for i in range(3)}) == 1
    # Read: every field the load set names IMDb, every time is the run's.
    assert show.sources == dict.fromkeys(
        (
            "kind",
            "name",
            "original_name",
            "year",
            "end_year",
            "runtime",
            "rating",
            "votes",
            "genres",
        ),
        "imdb",
    )
    assert episode.sources == {"name": "imdb", "air_at": "imdb", "runtime": "imdb"}
    assert season.sources == {"number": "imdb"}
    assert person.sources["name"] == "imdb"
    for row in (show, episode, season, person):
        assert row.seen_at == row.created_at == row.updated_at == ctx.seen_at
    # Deferred loading: a stamped field comes with its stamp however it is loaded.
    lean = Title.objects.only("pk", "updated_at").get(pk=show.pk)
    assert lean.updated_at == ctx.seen_at and "sources" not in lean.__dict__
    assert lean.sources == show.sources  # read later, on its own
    later = Title.objects.only("pk", "slug").get(pk=show.pk)
    assert later.seen_at == ctx.seen_at
    deferred = Title.objects.defer("stamp").get(pk=show.pk)  # the fallback: one more query
    assert deferred.created_at == ctx.seen_at and deferred.sources["votes"] == "imdb"
    via = Episode.objects.select_related("season").only("pk", "season__sources").get(pk=episode.pk)
    assert via.season.sources == {"number": "imdb"}


def test_a_later_source_and_an_editor_write_their_own_values_over_the_stamp(
    tmp_path: Path,
) -> None:
    _, first = import_path(catalogue(tmp_path / "imdb", 5), "imdb")
    show = Title.objects.get(name="Show 1")
    later = first.seen_at + dt.timedelta(days=3)
    changed = show.apply_source({"name": "Show One", "runtime": 45}, "tvmaze", later)
    assert changed == ["name"]  # the runtime was already 45
    show.save()
    again = Title.objects.get(pk=show.pk)
    assert again.sources["name"] == "tvmaze" and again.sources["runtime"] == "imdb"
    assert again.seen_at == again.updated_at == later
    assert again.created_at == first.seen_at
    # A whole save writes what it read: the row now holds its own values, the same ones.
    sources, seen_at, created_at, updated_at, _ = stored(Title, show.pk)
    assert None not in (seen_at, created_at, updated_at) and "tvmaze" in str(sources)
    # A partial save writes only its fields: the rest still comes from the stamp.
    episode = Episode.objects.filter(title=show).first()
    episode.apply_source({"name": "Pilot"}, "tvmaze", later)
    episode.save(update_fields=["name", "sources", "seen_at", "updated_at"])
    assert stored(Episode, episode.pk)[2] is None
    episode = Episode.objects.get(pk=episode.pk)
    assert episode.created_at == first.seen_at and episode.updated_at == later
    assert episode.sources == {"name": "tvmaze", "air_at": "imdb", "runtime": "imdb"}
    # An editor's lock survives a re-import of the same files, which changes nothing.
    again.lock("name")
    again.save(update_fields=["locked_fields"])
    run, _ = import_path(tmp_path / "imdb", "imdb")
    assert run.counts["title"]["created"] == 0
    assert Title.objects.get(pk=show.pk).name == "Show One"


def test_stamps_keep_their_meaning_in_a_process_that_read_one_before(tmp_path: Path) -> None:
    """Ids are random, so a stamp that was rolled back cannot hand its id (and its cached
    meaning) to the next one."""
    ids = {
        Stamp.for_rows(Title, ["name"], "imdb", dt.datetime(2026, 1, d, tzinfo=dt.UTC))
        for d in (1, 2, 3)
    }
    assert len(ids) == 3 and all(i > 0 for i in ids)
    same = Stamp.for_rows(Title, ["name"], "imdb", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert same in ids and Stamp.objects.count() == 3
