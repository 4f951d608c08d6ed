"""The sign-up form as a section at the foot of title pages (order 90)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from telly.newsletters import consent
from telly.newsletters.models import Newsletter


def title_signup(request: HttpRequest, title: Any) -> dict[str, Any] | None:
    """Lists for everyone plus the ones about this title's genres; None when there are none."""
    genre_ids = [g.pk for g in title.genres.all()]
    offered = list(
        Newsletter.objects.filter(is_public=True).filter(
            Q(genre__isnull=True) | Q(genre_id__in=genre_ids)
        )
    )
    if not offered:
        return None
    from telly.newsletters.views import signup_form

    form = signup_form(request, form_id="title")
    form.fields["newsletters"].queryset = Newsletter.objects.filter(pk__in=[n.pk for n in offered])
    return {
        "form": form,
        "wording": consent.current_wording(),
        "heading": "Never miss what's new to watch",
    }
