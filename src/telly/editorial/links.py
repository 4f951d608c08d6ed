"""Link suggestions: names in an article's words that match the guide's titles, people,
characters and providers.

Matching is by the catalogue's normal form of a name (``name_key``: folded, no leading article,
no spaces), so "the crown", "The Crown" and "Crown, The" all find *The Crown*. The text is cut
into runs of up to six words that begin with a capital letter or a digit ("Game of Thrones",
"Joe Locke", "Netflix"), and all their keys are looked up at once, so the cost is a handful of
queries whatever the size of the catalogue.

    >>> sorted(candidate_phrases("Joe Locke returns")[:3])
    ['Joe', 'Joe Locke', 'Joe Locke returns']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils import timezone

from telly.catalog.models import Credit, CreditRole, Person, Title
from telly.catalog.text import fold
from telly.editorial.models import (
    Article,
    ArticleTitle,
    LinkSuggestion,
    SuggestionState,
    SuggestionTarget,
)
from telly.editorial.text import plain_text
from telly.streaming.models import Provider

MAX_WORDS = 6
MIN_KEY = 4  # "It", "You", "Lost"... shorter keys match too much by chance
_WORD = re.compile(r"[\w'’&.-]+", re.UNICODE)
TITLE_FIELDS = ("pk", "kind", "name", "slug", "name_key", "year", "popularity")
PERSON_FIELDS = ("pk", "name", "slug", "name_key", "popularity")
CHUNK = 2000  # names per query: an 800-word article needs one query of each kind


def _runs(text: str) -> Iterable[list[str]]:
    """Runs of one to six words that start with a capital or a digit, within one sentence."""
    for line in text.splitlines():
        words = _WORD.findall(line)
        for i, word in enumerate(words):
            if not (word[0].isupper() or word[0].isdecimal()):
                continue
            run: list[str] = []
            for following in words[i : i + MAX_WORDS]:
                run.append(following.rstrip(".,'’"))
                yield list(run)
                if following.endswith(".") and len(following) > 3:  # end of a sentence, not "Dr."
                    break


def candidate_phrases(text: str) -> list[str]:
    return [" ".join(run) for run in _runs(text)]


def _key_of_folded(folded: str) -> str:
    """``name_key`` of a text whose ``fold`` is ``folded`` (same steps, without folding again)."""
    if folded.endswith((" the", " a", " an")):
        folded = folded.rsplit(" ", 1)[0]
    for article in ("the ", "a ", "an "):
        if folded.startswith(article):
            folded = folded[len(article) :]
            break
    return folded.replace(" ", "")[:200]


def candidate_keys(text: str) -> dict[str, str]:
    """Each candidate phrase's ``name_key`` → the phrase as first written.

    Folding a phrase is folding its words and joining them with spaces, so each distinct word
    is folded once: this is most of the work for a long article."""
    folded_word: dict[str, str] = {}
    by_key: dict[str, str] = {}
    for run in _runs(text):
        parts = []
        for word in run:
            if word not in folded_word:
                folded_word[word] = fold(word)
            if folded_word[word]:
                parts.append(folded_word[word])
        key = _key_of_folded(" ".join(parts))
        if len(key) >= MIN_KEY and key not in by_key:
            by_key[key] = " ".join(run)
    return by_key


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def find_links(text: str, about_titles: Iterable[int] = ()) -> list[LinkSuggestion]:
    """Unsaved suggestions for the names in ``text``, one per title, person or provider.

    Characters are looked for among the cast of the titles named in the text or given in
    ``about_titles`` (those the article already links): a character's name means something
    only next to its show, and this keeps the search to those titles' credits."""
    by_key = candidate_keys(text)
    keys = list(by_key)
    found: dict[tuple[str, int], LinkSuggestion] = {}

    # Titles: the most popular title of each name.
    best_title: dict[str, Title] = {}
    for chunk in _chunks(keys):
        for title in (
            Title.objects.filter(name_key__in=chunk)
            .only(*TITLE_FIELDS)
            .order_by("-popularity", "pk")
        ):
            best_title.setdefault(title.name_key, title)
    for key, title in best_title.items():
        found[("title", title.pk)] = LinkSuggestion(
            target=SuggestionTarget.TITLE, matched_text=by_key[key], title=title
        )

    # People, by full name; single-word keys are too ambiguous for people.
    multiword = [k for k in keys if " " in by_key[k]]
    for chunk in _chunks(multiword):
        for person in (
            Person.objects.filter(name_key__in=chunk)
            .only(*PERSON_FIELDS)
            .order_by("-popularity", "pk")
        ):
            found.setdefault(
                ("person", person.pk),
                LinkSuggestion(
                    target=SuggestionTarget.PERSON,
                    matched_text=by_key[person.name_key],
                    person=person,
                ),
            )

    # Characters link the actor who plays them ("Charlie Spring" → Joe Locke), as written.
    title_ids = {t.pk for t in best_title.values()} | set(about_titles)
    phrases = list(dict.fromkeys(by_key[k] for k in multiword)) if title_ids else []
    for chunk in _chunks(phrases):
        credits = Credit.objects.filter(
            title_id__in=title_ids, character__in=chunk, role=CreditRole.CAST
        ).select_related("person", "title")
        for credit in credits.order_by("-title__popularity", "order")[:50]:
            if ("person", credit.person_id) not in found:
                found[("person", credit.person_id)] = LinkSuggestion(
                    target=SuggestionTarget.CHARACTER,
                    matched_text=f"{credit.character} ({credit.person.name} in {credit.title.name})",
                    person=credit.person,
                )

    # Providers: few enough to check each name and alias against the folded text.
    folded_text = f" {fold(text)} "
    for provider in Provider.objects.all():
        for name in [provider.name, *provider.aliases]:
            folded = fold(name)
            if folded and f" {folded} " in folded_text:
                found.setdefault(
                    ("provider", provider.pk),
                    LinkSuggestion(
                        target=SuggestionTarget.PROVIDER, matched_text=name, provider=provider
                    ),
                )
                break
    return list(found.values())


