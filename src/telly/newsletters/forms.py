"""Forms for signing up and for the preference centre."""

from __future__ import annotations

import pycountry
from django import forms

from telly.newsletters import consent
from telly.newsletters.models import Frequency, Newsletter
from telly.streaming.models import Provider
from telly.web.middleware import valid_region

OFFERED_REGIONS = ["GB", "US", "IE", "DE", "FR", "ES", "IT", "NL", "CA", "AU"]


def region_choices(current: str | None = None) -> list[tuple[str, str]]:
    codes = list(OFFERED_REGIONS)
    if current and current not in codes and valid_region(current):
        codes.append(current)
    return [(code, getattr(pycountry.countries.get(alpha_2=code), "name", code)) for code in codes]


class RegionField(forms.ChoiceField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(choices=region_choices, **kwargs)

    def valid_value(self, value: str) -> bool:
        return valid_region(value) is not None


class SignupForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    newsletters = forms.ModelMultipleChoiceField(
        queryset=Newsletter.objects.filter(is_public=True),
        widget=forms.CheckboxSelectMultiple,
        label="Newsletters",
        error_messages={"required": "Tick at least one newsletter."},
    )
    region = RegionField(
        label="Your region", help_text="For what is streaming and on TV where you live."
    )
    agree = forms.BooleanField(
        label="I agree",
        error_messages={
            "required": "Please tick the box to agree, or we cannot send you anything."
        },
    )
    wording_version = forms.CharField(widget=forms.HiddenInput, initial=consent.CURRENT_VERSION)
    source = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)
    # A field people never see: bots that fill every input give themselves away.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_wording_version(self) -> str:
        version = self.cleaned_data["wording_version"]
        if version not in consent.WORDINGS:
            raise forms.ValidationError("This form is out of date; reload the page and try again.")
        return version

    def clean_region(self) -> str:
        return valid_region(self.cleaned_data["region"]) or "GB"

    def clean_source(self) -> str:
        source = self.cleaned_data.get("source", "")
        # Only a path on this site is kept: never a full URL with someone else's query string.
        return source.split("?")[0][:500] if source.startswith("/") else ""


class PreferencesForm(forms.Form):
    newsletters = forms.ModelMultipleChoiceField(
        queryset=Newsletter.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="My newsletters",
    )
    region = RegionField(label="Region")
    frequency = forms.ChoiceField(
        choices=Frequency.choices, widget=forms.RadioSelect, label="How often"
    )
    providers = forms.ModelMultipleChoiceField(
        queryset=Provider.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="My services",
        help_text="Digests show what is new and leaving on these first. Leave empty for everything.",
    )

    def __init__(
        self, *args: object, subscribed_ids: set[int] | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        # Private lists appear only to people already on them.
        from django.db.models import Q

        self.fields["newsletters"].queryset = Newsletter.objects.filter(
            Q(is_public=True) | Q(pk__in=subscribed_ids or set())
        )
        self.fields["region"].choices = region_choices(
            self.initial.get("region") if self.initial else None
        )
