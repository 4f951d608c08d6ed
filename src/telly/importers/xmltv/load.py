"""Write a parsed XMLTV file as channels and airings, in one transaction.

What a file says about a channel replaces what was there for the same time: for each channel
in the file, the airings overlapping the span from its first programme's start to its last
programme's stop are deleted and the file's programmes written. Other channels and other
times are left alone, so loading tomorrow's file never touches today's evening.

Each programme is checked against its neighbours on the same channel (after sorting by
start): a repeat of the same start is a duplicate (the later one wins), a programme starting
before the previous one ended trims that one (overlap), a missing stop is the next start or
the ``<length>``; each is counted in the report as an anomaly.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from telly.catalog.signals import Changes, announce
from telly.catalog.text import make_slug
from telly.importers.xmltv.match import IMDB_ID, CatalogueMatcher
from telly.importers.xmltv.parse import Anomaly, ChannelRecord, ProgrammeRecord, parse_xmltv
from telly.listings.bulk import AiringWriter
from telly.listings.models import Airing, Channel, Lineup, LineupPlatform

BATCH = 2000
MAX_EXAMPLES = 50
# Anomalies after which the programme is not imported; every other kind is fixed or ignored.
DROPPED = (
    "duplicate",
    "same_start",
    "missing_stop_last",
    "zero_length",
    "stop_before_start",
    "bad_time",
    "programme_without_title",
    "programme_without_channel",
)


@dataclass
class XmltvReport:
    file: str
    channels_created: int = 0
    channels_updated: int = 0
    channels_unchanged: int = 0
    programmes: int = 0
    airings_created: int = 0
    airings_replaced: int = 0
    titles_linked: int = 0
    episodes_linked: int = 0
    gaps: int = 0
    programmes_dropped: int = 0
    anomalies: Counter[str] = field(default_factory=Counter)
    examples: list[Anomaly] = field(default_factory=list)
    seconds: float = 0.0

    def note(self, anomaly: Anomaly) -> None:
        self.anomalies[anomaly.kind] += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(anomaly)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": "xmltv",
            "channels_created": self.channels_created,
            "channels_updated": self.channels_updated,
            "channels_unchanged": self.channels_unchanged,
            "programmes": self.programmes,
            "airings_created": self.airings_created,
            "airings_replaced": self.airings_replaced,
            "titles_linked": self.titles_linked,
            "episodes_linked": self.episodes_linked,
            "gaps": self.gaps,
            "programmes_dropped": self.programmes_dropped,
            "anomalies": dict(sorted(self.anomalies.items())),
            "anomaly_examples": [
                f"{self.file}:{a.line}: {a.kind}: {a.message}" for a in self.examples
            ],
            "seconds": round(self.seconds, 3),
        }


def load_xmltv(
    source: str | Path | IO[bytes],
    *,
    name: str | None = None,
    region: str | None = None,
    source_name: str = "xmltv",
    progress: Callable[[int], Any] | None = None,
    changes: Changes | None = None,
) -> XmltvReport:
    """Import one XMLTV file (``.xml`` or gzip) in its own transaction (or the caller's).
    Raises ``XmltvSyntaxError`` (nothing written) when it is not XML. Sends the changes after
    commit unless ``changes`` is given: then they are added to it for the caller to send."""
    began = time.perf_counter()
    report = XmltvReport(file=name or str(source))
    region = (region or settings.TELLY_DEFAULT_REGION).upper()
    channels: dict[str, ChannelRecord] = {}
    programmes: dict[str, list[ProgrammeRecord]] = defaultdict(list)
    for record in parse_xmltv(source):
        if isinstance(record, ProgrammeRecord):
            programmes[record.channel].append(record)
            report.programmes += 1
            if progress:
                progress(report.programmes)
        elif isinstance(record, ChannelRecord):
            if record.xmltv_id in channels:
                report.note(
                    Anomaly(
                        "duplicate_channel",
                        record.line,
                        f"channel {record.xmltv_id!r} again; the last one is used",
                    )
                )
            channels[record.xmltv_id] = record
        else:
            report.note(record)
    with transaction.atomic(), _bigger_sqlite_cache():
        channel_ids = _save_channels(channels, programmes, region, source_name, report)
        airings = _save_airings(channel_ids, programmes, source_name, report)
        if changes is None:
            announce(
                Changes(source=source_name, airings=airings, channels=set(channel_ids.values()))
            )
        else:
            changes.airings |= airings
            changes.channels |= set(channel_ids.values())
    report.seconds = time.perf_counter() - began
    return report


@contextlib.contextmanager
def _bigger_sqlite_cache() -> Iterator[None]:
    """SQLite keeps 2 MB of pages by default; writing a fortnight of airings into five indexes
    then reads pages back from the OS all the time. Give the import 256 MB, then put it back."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")


