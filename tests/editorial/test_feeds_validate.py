"""RSS and Atom feeds parse back cleanly with feedparser; the podcast feed has what podcast
apps require (enclosure with length and type, iTunes artwork, category, explicit, owner)."""

from __future__ import annotations

import feedparser
import pytest
from django.test import Client

from telly.catalog.models import Title
from telly.editorial.models import ArticleKind, Section


def _parse(client: Client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, f"{url}: {feed.get('bozo_exception')}"
    return feed


@pytest.fixture
def articles(make_article, heartstopper: Title, comedy: Section):
    return [
        make_article(
            "Heartstopper review",
            kind=ArticleKind.REVIEW,
            rating=4,
            verdict="Lovely.",
            titles=[heartstopper],
        ),
        make_article("A comedy roundup", section=comedy),
    ]


@pytest.mark.parametrize(
    ("url", "version"), [("/news/feed/", "rss20"), ("/news/feed/atom/", "atom10")]
)
def test_the_magazine_feeds_parse_and_list_articles(
    client: Client, articles, url: str, version: str
) -> None:
    feed = _parse(client, url)
    assert feed.version == version
    titles = [entry.title for entry in feed.entries]
    assert "Heartstopper review ★★★★☆" in titles and "A comedy roundup" in titles
    entry = next(e for e in feed.entries if e.title.startswith("Heartstopper"))
    assert entry.link == "http://testserver/news/drama/heartstopper-review/"
    assert (
        entry.author == "Priya Nair"
        or entry.get("author_detail", {}).get("name") == "Priya Nair"
        or "Priya Nair" in entry.get("author", "")
    )
    assert entry.published_parsed is not None


def test_a_section_feed_holds_only_that_section(client: Client, articles) -> None:
    for url in ("/news/comedy/feed/", "/news/comedy/feed/atom/"):
        feed = _parse(client, url)
        assert [e.title for e in feed.entries] == ["A comedy roundup"]
        assert feed.feed.title.endswith("Comedy")


def test_a_title_feed_holds_only_its_coverage(client: Client, articles) -> None:
    for url in ("/news/titles/heartstopper/feed/", "/news/titles/heartstopper/feed/atom/"):
        feed = _parse(client, url)
        assert [e.title for e in feed.entries] == ["Heartstopper review ★★★★☆"]
    assert client.get("/news/titles/no-such-show/feed/").status_code == 404
    assert client.get("/news/no-such-section/feed/").status_code == 404


def test_the_podcast_feed_has_enclosures_and_itunes_tags(
    client: Client, make_article, settings
) -> None:
    settings.TELLY_PODCAST_EMAIL = "pod@example.org"
    make_article(
        "Episode one",
        kind=ArticleKind.PODCAST,
        audio_url="https://media.example.org/ep1.mp3",
        audio_size=1234567,
        audio_type="audio/mpeg",
        duration=1805,
        episode_number=1,
    )
    make_article("Not a podcast")
    response = client.get("/news/podcast/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = _parse(client, "/news/podcast/feed/")
    assert feed.namespaces.get("itunes") == "http://www.itunes.com/dtds/podcast-1.0.dtd"
    assert (
        b"<itunes:explicit>false</itunes:explicit>" in response.content
    )  # Apple's current spelling
    assert feed.feed.image.href == "http://testserver/static/editorial/podcast.png"
    assert feed.feed.tags[0].term == "TV & Film"
    assert feed.feed.publisher_detail.email == "pod@example.org"
    assert feed.feed.language
    assert [e.title for e in feed.entries] == ["Episode one"]
    entry = feed.entries[0]
    enclosure = entry.enclosures[0]
    assert (enclosure.href, enclosure.length, enclosure.type) == (
        "https://media.example.org/ep1.mp3",
        "1234567",
        "audio/mpeg",
    )
    assert entry.itunes_duration == "30:05"
    assert entry.itunes_episode == "1"
    assert entry.id


def test_the_bundled_podcast_artwork_is_a_square_png_podcast_apps_accept(client: Client) -> None:
    from django.contrib.staticfiles import finders

    path = finders.find("editorial/podcast.png")
    with open(path, "rb") as handle:
        head = handle.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(head[16:20]), int.from_bytes(head[20:24])
    assert width == height and 1400 <= width <= 3000


@pytest.mark.parametrize("url", ["/news/feed/", "/news/feed/atom/"])
def test_feed_entries_carry_the_whole_cleaned_body(client: Client, make_article, url: str) -> None:
    make_article("Full text", body="The **whole** story. <script>alert(1)</script>")
    feed = _parse(client, url)
    entry = feed.entries[0]
    assert entry.content[0].value == "<p>The <strong>whole</strong> story. </p>"
    assert entry.summary == "Standfirst of Full text."


def test_feeds_may_be_kept_five_minutes(client: Client, articles) -> None:
    for url in (
        "/news/feed/",
        "/news/drama/feed/atom/",
        "/news/podcast/feed/",
        "/news/titles/heartstopper/feed/",
    ):
        cache_control = client.get(url)["Cache-Control"]
        assert "public" in cache_control and "max-age=300" in cache_control
