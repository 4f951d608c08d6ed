"""``/api/v1/articles``: published articles with filters; bad input answers 4xx in the API's
error shape."""

from __future__ import annotations

import pytest
from django.test import Client

from telly.catalog.models import Person, Title
from telly.editorial.models import ArticleKind, ArticleState, Section


@pytest.fixture
def articles(make_article, heartstopper: Title, comedy: Section, netflix):
    joe = Person.objects.get(name="Joe Locke")
    return {
        "review": make_article(
            "Heartstopper review",
            kind=ArticleKind.REVIEW,
            rating=5,
            titles=[heartstopper],
            people=[joe],
            providers=[netflix],
        ),
        "news": make_article(
            "Kit Connor news", kind=ArticleKind.NEWS, people=[Person.objects.get(name="Kit Connor")]
        ),
        "comedy": make_article("Comedy list", kind=ArticleKind.LIST, section=comedy),
        "draft": make_article(
            "Draft", state=ArticleState.DRAFT, published_at=None, titles=[heartstopper]
        ),
    }


def _headlines(client: Client, query: str = "") -> list[str]:
    response = client.get(f"/api/v1/articles{query}")
    assert response.status_code == 200, response.content
    return sorted(a["headline"] for a in response.json()["results"])


def test_it_lists_published_articles_only(client: Client, articles) -> None:
    assert _headlines(client) == ["Comedy list", "Heartstopper review", "Kit Connor news"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?section=comedy", ["Comedy list"]),
        ("?title=heartstopper", ["Heartstopper review"]),
        ("?person=kit-connor", ["Kit Connor news"]),
        ("?kind=review", ["Heartstopper review"]),
        ("?section=drama&kind=news", ["Kit Connor news"]),
    ],
)
def test_it_filters(client: Client, articles, query: str, expected: list[str]) -> None:
    assert _headlines(client, query) == expected


def test_a_title_or_person_may_be_given_by_id(
    client: Client, articles, heartstopper: Title
) -> None:
    assert _headlines(client, f"?title={heartstopper.pk}") == ["Heartstopper review"]


def test_the_detail_has_links_body_and_rating(client: Client, articles) -> None:
    data = client.get("/api/v1/articles/heartstopper-review").json()
    assert data["rating"] == 5
    assert data["titles"] == [
        {
            "id": articles["review"].title_links.get().title_id,
            "slug": "heartstopper",
            "name": "Heartstopper",
            "season": None,
        }
    ]
    assert [p["name"] for p in data["people"]] == ["Joe Locke"]
    assert data["providers"] == [{"slug": "netflix", "name": "Netflix"}]
    assert data["body_html"] == "<p>The body of <strong>Heartstopper review</strong>.</p>"
    assert data["url"] == "http://127.0.0.1:8000/news/drama/heartstopper-review/"
    assert data["authors"] == [{"name": "Priya Nair", "slug": "priya-nair"}]
    assert data["podcast"] is None


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("?kind=gossip", 422, "invalid"),
        ("?section=nope", 404, "unknown_section"),
        ("?title=nope", 404, "unknown_title"),
        ("?person=999999", 404, "unknown_person"),
        ("?limit=0", 400, "bad_limit"),
        ("?limit=1000", 400, "bad_limit"),
        ("?offset=-1", 400, "bad_offset"),
        ("?limit=abc", 422, "invalid"),
        ("?offset=99999999999999999999", 400, "bad_offset"),
        ("?person=99999999999999999999999", 404, "unknown_person"),
        ("?title=%00", 404, "unknown_title"),
        ("?person=a%00b", 404, "unknown_person"),
        ("?section=%00", 404, "unknown_section"),
    ],
)
def test_bad_filters_answer_in_the_error_shape(
    client: Client, articles, query: str, status: int, code: str
) -> None:
    response = client.get(f"/api/v1/articles{query}")
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_a_draft_is_not_found(client: Client, articles) -> None:
    response = client.get("/api/v1/articles/draft")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "No published article 'draft'."}
    }


def test_the_list_takes_a_fixed_number_of_queries(
    client: Client, make_article, django_assert_max_num_queries
) -> None:
    for i in range(15):
        make_article(f"Article {i}")
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/articles?limit=15").status_code == 200


def test_an_impossible_slug_is_not_found(client: Client, articles) -> None:
    response = client.get("/api/v1/articles/a%00b")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
