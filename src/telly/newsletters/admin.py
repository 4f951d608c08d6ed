"""Admin: lists, subscribers (with their consent trail), and campaigns with preview, test send,
schedule, pause and resume."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from telly.newsletters import delivery, emails, tasks
from telly.newsletters.digest import DigestBuilder
from telly.newsletters.models import (
    Campaign,
    CampaignKind,
    CampaignStatus,
    Consent,
    Newsletter,
    Send,
    Subscriber,
    Subscription,
)


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "cadence", "is_public", "order"]
    list_editable = ["order", "is_public"]
    prepopulated_fields = {"slug": ["name"]}


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    readonly_fields = ["newsletter", "requested_at", "confirmed_at", "ended_at"]
    can_delete = False


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    readonly_fields = [
        "newsletter",
        "action",
        "wording_version",
        "at",
        "source_page",
        "client_hash",
    ]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "region", "frequency", "created_at", "confirmed_at"]
    list_filter = ["status", "region", "frequency"]
    search_fields = ["email"]
    readonly_fields = [
        "created_at",
        "confirmation_sent_at",
        "confirmed_at",
        "unsubscribed_at",
        "suspended_at",
        "last_sent_at",
    ]
    filter_horizontal = ["providers"]
    raw_id_fields = ["user"]
    inlines = [SubscriptionInline, ConsentInline]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["subject", "newsletter", "kind", "status", "scheduled_at", "progress"]
    list_filter = ["status", "kind", "newsletter"]
    search_fields = ["subject"]
    readonly_fields = ["status", "started_at", "finished_at", "preview_link", "progress"]
    fields = [
        "newsletter",
        "kind",
        "subject",
        "preheader",
        "body",
        "scheduled_at",
        "preview_link",
        "status",
        "started_at",
        "finished_at",
        "progress",
    ]
    actions = ["send_test", "schedule", "pause", "resume", "cancel"]

    def save_model(self, request: HttpRequest, obj: Campaign, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self) -> list:
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview),
                name="newsletters_campaign_preview",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="Preview")
    def preview_link(self, campaign: Campaign) -> str:
        if not campaign.pk:
            return "Save first to preview."
        url = reverse("admin:newsletters_campaign_preview", args=[campaign.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Open the email as a reader sees it</a> (<a href="{}?format=text" target="_blank" rel="noopener">text part</a>)',
            url,
            url,
        )

    @admin.display(description="Sends")
    def progress(self, campaign: Campaign) -> str:
        found = delivery.counts(campaign)
        return ", ".join(f"{status}: {n}" for status, n in sorted(found.items())) or "—"

    def _sample_message(
        self, request: HttpRequest, campaign: Campaign
    ) -> emails.EmailMultiAlternatives:
        """The campaign as the editor would receive it (their own subscriber row, or a
        stand-in that is never saved)."""
        subscriber = Subscriber.objects.filter(
            email__iexact=request.user.email
        ).first() or Subscriber(
            pk=0,
            email=request.user.email or "editor@example.org",
            region=getattr(request, "region", "GB"),
        )
        digest = None
        if campaign.kind == CampaignKind.DIGEST:
            builder = DigestBuilder(campaign.newsletter, as_of=campaign.as_of or timezone.now())
            digest = builder.build(
                subscriber.region,
                list(subscriber.providers.values_list("pk", flat=True)) if subscriber.pk else [],
            )
        message_id = emails.new_message_id(campaign.pk, subscriber.pk or 0)
        return emails.campaign_email(
            campaign, subscriber, message_id, emails.CampaignBody.of(campaign), digest, test=True
        )

    def preview(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = get_object_or_404(Campaign.objects.select_related("newsletter"), pk=pk)
        message = self._sample_message(request, campaign)
        if request.GET.get("format") == "text":
            return HttpResponse(message.body, content_type="text/plain; charset=utf-8")
        html = message.alternatives[0].content if message.alternatives else ""
        return HttpResponse(html)

    @admin.action(description="Send a test to my own address")
    def send_test(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        if not request.user.email:
            self.message_user(
                request, "Your user has no email address to send a test to.", messages.ERROR
            )
            return
        for campaign in queryset.select_related("newsletter"):
            self._sample_message(request, campaign).send()
        self.message_user(
            request, f"Sent {queryset.count()} test email(s) to {request.user.email}."
        )

    @admin.action(description="Schedule (at its time, or now if none)")
    def schedule(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        count = 0
        for campaign in queryset.filter(status=CampaignStatus.DRAFT):
            campaign.scheduled_at = campaign.scheduled_at or timezone.now()
            campaign.status = CampaignStatus.SCHEDULED
            campaign.save(update_fields=["scheduled_at", "status"])
            tasks.send_when_committed(campaign)
            count += 1
        self.message_user(request, f"Scheduled {count} campaign(s). Only drafts can be scheduled.")

    @admin.action(description="Pause sending")
    def pause(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        count = queryset.filter(
            status__in=[CampaignStatus.SENDING, CampaignStatus.SCHEDULED]
        ).update(status=CampaignStatus.PAUSED)
        self.message_user(
            request, f"Paused {count} campaign(s); sending stops after the current batch."
        )

    @admin.action(description="Resume sending")
    def resume(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        count = 0
        for campaign in queryset.filter(status=CampaignStatus.PAUSED):
            resumed = Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.PAUSED).update(
                status=CampaignStatus.SENDING if campaign.started_at else CampaignStatus.SCHEDULED
            )
            if resumed:
                campaign.refresh_from_db()
                tasks.send_when_committed(campaign)
                count += 1
        self.message_user(request, f"Resumed {count} campaign(s).")

    @admin.action(description="Cancel (unsent recipients are skipped)")
    def cancel(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        count = queryset.exclude(status__in=[CampaignStatus.SENT, CampaignStatus.CANCELLED]).update(
            status=CampaignStatus.CANCELLED
        )
        self.message_user(request, f"Cancelled {count} campaign(s).")


@admin.register(Send)
class SendAdmin(admin.ModelAdmin):
    list_display = ["campaign", "subscriber", "status", "attempts", "sent_at", "message_id"]
    list_filter = ["status", "campaign"]
    search_fields = ["subscriber__email", "message_id"]
    raw_id_fields = ["campaign", "subscriber"]
    readonly_fields = [f.name for f in Send._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