def _save_channels(
    channels: dict[str, ChannelRecord],
    programmes: dict[str, list[ProgrammeRecord]],
    region: str,
    source_name: str,
    report: XmltvReport,
) -> dict[str, int]:
    for xmltv_id in programmes:
        if xmltv_id not in channels:
            line = programmes[xmltv_id][0].line
            report.note(
                Anomaly(
                    "undeclared_channel",
                    line,
                    f"programmes for channel {xmltv_id!r}, which has no <channel>; made from its id",
                )
            )
    existing = {
        c.xmltv_id: c
        for c in Channel.objects.filter(xmltv_id__in=list(set(channels) | set(programmes)))
    }
    now = timezone.now()
    ids: dict[str, int] = {}
    new_channels: list[Channel] = []
    taken_slugs = set(Channel.objects.values_list("slug", flat=True))
    for xmltv_id in list(channels) + [x for x in programmes if x not in channels]:
        record = channels.get(xmltv_id)
        channel = existing.get(xmltv_id)
        values: dict[str, Any] = {}
        if record:
            values = {"name": record.names[0][:200]}
            if record.icon:
                values["logo_url"] = record.icon[:500]
        if channel is None:
            channel = Channel(
                xmltv_id=xmltv_id[:200], region=region, name=values.get("name", xmltv_id[:200])
            )
            channel.apply_source(values, source_name, now)
            channel.slug = _free_slug(channel.name, taken_slugs)
            new_channels.append(channel)
            report.channels_created += 1
            continue
        if values and channel.apply_source(values, source_name, now):
            channel.save()
            report.channels_updated += 1
        else:
            report.channels_unchanged += 1
        ids[xmltv_id] = channel.pk
    # New channels in one statement: a 500-channel file would otherwise cost 1,000 queries.
    Channel.objects.bulk_create(new_channels, batch_size=500)
    made = Channel.objects.filter(xmltv_id__in=[c.xmltv_id for c in new_channels])
    ids.update(made.values_list("xmltv_id", "pk"))
    _save_numbers(channels, ids, region)
    return ids


def _save_numbers(channels: dict[str, ChannelRecord], ids: dict[str, int], region: str) -> None:
    """The channel numbers the file gives (``<lcn>`` or a numeric display name) as the
    channels' line-up on the "XMLTV source" platform; a file without numbers changes none."""
    numbers = {
        ids[xmltv_id]: record.number
        for xmltv_id, record in channels.items()
        if record.number is not None and record.number < 100_000 and xmltv_id in ids
    }
    if not numbers:
        return
    held = {
        lineup.channel_id: lineup
        for lineup in Lineup.objects.filter(
            platform=LineupPlatform.XMLTV, region=region, channel_id__in=list(numbers)
        )
    }
    changed = []
    for channel_id, number in numbers.items():
        lineup = held.get(channel_id)
        if lineup is not None and lineup.number != number:
            lineup.number = number
            changed.append(lineup)
    Lineup.objects.bulk_update(changed, ["number"], batch_size=500)
    Lineup.objects.bulk_create(
        [
            Lineup(
                platform=LineupPlatform.XMLTV,
                region=region,
                channel_id=channel_id,
                number=number,
                source="XMLTV file",
            )
            for channel_id, number in numbers.items()
            if channel_id not in held
        ],
        batch_size=500,
    )


