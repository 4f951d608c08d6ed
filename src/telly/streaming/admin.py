"""Editors' screens for providers, plans, platforms and offers.

A field an editor changes is locked (``Sourced.lock``) so that the next import does not undo
the correction; saved offers are announced so search and alerts follow.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from telly.catalog.signals import Changes, announce
from telly.streaming.models import Offer, Plan, Platform, PlatformProvider, Provider


class LockEditedFields(admin.ModelAdmin):
    """Lock every field the editor changed on this save."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change and form.changed_data:
            obj.lock(*[f for f in form.changed_data if f not in ("locked_fields",)])
        super().save_model(request, obj, form, change)


class PlanInline(admin.TabularInline):
    model = Plan
    extra = 0
    fields = [
        "name",
        "region",
        "currency",
        "price",
        "period",
        "has_ads",
        "streams",
        "quality",
        "valid_from",
        "valid_to",
        "source_url",
    ]
    ordering = ["region", "name", "valid_from"]


class CarriageInline(admin.TabularInline):
    model = PlatformProvider
    extra = 0
    autocomplete_fields = ["provider", "platform"]


@admin.register(Provider)
class ProviderAdmin(LockEditedFields):
    list_display = ["name", "slug", "kind", "tmdb_id", "display_priority"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PlanInline, CarriageInline]
    readonly_fields = ["sources", "seen_at", "created_at", "updated_at"]


@admin.register(Plan)
class PlanAdmin(LockEditedFields):
    list_display = [
        "provider",
        "name",
        "region",
        "price",
        "currency",
        "period",
        "has_ads",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["region", "has_ads", "period", "provider"]
    search_fields = ["provider__name", "name"]
    autocomplete_fields = ["provider"]
    date_hierarchy = "valid_from"


@admin.register(Platform)
class PlatformAdmin(LockEditedFields):
    list_display = ["name", "slug", "kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CarriageInline]


@admin.register(Offer)
class OfferAdmin(LockEditedFields):
    list_display = [
        "title",
        "provider",
        "region",
        "monetization",
        "price",
        "currency",
        "quality",
        "available_from",
        "available_until",
    ]
    list_filter = ["region", "monetization", "provider"]
    search_fields = ["title__name", "provider__name"]
    autocomplete_fields = ["title", "provider"]
    raw_id_fields = ["season"]
    list_select_related = ["title", "provider"]
    date_hierarchy = "available_from"

    def save_model(self, request: HttpRequest, obj: Offer, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Sent once the admin's transaction commits.
        announce(Changes(source="admin", offers={obj.pk}, titles={obj.title_id}))
