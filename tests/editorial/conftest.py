"""Editorial fixtures: a section, an author, Netflix, and a factory for articles in any state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache

from telly.catalog.models import Title
from telly.editorial.models import Article, ArticleState, ArticleTitle, Author, Section
from telly.streaming.models import Offer, Provider

PAST = dt.datetime(2026, 1, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture
def drama(db: None) -> Section:
    return Section.objects.create(name="Drama", slug="drama", description="Drama coverage.")


@pytest.fixture
def comedy(db: None) -> Section:
    return Section.objects.create(name="Comedy", slug="comedy")


@pytest.fixture
def critic(db: None) -> Author:
    return Author.objects.create(name="Priya Nair", role="TV critic")


@pytest.fixture
def netflix(db: None) -> Provider:
    return Provider.objects.create(
        name="Netflix", slug="netflix", aliases=["Netflix basic with Ads"]
    )


@pytest.fixture
def make_article(drama: Section, critic: Author) -> Callable[..., Article]:
    """``make_article("Headline", state="draft", titles=[title], people=[...])``"""

    def make(headline: str = "Heartstopper returns", **fields: Any) -> Article:
        titles: list[Title] = fields.pop("titles", [])
        people = fields.pop("people", [])
        providers = fields.pop("providers", [])
        fields.setdefault("section", drama)
        fields.setdefault("state", ArticleState.PUBLISHED)
        fields.setdefault("published_at", PAST)
        fields.setdefault("standfirst", f"Standfirst of {headline}.")
        fields.setdefault("body", f"The body of **{headline}**.")
        article = Article.objects.create(headline=headline, **fields)
        article.authors.add(critic)
        for order, title in enumerate(titles):
            ArticleTitle.objects.create(article=article, title=title, order=order)
        article.people.set(people)
        article.providers.set(providers)
        return article

    return make


@pytest.fixture
def heartstopper_on_netflix(heartstopper: Title, netflix: Provider) -> Offer:
    return Offer.objects.create(
        title=heartstopper, provider=netflix, region="GB", monetization="subscription"
    )
