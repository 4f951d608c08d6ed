from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from telly.catalog.models import Genre, Title
from telly.releases import calendar, queries
from telly.streaming.models import Provider
from telly.web.middleware import valid_region

MAX_CHANNEL = 120


class FilterError(ValueError):
    pass


def parse_filter(params: dict[str, str], region: str) -> queries.CalendarFilter:
    """The calendar's filters from request parameters; a bad value raises ``FilterError``."""
    service = params.get("service", "").strip()
    if service and not Provider.objects.filter(slug=service).exists():
        raise FilterError(f"No streaming service {service[:40]!r}.")
    genre = params.get("genre", "").strip()
    if genre and not Genre.objects.filter(slug=genre).exists():
        raise FilterError(f"No genre {genre[:40]!r}.")
    channel = params.get("channel", "").strip()
    if len(channel) > MAX_CHANNEL:
        raise FilterError("The channel name is too long.")
    return queries.CalendarFilter(service=service, channel=channel, genre=genre, region=region)


def _choices() -> dict[str, object]:
    networks = (
        Title.objects.filter(release_events__isnull=False)
        .exclude(network="")
        .values_list("network", flat=True)
        .distinct()
        .order_by("network")
    )
    return {
        "providers": Provider.objects.order_by("display_priority", "name").only("slug", "name"),
        "genres": Genre.objects.filter(titles__release_events__isnull=False)
        .distinct()
        .order_by("name"),
        "networks": list(networks[:200]),
    }


def release_calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    region = getattr(request, "region", None) or valid_region(request.GET.get("region")) or ""
    context: dict[str, object] = {"today": today, "params": request.GET, **_choices()}
    try:
        period = calendar.parse_period(request.GET.get("month"), request.GET.get("week"), today)
        if request.GET.get("view") == "week" and period.view == "month":
            period = period.as_week(today)  # ?view=week: this week, or the month's first week
        where = parse_filter(request.GET.dict(), region)
    except (calendar.PeriodError, FilterError) as exc:
        context["error"] = str(exc)
        return render(request, "releases/calendar.html", context, status=400)
    filters = urlencode(
        {
            k: v
            for k, v in (
                ("service", where.service),
                ("channel", where.channel),
                ("genre", where.genre),
            )
            if v
        }
    )
    context.update(
        {
            "page": calendar.build(period, where),
            "where": where,
            "filters": filters,
            "month_view": period.as_month,
            "week_view": period.as_week(today),
        }
    )
    return render(request, "releases/calendar.html", context)
