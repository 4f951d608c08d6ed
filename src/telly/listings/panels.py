"""The guide's sections on other pages: "On TV" on a title page, "Tonight's picks" at home.
Each costs one query."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from telly.catalog.models import Title
from telly.listings.models import Airing

ON_TV_LIMIT = 6


def on_tv(request: HttpRequest, title: Title) -> dict[str, Any] | None:
    now = timezone.now()
    region = getattr(request, "region", None)
    airings = Airing.objects.for_title(title, now)
    if region:
        airings = airings.filter(channel__region=region, channel__is_active=True)
    shown = list(airings[:ON_TV_LIMIT])
    return {"airings": shown, "now": now} if shown else None


def tonights_picks(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
    picks = Airing.objects.tonights_picks(getattr(request, "region", "GB"), request.tz)  # type: ignore[attr-defined]
    return {"picks": picks} if picks else None
