from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils import timezone

from telly.accounts import ratelimit
from telly.accounts.models import Profile
from telly.web.middleware import valid_region, valid_time_zone


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        required=True, help_text="For password resets and the alerts you ask for."
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email address already exists.")
        return email


class RateLimitedLoginForm(AuthenticationForm):
    """Django's log-in form, refusing a (username, address) pair after too many failures."""

    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "") or ""
        address = ratelimit.client_address(self.request) if self.request else "unknown"
        if ratelimit.is_blocked(username, address):
            raise forms.ValidationError(
                "Too many failed attempts. Wait a few minutes, or reset your password.",
                code="rate_limited",
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            ratelimit.record_failure(username, address)
            raise
        ratelimit.clear(username, address)
        return cleaned


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ("region", "time_zone", "services", "plans", "platforms", "channels")
        widgets = {
            "services": forms.CheckboxSelectMultiple,
            "platforms": forms.CheckboxSelectMultiple,
            "plans": forms.CheckboxSelectMultiple,
            "channels": forms.CheckboxSelectMultiple,
        }
        labels = {
            "services": "My services",
            "platforms": "My devices",
            "channels": "My channels",
            "plans": "My plans",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = (self.instance.region_or_default if self.instance else "GB").upper()
        today = timezone.localdate()
        plans = (
            self.fields["plans"].queryset.filter(region=region).valid_on(today)
        )  # current prices only
        self.fields["plans"].queryset = plans.select_related("provider").order_by(
            "provider__name", "name", "price"
        )
        self.fields["channels"].queryset = self.fields["channels"].queryset.filter(
            region=region, is_active=True
        )
        self.fields["region"].help_text = "Two-letter country code, e.g. GB, US, IE"
        self.fields["time_zone"].help_text = "e.g. Europe/London, America/New_York"

    def clean_region(self) -> str:
        raw = (self.cleaned_data.get("region") or "").strip()
        if not raw:
            return ""
        region = valid_region(raw)
        if not region:
            raise forms.ValidationError(f"“{raw}” is not a two-letter country code.")
        return region

    def clean_time_zone(self) -> str:
        raw = (self.cleaned_data.get("time_zone") or "").strip()
        if raw and valid_time_zone(raw) is None:
            raise forms.ValidationError(f"“{raw}” is not a time zone name such as Europe/London.")
        return raw


class TokenForm(forms.Form):
    name = forms.CharField(max_length=60, initial="API token")


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput, help_text="Type your password to confirm."
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
