"""The title page's "Release dates" section: status, announced dates, the next-season
estimate and its one-sentence why. Two queries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from telly.catalog.models import Title
from telly.releases import queries


def title_panel(request: HttpRequest, title: Title) -> dict[str, Any] | None:
    if not title.is_episodic:
        return None
    tz = getattr(request, "tz", None)
    today = timezone.localtime(timezone.now(), tz).date() if tz else timezone.now().date()
    releases = queries.for_title(title, today)
    if not releases:
        return None
    return {"releases": releases, "today": today}
