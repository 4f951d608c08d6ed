"""The TV guide as JSON: channels, now & next, a channel's day, a title's airings.

Times are UTC instants in ISO 8601; ``date`` parameters are local days in ``tz`` (default
TELLY_TIME_ZONE), so a day is 23 or 25 hours long when the clocks change.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from telly.api.errors import ERRORS, ApiError
from telly.catalog.models import Title
from telly.listings.models import Airing, Channel, LineupPlatform
from telly.listings.queries import (
    NowNextAiring,
    cached_guide_channels,
    channel_day,
    now_and_next,
)
from telly.web.middleware import valid_region

router = Router(tags=["listings"])
MAX_TITLE_AIRINGS = 100


class LineupOut(Schema):
    platform: str
    number: int | None


class ChannelOut(Schema):
    slug: str
    name: str
    region: str
    xmltv_id: str
    logo_url: str
    catchup_provider: str | None
    lineups: list[LineupOut]
    url: str


class AiringOut(Schema):
    id: int
    channel: str
    start: dt.datetime
    stop: dt.datetime
    title: str
    subtitle: str
    title_id: int | None
    episode_id: int | None
    season_number: int | None
    episode_number: int | None
    categories: list[str]
    flags: list[str]
    is_new: bool
    is_premiere: bool
    is_finale: bool
    is_repeat: bool
    is_live: bool
    has_subtitles: bool
    has_audio_description: bool
    is_hd: bool
    catchup_until: dt.datetime | None


class NowNextOut(Schema):
    channel: ChannelOut
    now: AiringOut | None
    next: AiringOut | None


def channel_out(channel: Channel) -> dict:
    return {
        "slug": channel.slug,
        "name": channel.name,
        "region": channel.region,
        "xmltv_id": channel.xmltv_id,
        "logo_url": channel.logo_url,
        "catchup_provider": channel.catchup_provider.name if channel.catchup_provider else None,
        "lineups": [
            {"platform": lineup.platform, "number": lineup.number}
            for lineup in channel.lineups.all()
        ],
        "url": channel.get_absolute_url(),
    }


def airing_out(airing: Airing | NowNextAiring, channel_slug: str) -> dict:
    return {
        "id": airing.pk,
        "channel": channel_slug,
        "start": airing.start,
        "stop": airing.stop,
        "title": airing.raw_title,
        "subtitle": airing.raw_subtitle,
        "title_id": airing.title_id,
        "episode_id": airing.episode_id,
        "season_number": airing.season_number,
        "episode_number": airing.episode_number,
        "categories": airing.categories,
        "flags": airing.flags,
        "is_new": airing.is_new,
        "is_premiere": airing.is_premiere,
        "is_finale": airing.is_finale,
        "is_repeat": airing.is_repeat,
        "is_live": airing.is_live,
        "has_subtitles": airing.has_subtitles,
        "has_audio_description": airing.has_audio_description,
        "is_hd": airing.is_hd,
        "catchup_until": airing.catchup_until,
    }


def _region(value: str | None) -> str:
    region = valid_region(value) if value else settings.TELLY_DEFAULT_REGION
    if region is None:
        raise ApiError(400, "bad_region", f"region {value!r} is not an ISO 3166-1 alpha-2 code")
    return region


def _platform(value: str | None) -> str | None:
    if value and value not in LineupPlatform.values:
        raise ApiError(
            400, "bad_platform", f"platform must be one of {', '.join(LineupPlatform.values)}"
        )
    return value or None


def _tz(value: str | None) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(value or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ApiError(400, "bad_tz", f"tz {value!r} is not a time zone name") from None


def _aware(value: dt.datetime | None) -> dt.datetime:
    if value is None:
        return timezone.now()
    if value.tzinfo is None:
        raise ApiError(400, "bad_at", "give the instant with its offset, e.g. 2026-03-29T20:00:00Z")
    if not 1971 <= value.year <= 2099:
        raise ApiError(400, "bad_at", "that instant is outside the guide (1971-2099)")
    return value


# The API's form of the channel lists ``cached_guide_channels`` holds, made once per list.
_channel_outs: dict[tuple[str, str | None], tuple[list[Channel], list[dict]]] = {}


def _channels(region: str, platform: str | None) -> tuple[list[Channel], list[dict]]:
    """The guide's channels and their API form (shared between requests: do not change)."""
    channels = cached_guide_channels(region, platform)
    held = _channel_outs.get((region, platform))
    if held is None or held[0] is not channels:
        held = _channel_outs[(region, platform)] = (channels, [channel_out(c) for c in channels])
    return held


@router.get(
    "/channels",
    response={200: list[ChannelOut], **ERRORS},
    summary="Channels of a region, in line-up order",
)
def list_channels(
    request: HttpRequest, region: str | None = None, platform: str | None = None
) -> list:
    return list(_channels(_region(region), _platform(platform))[1])


@router.get("/channels/{slug}", response={200: ChannelOut, **ERRORS}, summary="One channel")
def get_channel(request: HttpRequest, slug: str) -> dict:
    channel = (
        Channel.objects.select_related("catchup_provider")
        .prefetch_related("lineups")
        .filter(slug=slug)
        .first()
    )
    if channel is None:
        raise ApiError(404, "not_found", f"no channel {slug!r}")
    return channel_out(channel)


@router.get(
    "/channels/{slug}/airings",
    response={200: list[AiringOut], **ERRORS},
    summary="A channel's local day",
)
def channel_airings(
    request: HttpRequest, slug: str, date: dt.date | None = None, tz: str | None = None
) -> list:
    zone = _tz(tz)
    channel = Channel.objects.filter(slug=slug).first()
    if channel is None:
        raise ApiError(404, "not_found", f"no channel {slug!r}")
    day = date or timezone.now().astimezone(zone).date()
    if not 1970 <= day.year <= 2100:
        raise ApiError(400, "bad_date", "date is outside the guide")
    return [airing_out(a, channel.slug) for a in channel_day(channel, day, zone)]


@router.get(
    "/listings/now",
    response={200: list[NowNextOut], **ERRORS},
    summary="Now and next on every channel",
)
def listings_now(
    request: HttpRequest,
    region: str | None = None,
    platform: str | None = None,
    at: dt.datetime | None = None,
) -> list:
    instant = _aware(at)
    channels, outs = _channels(_region(region), _platform(platform))
    return [
        {
            "channel": out,
            "now": airing_out(entry.now, entry.channel.slug) if entry.now else None,
            "next": airing_out(entry.next, entry.channel.slug) if entry.next else None,
        }
        for entry, out in zip(now_and_next(channels, instant), outs, strict=True)
    ]


@router.get(
    "/titles/{key}/airings",
    response={200: list[AiringOut], **ERRORS},
    summary="A title's coming airings",
)
def title_airings(
    request: HttpRequest,
    key: str,
    after: dt.datetime | None = None,
    region: str | None = None,
    limit: int = 20,
) -> list:
    if not 1 <= limit <= MAX_TITLE_AIRINGS:
        raise ApiError(400, "bad_limit", f"limit must be between 1 and {MAX_TITLE_AIRINGS}")
    if key.isdecimal() and len(key) > 18:
        raise ApiError(404, "not_found", f"no title {key!r}")
    try:
        title = Title.objects.by_slug_or_id(key)
    except (Title.DoesNotExist, ValueError, OverflowError):
        raise ApiError(404, "not_found", f"no title {key!r}") from None
    airings = Airing.objects.for_title(title, _aware(after))
    if region:
        airings = airings.filter(channel__region=_region(region))
    return [airing_out(a, a.channel.slug) for a in airings[:limit]]
