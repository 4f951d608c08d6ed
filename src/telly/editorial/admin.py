"""Writing in the admin: articles with a live preview, link suggestions the editor accepts or
rejects, revision history, scheduled publishing; sections, authors, tags and promos."""

from __future__ import annotations

import difflib
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from telly.catalog.signals import Changes, announce
from telly.editorial import links
from telly.editorial.models import (
    Article,
    ArticleState,
    ArticleTitle,
    Author,
    LinkSuggestion,
    Promo,
    PromoClick,
    Revision,
    Section,
    SuggestionState,
    Tag,
)
from telly.editorial.text import embed_for, render_body

WORD_FIELDS = ("headline", "standfirst", "body", "state")


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order")
    list_editable = ("order",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "user")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)
    raw_id_fields = ("user",)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


class ArticleTitleInline(admin.TabularInline):
    model = ArticleTitle
    extra = 0
    autocomplete_fields = ("title", "season")
    fields = ("title", "season", "order")


class LinkSuggestionInline(admin.TabularInline):
    """Names found in the text that match the guide. Choose Accepted or Rejected and save."""

    model = LinkSuggestion
    extra = 0
    can_delete = False
    fields = ("matched_text", "target", "linked_to", "state")
    readonly_fields = ("matched_text", "target", "linked_to")
    verbose_name = "link suggestion"
    verbose_name_plural = (
        "Link suggestions (names in the text that match the guide: accept or reject, then save)"
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[LinkSuggestion]:
        return (
            super()
            .get_queryset(request)
            .filter(state=SuggestionState.PENDING)
            .select_related("title", "person", "provider")
        )

    @admin.display(description="links to")
    def linked_to(self, suggestion: LinkSuggestion) -> str:
        target = suggestion.linked
        if target is None:
            return "—"
        url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
        return (
            format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, target)
            if url
            else str(target)
        )


