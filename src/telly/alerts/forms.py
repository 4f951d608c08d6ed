from __future__ import annotations

from django import forms

from telly.alerts import delivery
from telly.alerts.models import AlertSettings


class AlertSettingsForm(forms.ModelForm):
    class Meta:
        model = AlertSettings
        fields = (
            "email_enabled",
            "cadence",
            "digest_hour",
            "on_next_season",
            "on_new_episode",
            "on_arriving",
            "on_leaving",
            "on_new_credit",
            "apprise_url",
            "xmltv_followed_only",
        )
        labels = {
            "email_enabled": "Send alerts by email",
            "cadence": "How often",
            "digest_hour": "Digest hour (your time, 0–23)",
            "on_next_season": "A followed series gets a date for its next season",
            "on_new_episode": "A new episode of a followed series airs or drops today",
            "on_arriving": "A title on my watchlist arrives on one of my services",
            "on_leaving": "A title on my watchlist leaves one of my services within 7 days",
            "on_new_credit": "A followed person has a new credit",
            "apprise_url": "Apprise URL (optional)",
            "xmltv_followed_only": "Personal XMLTV: only airings of what I follow",
        }
        help_texts = {
            "xmltv_followed_only": "",
            "apprise_url": "e.g. ntfy://my-topic or mailto://…; see Apprise's list of services",
            "digest_hour": "",
        }
        widgets = {
            "cadence": forms.RadioSelect,
            "digest_hour": forms.NumberInput(attrs={"min": 0, "max": 23}),
        }

    def clean_digest_hour(self) -> int:
        hour = self.cleaned_data["digest_hour"]
        if not 0 <= hour <= 23:
            raise forms.ValidationError("Choose an hour from 0 to 23.")
        return hour

    def clean_apprise_url(self) -> str:
        url = (self.cleaned_data.get("apprise_url") or "").strip()
        if url and delivery.apprise is None:
            raise forms.ValidationError(
                "Apprise is not installed on this server, so only email alerts are available."
            )
        if url and "://" not in url:
            raise forms.ValidationError("An Apprise URL looks like scheme://… (e.g. ntfy://topic).")
        return url
