"""Demo listings: the UK channels and one real day of Freeview listings, facts only.

``build`` reads ``epg_uk/`` in the shared data: the channels of the Freeview sample day (names
and DVB service ids from ``freeview.co.uk.channels.xml``, iptv-org XMLTV ids), the Sky and
Virgin Media channel lists matched to them by XMLTV id (service ids only: none of these files
carries channel numbers, so the guide orders channels as the Freeview feed lists them), and
every event of ``freeview_schedule_sample.json`` (title, episode numbers, start, duration,
catch-up window, CRID; no descriptions or images).

``load`` moves that day onto today's date in Europe/London, keeping each programme's local
wall-clock time, so "on now" always shows something. It replaces the demo airings instead of
adding to them, so loading again the same day creates nothing and on another day moves the day.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from django.db import transaction
from django.utils import timezone

from telly.catalog.signals import Changes, announce
from telly.importers.xmltv.episodes import parse_onscreen
from telly.importers.xmltv.match import CatalogueMatcher
from telly.listings.models import Airing, Channel, Lineup, LineupPlatform
from telly.streaming.models import Provider

SOURCE = "demo"
LONDON = zoneinfo.ZoneInfo("Europe/London")
_DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")
# A secondary title naming the sample's own date would be wrong once the day is moved.
_DATE_ONLY = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
_NUMBERED_NAME = re.compile(r"^Series\s+(\d+):\s*(\d+)\.\s*(.*)$")
# Catch-up services by the player-link host the Freeview data gives for a channel's events.
CATCHUP_BY_HOST = {"bbctvapps.co.uk": "bbc-iplayer", "uktv.co.uk": "uktv-play"}
# Broadcasters whose player links the sample lacks; the catch-up service is theirs.
CATCHUP_BY_NAME = [
    (re.compile(r"^(BBC|CBBC|CBeebies)", re.I), "bbc-iplayer"),
    (re.compile(r"^ITV", re.I), "itvx"),
    (re.compile(r"^(Channel 4|E4|More ?4|Film4|4seven)", re.I), "channel-4"),
    (re.compile(r"^(Channel 5|5[A-Z]|5 ?USA)", re.I), "my5"),
    (re.compile(r"^U&", re.I), "uktv-play"),
]


# Where a line-up entry comes from. None of these lists gives a channel number.
LINEUP_SOURCES = {
    "feed": "Freeview schedule feed (iptv-org/epg); no channel number in it",
    "id": "iptv-org/epg channel list, same XMLTV id; no channel number in it",
    "name": "iptv-org/epg channel list, same channel name; no channel number in it",
}


def _channel_list(path: Path) -> list[dict[str, str]]:
    root = ElementTree.parse(path).getroot()
    return [
        {
            "site_id": c.get("site_id", ""),
            "xmltv_id": c.get("xmltv_id", ""),
            "name": (c.text or "").strip(),
        }
        for c in root.iter("channel")
    ]


def _seconds(duration: str) -> int:
    match = _DURATION.match(duration or "")
    if not match:
        return 0
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _episode(secondary: str) -> dict[str, Any]:
    """Season/episode numbers and the episode name from Freeview's secondary title."""
    if not secondary or _DATE_ONLY.search(secondary):
        return {}
    numbered = _NUMBERED_NAME.match(secondary)
    if numbered:
        return {
            "s": int(numbered.group(1)),
            "e": int(numbered.group(2)),
            "sub": numbered.group(3)[:200],
            "on": f"Series {numbered.group(1)}: Episode {numbered.group(2)}",
        }
    number = parse_onscreen(secondary)
    if number:
        return {"s": number.season, "e": number.episode, "on": secondary[:60]}
    return {"sub": secondary[:200]}


def _name_key(name: str) -> str:
    """A channel name for matching across the platforms' lists: "U&Drama +1", "U&DRAMA+1"."""
    return re.sub(r"[^a-z0-9+]", "", name.casefold().replace("&", "and"))


