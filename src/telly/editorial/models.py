"""Editorial: articles (news, reviews, features, lists, podcast episodes) linked to the guide's
titles, people and providers; sections, authors, tags; revisions; promotions and their clicks.

An article is public only when its state is *published* and its ``published_at`` has come:
``Article.objects.published()`` is the one gate every page, feed, sitemap and API goes through,
so a draft or a scheduled piece never leaks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from telly.catalog.models import Person, Season, Title
from telly.catalog.text import make_slug
from telly.editorial.text import embed_for
from telly.streaming.models import Provider

# Words /news/ uses for its own pages: no section may take one as its slug.
RESERVED_SLUGS = frozenset(
    {"feed", "podcast", "authors", "tags", "titles", "preview", "promo", "articles"}
)


class Section(models.Model):
    """A part of the magazine: Drama, Comedy, Reality, Documentaries, Films..."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = make_slug(self.name, "section")
            if self.slug in RESERVED_SLUGS:
                self.slug = f"{self.slug}-section"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("editorial:section", args=[self.slug])

    def clean(self) -> None:
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": f"“{self.slug}” is used by the magazine's own pages; choose another."}
            )


class Author(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    role = models.CharField(max_length=120, blank=True, help_text="e.g. TV critic, News editor")
    bio = models.TextField(blank=True)
    image_url = models.URLField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = make_slug(self.name, "author")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("editorial:author", args=[self.slug])


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = make_slug(self.name, "tag")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("editorial:tag", args=[self.slug])


class ArticleKind(models.TextChoices):
    NEWS = "news", "News"
    REVIEW = "review", "Review"
    FEATURE = "feature", "Feature"
    LIST = "list", "List"
    PODCAST = "podcast", "Podcast episode"

    @property
    def schema_type(self) -> str:
        """The schema.org type of an article of this kind."""
        return {
            ArticleKind.NEWS: "NewsArticle",
            ArticleKind.REVIEW: "Review",
            ArticleKind.PODCAST: "PodcastEpisode",
        }.get(self, "Article")


class ArticleState(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self, at: dt.datetime | None = None) -> ArticleQuerySet:
        """Articles a reader may see at ``at`` (now by default): published state, time come."""
        at = at or timezone.now()
        return self.filter(
            state=ArticleState.PUBLISHED, published_at__isnull=False, published_at__lte=at
        )

    def newest(self) -> ArticleQuerySet:
        return self.order_by("-published_at", "-pk")

    def for_cards(self) -> ArticleQuerySet:
        """What an article card shows: its section, and its authors in one more query."""
        return self.select_related("section").prefetch_related("authors")

    def about_title(self, title: Title | int) -> ArticleQuerySet:
        return self.filter(title_links__title=title).distinct()

    def about_person(self, person: Person | int) -> ArticleQuerySet:
        return self.filter(people=person).distinct()


class Article(models.Model):
    kind = models.CharField(
        max_length=8, choices=ArticleKind.choices, default=ArticleKind.NEWS, db_index=True
    )
    state = models.CharField(
        max_length=10, choices=ArticleState.choices, default=ArticleState.DRAFT, db_index=True
    )
    headline = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    standfirst = models.CharField(
        max_length=400, blank=True, help_text="The one- or two-sentence summary under the headline"
    )
    body = models.TextField(
        blank=True,
        help_text="Markdown. HTML is cleaned; scripts, styles and foreign iframes are removed.",
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    authors = models.ManyToManyField(Author, blank=True, related_name="articles")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When readers see it (a future time schedules it)",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    lead_image_url = models.URLField(blank=True, max_length=500)
    lead_image_alt = models.CharField(
        max_length=300, blank=True, help_text="Describe the picture for people who cannot see it"
    )
    lead_image_credit = models.CharField(max_length=200, blank=True)
    video_url = models.URLField(
        blank=True,
        max_length=500,
        help_text="A YouTube or Vimeo link; other hosts are not embedded",
    )

    # Reviews
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Stars out of 5 (reviews)"
    )
    verdict = models.CharField(max_length=300, blank=True, help_text="One-line verdict (reviews)")

    # Podcast episodes
    audio_url = models.URLField(blank=True, max_length=500)
    audio_type = models.CharField(max_length=40, blank=True, default="audio/mpeg")
    audio_size = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Bytes (for podcast apps)"
    )
    duration = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seconds (podcast episodes)"
    )
    episode_number = models.PositiveIntegerField(null=True, blank=True)

    # Links to the guide
    people = models.ManyToManyField(Person, blank=True, related_name="articles")
    providers = models.ManyToManyField(Provider, blank=True, related_name="articles")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["state", "published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__lte=5), name="article_rating_max_five"
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = self.unique_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("editorial:article", args=[self.section.slug, self.slug])

    def clean(self) -> None:
        problems: dict[str, str] = {}
        if self.slug == "feed":
            problems["slug"] = "“feed” is the section's feed address; choose another."
        if self.rating is not None and self.kind != ArticleKind.REVIEW:
            problems["rating"] = "Only reviews have a star rating."
        if (
            self.kind == ArticleKind.PODCAST
            and self.state == ArticleState.PUBLISHED
            and not self.audio_url
        ):
            problems["audio_url"] = "A published podcast episode needs its audio file."
        if self.video_url and embed_for(self.video_url) is None:
            problems["video_url"] = "Only YouTube and Vimeo video links can be embedded."
        if self.lead_image_url and not self.lead_image_alt.strip():
            problems["lead_image_alt"] = "Describe the picture for readers who cannot see it."
        if problems:
            raise ValidationError(problems)
        if self.state == ArticleState.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()

    def unique_slug(self) -> str:
        base = make_slug(self.headline, "article")[:100].strip("-")
        if base == "feed":
            base = "feed-article"
        taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        return slug

    @property
    def kind_enum(self) -> ArticleKind:
        return ArticleKind(self.kind)

    def is_public(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return (
            self.state == ArticleState.PUBLISHED
            and self.published_at is not None
            and self.published_at <= at
        )


class ArticleTitle(models.Model):
    """An article is about a title, or one season of it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="title_links")
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="article_links")
    season = models.ForeignKey(
        Season, on_delete=models.SET_NULL, null=True, blank=True, related_name="article_links"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "title"], name="article_title_once")
        ]
        verbose_name = "linked title"

    def __str__(self) -> str:
        return f"{self.title} ({self.season})" if self.season_id else str(self.title)


class Revision(models.Model):
    """A saved version of an article's words, kept every time an editor saves a change."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    created_at = models.DateTimeField(default=timezone.now)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    state = models.CharField(max_length=10, choices=ArticleState.choices)
    headline = models.CharField(max_length=200)
    standfirst = models.CharField(max_length=400, blank=True)
    body = models.TextField(blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.article} @ {self.created_at:%Y-%m-%d %H:%M}"


class SuggestionTarget(models.TextChoices):
    TITLE = "title", "Title"
    PERSON = "person", "Person"
    CHARACTER = "character", "Character (links the actor)"
    PROVIDER = "provider", "Provider"


class SuggestionState(models.TextChoices):
    PENDING = "pending", "Suggested"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class LinkSuggestion(models.Model):
    """A name found in an article's text that matches something in the guide. The editor accepts
    (the link is added) or rejects (it is not suggested again) each one."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="link_suggestions")
    target = models.CharField(max_length=10, choices=SuggestionTarget.choices)
    matched_text = models.CharField(max_length=300)
    title = models.ForeignKey(
        Title, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        max_length=10, choices=SuggestionState.choices, default=SuggestionState.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["state", "target", "matched_text"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "target", "title", "person", "provider"], name="suggestion_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matched_text} → {self.linked}"

    @property
    def linked(self) -> Title | Person | Provider | None:
        return self.title or self.person or self.provider


class PromoKind(models.TextChoices):
    MAGAZINE = "magazine", "Magazine offer"
    SUBSCRIPTION = "subscription", "Subscription offer"
    NEWSLETTER = "newsletter", "Newsletter call"
    PARTNER = "partner", "Partner slot"


class Placement(models.TextChoices):
    HOME = "home", "Home page"
    ARTICLE = "article", "Article pages (after the body)"
    SIDEBAR = "sidebar", "Article and section sidebar"
    SECTION = "section", "Section pages"


class PromoQuerySet(models.QuerySet["Promo"]):
    def live(self, placement: str, at: dt.datetime | None = None) -> PromoQuerySet:
        """Promos switched on for ``placement`` whose dates include ``at``."""
        at = at or timezone.now()
        return (
            self.filter(active=True, placement=placement)
            .filter(Q(starts_at__isnull=True) | Q(starts_at__lte=at))
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))
            .order_by("priority", "-starts_at", "pk")
        )


class Promo(models.Model):
    """An editor-managed promotion block with a placement, dates and a click count."""

    kind = models.CharField(max_length=12, choices=PromoKind.choices, default=PromoKind.NEWSLETTER)
    name = models.CharField(max_length=120, help_text="For editors; not shown")
    headline = models.CharField(max_length=160)
    text = models.CharField(max_length=400, blank=True)
    button_label = models.CharField(max_length=60, default="Find out more")
    url = models.CharField(
        max_length=500,
        help_text="Where the button goes: a path on this site or an https:// address",
    )
    image_url = models.URLField(blank=True, max_length=500)
    image_alt = models.CharField(max_length=300, blank=True)
    sponsor = models.CharField(
        max_length=120, blank=True, help_text="Shown as 'Paid partnership with …' on partner slots"
    )
    placement = models.CharField(
        max_length=10, choices=Placement.choices, default=Placement.SIDEBAR, db_index=True
    )
    priority = models.PositiveSmallIntegerField(default=100, help_text="Lower shows first")
    active = models.BooleanField(default=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    clicks = models.PositiveIntegerField(default=0, editable=False)

    objects = PromoQuerySet.as_manager()

    class Meta:
        ordering = ["placement", "priority", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not (
            self.url.startswith("https://")
            or (self.url.startswith("/") and not self.url.startswith("//"))
        ):
            raise ValidationError(
                {"url": "Use a path on this site (/newsletters/) or an https:// address."}
            )
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The end must come after the start."})

    def get_click_url(self) -> str:
        return reverse("editorial:promo-click", args=[self.pk])


class PromoClick(models.Model):
    """One click on a promo: when, and on which page."""

    promo = models.ForeignKey(Promo, on_delete=models.CASCADE, related_name="click_log")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    page = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.promo} @ {self.at:%Y-%m-%d %H:%M}"
