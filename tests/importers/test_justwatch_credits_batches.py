"""JustWatch credits.csv is resolved a batch of rows at a time; the person and credit rules are
the same as row by row, across batch boundaries, and a second import changes nothing."""

from __future__ import annotations

import pytest

from telly.catalog.models import Credit, ExternalId, Person
from telly.importers.runner import import_path
from telly.importers.streaming_csv import justwatch

pytestmark = pytest.mark.django_db

TITLES = (
    "id,title,type,release_year,age_certification,runtime,genres,production_countries,seasons,imdb_id\n"
    "ts1,First Show,SHOW,2020,,30,['drama'],['GB'],1,\n"
    "ts2,Second Show,SHOW,2021,,30,['drama'],['GB'],1,\n"
    "tm3,A Film,MOVIE,2019,,99,['drama'],['US'],,\n"
)
CREDITS = (
    "person_id,id,name,character,role\n"
    "1,ts1,Ann Lake,Mara,ACTOR\n"
    "2,ts1,Bo Reed,Finn,ACTOR\n"
    "1,ts2,Ann Lake,Mara,ACTOR\n"  # the same person (by id) on another title
    ",ts2,Cy Moss,Host,ACTOR\n"  # no id: a new person of that name
    ",tm3,Cy Moss,,DIRECTOR\n"  # no id: the only person of that name
    "1,ts2,Ann Lake,Mara,ACTOR\n"  # the same part twice
    "9,ts9,Nobody Known,X,ACTOR\n"  # its title was not imported
)


@pytest.mark.parametrize("batch", [1, 2, 1000])
def test_people_and_credits_across_batches(
    write, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    monkeypatch.setattr(justwatch, "CREDIT_BATCH", batch)
    import_path(write("netflix_titles.csv", TITLES), region="GB")
    run, ctx = import_path(write("netflix_credits.csv", CREDITS))
    assert sorted(Person.objects.values_list("name", flat=True)) == [
        "Ann Lake",
        "Bo Reed",
        "Cy Moss",
    ]
    ann = ExternalId.objects.get(scheme="justwatch", value="person/1").person
    assert ann is not None and ann.name == "Ann Lake" and ann.slug and ann.name_key == "annlake"
    assert sorted(Credit.objects.filter(person=ann).values_list("title__name", flat=True)) == [
        "First Show",
        "Second Show",
    ]
    cy = Person.objects.get(name="Cy Moss")
    assert Credit.objects.get(person=cy, role="crew").job == "Director"
    assert run.counts["credit"] == {
        "created": 5,
        "updated": 0,
        "unchanged": 1,
        "rejected": 0,
        "skipped": 1,
    }
    assert run.counts["person"]["created"] == 3
    assert ctx.changes.people == set(Person.objects.values_list("pk", flat=True))
    assert ctx.changes.credits == set(Credit.objects.values_list("pk", flat=True))

    again, _ = import_path(write("netflix_credits.csv", CREDITS))
    assert again.counts["credit"]["created"] == again.counts["person"]["created"] == 0
    assert again.counts["credit"]["unchanged"] == 6
    assert (Person.objects.count(), Credit.objects.count()) == (3, 5)


def test_a_person_renamed_by_the_source_is_updated_unless_locked(write) -> None:
    import_path(write("netflix_titles.csv", TITLES), region="GB")
    import_path(write("netflix_credits.csv", CREDITS))
    renamed = CREDITS.replace("2,ts1,Bo Reed", "2,ts1,Bo Reid")
    run, _ = import_path(write("netflix_credits.csv", renamed))
    assert run.counts["person"]["updated"] == 1
    bo = ExternalId.objects.get(value="person/2").person
    assert bo is not None and bo.name == "Bo Reid" and bo.name_key == "boreid"
    bo.name = "Bo Reed"
    bo.lock("name")
    bo.save()
    run, _ = import_path(write("netflix_credits.csv", renamed))
    bo.refresh_from_db()
    assert bo.name == "Bo Reed" and run.counts["person"]["updated"] == 0
