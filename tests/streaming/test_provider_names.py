import pytest

from telly.streaming.models import Provider
from telly.streaming.providers import ProviderResolver, name_key, provider_for_name

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Amazon Prime Video", "Prime Video"),
        ("Disney Plus", "Disney+"),
        ("Now TV", "NOW"),
        ("HBO Max", "Max"),
    ],
)
def test_aliases_resolve_to_one_provider(first, second):
    assert provider_for_name(first) == provider_for_name(second)
    assert Provider.objects.count() == 1


def test_a_well_known_service_gets_its_display_name_kind_and_tmdb_id():
    provider = provider_for_name("disney plus")
    assert (provider.name, provider.slug, provider.kind, provider.tmdb_id) == (
        "Disney+",
        "disney-plus",
        "subscription",
        337,
    )
    assert "GB" in provider.regions


def test_a_tmdb_id_finds_the_provider_whatever_the_name():
    netflix = provider_for_name("Netflix")
    assert provider_for_name("Netflix (UK)", tmdb_id=8) == netflix


def test_an_aliases_list_on_the_row_is_used():
    local = Provider.objects.create(name="Local Flix", slug="local-flix", aliases=["LF Streaming"])
    assert provider_for_name("lf-streaming") == local


def test_an_unknown_name_is_created_as_given_with_the_kind_its_offer_implies():
    provider = provider_for_name("Chili", tmdb_id=40, kind="buy")
    assert (provider.name, provider.kind, provider.tmdb_id) == ("Chili", "store", 40)


def test_it_does_not_create_when_asked_not_to():
    assert provider_for_name("Nothing Here", create=False) is None
    assert not Provider.objects.exists()


def test_a_resolver_answers_many_names_with_one_query(django_assert_max_num_queries):
    provider_for_name("Netflix")
    provider_for_name("Disney+")
    resolver = ProviderResolver()
    with django_assert_max_num_queries(0):
        for name in ["Netflix", "netflix", "Disney Plus", "DISNEY+", "disneyplus"] * 20:
            assert resolver.find(name) is not None


def test_name_keys_ignore_case_spacing_and_plus():
    assert name_key("Disney+") == name_key(" disney  plus ") == "disneyplus"
