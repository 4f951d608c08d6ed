from django.contrib import admin

from telly.importers.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "source",
        "path",
        "status",
        "rows",
        "created",
        "updated",
        "rejected",
        "duration",
    ]
    list_filter = ["source", "status"]
    search_fields = ["path", "error"]
    date_hierarchy = "started_at"
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    @admin.display(description="created")
    def created(self, run: ImportRun) -> int:
        return run.total("created")

    @admin.display(description="updated")
    def updated(self, run: ImportRun) -> int:
        return run.total("updated")

    @admin.display(description="rejected")
    def rejected(self, run: ImportRun) -> int:
        return run.total("rejected")

    def has_add_permission(self, request) -> bool:  # runs are written by imports only
        return False
