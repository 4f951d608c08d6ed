from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from telly.catalog.signals import Changes, announce
from telly.releases.models import ReleaseEvent


@admin.register(ReleaseEvent)
class ReleaseEventAdmin(admin.ModelAdmin):
    list_display = ["title", "season_number", "kind", "date", "precision", "certainty", "source"]
    list_filter = ["kind", "certainty", "precision"]
    search_fields = ["title__name"]
    raw_id_fields = ["title", "season", "provider", "replaced_by"]
    list_select_related = ["title"]
    date_hierarchy = "date"
    readonly_fields = ["created_at", "updated_at"]

    def save_model(
        self, request: HttpRequest, obj: ReleaseEvent, form: ModelForm, change: bool
    ) -> None:
        # Saving refreshes the series' estimate (receivers.py); the announcement tells search
        # and alerts that an editor changed a release fact.
        if not obj.source:
            obj.source = "editor"
        super().save_model(request, obj, form, change)
        announce(Changes(source="admin", titles={obj.title_id}, release_events={obj.pk}))
