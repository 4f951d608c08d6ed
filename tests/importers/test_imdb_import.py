"""IMDb dataset files become titles, seasons, episodes, people and credits; a second import of
the same files changes nothing."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from telly.catalog.models import AirPrecision, Credit, Episode, ExternalId, Person, Season, Title
from telly.importers.models import ImportRun, RunStatus
from telly.importers.runner import import_path

pytestmark = pytest.mark.django_db


def test_it_imports_a_directory_of_imdb_files(fixtures: Path) -> None:
    run, ctx = import_path(fixtures / "imdb")
    assert run.status == RunStatus.OK
    harbour = Title.objects.get(external_ids__scheme="imdb", external_ids__value="tt0000101")
    assert (harbour.kind, harbour.year, harbour.end_year, harbour.runtime) == (
        "series",
        2019,
        2021,
        45,
    )
    assert harbour.rating == Decimal("7.9") and harbour.votes == 1520
    assert sorted(harbour.genres.values_list("name", flat=True)) == ["Crime", "Drama"]
    assert harbour.sources["name"] == "imdb" and harbour.seen_at is not None
    film = Title.objects.get(name="The Quiet Pier")
    assert (film.kind, film.original_name) == ("film", "Le quai tranquille")
    assert list(Season.objects.filter(title=harbour).values_list("number", "episode_count")) == [
        (1, 2),
        (2, 1),
    ]
    low_tide = Episode.objects.get(title=harbour, season_number=1, number=1)
    assert (
        low_tide.name == "Low Tide"
        and low_tide.air_precision == AirPrecision.YEAR
        and low_tide.air_at.year == 2019
    )
    nell = Credit.objects.get(title=harbour, person__name="Ada Marsh")
    assert nell.character == "DI Nell Harbour" and nell.role == "cast"
    assert Credit.objects.get(title=film, person__name="Cora Tide").job == "Director"
    assert Person.objects.get(name="Cora Tide").death_year == 2020
    assert ctx.tally.counts["title"]["skipped"] == 1  # the video game
    assert ctx.tally.counts["credit"]["skipped"] == 1  # an episode's principal
    assert harbour.pk in ctx.changes.new_titles


def test_importing_the_same_files_again_changes_nothing(fixtures: Path) -> None:
    import_path(fixtures / "imdb")
    counts = (
        Title.objects.count(),
        Episode.objects.count(),
        Person.objects.count(),
        Credit.objects.count(),
    )
    run, ctx = import_path(fixtures / "imdb")
    assert (
        Title.objects.count(),
        Episode.objects.count(),
        Person.objects.count(),
        Credit.objects.count(),
    ) == counts
    assert run.total("created") == 0 and run.total("updated") == 0
    assert run.counts["title"]["unchanged"] == 3 and run.counts["episode"]["unchanged"] == 3
    assert not ctx.changes.titles


def test_it_matches_a_title_already_known_by_its_imdb_id(
    heartstopper: Title, fixtures: Path
) -> None:
    import_path(fixtures / "imdb")
    assert Title.objects.filter(name="Heartstopper").count() == 1
    heartstopper.refresh_from_db()
    assert heartstopper.rating == Decimal("8.6") and heartstopper.sources["rating"] == "imdb"


def test_it_matches_a_title_without_ids_by_name_year_and_kind(db: None, fixtures: Path) -> None:
    existing = Title.objects.create(name="Harbour  lights", kind="series", year=2019)
    import_path(fixtures / "imdb")
    assert Title.objects.filter(name__iexact="harbour lights").count() == 1
    assert ExternalId.objects.get(scheme="imdb", value="tt0000101").title_id == existing.pk
    assert Episode.objects.filter(title=existing).count() == 3


def test_it_never_overwrites_a_field_an_editor_locked(heartstopper: Title, fixtures: Path) -> None:
    heartstopper.rating = Decimal("9.9")
    heartstopper.lock("rating")
    heartstopper.save()
    import_path(fixtures / "imdb")
    heartstopper.refresh_from_db()
    assert heartstopper.rating == Decimal("9.9")
    assert heartstopper.votes == 150000  # the unlocked field still follows the feed


def test_it_reads_gzipped_files_as_imdb_ships_them(fixtures: Path, tmp_path: Path) -> None:
    import gzip

    for path in (fixtures / "imdb").iterdir():
        (tmp_path / f"{path.name}.gz").write_bytes(gzip.compress(path.read_bytes()))
    run, _ = import_path(tmp_path)
    assert run.counts["episode"]["created"] == 3


def test_one_file_alone_imports_what_it_can(fixtures: Path, tmp_path: Path) -> None:
    shutil.copy(fixtures / "imdb" / "name.basics.tsv", tmp_path / "people.tsv")
    run, _ = import_path(tmp_path / "people.tsv")
    assert run.source == "imdb" and Person.objects.count() == 3


def test_an_import_run_records_what_happened(fixtures: Path) -> None:
    import_path(fixtures / "imdb")
    run = ImportRun.objects.get()
    assert run.source == "imdb" and run.rows == 21 and run.duration is not None and run.finished_at
    assert run.counts["person"]["created"] == 3


def test_the_bulk_path_rebuilds_the_indexes_it_set_aside(fixtures: Path) -> None:
    from django.db import connection

    def indexes() -> set[str]:
        with connection.cursor() as cursor:
            return {
                name
                for table in (
                    "catalog_title",
                    "catalog_episode",
                    "catalog_credit",
                    "catalog_externalid",
                )
                for name, *_ in connection.introspection.get_constraints(cursor, table).items()
            }

    before = indexes()
    run, _ = import_path(fixtures / "imdb", options={"defer_indexes": True})
    assert indexes() == before
    assert run.counts["episode"]["created"] == 3 and Season.objects.get(number=1).episode_count == 2
