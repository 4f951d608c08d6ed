"""The search form: one parser for the page, the suggestions and (by the same rules) the API."""

from __future__ import annotations

from typing import Any

from django import forms

from telly.catalog.models import Genre
from telly.search.query import KIND_CHOICES
from telly.streaming.models import Provider

KIND_LABELS = {
    "title": "Titles",
    "series": "Series",
    "film": "Films",
    "person": "People",
    "character": "Characters",
    "channel": "Channels",
    "provider": "Providers",
}


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search")
    kind = forms.ChoiceField(
        required=False, choices=[("", "Everything"), *((k, KIND_LABELS[k]) for k in KIND_CHOICES)]
    )
    genre = forms.ChoiceField(required=False, choices=[])
    year_from = forms.IntegerField(required=False, min_value=1870, max_value=2100, label="From")
    year_to = forms.IntegerField(required=False, min_value=1870, max_value=2100, label="To")
    provider = forms.ChoiceField(required=False, choices=[], label="Available on")
    on_tv = forms.BooleanField(required=False, label="On TV this week")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["genre"].choices = [
            ("", "Any genre"),
            *Genre.objects.values_list("slug", "name"),
        ]
        self.fields["provider"].choices = [
            ("", "Any service"),
            *Provider.objects.values_list("slug", "name"),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("year_from"), data.get("year_to")
        if low and high and low > high:
            raise forms.ValidationError("The first year must not be after the last year.")
        return data

    @property
    def has_filters(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(k) for k in ("genre", "year_from", "year_to", "provider", "on_tv"))
