"""``/news/``: the magazine. Fixed words come first; a section may not take one of them as
its slug (see ``Section.RESERVED``)."""

from django.urls import path

from telly.editorial import feeds, views

app_name = "editorial"
urlpatterns = [
    path("", views.index, name="index"),
    path("feed/", feeds.ArticleFeed(), name="feed"),
    path("feed/atom/", feeds.ArticleAtomFeed(), name="feed-atom"),
    path("podcast/", views.podcast, name="podcast"),
    path("podcast/feed/", feeds.PodcastFeed(), name="podcast-feed"),
    path("authors/<slug:slug>/", views.author_detail, name="author"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
    path("titles/<slug:title_slug>/feed/", feeds.TitleFeed(), name="title-feed"),
    path("titles/<slug:title_slug>/feed/atom/", feeds.TitleAtomFeed(), name="title-feed-atom"),
    path("preview/<int:pk>/", views.article_preview, name="preview"),
    path("promo/<int:pk>/", views.promo_click, name="promo-click"),
    path("<slug:section_slug>/", views.section_detail, name="section"),
    path("<slug:section_slug>/feed/", feeds.SectionFeed(), name="section-feed"),
    path("<slug:section_slug>/feed/atom/", feeds.SectionAtomFeed(), name="section-feed-atom"),
    path("<slug:section_slug>/<slug:slug>/", views.article_detail, name="article"),
]
