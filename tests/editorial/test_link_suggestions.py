"""While writing, the admin suggests links for names in the text that match the guide's
titles, people, characters and providers; the editor accepts or rejects each."""

from __future__ import annotations

from telly.catalog.models import Person, Title, TitleKind
from telly.editorial import links
from telly.editorial.models import LinkSuggestion, SuggestionState, SuggestionTarget
from telly.streaming.models import Provider


def _found(text: str) -> dict[tuple[str, str], str]:
    return {(s.target, str(s.linked)): s.matched_text for s in links.find_links(text)}


def test_it_finds_titles_people_characters_and_providers(
    heartstopper: Title, netflix: Provider
) -> None:
    found = _found(
        "Kit Connor is back in the second season of Heartstopper, which streams on Netflix. "
        "Charlie Spring has never been braver."
    )
    assert found[("title", "Heartstopper (2022)")] == "Heartstopper"
    assert found[("person", "Kit Connor")] == "Kit Connor"
    assert found[("provider", "Netflix")] == "Netflix"
    assert found[("character", "Joe Locke")] == "Charlie Spring (Joe Locke in Heartstopper)"


def test_it_matches_names_whatever_their_case_and_leading_article(db: None) -> None:
    crown = Title.objects.create(name="The Crown", year=2016, kind=TitleKind.SERIES)
    found = _found("Everyone watched Crown, The and then the crown again.")
    assert ("title", str(crown)) in found


def test_it_prefers_the_most_popular_of_two_titles_with_one_name(db: None) -> None:
    Title.objects.create(name="Shameless", year=2004, popularity=5)
    us = Title.objects.create(name="Shameless", year=2011, popularity=50)
    assert [s.title for s in links.find_links("Shameless is loud.") if s.title] == [us]


def test_it_ignores_lowercase_words_and_short_names(db: None) -> None:
    Title.objects.create(name="Lost", year=2004)
    Title.objects.create(name="You", year=2018)
    Person.objects.create(name="Will")
    assert _found("you will get lost. You Will not.") == {}


def test_provider_aliases_match(netflix: Provider) -> None:
    assert ("provider", "Netflix") in _found("It is on Netflix basic with Ads too.")


def test_suggestions_are_stored_once_and_skip_what_is_linked(
    make_article, heartstopper: Title, netflix: Provider
) -> None:
    joe = Person.objects.get(name="Joe Locke")
    article = make_article(
        "Heartstopper is back", body="Joe Locke and Kit Connor return on Netflix.", people=[joe]
    )
    fresh = links.suggest_links(article)
    targets = {(s.target, str(s.linked)) for s in fresh}
    assert targets == {
        ("title", "Heartstopper (2022)"),
        ("person", "Kit Connor"),
        ("provider", "Netflix"),
    }
    assert links.suggest_links(article) == []  # a second pass adds nothing
    assert LinkSuggestion.objects.filter(article=article).count() == 3


def test_accepting_links_the_article_and_rejecting_is_remembered(
    make_article, heartstopper: Title, netflix: Provider
) -> None:
    article = make_article("Heartstopper on Netflix", body="Kit Connor stars.")
    links.suggest_links(article)
    title = LinkSuggestion.objects.get(article=article, target=SuggestionTarget.TITLE)
    provider = LinkSuggestion.objects.get(article=article, target=SuggestionTarget.PROVIDER)
    person = LinkSuggestion.objects.get(article=article, target=SuggestionTarget.PERSON)
    links.accept(title)
    links.accept(person)
    links.reject(provider)
    assert list(article.title_links.values_list("title__name", flat=True)) == ["Heartstopper"]
    assert list(article.people.values_list("name", flat=True)) == ["Kit Connor"]
    assert article.providers.count() == 0
    provider.refresh_from_db()
    assert provider.state == SuggestionState.REJECTED and provider.decided_at is not None
    assert links.suggest_links(article) == []  # rejected names are not suggested again


def test_finding_links_takes_a_fixed_number_of_queries(
    make_article, heartstopper: Title, netflix: Provider, django_assert_max_num_queries
) -> None:
    # About 800 words with a hundred different names: one query for titles, people, characters, providers.
    text = " ".join(f"Name{i} Surname{i} met Heartstopper fans on Netflix." for i in range(100))
    with django_assert_max_num_queries(4):
        links.find_links(text)


def test_candidate_keys_are_the_catalogues_name_keys() -> None:
    from telly.catalog.text import name_key

    for phrase in [
        "The Crown",
        "Crown, The",
        "Amélie & Co.",
        "Game of Thrones",
        "Squid-Game 2",
        "An Officer and a Spy",
        "O’Brien",
    ]:
        keys = links.candidate_keys(phrase)
        assert name_key(phrase) in keys, (phrase, keys)


def test_characters_are_found_next_to_their_show_or_in_an_article_about_it(
    make_article, heartstopper: Title
) -> None:
    assert not [
        s
        for s in links.find_links("Charlie Spring smiles.")
        if s.target == SuggestionTarget.CHARACTER
    ]
    article = make_article("A quiet moment", body="Charlie Spring smiles.", titles=[heartstopper])
    suggested = links.suggest_links(article)
    assert [(s.target, s.person.name) for s in suggested] == [
        (SuggestionTarget.CHARACTER, "Joe Locke")
    ]
