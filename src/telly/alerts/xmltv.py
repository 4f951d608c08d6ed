"""The personal XMLTV feed: my channels' airings (optionally only what I follow) for Kodi,
Jellyfin or Plex to poll. Times are written in UTC (``20250601190000 +0000``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from lxml import etree

from telly.accounts.models import Follow, WatchlistItem, profile_for
from telly.listings.models import Airing

MAX_DAYS = 14


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S +0000")


def channel_id(channel: Any) -> str:
    return channel.xmltv_id or f"{channel.slug}.telly"


def build_xmltv(
    user: Any, *, days: int = 7, followed_only: bool = False, at: dt.datetime | None = None
) -> bytes:
    at = at or timezone.now()
    profile = profile_for(user)
    channels = list(profile.channels.filter(is_active=True).order_by("sort_order", "name"))
    root = etree.Element(
        "tv", {"generator-info-name": settings.SITE_NAME, "generator-info-url": settings.SITE_URL}
    )
    for channel in channels:
        element = etree.SubElement(root, "channel", id=channel_id(channel))
        etree.SubElement(element, "display-name").text = channel.name
        if channel.logo_url:
            etree.SubElement(element, "icon", src=channel.logo_url)
    airings = Airing.objects.filter(
        channel__in=channels, stop__gt=at, start__lt=at + dt.timedelta(days=days)
    )
    if followed_only:
        title_ids = set(
            Follow.objects.filter(user=user, title__isnull=False).values_list("title_id", flat=True)
        )
        title_ids |= set(WatchlistItem.objects.filter(user=user).values_list("title_id", flat=True))
        airings = airings.filter(title_id__in=title_ids)
    by_id = {c.pk: c for c in channels}
    for airing in airings.order_by("channel__sort_order", "channel_id", "start").iterator(
        chunk_size=2000
    ):
        programme = etree.SubElement(
            root,
            "programme",
            start=_stamp(airing.start),
            stop=_stamp(airing.stop),
            channel=channel_id(by_id[airing.channel_id]),
        )
        etree.SubElement(programme, "title").text = airing.raw_title
        if airing.raw_subtitle:
            etree.SubElement(programme, "sub-title").text = airing.raw_subtitle
        if airing.description:
            etree.SubElement(programme, "desc").text = airing.description
        for category in airing.categories or []:
            etree.SubElement(programme, "category").text = str(category)
        if airing.season_number is not None or airing.episode_number is not None:
            season = "" if airing.season_number is None else str(max(airing.season_number - 1, 0))
            episode = (
                "" if airing.episode_number is None else str(max(airing.episode_number - 1, 0))
            )
            etree.SubElement(
                programme, "episode-num", system="xmltv_ns"
            ).text = f"{season}.{episode}."
        if airing.is_repeat:
            etree.SubElement(programme, "previously-shown")
        if airing.is_premiere:
            etree.SubElement(programme, "premiere")
        if airing.is_new:
            etree.SubElement(programme, "new")
        if airing.has_subtitles:
            etree.SubElement(programme, "subtitles", type="teletext")
    return etree.tostring(
        root,
        xml_declaration=True,
        encoding="UTF-8",
        pretty_print=True,
        doctype='<!DOCTYPE tv SYSTEM "xmltv.dtd">',
    )
