"""Release events and the calendar as JSON: /api/v1/titles/{key}/releases, /api/v1/calendar."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from telly.api.errors import ERRORS, ApiError
from telly.catalog.models import Title
from telly.releases import queries
from telly.releases.calendar import MAX_API_DAYS
from telly.releases.models import ReleaseEvent
from telly.releases.views import FilterError, parse_filter
from telly.web.middleware import valid_region

router = Router(tags=["releases"])


class ReleaseEventOut(Schema):
    id: int
    title_id: int
    title_name: str
    title_url: str
    season_number: int | None
    kind: str
    date: dt.date
    date_label: str
    precision: str
    certainty: str
    window_start: dt.date | None
    window_end: dt.date | None
    probability: float | None
    explanation: str
    region: str
    network: str
    provider: str | None
    source: str

    @staticmethod
    def resolve_title_name(obj: ReleaseEvent) -> str:
        return obj.title.name

    @staticmethod
    def resolve_title_url(obj: ReleaseEvent) -> str:
        return obj.title.get_absolute_url()

    @staticmethod
    def resolve_provider(obj: ReleaseEvent) -> str | None:
        return obj.provider.slug if obj.provider_id else None


class TitleReleasesOut(Schema):
    title_id: int
    status: str
    events: list[ReleaseEventOut]
    next_season_estimate: ReleaseEventOut | None


class CalendarOut(Schema):
    start: dt.date
    end: dt.date
    events: list[ReleaseEventOut]
    estimates: list[ReleaseEventOut]


class CalendarQuery(Schema):
    date_from: dt.date | None = Field(None, alias="from")
    date_to: dt.date | None = Field(None, alias="to")
    service: str = ""
    channel: str = ""
    genre: str = ""
    region: str = ""


@router.get(
    "/titles/{key}/releases",
    response={200: TitleReleasesOut, **ERRORS},
    summary="Status, release events and next-season estimate of a series (id or slug)",
)
def title_releases(request: HttpRequest, key: str) -> TitleReleasesOut:
    if len(key) > 100:
        raise ApiError(404, "not_found", "No such title.")
    try:
        title = Title.objects.by_slug_or_id(key)
    except (Title.DoesNotExist, ValueError, OverflowError):
        raise ApiError(404, "not_found", f"No title {key!r}.") from None
    events = queries.title_releases(title)
    for event in events:
        event.title = title  # the schema reads the name and URL; no query per event
    estimate = next((e for e in events if e.is_estimate and e.kind == "premiere"), None)
    return TitleReleasesOut(
        title_id=title.pk, status=title.status, events=events, next_season_estimate=estimate
    )


@router.get(
    "/calendar",
    response={200: CalendarOut, **ERRORS},
    summary="Premieres and finales between two dates, and estimates whose window overlaps them",
    description=(
        "`from` and `to` are dates (YYYY-MM-DD, inclusive; default: today and 30 days later; at "
        f"most {MAX_API_DAYS} days apart). Filters: `service` (provider slug), `channel` "
        "(network name), `genre` (slug), `region` (ISO code)."
    ),
)
def release_calendar(
    request: HttpRequest,
    filters: Query[CalendarQuery],
) -> CalendarOut:
    start = filters.date_from or timezone.localdate()
    for day in (start, filters.date_to):
        if day is not None and not 1800 <= day.year <= 2200:
            raise ApiError(400, "bad_range", "Dates must lie between the years 1800 and 2200.")
    end = filters.date_to or start + dt.timedelta(days=30)
    if end < start:
        raise ApiError(400, "bad_range", "'to' is before 'from'.")
    if (end - start).days > MAX_API_DAYS:
        raise ApiError(400, "bad_range", f"Ask for at most {MAX_API_DAYS} days at a time.")
    region = ""
    if filters.region:
        region = valid_region(filters.region) or ""
        if not region:
            raise ApiError(
                400, "bad_region", f"{filters.region[:10]!r} is not an ISO 3166-1 country code."
            )
    try:
        where = parse_filter(
            {"service": filters.service, "channel": filters.channel, "genre": filters.genre}, region
        )
    except FilterError as exc:
        raise ApiError(400, "bad_filter", str(exc)) from None
    return CalendarOut(
        start=start,
        end=end,
        events=queries.upcoming_events(start, end, where=where, limit=1000),
        estimates=queries.estimated_windows(
            start,
            end,
            where=queries.CalendarFilter(
                service=where.service,
                channel=where.channel,
                genre=where.genre,
                region=region,
                kinds=(),
            ),
            limit=1000,
        ),
    )
