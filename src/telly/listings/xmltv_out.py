"""Write airings as XMLTV, valid against the XMLTV DTD, for Kodi, Jellyfin, Plex and friends.

    with open("guide.xml", "wb") as out:
        write_xmltv(Airing.objects.on_between(start, stop, region="GB"), out)

``iter_xmltv`` yields the same document in chunks, for a streaming HTTP response; memory stays
flat however many airings there are. Flags the DTD has elements for are written as those
elements (``<new/>``, ``<premiere/>``, ``<previously-shown/>``, ``<subtitles/>``, HD as
``<video><quality>HDTV</quality></video>``); the ones it lacks (live, finale, audio
description) as ``<keyword>``s that Telly's importer reads back. Times are written in UTC.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import IO

from lxml import etree

from telly.importers.xmltv.episodes import format_xmltv_ns
from telly.importers.xmltv.times import format_xmltv_time
from telly.listings.models import Airing, AiringQuerySet, Channel, Lineup, LineupPlatform

GENERATOR = "Telly"
CREDIT_ORDER = (
    "director",
    "actor",
    "writer",
    "adapter",
    "producer",
    "composer",
    "editor",
    "presenter",
    "commentator",
    "guest",
)
CHUNK = 2000
# A fortnight of listings repeats the same few thousand instants (one stop is the next start).
_time = functools.lru_cache(maxsize=1 << 14)(format_xmltv_time)


class _Buffer:
    """A write target whose contents the generator hands out and forgets."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.parts.append(data)

    def drain(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def channel_xmltv_id(channel: Channel) -> str:
    return channel.xmltv_id or f"{channel.slug}.telly"


def iter_xmltv(
    airings: AiringQuerySet,
    channels: Iterable[Channel] | None = None,
    *,
    base_url: str = "",
    source_name: str = "Telly",
) -> Iterator[bytes]:
    """The XMLTV document for these airings (and these channels, default: theirs), in chunks."""
    if channels is None:
        channel_ids = airings.order_by().values_list("channel_id", flat=True).distinct()
        channels = Channel.objects.filter(pk__in=channel_ids).order_by("sort_order", "name")
    channels = list(channels)
    ids = {c.pk: channel_xmltv_id(c) for c in channels}
    # The "XMLTV source" line-up's numbers go out as a second display name, the form most
    # grabbers (and Telly's reader) use for a channel number.
    numbers = dict(
        Lineup.objects.filter(
            channel_id__in=list(ids), platform=LineupPlatform.XMLTV, number__isnull=False
        ).values_list("channel_id", "number")
    )
    buffer = _Buffer()
    with etree.xmlfile(buffer, encoding="utf-8") as xf:
        xf.write_declaration()
        xf.write_doctype('<!DOCTYPE tv SYSTEM "xmltv.dtd">')
        attrs = {"generator-info-name": GENERATOR, "source-info-name": source_name}
        if base_url:
            attrs["source-info-url"] = base_url
        with xf.element("tv", attrs):
            for channel in channels:
                element = _channel_element(
                    channel, ids[channel.pk], base_url, numbers.get(channel.pk)
                )
                xf.write(element, pretty_print=True)
            yield buffer.drain()
            rows = (
                airings.filter(channel_id__in=list(ids))
                .select_related(None)
                .order_by("channel__sort_order", "channel__name", "channel_id", "start")
            )
            for n, airing in enumerate(rows.iterator(chunk_size=CHUNK), 1):
                xf.write(programme_element(airing, ids[airing.channel_id]), pretty_print=True)
                if n % CHUNK == 0:
                    yield buffer.drain()
    yield buffer.drain()


def write_xmltv(
    airings: AiringQuerySet,
    stream: IO[bytes],
    channels: Iterable[Channel] | None = None,
    **options: str,
) -> None:
    """Write the XMLTV document for ``airings`` to a binary stream."""
    for chunk in iter_xmltv(airings, channels, **options):
        stream.write(chunk)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _channel_element(
    channel: Channel, xmltv_id: str, base_url: str, number: int | None = None
) -> etree._Element:
    element = etree.Element("channel", id=xmltv_id)
    _sub(element, "display-name", channel.name, lang="en")
    if number is not None:
        _sub(element, "display-name", str(number))
    if channel.logo_url:
        _sub(element, "icon", src=channel.logo_url)
    if base_url:
        _sub(element, "url", base_url.rstrip("/") + channel.get_absolute_url())
    return element


def programme_element(airing: Airing, channel_id: str) -> etree._Element:
    """One ``<programme>``, children in the order the DTD requires."""
    element = etree.Element(
        "programme",
        start=_time(airing.start),
        stop=_time(airing.stop),
        channel=channel_id,
    )
    _sub(element, "title", airing.raw_title)
    if airing.raw_subtitle:
        _sub(element, "sub-title", airing.raw_subtitle)
    if airing.description:
        _sub(element, "desc", airing.description)
    if airing.credits:
        credits = _sub(element, "credits")
        for role in CREDIT_ORDER:
            for credit in airing.credits:
                if credit.get("role") == role and credit.get("name"):
                    person = _sub(credits, role, credit["name"])
                    if role == "actor" and credit.get("character"):
                        person.set("role", credit["character"])
                    if role == "actor" and credit.get("guest") == "yes":
                        person.set("guest", "yes")
    if airing.year:
        _sub(element, "date", str(airing.year))
    for category in airing.categories:
        _sub(element, "category", category)
    for flag, keyword in (
        (airing.is_live, "live"),
        (airing.is_finale, "finale"),
        (airing.has_audio_description, "audio-description"),
    ):
        if flag:
            _sub(element, "keyword", keyword)
    if airing.season_number or airing.episode_number or airing.part_number:
        _sub(
            element,
            "episode-num",
            format_xmltv_ns(
                airing.season_number,
                airing.episode_number,
                airing.episode_total,
                airing.part_number,
                airing.part_total,
            ),
            system="xmltv_ns",
        )
    onscreen = airing.onscreen_episode or airing.episode_code
    if onscreen:
        _sub(element, "episode-num", onscreen, system="onscreen")
    if airing.programme_id:
        system = "crid" if airing.programme_id.startswith("crid://") else "dd_progid"
        _sub(element, "episode-num", airing.programme_id, system=system)
    if airing.series_id:
        _sub(element, "episode-num", airing.series_id, system="series_id")
    if airing.is_hd:
        _sub(_sub(element, "video"), "quality", "HDTV")
    if airing.is_repeat:
        _sub(element, "previously-shown")
    if airing.is_premiere:
        _sub(element, "premiere")
    if airing.is_new:
        _sub(element, "new")
    if airing.has_subtitles:
        _sub(element, "subtitles", type="teletext")
    if airing.has_signing:
        _sub(element, "subtitles", type="deaf-signed")
    if airing.rating:
        _sub(_sub(element, "rating"), "value", airing.rating)
    return element
