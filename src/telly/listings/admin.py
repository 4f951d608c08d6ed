from django.contrib import admin

from telly.listings.models import Airing, Channel, Lineup


class LineupInline(admin.TabularInline):
    model = Lineup
    extra = 0


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "xmltv_id", "catchup_provider", "sort_order", "is_active"]
    list_filter = ["region", "is_active", "lineups__platform"]
    search_fields = ["name", "xmltv_id", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [LineupInline]


@admin.register(Airing)
class AiringAdmin(admin.ModelAdmin):
    list_display = ["raw_title", "channel", "start", "stop", "title", "episode_code", "source"]
    list_filter = ["channel__region", "is_new", "is_premiere", "is_repeat", "source"]
    search_fields = ["raw_title", "raw_subtitle"]
    date_hierarchy = "start"
    raw_id_fields = ["channel", "title", "episode"]
    list_select_related = ["channel", "title"]
