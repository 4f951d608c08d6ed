from django.contrib import admin

from telly.alerts.models import Alert, AlertSettings


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "headline", "status", "due_at", "sent_at", "attempts")
    list_filter = ("kind", "status")
    search_fields = ("user__username", "headline", "key", "message_id")
    raw_id_fields = ("user", "title", "person")
    readonly_fields = (
        "message_id",
        "claimed_by",
        "claimed_until",
        "sent_at",
        "attempts",
        "last_error",
    )


@admin.register(AlertSettings)
class AlertSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "email_enabled", "cadence", "digest_hour")
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
    exclude = ("feed_secret",)  # a secret URL part: not shown to editors