def article_text(article: Article) -> str:
    return "\n".join([article.headline, article.standfirst, plain_text(article.body)])


def suggest_links(article: Article) -> list[LinkSuggestion]:
    """Store new suggestions for ``article``: not ones already linked, already suggested or
    rejected before. Returns the new ones."""
    linked_titles = set(
        ArticleTitle.objects.filter(article=article).values_list("title_id", flat=True)
    )
    linked_people = set(article.people.values_list("pk", flat=True))
    linked_providers = set(article.providers.values_list("pk", flat=True))
    existing = {
        (s.title_id, s.person_id, s.provider_id)
        for s in LinkSuggestion.objects.filter(article=article)
    }
    fresh = []
    for suggestion in find_links(article_text(article), about_titles=linked_titles):
        if (
            suggestion.title_id in linked_titles
            or suggestion.person_id in linked_people
            or suggestion.provider_id in linked_providers
            or (suggestion.title_id, suggestion.person_id, suggestion.provider_id) in existing
        ):
            continue
        suggestion.article = article
        fresh.append(suggestion)
    LinkSuggestion.objects.bulk_create(fresh, ignore_conflicts=True)
    return fresh


def accept(suggestion: LinkSuggestion) -> None:
    """Add the suggested link to the article and remember the decision."""
    article = suggestion.article
    if suggestion.title_id:
        ArticleTitle.objects.get_or_create(
            article=article,
            title_id=suggestion.title_id,
            defaults={"order": ArticleTitle.objects.filter(article=article).count()},
        )
    elif suggestion.person_id:
        article.people.add(suggestion.person_id)
    elif suggestion.provider_id:
        article.providers.add(suggestion.provider_id)
    suggestion.state = SuggestionState.ACCEPTED
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["state", "decided_at"])


def reject(suggestion: LinkSuggestion) -> None:
    suggestion.state = SuggestionState.REJECTED
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["state", "decided_at"])