class RevisionInline(admin.TabularInline):
    model = Revision
    extra = 0
    can_delete = False
    fields = ("created_at", "editor", "state", "headline", "words", "note", "compare")
    readonly_fields = fields
    verbose_name_plural = "Revision history (newest first)"
    max_num = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="words")
    def words(self, revision: Revision) -> int:
        return len(revision.body.split())

    @admin.display(description="changes")
    def compare(self, revision: Revision) -> str:
        url = reverse("admin:editorial_article_revision", args=[revision.article_id, revision.pk])
        return format_html('<a href="{}">compare with now</a>', url)


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ("headline", "standfirst", "body", "verdict")  # the admin adds its fieldsets
        widgets = {
            "body": forms.Textarea(attrs={"rows": 24, "class": "vLargeTextField ed-body-input"}),
            "standfirst": forms.Textarea(attrs={"rows": 2}),
            "verdict": forms.TextInput(attrs={"size": 80}),
        }


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    change_form_template = "admin/editorial/article/change_form.html"
    list_display = ("headline", "kind", "section", "state", "published_at", "visible")
    list_filter = ("state", "kind", "section", "authors")
    search_fields = ("headline", "standfirst", "slug")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("headline",)}
    autocomplete_fields = ("people", "authors", "tags")
    filter_horizontal = ("providers",)
    inlines = (ArticleTitleInline, LinkSuggestionInline, RevisionInline)
    actions = ("publish_now", "send_to_review", "back_to_draft", "suggest_links")
    list_select_related = ("section",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "kind",
                    "section",
                    "headline",
                    "slug",
                    "standfirst",
                    "body",
                    "authors",
                    "tags",
                )
            },
        ),
        (
            "Publishing",
            {
                "fields": ("state", "published_at"),
                "description": "Readers see an article once it is Published and its publish time has come; set a future time to schedule it.",
            },
        ),
        (
            "Pictures and video",
            {"fields": ("lead_image_url", "lead_image_alt", "lead_image_credit", "video_url")},
        ),
        ("Review", {"fields": ("rating", "verdict"), "classes": ("collapse",)}),
        (
            "Podcast episode",
            {
                "fields": ("audio_url", "audio_type", "audio_size", "duration", "episode_number"),
                "classes": ("collapse",),
            },
        ),
        ("Links to the guide", {"fields": ("people", "providers")}),
    )

    @admin.display(boolean=True, description="live")
    def visible(self, article: Article) -> bool:
        return article.is_public()

    def view_on_site(self, article: Article) -> str:
        return reverse("editorial:preview", args=[article.pk])

    def get_urls(self) -> list[Any]:
        extra = [
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="editorial_article_preview",
            ),
            path(
                "<int:article_id>/revisions/<int:revision_id>/",
                self.admin_site.admin_view(self.revision_view),
                name="editorial_article_revision",
            ),
        ]
        return extra + super().get_urls()

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """The live preview beside the editor: the words as readers will see them (sanitised)."""
        source = request.POST if request.method == "POST" else request.GET
        embed = embed_for(source.get("video_url", ""))
        context = {
            "headline": source.get("headline", ""),
            "standfirst": source.get("standfirst", ""),
            "body_html": render_body(source.get("body", "")),
            "embed_html": embed.html() if embed else "",
            "bad_video": bool(source.get("video_url")) and embed is None,
        }
        return TemplateResponse(request, "admin/editorial/article/_preview.html", context)

    def revision_view(
        self, request: HttpRequest, article_id: int, revision_id: int
    ) -> HttpResponse:
        """What changed between a saved revision and the article as it is now (a line diff)."""
        article = get_object_or_404(Article, pk=article_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(Revision, pk=revision_id, article=article)
        changes = []
        for label, old, new in (
            ("Headline", revision.headline, article.headline),
            ("Standfirst", revision.standfirst, article.standfirst),
            ("Body", revision.body, article.body),
        ):
            lines = list(
                difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=2)
            )[2:]
            changes.append({"label": label, "lines": lines})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Changes since {revision.created_at:%d %b %Y %H:%M}",
            "article": article,
            "revision": revision,
            "changes": changes,
        }
        return TemplateResponse(request, "admin/editorial/article/revision_diff.html", context)

    def save_model(
        self, request: HttpRequest, obj: Article, form: forms.ModelForm, change: bool
    ) -> None:
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)
        last = obj.revisions.first()
        if last is None or any(getattr(last, name) != getattr(obj, name) for name in WORD_FIELDS):
            Revision.objects.create(
                article=obj,
                editor=request.user if request.user.is_authenticated else None,
                state=obj.state,
                headline=obj.headline,
                standfirst=obj.standfirst,
                body=obj.body,
                note="created" if not change else "edited",
            )

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        article: Article = form.instance
        for suggestion in LinkSuggestion.objects.filter(
            article=article, state=SuggestionState.ACCEPTED, decided_at__isnull=True
        ):
            links.accept(suggestion)
        LinkSuggestion.objects.filter(
            article=article, state=SuggestionState.REJECTED, decided_at__isnull=True
        ).update(decided_at=timezone.now())
        fresh = links.suggest_links(article)
        if fresh:
            self.message_user(
                request,
                f"{len(fresh)} new link suggestion(s): accept or reject them below.",
                messages.INFO,
            )
        _announce(article)

    @admin.action(description="Publish (now, or at its publish time if that is still to come)")
    def publish_now(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        now = timezone.now()
        with transaction.atomic():
            for article in queryset:
                article.state = ArticleState.PUBLISHED
                article.published_at = article.published_at or now
                article.updated_at = now
                article.save(update_fields=["state", "published_at", "updated_at"])
                Revision.objects.create(
                    article=article,
                    editor=request.user,
                    state=article.state,
                    headline=article.headline,
                    standfirst=article.standfirst,
                    body=article.body,
                    note="published",
                )
                _announce(article)
        self.message_user(request, f"Published {queryset.count()} article(s).")

    @admin.action(description="Send to review")
    def send_to_review(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        queryset.update(state=ArticleState.REVIEW, updated_at=timezone.now())

    @admin.action(description="Back to draft (unpublish)")
    def back_to_draft(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        queryset.update(state=ArticleState.DRAFT, updated_at=timezone.now())
        announce(Changes(source="editorial", extra={"articles": set(ids)}))

    @admin.action(description="Suggest links to the guide")
    def suggest_links(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        total = sum(len(links.suggest_links(article)) for article in queryset)
        self.message_user(request, f"{total} new link suggestion(s).")


def _announce(article: Article) -> None:
    """Tell search and alerts which articles changed, once the save commits."""
    announce(Changes(source="editorial", extra={"articles": {article.pk}}))


class PromoClickInline(admin.TabularInline):
    model = PromoClick
    extra = 0
    can_delete = False
    fields = ("at", "page")
    readonly_fields = fields
    max_num = 0
    verbose_name_plural = "Recent clicks"

    def get_queryset(self, request: HttpRequest) -> QuerySet[PromoClick]:
        return super().get_queryset(request).order_by("-at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Promo)
class PromoAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "placement",
        "active",
        "starts_at",
        "ends_at",
        "priority",
        "clicks",
    )
    list_filter = ("placement", "kind", "active")
    list_editable = ("active", "priority")
    search_fields = ("name", "headline", "sponsor")
    readonly_fields = ("clicks",)
    inlines = (PromoClickInline,)
