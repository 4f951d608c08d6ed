"""The TV guide's pages: the now & next grid, a channel's day and the XMLTV feed.

Everything a visitor types arrives as query parameters; a bad one gets the page back with a
message and status 400, never a 500. Times are stored in UTC and shown in ``request.tz``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import cache_control

from telly.listings.models import Airing, Channel, LineupPlatform
from telly.listings.queries import (
    channel_day,
    channels_by_keys,
    export_airings,
    grid,
    guide_channels,
    local_day_bounds,
)
from telly.listings.xmltv_out import iter_xmltv

WINDOW_MINUTES = 180
SLOT_MINUTES = 30
CHANNELS_PER_PAGE = 40
PRIME_TIME = dt.time(19, 0)
MAX_FEED_DAYS = 14


class BadQuery(ValueError):
    pass


@dataclass
class GridCell:
    airing: Airing
    first: int  # grid column lines, 1-based, clipped to the window
    last: int
    on_now: bool
    starts_before: bool
    ends_after: bool


def _my_channel_ids(request: HttpRequest) -> list[int] | None:
    profile = getattr(request, "profile", None)
    channels = getattr(profile, "channels", None) if profile else None
    return list(channels.values_list("pk", flat=True)) if channels is not None else None


def _parse_date(value: str | None, default: dt.date) -> dt.date:
    if not value:
        return default
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise BadQuery(f"“{value}” is not a date; use YYYY-MM-DD.") from None
    if not 1970 <= day.year <= 2100:
        raise BadQuery("That date is outside the guide.")
    return day


def _parse_time(value: str | None, default: dt.time) -> dt.time:
    if not value:
        return default
    try:
        return dt.time.fromisoformat(value).replace(second=0, microsecond=0, tzinfo=None)
    except ValueError:
        raise BadQuery(f"“{value}” is not a time; use HH:MM.") from None


def _window_start(request: HttpRequest, now_local: dt.datetime) -> dt.datetime:
    """The local instant the grid starts at, from ``when``, ``date`` and ``time``."""
    when = request.GET.get("when", "")
    today = now_local.date()
    rounded = now_local.replace(
        minute=now_local.minute - now_local.minute % SLOT_MINUTES, second=0, microsecond=0
    )
    if when == "tonight":
        day, at = today, PRIME_TIME
    elif when == "tomorrow":
        day, at = today + dt.timedelta(days=1), PRIME_TIME
    elif when in ("", "now"):
        day = _parse_date(request.GET.get("date"), today)
        default_time = rounded.time() if day == today else PRIME_TIME
        at = _parse_time(request.GET.get("time"), default_time)
    else:
        raise BadQuery("“when” must be now, tonight or tomorrow.")
    return dt.datetime.combine(day, at, tzinfo=now_local.tzinfo)


def guide(request: HttpRequest) -> HttpResponse:
    tz = request.tz  # type: ignore[attr-defined]
    now = timezone.now()
    now_local = now.astimezone(tz)
    platform = request.GET.get("platform", "")
    mine = request.GET.get("mine") == "1"
    error = ""
    try:
        if platform and platform not in LineupPlatform.values:
            raise BadQuery(f"Unknown platform “{platform}”.")
        start_local = _window_start(request, now_local)
    except BadQuery as exc:
        error, platform = str(exc), ""
        start_local = now_local.replace(
            minute=now_local.minute - now_local.minute % SLOT_MINUTES, second=0, microsecond=0
        )
    start = start_local.astimezone(dt.UTC)
    stop = start + dt.timedelta(minutes=WINDOW_MINUTES)
    my_ids = _my_channel_ids(request)
    channels = guide_channels(
        request.region, platform or None, my_ids if mine and my_ids is not None else None
    )  # type: ignore[attr-defined]
    page = Paginator(channels, CHANNELS_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for channel, airings in grid(list(page.object_list), start, stop):
        cells = []
        for airing in airings:
            first = max(0, int((airing.start - start).total_seconds() // 60))
            last = min(WINDOW_MINUTES, int((airing.stop - start).total_seconds() // 60))
            if last > first:
                cells.append(
                    GridCell(
                        airing,
                        first + 1,
                        last + 1,
                        airing.is_on_at(now),
                        airing.start < start,
                        airing.stop > stop,
                    )
                )
        rows.append((channel, cells))
    slots = [
        (start + dt.timedelta(minutes=m)).astimezone(tz)
        for m in range(0, WINDOW_MINUTES, SLOT_MINUTES)
    ]
    now_column = int((now - start).total_seconds() // 60) + 1 if start <= now < stop else None
    earlier = (start - dt.timedelta(minutes=WINDOW_MINUTES)).astimezone(tz)
    later = stop.astimezone(tz)
    context = {
        "rows": rows,
        "page": page,
        "slots": slots,
        "slot_span": SLOT_MINUTES,
        "window_minutes": WINDOW_MINUTES,
        "start_local": start_local,
        "stop_local": stop.astimezone(tz),
        "now_column": now_column,
        "earlier": earlier,
        "later": later,
        "today": now_local.date(),
        "platforms": LineupPlatform.choices[:-1],
        "platform_label": LineupPlatform(platform).label if platform else "",
        "platform": platform,
        # A line-up whose numbers we do not have (none of the demo's sources gives them):
        # the page says so instead of leaving the order unexplained.
        "numbers_unknown": bool(platform)
        and not any(getattr(c, "guide_number", None) is not None for c, _ in rows),
        "mine": mine,
        "has_my_channels": bool(my_ids),
        "signed_in": my_ids is not None,
        "error": error,
        "times": [dt.time(h, m) for h in range(24) for m in (0, 30)],
    }
    return render(request, "listings/guide.html", context, status=400 if error else 200)


def channel(request: HttpRequest, slug: str) -> HttpResponse:
    tz = request.tz  # type: ignore[attr-defined]
    station = get_object_or_404(
        Channel.objects.select_related("catchup_provider").prefetch_related("lineups"), slug=slug
    )
    now = timezone.now()
    today = now.astimezone(tz).date()
    error = ""
    try:
        day = _parse_date(request.GET.get("date"), today)
    except BadQuery as exc:
        error, day = str(exc), today
    airings = list(channel_day(station, day, tz))
    day_start, day_stop = local_day_bounds(day, tz)
    context = {
        "channel": station,
        "day": day,
        "today": today,
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        "airings": airings,
        "now": now,
        "day_hours": round((day_stop - day_start).total_seconds() / 3600),
        "error": error,
    }
    return render(request, "listings/channel_day.html", context, status=400 if error else 200)


@cache_control(max_age=900, public=True)
def xmltv_feed(request: HttpRequest) -> HttpResponse:
    """``/tv-guide/xmltv.xml?region=GB&channels=bbc-one,itv1&days=7&date=YYYY-MM-DD``"""
    tz = request.tz  # type: ignore[attr-defined]
    try:
        days = int(request.GET.get("days", "7"))
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_FEED_DAYS:
        return HttpResponse(
            f"days must be a whole number from 1 to {MAX_FEED_DAYS}.\n",
            status=400,
            content_type="text/plain",
        )
    try:
        first = _parse_date(request.GET.get("date"), timezone.now().astimezone(tz).date())
    except BadQuery as exc:
        return HttpResponse(f"{exc}\n", status=400, content_type="text/plain")
    channels = None
    keys = [k for k in request.GET.get("channels", "").split(",") if k.strip()]
    if keys:
        channels, unknown = channels_by_keys(keys, request.region)  # type: ignore[attr-defined]
        if unknown:
            return HttpResponse(
                f"No such channel: {', '.join(unknown)}\n", status=400, content_type="text/plain"
            )
    start, _ = local_day_bounds(first, tz)
    _, stop = local_day_bounds(first + dt.timedelta(days=days - 1), tz)
    airings = export_airings(start, stop, region=request.region, channels=channels)  # type: ignore[attr-defined]
    response = StreamingHttpResponse(
        iter_xmltv(airings, channels, base_url=request.build_absolute_uri("/").rstrip("/")),
        content_type="application/xml; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="telly-guide.xml"'
    return response
