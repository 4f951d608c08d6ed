"""The index follows the database: saves, deletes and importers' bulk writes are searchable at
once, in this process and in any other, with no manual rebuild."""

from __future__ import annotations

from telly.catalog.models import Credit, CreditRole, Person, Title, TitleKind
from telly.catalog.signals import Changes, announce
from telly.search import live
from telly.search.models import IndexChange, IndexState
from telly.search.query import search

from .conftest import make_title


def names(q: str, kind: str | None = "title") -> list[str]:
    return [r.name for r in search(q, kind, 5)]


def test_a_new_title_is_found_at_once(guide):
    assert names("severance") == []
    make_title("Severance", year=2022)
    assert names("severance") == ["Severance"]
    assert names("severanse") == ["Severance"]


def test_a_renamed_title_is_found_by_its_new_name_only(guide):
    crown = guide["crown"]
    crown.name = "The Jewel"
    crown.save()
    assert "The Jewel" in names("the jewel")
    assert "The Crown" not in names("the crown")


def test_renaming_a_title_renews_its_characters(guide):
    crown = guide["crown"]
    crown.name = "Royal Household"
    crown.save()
    found = search("royal household queen elizabeth", "character", 3)
    assert found and found[0].extra["title"] == "Royal Household"


def test_a_deleted_title_disappears_with_its_characters(guide):
    guide["heartstopper"].delete()
    assert names("heartstopper") == []
    assert search("elle argent", "character", 5) == []


def test_new_people_and_parts_are_found(guide):
    person = Person.objects.create(name="Kit Harington")
    Credit.objects.create(
        title=guide["crown"], person=person, role=CreditRole.CAST, character="Jon Snow"
    )
    assert names("kit harington", "person") == ["Kit Harington"]
    assert search("jon snow", "character", 1)[0].label == "Jon Snow → Kit Harington in The Crown"


def test_bulk_writes_announced_by_importers_are_found(guide, django_capture_on_commit_callbacks):
    search("warm up", None)  # the index exists before the import
    title = Title.objects.bulk_create(
        [
            Title(
                kind=TitleKind.SERIES, name="Slow Horses", slug="slow-horses", name_key="slowhorses"
            )
        ]
    )[0]
    assert names("slow horses") == []  # bulk_create sends no signal...
    with django_capture_on_commit_callbacks(execute=True):
        announce(Changes(source="test", titles={title.pk}))
    assert names("slow horses") == ["Slow Horses"]  # ...the importer's announcement does


def test_another_process_sees_the_change_too(guide):
    search("warm up", None)
    make_title("Slow Horses")
    live.forget()  # a process that has only the saved file and the change log
    assert names("slow horses") == ["Slow Horses"]


def test_a_rebuild_folds_the_change_log_into_a_new_generation(guide):
    search("warm up", None)
    first = IndexState.objects.get().generation
    make_title("Slow Horses")
    assert IndexChange.objects.exists()
    state = live.rebuild()
    assert state.generation != first
    assert not IndexChange.objects.filter(id__lte=state.change_seq).exists()
    live.forget()
    assert names("slow horses") == ["Slow Horses"]
    assert live.index_path(state.generation).exists()
    assert not live.index_path(first).exists()


def test_a_missing_index_file_is_rebuilt_from_the_database(guide):
    search("warm up", None)
    state = IndexState.objects.get()
    live.index_path(state.generation).unlink()
    live.forget()  # e.g. a second machine sharing the PostgreSQL database
    assert names("heartstopper") == ["Heartstopper"]


def test_a_big_import_rebuilds_the_whole_index(
    guide, django_capture_on_commit_callbacks, monkeypatch
):
    search("warm up", None)
    first = IndexState.objects.get().generation
    monkeypatch.setattr(live, "OVERLAY_LIMIT", 2)
    made = Title.objects.bulk_create(
        [
            Title(
                kind=TitleKind.FILM,
                name=f"Bulk Film {i}",
                slug=f"bulk-film-{i}",
                name_key=f"bulkfilm{i}",
            )
            for i in range(3)
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        announce(Changes(source="test", titles={t.pk for t in made}))
    assert IndexState.objects.get().generation != first  # rebuilt (tasks run at once in tests)
    assert names("bulk film 2")[0] == "Bulk Film 2"
