from django.contrib import admin

from telly.releases.models import ReleaseEvent


@admin.register(ReleaseEvent)
class ReleaseEventAdmin(admin.ModelAdmin):
    list_display = ["title", "season_number", "kind", "date", "precision", "certainty", "source"]
    list_filter = ["kind", "certainty", "precision"]
    search_fields = ["title__name"]
    raw_id_fields = ["title", "season", "replaced_by"]
    list_select_related = ["title"]
    date_hierarchy = "date"
