from django.contrib import admin

from telly.search.models import IndexState


@admin.register(IndexState)
class IndexStateAdmin(admin.ModelAdmin):
    list_display = ("generation", "documents", "change_seq", "built_at", "build_seconds")
    readonly_fields = ("generation", "documents", "change_seq", "built_at", "build_seconds")
