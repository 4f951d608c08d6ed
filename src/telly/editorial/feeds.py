"""RSS and Atom feeds: the whole magazine, each section, each title's coverage; and the podcast
feed (RSS 2.0 with enclosures and the iTunes tags podcast apps require).

Feeds read ``queries.published()`` like the pages, so drafts and scheduled articles stay out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed

from telly.catalog.models import Title
from telly.editorial import queries
from telly.editorial.jsonld import absolute
from telly.editorial.models import Article, ArticleKind, Section
from telly.editorial.templatetags.editorial import duration, stars
from telly.editorial.text import render_body

FEED_SIZE = 30
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


class RssWithContent(Rss201rev2Feed):
    """RSS 2.0 with each article's whole (cleaned) body in ``content:encoded``."""

    def rss_attributes(self) -> dict[str, str]:
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS}

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class AtomWithContent(Atom1Feed):
    """Atom 1.0 with each article's whole (cleaned) body in ``<content type="html">``."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class ArticleFeed(Feed):
    """The newest articles of the whole magazine (RSS 2.0)."""

    feed_type = RssWithContent

    title = f"{settings.SITE_NAME}: news, reviews and features"
    link = "/news/"
    description = "The latest TV and streaming coverage."

    def items(self, obj: Any = None) -> list[Article]:
        return list(self.articles(obj)[:FEED_SIZE])

    def articles(self, obj: Any) -> Any:
        return queries.published()

    def item_title(self, item: Article) -> str:
        if item.kind == ArticleKind.REVIEW and item.rating is not None:
            return f"{item.headline} {stars(item.rating)}"
        return item.headline

    def item_description(self, item: Article) -> str:
        return item.standfirst or item.verdict

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Article) -> str:
        return absolute(f"/news/articles/{item.pk}/")  # redirects to the article, wherever it moves

    item_guid_is_permalink = False

    def item_pubdate(self, item: Article) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> dt.datetime | None:
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return ", ".join(author.name for author in item.authors.all())

    def item_categories(self, item: Article) -> list[str]:
        return [item.section.name]

    def item_extra_kwargs(self, item: Article) -> dict[str, Any]:
        return {"content_html": str(render_body(item.body))}


class ArticleAtomFeed(ArticleFeed):
    feed_type = AtomWithContent
    subtitle = ArticleFeed.description


class SectionFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, section_slug: str) -> Section:
        return get_object_or_404(Section, slug=section_slug)

    def title(self, obj: Section) -> str:  # type: ignore[override]
        return f"{settings.SITE_NAME}: {obj.name}"

    def link(self, obj: Section) -> str:  # type: ignore[override]
        return obj.get_absolute_url()

    def description(self, obj: Section) -> str:  # type: ignore[override]
        return obj.description or f"The latest {obj.name} coverage."

    def articles(self, obj: Section) -> Any:
        return queries.section_articles(obj)


class SectionAtomFeed(SectionFeed):
    feed_type = AtomWithContent

    def subtitle(self, obj: Section) -> str:
        return self.description(obj)


class TitleFeed(ArticleFeed):
    """Every article about one show or film."""

    def get_object(self, request: HttpRequest, title_slug: str) -> Title:
        return get_object_or_404(Title, slug=title_slug)

    def title(self, obj: Title) -> str:  # type: ignore[override]
        return f"{settings.SITE_NAME}: {obj.name} news and reviews"

    def link(self, obj: Title) -> str:  # type: ignore[override]
        return obj.get_absolute_url()

    def description(self, obj: Title) -> str:  # type: ignore[override]
        return f"Coverage of {obj}."

    def articles(self, obj: Title) -> Any:
        return queries.published().about_title(obj)


class TitleAtomFeed(TitleFeed):
    feed_type = AtomWithContent

    def subtitle(self, obj: Title) -> str:
        return self.description(obj)


ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"


class PodcastRss(RssWithContent):
    """RSS 2.0 with the iTunes namespace: what Apple Podcasts and other apps read."""

    def rss_attributes(self) -> dict[str, str]:
        attrs = super().rss_attributes()
        attrs["xmlns:itunes"] = ITUNES_NS
        return attrs

    def add_root_elements(self, handler: Any) -> None:
        super().add_root_elements(handler)
        feed = self.feed
        handler.addQuickElement("itunes:author", feed["itunes_author"])
        handler.addQuickElement("itunes:summary", feed["description"])
        handler.addQuickElement("itunes:explicit", "false")
        handler.addQuickElement("itunes:type", "episodic")
        handler.addQuickElement("itunes:image", attrs={"href": feed["itunes_image"]})
        handler.startElement("image", {})
        handler.addQuickElement("url", feed["itunes_image"])
        handler.addQuickElement("title", feed["title"])
        handler.addQuickElement("link", feed["link"])
        handler.endElement("image")
        handler.startElement("itunes:owner", {})
        handler.addQuickElement("itunes:name", feed["itunes_author"])
        handler.addQuickElement("itunes:email", feed["itunes_email"])
        handler.endElement("itunes:owner")
        handler.addQuickElement("itunes:category", attrs={"text": feed["itunes_category"]})

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("itunes:title", item["title"])
        handler.addQuickElement("itunes:summary", item["description"] or item["title"])
        handler.addQuickElement("itunes:explicit", "false")
        handler.addQuickElement("itunes:episodeType", "full")
        if item.get("itunes_duration"):
            handler.addQuickElement("itunes:duration", item["itunes_duration"])
        if item.get("itunes_episode"):
            handler.addQuickElement("itunes:episode", str(item["itunes_episode"]))


class PodcastFeed(ArticleFeed):
    feed_type = PodcastRss
    title = f"The {settings.SITE_NAME} podcast"
    link = "/news/podcast/"
    description = "Conversations about what to watch next, from the people who write the guide."

    def articles(self, obj: Any) -> Any:
        return queries.published().filter(kind=ArticleKind.PODCAST).exclude(audio_url="")

    def get_feed(self, obj: Any, request: HttpRequest) -> Any:
        feed = super().get_feed(obj, request)
        # The artwork must be an absolute URL on the host the app reached us by.
        feed.feed["itunes_image"] = settings.TELLY_PODCAST_IMAGE_URL or request.build_absolute_uri(
            static("editorial/podcast.png")
        )
        return feed

    def feed_extra_kwargs(self, obj: Any) -> dict[str, Any]:
        return {
            "itunes_author": settings.SITE_NAME,
            "itunes_email": settings.TELLY_PODCAST_EMAIL,
            "itunes_image": "",
            "itunes_category": settings.TELLY_PODCAST_CATEGORY,
        }

    def item_extra_kwargs(self, item: Article) -> dict[str, Any]:
        return {
            **super().item_extra_kwargs(item),
            "itunes_duration": duration(item.duration),
            "itunes_episode": item.episode_number,
        }

    def item_enclosures(self, item: Article) -> list[Enclosure]:
        return [
            Enclosure(item.audio_url, str(item.audio_size or 0), item.audio_type or "audio/mpeg")
        ]
