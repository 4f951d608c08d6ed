"""The magazine's pages: article (where to watch, more like this, sign-up slot), section,
author, tag and podcast pages; and the coverage panels on title, person and home pages."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from telly.catalog.models import Person, Title
from telly.editorial.models import ArticleKind, Section


def test_an_article_page_shows_where_to_watch_its_titles(
    client: Client, make_article, heartstopper: Title, heartstopper_on_netflix
) -> None:
    article = make_article("Heartstopper review", titles=[heartstopper])
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Where to watch in GB" in page
    assert "Netflix" in page and "Subscription" in page
    us_page = client.get(article.get_absolute_url() + "?region=US").content.decode()
    assert "Not streaming in US right now." in us_page


def test_an_article_without_titles_has_no_watch_box(client: Client, make_article) -> None:
    page = client.get(make_article("Plain news").get_absolute_url()).content.decode()
    assert "Where to watch" not in page


def test_more_like_this_prefers_shared_titles_and_people_then_the_section(
    client: Client, make_article, heartstopper: Title, comedy: Section
) -> None:
    joe = Person.objects.get(name="Joe Locke")
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    article = make_article("Main", titles=[heartstopper], people=[joe], published_at=base)
    make_article(
        "Same person, other section",
        section=comedy,
        people=[joe],
        published_at=base + dt.timedelta(days=1),
    )
    make_article(
        "Same title, older", titles=[heartstopper], published_at=base - dt.timedelta(days=5)
    )
    make_article("Same section only", published_at=base + dt.timedelta(days=2))
    make_article("Unrelated comedy", section=comedy, published_at=base + dt.timedelta(days=3))
    from telly.editorial import queries

    more = [a.headline for a in queries.more_like_this(article)]
    assert more == ["Same person, other section", "Same title, older", "Same section only"]
    page = client.get(article.get_absolute_url()).content.decode()
    assert "More like this" in page and "Unrelated comedy" not in page.split("More like this")[1]


def test_the_article_page_takes_a_fixed_number_of_queries(
    client: Client,
    make_article,
    heartstopper: Title,
    heartstopper_on_netflix,
    django_assert_max_num_queries,
) -> None:
    joe = Person.objects.get(name="Joe Locke")
    article = make_article("Counted", titles=[heartstopper], people=[joe])
    for i in range(6):
        make_article(f"Related {i}", titles=[heartstopper])
    client.get(article.get_absolute_url())  # warm the session and caches
    with django_assert_max_num_queries(16):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_a_section_page_lists_its_published_articles_newest_first(
    client: Client, make_article, comedy: Section
) -> None:
    make_article("Older drama", published_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    make_article("Newer drama", published_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    make_article("A comedy", section=comedy)
    page = client.get("/news/drama/").content.decode()
    assert page.index("Newer drama") < page.index("Older drama")
    assert "A comedy" not in page
    assert client.get("/news/no-such-section/").status_code == 404


def test_section_pages_paginate(client: Client, make_article) -> None:
    for i in range(25):
        make_article(
            f"Drama piece {i:02d}",
            published_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=i),
        )
    first = client.get("/news/drama/").content.decode()
    second = client.get("/news/drama/?page=2").content.decode()
    assert "Drama piece 24" in first and "Drama piece 00" not in first
    assert "Drama piece 00" in second and "Page 2 of 2" in second


def test_the_author_page_lists_their_articles(client: Client, make_article, critic) -> None:
    make_article("By Priya")
    page = client.get(critic.get_absolute_url()).content.decode()
    assert "Priya Nair" in page and "TV critic" in page and "By Priya" in page
    assert client.get("/news/authors/nobody/").status_code == 404


def test_the_tag_and_podcast_pages(client: Client, make_article) -> None:
    from telly.editorial.models import Tag

    article = make_article("Tagged")
    article.tags.add(Tag.objects.create(name="Coming of age"))
    assert "Tagged" in client.get("/news/tags/coming-of-age/").content.decode()
    make_article(
        "Episode 1",
        kind=ArticleKind.PODCAST,
        audio_url="https://media.example.org/1.mp3",
        duration=600,
    )
    page = client.get("/news/podcast/").content.decode()
    assert (
        "Episode 1" in page
        and '<audio controls preload="none" src="https://media.example.org/1.mp3">' in page
    )


def test_a_review_page_shows_stars_and_verdict(client: Client, make_article) -> None:
    review = make_article("A review", kind=ArticleKind.REVIEW, rating=3, verdict="Fine.")
    page = client.get(review.get_absolute_url()).content.decode()
    assert (
        '<span aria-hidden="true">★★★☆☆</span><span class="visually-hidden">Rated 3 out of 5 stars</span>'
        in page
    )
    assert "Fine." in page


def test_the_video_is_embedded_without_tracking_cookies(client: Client, make_article) -> None:
    page = client.get(
        make_article("Trailer", video_url="https://vimeo.com/76979871").get_absolute_url()
    ).content.decode()
    assert 'src="https://player.vimeo.com/video/76979871?dnt=1"' in page


def test_title_person_and_home_pages_show_the_latest_coverage(
    client: Client, make_article, heartstopper: Title
) -> None:
    joe = Person.objects.get(name="Joe Locke")
    make_article("Heartstopper season two review", titles=[heartstopper], people=[joe])
    make_article("Something else")
    title_page = client.get("/shows/heartstopper/").content.decode()
    assert "Latest coverage" in title_page and "Heartstopper season two review" in title_page
    assert "Something else" not in title_page
    assert 'href="/news/titles/heartstopper/feed/"' in title_page
    person_page = client.get(joe.get_absolute_url()).content.decode()
    assert "Heartstopper season two review" in person_page
    home = client.get("/").content.decode()
    assert "Latest from the magazine" in home and "Something else" in home


def test_pages_without_coverage_have_no_coverage_section(
    client: Client, heartstopper: Title
) -> None:
    assert "Latest coverage" not in client.get("/shows/heartstopper/").content.decode()
    assert "Latest from the magazine" not in client.get("/").content.decode()


def test_the_coverage_panel_takes_a_fixed_number_of_queries(
    make_article, heartstopper: Title, django_assert_num_queries
) -> None:
    from telly.editorial.panels import title_coverage

    for i in range(8):
        make_article(f"Piece {i}", titles=[heartstopper])
    with django_assert_num_queries(2):
        data = title_coverage(None, heartstopper)
        assert [a.section.name for a in data["articles"]] == ["Drama"] * 4
        assert all(a.authors.all() for a in data["articles"])


def test_the_watch_box_is_shared_for_a_while_and_refreshed_when_the_article_changes(
    client: Client, make_article, heartstopper: Title, netflix, django_assert_max_num_queries
) -> None:
    from django.utils import timezone

    from telly.streaming.models import Offer

    article = make_article("Cached box", titles=[heartstopper])
    assert (
        "Not streaming in GB right now." in client.get(article.get_absolute_url()).content.decode()
    )
    Offer.objects.create(
        title=heartstopper, provider=netflix, region="GB", monetization="subscription"
    )
    assert (
        "Not streaming in GB right now." in client.get(article.get_absolute_url()).content.decode()
    )
    article.updated_at = timezone.now()
    article.save()
    assert (
        "Not streaming in GB right now."
        not in client.get(article.get_absolute_url()).content.decode()
    )


def test_the_article_page_carries_the_newsletter_sign_up_form(client: Client, make_article) -> None:
    page = client.get(make_article("Sign me up").get_absolute_url()).content.decode()
    assert 'class="ed-signup"' in page
    assert 'action="/newsletters/signup/"' in page
    assert "Get the best of the magazine by e-mail" in page


def test_a_titles_coverage_page_lists_every_published_article_about_it(
    client: Client, make_article, heartstopper: Title
) -> None:
    make_article("About Heartstopper", titles=[heartstopper])
    make_article(
        "Draft about Heartstopper", titles=[heartstopper], state="draft", published_at=None
    )
    make_article("About something else")
    page = client.get("/news/titles/heartstopper/").content.decode()
    assert "About Heartstopper" in page
    assert "Draft about Heartstopper" not in page and "About something else" not in page
    assert (
        'href="/news/titles/heartstopper/"' in client.get("/shows/heartstopper/").content.decode()
    )
    assert client.get("/news/titles/no-such-show/").status_code == 404


def test_an_articles_short_address_redirects_to_it_and_hides_drafts(
    client: Client, make_article
) -> None:
    article = make_article("Short link")
    draft = make_article("Short draft", state="draft", published_at=None)
    response = client.get(f"/news/articles/{article.pk}/")
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()
    assert client.get(f"/news/articles/{draft.pk}/").status_code == 404