def _free_slug(name: str, taken: set[str]) -> str:
    base = make_slug(name, "channel")
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _clean_channel_day(
    records: list[ProgrammeRecord], report: XmltvReport
) -> list[ProgrammeRecord]:
    """Sorted programmes of one channel with duplicates, overlaps and missing stops settled."""
    records.sort(key=lambda r: (r.start, r.line))
    kept: list[ProgrammeRecord] = []
    for record in records:
        if record.stop is not None and record.stop <= record.start:
            # Settled first, so that a zero-length entry never displaces a real programme.
            kind = "zero_length" if record.stop == record.start else "stop_before_start"
            report.note(
                Anomaly(
                    kind, record.line, f"{record.title!r} stops at or before it starts; skipped"
                )
            )
            continue
        if kept and kept[-1].start == record.start:
            previous = kept.pop()
            same = previous.title == record.title and previous.subtitle == record.subtitle
            kind = "duplicate" if same else "same_start"
            report.note(
                Anomaly(
                    kind,
                    record.line,
                    f"{record.title!r} starts at the same time as line {previous.line}; the later one is kept",
                )
            )
            if record.stop is None and previous.stop is not None and same:
                record.stop = previous.stop
        kept.append(record)
    cleaned: list[ProgrammeRecord] = []
    for i, record in enumerate(kept):
        following = kept[i + 1].start if i + 1 < len(kept) else None
        if record.stop is None:
            if record.length:
                record.stop = record.start + record.length
            elif following is not None:
                record.stop = following
                report.note(
                    Anomaly(
                        "missing_stop",
                        record.line,
                        "no stop time; ends when the next programme starts",
                    )
                )
            else:
                report.note(
                    Anomaly(
                        "missing_stop_last",
                        record.line,
                        f"{record.title!r} has no stop time and nothing follows it; skipped",
                    )
                )
                continue
        if record.stop <= record.start:
            kind = "zero_length" if record.stop == record.start else "stop_before_start"
            report.note(
                Anomaly(
                    kind, record.line, f"{record.title!r} stops at or before it starts; skipped"
                )
            )
            continue
        if following is not None and record.stop > following:
            report.note(
                Anomaly(
                    "overlap",
                    record.line,
                    f"{record.title!r} runs past the next programme's start; cut to it",
                )
            )
            record.stop = following
        if cleaned and cleaned[-1].stop < record.start:  # type: ignore[operator]
            report.gaps += 1
        cleaned.append(record)
    return cleaned


def _imdb_id(record: ProgrammeRecord) -> str:
    if not record.ids:
        return ""
    for system, value in record.ids.items():
        if "imdb" in system.lower():
            match = IMDB_ID.search(value)
            if match:
                return match.group(0)
    return ""


def _save_airings(
    channel_ids: dict[str, int],
    programmes: dict[str, list[ProgrammeRecord]],
    source_name: str,
    report: XmltvReport,
) -> set[int]:
    cleaned = {
        xmltv_id: _clean_channel_day(records, report) for xmltv_id, records in programmes.items()
    }
    names = {r.title for records in cleaned.values() for r in records}
    imdb_ids = {i for records in cleaned.values() for r in records if (i := _imdb_id(r))}
    matcher = CatalogueMatcher.for_names(names, imdb_ids)
    title_of: dict[int, int | None] = {}
    wanted_episodes: set[tuple[int, int, int]] = set()
    for records in cleaned.values():
        for record in records:
            ep = record.episode
            title_id = matcher.title_for(record.title, record.year, bool(ep), _imdb_id(record))
            title_of[id(record)] = title_id
            if title_id and ep.season is not None and ep.episode is not None:
                wanted_episodes.add((title_id, ep.season, ep.episode))
    matcher.load_episodes(wanted_episodes)

    # Replace what this file covers, channel by channel.
    report.airings_replaced = _delete_covered(cleaned, channel_ids)

    now = timezone.now()
    writer = AiringWriter(AIRING_COLUMNS)
    stamp = writer.datetime(now)
    rows = []
    for xmltv_id, records in cleaned.items():
        channel_id = channel_ids[xmltv_id]
        for record in records:
            row = _airing(
                record, channel_id, title_of[id(record)], matcher, writer, source_name, stamp
            )
            rows.append(row)
            report.titles_linked += row[3] is not None
            report.episodes_linked += row[4] is not None
    # Channel by channel, each in time order: the indexes that lead with the channel then
    # grow at their ends. (Writing in time order across channels put the rows on now & next's
    # path closer together, but cost more in index inserts than it saved there.)
    writer.write(rows)
    # The rows of this import are the ones stamped with its time.
    created = set(
        Airing.objects.filter(
            channel_id__in=list(channel_ids.values()), imported_at=now, source=source_name
        ).values_list("pk", flat=True)
    )
    report.airings_created = sum(len(r) for r in cleaned.values())
    report.programmes_dropped = sum(report.anomalies[k] for k in DROPPED)
    return created


