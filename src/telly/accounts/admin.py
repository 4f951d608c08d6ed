from django.contrib import admin

from telly.accounts.models import ApiToken, EpisodeWatch, Follow, Profile, WatchlistItem


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "region", "time_zone", "created_at")
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user",)
    filter_horizontal = ("services", "plans", "platforms", "channels")


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("user", "title", "person", "created_at")
    search_fields = ("user__username", "title__name", "person__name")
    raw_id_fields = ("user", "title", "person")


@admin.register(WatchlistItem)
class WatchlistItemAdmin(admin.ModelAdmin):
    list_display = ("user", "title", "added_at")
    search_fields = ("user__username", "title__name")
    raw_id_fields = ("user", "title")


@admin.register(EpisodeWatch)
class EpisodeWatchAdmin(admin.ModelAdmin):
    list_display = ("user", "title", "episode", "watched_at")
    raw_id_fields = ("user", "title", "episode")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens can be looked at and revoked (deleted) here, never read: only a digest is kept."""

    list_display = ("user", "name", "prefix", "created_at", "last_used_at")
    search_fields = ("user__username", "name", "prefix")
    readonly_fields = ("user", "name", "prefix", "digest", "created_at", "last_used_at")

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False
