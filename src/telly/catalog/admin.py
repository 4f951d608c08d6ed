from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from telly.catalog.models import Credit, Episode, ExternalId, Genre, Person, Season, Title

LOCKABLE_EXCLUDE = {
    "sources",
    "seen_at",
    "locked_fields",
    "created_at",
    "updated_at",
    "slug",
    "name_key",
}


class LockingForm(forms.ModelForm):
    """The editor sees which fields are locked against feeds and can unlock them."""

    locked_fields = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Locked fields keep the editor's value: imports never overwrite them. "
        "A field you change here is locked automatically; untick to let feeds update it again.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = [
            f.name
            for f in self._meta.model._meta.get_fields()
            if getattr(f, "editable", False)
            and f.name not in LOCKABLE_EXCLUDE
            and not f.auto_created
        ]
        self.fields["locked_fields"].choices = [(n, n.replace("_", " ")) for n in names]


class LockingAdmin(admin.ModelAdmin):
    """Saving a change by hand locks the changed fields against later imports."""

    form = LockingForm
    readonly_fields: tuple[str, ...] = ("sources", "seen_at", "created_at", "updated_at")

    def save_model(
        self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool
    ) -> None:
        # changed_data over-reports JSON fields (text vs. value); compare the values themselves.
        edited = [
            name
            for name in form.changed_data
            if name not in LOCKABLE_EXCLUDE
            and name in form.fields
            and name != "genres"
            and form.initial.get(name) != form.cleaned_data.get(name)
        ]
        locks = set(form.cleaned_data.get("locked_fields") or [])
        if "locked_fields" in form.changed_data:
            # The editor set the locks explicitly; fields changed in the same save still lock.
            obj.locked_fields = sorted(locks | set(edited))
        else:
            obj.locked_fields = sorted(set(obj.locked_fields) | set(edited))
        for name in edited:
            obj.sources[name] = "editor"
        super().save_model(request, obj, form, change)

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        m2m_edited = [n for n in form.changed_data if n == "genres"]
        if m2m_edited:
            obj = form.instance
            obj.lock(*m2m_edited)
            type(obj).objects.filter(pk=obj.pk).update(locked_fields=obj.locked_fields)


class ExternalIdInline(admin.TabularInline):
    model = ExternalId
    extra = 0
    fields = ("scheme", "value", "first_seen", "last_seen")
    readonly_fields = ("first_seen", "last_seen")


class SeasonInline(admin.TabularInline):
    model = Season
    extra = 0
    fields = ("number", "name", "premiere", "finale", "episode_count")
    show_change_link = True


@admin.register(Title)
class TitleAdmin(LockingAdmin):
    list_display = ("name", "kind", "year", "status", "popularity", "updated")
    list_filter = ("kind", "status", "genres")
    search_fields = ("name", "original_name", "external_ids__value")
    filter_horizontal = ("genres",)
    inlines = [SeasonInline, ExternalIdInline]
    readonly_fields = (*LockingAdmin.readonly_fields, "slug")

    # A row a bulk import created keeps its time in its stamp (see catalog.models.Stamp).
    @admin.display(description="Updated", ordering=Coalesce("updated_at", "stamp__at"))
    def updated(self, title: Title) -> Any:
        return title.updated_at


@admin.register(Season)
class SeasonAdmin(LockingAdmin):
    list_display = ("title", "number", "premiere", "finale", "episode_count")
    search_fields = ("title__name",)
    autocomplete_fields = ("title",)


@admin.register(Episode)
class EpisodeAdmin(LockingAdmin):
    list_display = ("title", "season_number", "number", "name", "air_at")
    search_fields = ("title__name", "name")
    autocomplete_fields = ("title", "season")


@admin.register(Person)
class PersonAdmin(LockingAdmin):
    list_display = ("name", "birth_year", "known_for")
    search_fields = ("name", "external_ids__value")
    inlines = [ExternalIdInline]
    readonly_fields = (*LockingAdmin.readonly_fields, "slug")


@admin.register(Credit)
class CreditAdmin(admin.ModelAdmin):
    list_display = ("person", "title", "role", "character", "job", "order")
    list_filter = ("role",)
    search_fields = ("person__name", "title__name", "character")
    autocomplete_fields = ("title", "person", "season")


@admin.register(Genre)
class GenreAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)