def _delete_covered(cleaned: dict[str, list[ProgrammeRecord]], channel_ids: dict[str, int]) -> int:
    """Delete the stored airings each channel's new programmes cover; how many went."""
    deleted = 0
    spans = [(channel_ids[x], r[0].start, r[-1].stop) for x, r in cleaned.items() if r]
    for i in range(0, len(spans), 100):
        covered = Q()
        for channel_id, start, stop in spans[i : i + 100]:
            covered |= Q(channel_id=channel_id, start__lt=stop, stop__gt=start)
        deleted += Airing.objects.filter(covered).delete()[1].get("listings.Airing", 0)
    return deleted


# The order ``_airing`` builds a row in.
AIRING_COLUMNS = (
    "channel_id",
    "start",
    "stop",
    "title_id",
    "episode_id",
    "raw_title",
    "raw_subtitle",
    "description",
    "season_number",
    "episode_number",
    "episode_total",
    "part_number",
    "part_total",
    "onscreen_episode",
    "year",
    "categories",
    "credits",
    "rating",
    "programme_id",
    "series_id",
    "is_new",
    "is_premiere",
    "is_finale",
    "is_repeat",
    "is_live",
    "has_subtitles",
    "has_audio_description",
    "has_signing",
    "is_hd",
    "catchup_from",
    "catchup_until",
    "source",
    "imported_at",
)


def _small(value: int | None) -> int | None:
    """A number for a PositiveSmallIntegerField column, or None when it would not fit."""
    return value if value is not None and 0 <= value < 32768 else None


def _airing(
    record: ProgrammeRecord,
    channel_id: int,
    title_id: int | None,
    matcher: CatalogueMatcher,
    writer: AiringWriter,
    source_name: str,
    stamp: Any,
) -> tuple[Any, ...]:
    """The airing's column values in ``AIRING_COLUMNS`` order."""
    ep = record.episode
    ids = record.ids
    return (
        channel_id,
        writer.datetime(record.start),
        writer.datetime(record.stop),
        title_id,
        matcher.episode_for(title_id, ep.season, ep.episode),
        record.title,
        record.subtitle,
        record.description,
        _small(ep.season),
        _small(ep.episode),
        _small(ep.episode_total) or None,
        _small(ep.part) or None,
        _small(ep.part_total) or None,
        record.onscreen,
        record.year if record.year and 1800 < record.year < 3000 else None,
        writer.json(record.categories),
        writer.json(record.credits),
        record.rating,
        (ids.get("dd_progid") or ids.get("crid", ""))[:200] if ids else "",
        (record.series_id or ids.get("series_id", ""))[:200],
        record.is_new,
        record.is_premiere,
        record.is_finale,
        record.is_repeat,
        record.is_live,
        record.has_subtitles,
        record.has_audio_description,
        record.has_signing,
        record.is_hd,
        None,
        None,
        source_name,
        stamp,
    )