def _by_name(listed: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """Channels by name key, leaving out names two different channels share (no guessing)."""
    found: dict[str, list[dict[str, str]]] = {}
    for channel in listed:
        found.setdefault(_name_key(channel["name"]), []).append(channel)
    return {key: same[0] for key, same in found.items() if len({c["site_id"] for c in same}) == 1}


def _lineup(
    platform: str,
    xmltv_id: str,
    name: str,
    by_id: dict[str, dict[str, str]],
    by_name: dict[str, dict[str, str]],
) -> dict[str, str] | None:
    """The platform's entry for a channel: by iptv-org XMLTV id, else by the same name."""
    if xmltv_id and xmltv_id in by_id:
        return {"platform": platform, "service_id": by_id[xmltv_id]["site_id"], "by": "id"}
    listed = by_name.get(_name_key(name))
    if listed:
        return {"platform": platform, "service_id": listed["site_id"], "by": "name"}
    return None


def build(shared: Path) -> dict[str, Any]:
    epg = shared / "epg_uk"
    sample = json.loads((epg / "freeview_schedule_sample.json").read_text(encoding="utf-8"))
    freeview = {
        c["site_id"].split("#")[-1]: c for c in _channel_list(epg / "freeview.co.uk.channels.xml")
    }
    sky_gb = [
        c for c in _channel_list(epg / "sky.com.channels.xml") if c["site_id"].startswith("GB#")
    ]
    sky = {c["xmltv_id"]: c for c in sky_gb if c["xmltv_id"]}
    virgin_all = _channel_list(epg / "virgintvgo.virginmedia.com.channels.xml")
    virgin = {c["xmltv_id"]: c for c in virgin_all if c["xmltv_id"]}
    sky_names, virgin_names = _by_name(sky_gb), _by_name(virgin_all)
    day = None
    channels, airings = [], []
    for order, programme in enumerate(sample["data"]["programs"], 1):
        service = programme["service_id"]
        listed = freeview.get(service, {})
        name = listed.get("name") or programme["title"].strip()
        xmltv_id = listed.get("xmltv_id", "")
        hosts = set()
        for event in programme["events"]:
            start = dt.datetime.strptime(event["start_time"], "%Y-%m-%dT%H:%M:%S%z")
            day = day or start.astimezone(LONDON).date()
            seconds = _seconds(event.get("duration", ""))
            if seconds <= 0:
                continue
            title = event["main_title"].strip()
            row: dict[str, Any] = {
                "c": service,
                "t": title[:400],
                "at": start.isoformat(),
                "len": seconds,
            }
            if title.startswith("New: ") and len(title) > 5:
                # Freeview marks first showings in the title: keep the flag, not the prefix.
                row["t"], row["new"] = title[5:].strip()[:400], True
            row.update(_episode(event.get("secondary_title", "")))
            if event.get("program_id", "").startswith("crid://"):
                row["crid"] = event["program_id"][:200]
            demand = event.get("on_demand") or {}
            if demand.get("end_of_availability"):
                row["cu"] = [demand.get("start_of_availability", ""), demand["end_of_availability"]]
                for link in (demand.get("player_links") or {}).values():
                    match = re.match(r"https?://([^/]+)", link.get("program_url", ""))
                    if match:
                        hosts.add(".".join(match.group(1).split(".")[-3:]))
            airings.append(row)
        catchup = next((CATCHUP_BY_HOST[h] for h in sorted(hosts) if h in CATCHUP_BY_HOST), None)
        catchup = catchup or next(
            (slug for pattern, slug in CATCHUP_BY_NAME if pattern.match(name)), None
        )
        lineups: list[dict[str, str]] = [
            {"platform": "freeview", "service_id": listed.get("site_id") or service, "by": "feed"}
        ]
        for platform, by_id, by_name in (
            ("sky", sky, sky_names),
            ("virgin", virgin, virgin_names),
        ):
            entry = _lineup(platform, xmltv_id, name, by_id, by_name)
            if entry:
                lineups.append(entry)
        channels.append(
            {
                "service": service,
                "name": name,
                "xmltv_id": xmltv_id,
                "order": order,
                "hd": "HD" in name.split() or xmltv_id.endswith("@HD"),
                "catchup": catchup,
                "lineups": lineups,
            }
        )
    return {"day": day.isoformat() if day else None, "channels": channels, "airings": airings}


def _move(instant: dt.datetime, from_day: dt.date, to_day: dt.date) -> dt.datetime:
    """The same London wall-clock time, ``to_day - from_day`` days later (DST-safe)."""
    local = instant.astimezone(LONDON).replace(tzinfo=None) + (to_day - from_day)
    return local.replace(tzinfo=LONDON).astimezone(dt.UTC)


def _channels(data: dict[str, Any], counts: dict[str, int]) -> dict[str, Channel]:
    providers = {
        p.slug: p
        for p in Provider.objects.filter(
            slug__in={c["catchup"] for c in data["channels"] if c["catchup"]}
        )
    }
    by_service: dict[str, Channel] = {}
    existing = {
        c.external_ids.get("freeview"): c
        for c in Channel.objects.filter(external_ids__has_key="freeview")
    }
    now = timezone.now()
    for row in data["channels"]:
        channel = existing.get(row["service"])
        if channel is None and row["xmltv_id"]:
            channel = Channel.objects.filter(xmltv_id=row["xmltv_id"]).first()
        created = channel is None
        if channel is None:
            channel = Channel(name=row["name"], region="GB")
        values = {
            "name": row["name"],
            "xmltv_id": row["xmltv_id"],
            "sort_order": row["order"],
            "is_hd": row["hd"],
            "catchup_provider": providers.get(row["catchup"]) if row["catchup"] else None,
            "external_ids": {**channel.external_ids, "freeview": row["service"]},
        }
        if channel.apply_source(values, SOURCE, now) or created:
            channel.save()
            counts["channels"] += created
        by_service[row["service"]] = channel
        for lineup in row["lineups"]:
            entry, made = Lineup.objects.get_or_create(
                platform=LineupPlatform(lineup["platform"]),
                region="GB",
                channel=channel,
                defaults={
                    "service_id": lineup["service_id"],
                    "source": LINEUP_SOURCES[lineup.get("by", "id")],
                },
            )
            wanted = (lineup["service_id"], LINEUP_SOURCES[lineup.get("by", "id")])
            if not made and (entry.service_id, entry.source) != wanted:
                entry.service_id, entry.source = wanted
                entry.save(update_fields=["service_id", "source"])
            counts["lineups"] += made
    return by_service


def load(data: dict[str, Any], log: Callable[[str], Any]) -> dict[str, int]:
    counts = {
        "channels": 0,
        "lineups": 0,
        "airings": 0,
        "airings replaced": 0,
        "linked to titles": 0,
    }
    if not data or not data.get("day"):
        return counts
    from_day = dt.date.fromisoformat(data["day"])
    to_day = timezone.now().astimezone(LONDON).date()
    with transaction.atomic():
        channels = _channels(data, counts)
        demo = Airing.objects.filter(source=SOURCE, channel__in=list(channels.values()))
        first = min(
            _move(dt.datetime.fromisoformat(a["at"]), from_day, to_day) for a in data["airings"]
        )
        if demo.filter(start=first).exists() and demo.count() >= len(data["airings"]) * 0.95:
            log(f"listings: the demo day is already on {to_day}")
            return counts
        counts["airings replaced"] = demo.delete()[0]
        matcher = CatalogueMatcher.for_names({a["t"] for a in data["airings"]}, set())
        wanted = set()
        for row in data["airings"]:
            title_id = matcher.title_for(row["t"], None, "e" in row)
            row["_title"] = title_id
            if title_id and row.get("s") is not None and row.get("e") is not None:
                wanted.add((title_id, row["s"], row["e"]))
        matcher.load_episodes(wanted)
        airings = _airings(data, channels, matcher, from_day, to_day)
        created = Airing.objects.bulk_create(airings, batch_size=1000)
        counts["airings"] = len(created)
        counts["linked to titles"] = sum(a.title_id is not None for a in created)
        announce(
            Changes(
                source=SOURCE,
                airings={a.pk for a in created if a.pk},
                channels={c.pk for c in channels.values()},
            )
        )
    log(f"listings: {counts['airings']} airings moved from {from_day} onto {to_day}")
    return counts


def _airings(
    data: dict[str, Any],
    channels: dict[str, Channel],
    matcher: CatalogueMatcher,
    from_day: dt.date,
    to_day: dt.date,
) -> list[Airing]:
    shift = dt.timedelta(days=(to_day - from_day).days)
    now = timezone.now()
    rows: dict[int, list[Airing]] = {}
    for row in data["airings"]:
        channel = channels[row["c"]]
        original = dt.datetime.fromisoformat(row["at"])
        start = _move(original, from_day, to_day)
        stop = _move(original + dt.timedelta(seconds=row["len"]), from_day, to_day)
        catchup_from = catchup_until = None
        if row.get("cu"):
            catchup_from = dt.datetime.fromisoformat(row["cu"][0]) + shift if row["cu"][0] else None
            catchup_until = dt.datetime.fromisoformat(row["cu"][1]) + shift
        title_id = row.get("_title")
        rows.setdefault(channel.pk, []).append(
            Airing(
                channel=channel,
                start=start,
                stop=stop,
                raw_title=row["t"],
                raw_subtitle=row.get("sub", ""),
                season_number=row.get("s"),
                episode_number=row.get("e"),
                onscreen_episode=row.get("on", ""),
                title_id=title_id,
                episode_id=matcher.episode_for(title_id, row.get("s"), row.get("e")),
                programme_id=row.get("crid", ""),
                catchup_from=catchup_from,
                catchup_until=catchup_until,
                is_hd=channel.is_hd,
                is_new=row.get("new", False),
                source=SOURCE,
                imported_at=now,
            )
        )
    kept: list[Airing] = []
    for airings in rows.values():
        airings.sort(key=lambda a: a.start)
        channel_kept: list[Airing] = []
        for airing in airings:
            # Moving wall-clock times across a clock change can make two programmes start
            # together or overlap by an hour: keep the first, cut the earlier one short.
            if channel_kept and airing.start <= channel_kept[-1].start:
                continue
            if channel_kept and channel_kept[-1].stop > airing.start:
                channel_kept[-1].stop = airing.start
            channel_kept.append(airing)
        kept.extend(channel_kept)
    return [a for a in kept if a.stop > a.start]
