"""Streaming catalogue CSVs: titles, people and offers in the region the user names."""

from __future__ import annotations

import pytest

from telly.catalog.models import Credit, ExternalId, Person, Title
from telly.importers.errors import BadInput
from telly.importers.runner import import_path
from telly.streaming.models import Offer

pytestmark = pytest.mark.django_db

NETFLIX = (
    "show_id,type,title,director,cast,country,date_added,release_year,rating,duration,listed_in,description\n"
    's1,TV Show,Heartstopper,,"Joe Locke, Kit Connor",United Kingdom,"April 22, 2022",2022,TV-14,2 Seasons,'
    '"British TV Shows, Romantic TV Shows",Placeholder words.\n'
    's2,Movie,The Quiet Pier,Cora Tide,Ben Quay,France,"March 1, 2021",2015,PG,101 min,Dramas,Placeholder words.\n'
)
JW_TITLES = (
    "id,title,type,description,release_year,age_certification,runtime,genres,production_countries,seasons,imdb_id,imdb_score,imdb_votes,tmdb_popularity,tmdb_score\n"
    "ts217231,Heartstopper,SHOW,Placeholder words.,2022,TV-14,29,\"['romance', 'drama']\",['GB'],2.0,tt10638036,8.6,150000,56.4,8.8\n"
    "tm1,Lone Film,MOVIE,Placeholder words.,2019,R,99,['thriller'],['US'],,,,,1.5,\n"
)
JW_CREDITS = (
    "id,title_id,name,character,role\n"
    "7001,ts217231,Joe Locke,Charlie Spring,ACTOR\n"
    "7002,ts217231,Kit Connor,Nick Nelson,ACTOR\n"
    "7003,tm1,Some Director,,DIRECTOR\n"
)


def test_a_netflix_layout_catalogue_becomes_offers_in_the_given_region(
    heartstopper: Title, write
) -> None:
    _run, _ = import_path(write("netflix_titles.csv", NETFLIX), region="US")
    offer = Offer.objects.get(title=heartstopper)
    assert (offer.provider.name, offer.region, offer.seasons) == ("Netflix", "US", [1, 2])
    assert offer.available_from.date().isoformat() == "2022-04-22"
    assert Title.objects.filter(name="Heartstopper").count() == 1  # matched by name, year and kind
    film = Title.objects.get(name="The Quiet Pier")
    assert film.runtime == 101 and film.countries == ["FR"]
    assert Credit.objects.get(title=film, job="Director").person.name == "Cora Tide"
    # The two actors already credited on Heartstopper are the same people, not new ones.
    assert Person.objects.filter(name="Joe Locke").count() == 1
    assert not Offer.objects.filter(region="GB").exists()


def test_the_same_catalogue_twice_changes_nothing(write) -> None:
    path = write("netflix_titles.csv", NETFLIX)
    import_path(path, region="US")
    run, _ = import_path(path, region="US")
    assert run.total("created") == 0 and run.total("updated") == 0
    assert Person.objects.count() == 4 and Offer.objects.count() == 2


def test_the_provider_option_wins_over_the_file_name(write) -> None:
    import_path(write("catalogue.csv", NETFLIX), region="GB", provider="Disney+")
    assert set(Offer.objects.values_list("provider__name", flat=True)) == {"Disney+"}


@pytest.mark.parametrize(
    ("file_name", "service"),
    [
        ("amazon_prime_titles.csv", "Prime Video"),
        ("Disney Plus titles.csv", "Disney+"),
        ("hbo-max_titles.csv", "Max"),
        ("crunchyroll_titles.csv", "Crunchyroll"),
        ("now-tv_catalogue.csv", "NOW"),
        ("channel_4.csv", "Channel 4"),
        ("bbc_iplayer_2024.csv", "BBC iPlayer"),
    ],
)
def test_the_file_name_says_the_service(write, file_name: str, service: str) -> None:
    import_path(write(file_name, NETFLIX), region="US")
    assert set(Offer.objects.values_list("provider__name", flat=True)) == {service}


def test_an_unnamed_service_is_asked_for(write) -> None:
    with pytest.raises(BadInput, match="give --provider"):
        import_path(write("catalogue.csv", NETFLIX), region="GB")


def test_justwatch_titles_and_credits_import_with_ids_seasons_and_characters(
    heartstopper: Title, write
) -> None:
    import_path(write("netflix_titles_2023.csv", JW_TITLES), region="US")
    assert Title.objects.filter(name="Heartstopper").count() == 1
    offer = Offer.objects.get(title=heartstopper)
    assert offer.seasons == [1, 2] and offer.region == "US"
    lone = ExternalId.objects.get(scheme="justwatch", value="tm1").title
    assert lone.kind == "film" and lone.genres.get().name == "Thriller"
    run, _ = import_path(write("credits.csv", JW_CREDITS))
    assert (
        Credit.objects.get(title=heartstopper, person__name="Kit Connor").character == "Nick Nelson"
    )
    assert Credit.objects.get(title=lone).job == "Director"
    run, _ = import_path(write("credits.csv", JW_CREDITS))
    assert run.total("created") == 0


def test_platform_flag_layout_makes_an_offer_per_flagged_service(write) -> None:
    text = ",ID,Title,Year,Age,IMDb,Rotten Tomatoes,Netflix,Hulu,Prime Video,Disney+,Type\n0,1,Harbour Lights,2019,16+,7.9/10,90/100,1,1,0,0,1\n"
    import_path(write("tv_shows.csv", text), region="US")
    assert sorted(Offer.objects.values_list("provider__name", flat=True)) == ["Hulu", "Netflix"]
    assert str(Title.objects.get().rating) == "7.9"
