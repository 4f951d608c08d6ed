"""``/news/``: the magazine. Fixed words come first; a section may not take one of them as
its slug (see ``Section.RESERVED``)."""

from django.urls import path
from django.views.decorators.cache import cache_control

from telly.editorial import feeds, views

# Feeds are the same for everyone: readers and CDNs may keep them five minutes (a scheduled
# article shows up in them at most that late).
shared = cache_control(public=True, max_age=300)

app_name = "editorial"
urlpatterns = [
    path("", views.index, name="index"),
    path("feed/", shared(feeds.ArticleFeed()), name="feed"),
    path("feed/atom/", shared(feeds.ArticleAtomFeed()), name="feed-atom"),
    path("podcast/", views.podcast, name="podcast"),
    path("podcast/feed/", shared(feeds.PodcastFeed()), name="podcast-feed"),
    path("authors/<slug:slug>/", views.author_detail, name="author"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
    path("titles/<slug:title_slug>/", views.title_coverage, name="title"),
    path("titles/<slug:title_slug>/feed/", shared(feeds.TitleFeed()), name="title-feed"),
    path(
        "titles/<slug:title_slug>/feed/atom/", shared(feeds.TitleAtomFeed()), name="title-feed-atom"
    ),
    path("articles/<int:pk>/", views.article_by_id, name="article-by-id"),
    path("preview/<int:pk>/", views.article_preview, name="preview"),
    path("promo/<int:pk>/", views.promo_click, name="promo-click"),
    path("<slug:section_slug>/", views.section_detail, name="section"),
    path("<slug:section_slug>/feed/", shared(feeds.SectionFeed()), name="section-feed"),
    path(
        "<slug:section_slug>/feed/atom/", shared(feeds.SectionAtomFeed()), name="section-feed-atom"
    ),
    path("<slug:section_slug>/<slug:slug>/", views.article_detail, name="article"),
]
