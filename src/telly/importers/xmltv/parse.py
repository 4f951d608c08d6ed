"""Stream an XMLTV file into plain records, counting what breaks the DTD instead of failing.

``parse_xmltv(source)`` yields ``ChannelRecord``, ``ProgrammeRecord`` and ``Anomaly`` in file
order, holding one element in memory at a time (lxml ``iterparse``; finished elements are
cleared). Real files put channels after programmes, add attributes and elements of their own,
leave out stop times, repeat or overlap programmes: all of that is reported as an ``Anomaly``
with its line and the record is still yielded where it makes sense. Only a file that is not
XML at all (or whose root is not ``<tv>``) raises ``XmltvSyntaxError`` with the line.

The parser never fetches the DTD or anything else named in the file.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from lxml import etree

from telly.importers.xmltv.episodes import EpisodeNumber, parse_onscreen, parse_xmltv_ns
from telly.importers.xmltv.times import BadTime, parse_xmltv_time

CHANNEL_CHILDREN = {"display-name", "icon", "url", "lcn"}
PROGRAMME_CHILDREN = {
    "title",
    "sub-title",
    "desc",
    "credits",
    "date",
    "category",
    "keyword",
    "language",
    "orig-language",
    "length",
    "icon",
    "url",
    "country",
    "episode-num",
    "video",
    "audio",
    "previously-shown",
    "premiere",
    "last-chance",
    "new",
    "subtitles",
    "rating",
    "star-rating",
    "review",
    "image",
}
# Elements newer grabbers write that this DTD lacks but the guide can use.
EXTENSION_CHILDREN = {"live", "series-id"}
PROGRAMME_ATTRIBUTES = {
    "start",
    "stop",
    "channel",
    "pdc-start",
    "vps-start",
    "showview",
    "videoplus",
    "clumpidx",
}
TV_ATTRIBUTES = {
    "date",
    "source-info-url",
    "source-info-name",
    "source-data-url",
    "generator-info-name",
    "generator-info-url",
}
CREDIT_ROLES = (
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
# Keywords Telly writes for flags the DTD has no element for (see xmltv_out.py).
FLAG_KEYWORDS = {
    "live": "is_live",
    "finale": "is_finale",
    "audio-description": "has_audio_description",
}


# Real files repeat the same few thousand times and episode numbers across channels: read each
# once. Both results are never changed after parsing (datetimes are immutable; an
# EpisodeNumber is only read), so sharing them is safe.
_time = functools.lru_cache(maxsize=1 << 16)(parse_xmltv_time)
_xmltv_ns = functools.lru_cache(maxsize=1 << 12)(parse_xmltv_ns)


class XmltvSyntaxError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line, self.message = line, message


@dataclass(slots=True)
class Anomaly:
    """Something in the file the DTD does not allow or the guide cannot take as it is."""

    kind: str
    line: int
    message: str


@dataclass(slots=True)
class ChannelRecord:
    xmltv_id: str
    names: list[str]
    icon: str = ""
    url: str = ""
    number: int | None = None
    line: int = 0


@dataclass(slots=True)
class ProgrammeRecord:
    channel: str
    start: dt.datetime
    stop: dt.datetime | None
    title: str
    line: int = 0
    subtitle: str = ""
    description: str = ""
    categories: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    credits: list[dict[str, str]] = field(default_factory=list)
    year: int | None = None
    episode: EpisodeNumber = field(default_factory=EpisodeNumber)
    onscreen: str = ""
    ids: dict[str, str] = field(default_factory=dict)  # episode-num systems other than numbers
    rating: str = ""
    icon: str = ""
    series_id: str = ""
    length: dt.timedelta | None = None
    is_new: bool = False
    is_premiere: bool = False
    is_repeat: bool = False
    is_last_chance: bool = False
    is_live: bool = False
    is_finale: bool = False
    has_subtitles: bool = False
    has_signing: bool = False
    has_audio_description: bool = False
    is_hd: bool = False


def open_source(path: str | Path) -> IO[bytes]:
    """A binary stream of the file, unzipped on the fly when it is gzip (by its magic bytes)."""
    raw = open(path, "rb")  # noqa: SIM115 - the caller closes it
    head = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
    if head == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    return raw


def _text(element: Any) -> str:
    # Most XMLTV elements hold plain text: skip the tree walk for them.
    text = element.text if len(element) == 0 else "".join(element.itertext())
    return " ".join(text.split()) if text else ""


def _first_text(parent: Any, tag: str) -> str:
    for child in parent.iterfind(tag):
        text = _text(child)
        if text:
            return text
    return ""


def parse_xmltv(
    source: str | Path | IO[bytes],
) -> Iterator[ChannelRecord | ProgrammeRecord | Anomaly]:
    """Yield the file's records and anomalies in order. ``source`` is a path or a binary stream."""
    stream = open_source(source) if isinstance(source, (str, Path)) else source
    try:
        yield from _parse_stream(stream)
    finally:
        if isinstance(source, (str, Path)):
            stream.close()


def _parse_stream(stream: IO[bytes]) -> Iterator[ChannelRecord | ProgrammeRecord | Anomaly]:
    # lxml reports only <channel> and <programme> ends (the tag filter runs in C); whatever
    # else sits at the top level is seen, and reported, as it is freed between them.
    events = etree.iterparse(
        stream,
        events=("end",),
        tag=("channel", "programme"),
        load_dtd=False,
        no_network=True,
        resolve_entities=False,
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
    )
    root = None
    seen_programme = False
    try:
        for _, element in events:
            parent = element.getparent()
            if parent is None:  # a bare <channel> or <programme> as the whole document
                yield from _check_root(element)
            if root is None:
                root = parent
                yield from _check_root(root)
            if parent is not root:
                continue  # a <channel> or <programme> nested in something else
            yield from _free_before(root, element)
            line = element.sourceline or 0
            if element.tag == "channel":
                if seen_programme:
                    yield Anomaly("interleaved", line, "a <channel> after a <programme>")
                yield from _channel(element, line)
            else:
                seen_programme = True
                yield from _programme(element, line)
            element.clear()
        if root is None and events.root is not None:
            # No <channel> or <programme> at all: the root is only known now.
            root = events.root
            yield from _check_root(root)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else (exc.lineno or 0)
        raise XmltvSyntaxError(line, f"not well-formed XML: {exc.msg}") from None
    if root is None:
        raise XmltvSyntaxError(1, "empty file")
    yield from _free_before(root, None)


def _check_root(root: Any) -> Iterator[Anomaly]:
    if root.tag != "tv":
        raise XmltvSyntaxError(root.sourceline or 1, f"the root element is <{root.tag}>, not <tv>")
    for name in root.attrib:
        if name not in TV_ATTRIBUTES:
            yield Anomaly(
                "unknown_attribute", root.sourceline or 1, f"<tv {name}=...> is not in the DTD"
            )


def _free_before(root: Any, element: Any) -> Iterator[Anomaly]:
    """Drop the finished top-level elements before ``element`` (all of them when None),
    reporting any the DTD does not know, so memory stays flat however long the file."""
    while len(root) and root[0] is not element:
        done = root[0]
        if isinstance(done.tag, str) and done.tag not in ("channel", "programme"):
            yield Anomaly(
                "unknown_element", done.sourceline or 0, f"<{done.tag}> is not in the DTD; ignored"
            )
        del root[0]


def _channel(element: Any, line: int) -> Iterator[ChannelRecord | Anomaly]:
    xmltv_id = (element.get("id") or "").strip()[:200]  # Channel.xmltv_id holds 200
    if not xmltv_id:
        yield Anomaly("channel_without_id", line, "<channel> has no id; skipped")
        return
    for child in element:
        if isinstance(child.tag, str) and child.tag not in CHANNEL_CHILDREN:
            yield Anomaly(
                "unknown_element",
                child.sourceline or line,
                f"<{child.tag}> in <channel> is not in the DTD; ignored",
            )
    names = [t for t in (_text(n) for n in element.iterfind("display-name")) if t]
    if not names:
        yield Anomaly(
            "channel_without_name",
            line,
            f"channel {xmltv_id!r} has no display-name; its id is used",
        )
    icon = next((i.get("src", "") for i in element.iterfind("icon") if i.get("src")), "")
    lcn = _first_text(element, "lcn")
    # Many grabbers list the channel number as a display name of its own ("101").
    number = (
        int(lcn) if lcn.isdecimal() else next((int(n) for n in names[1:] if n.isdecimal()), None)
    )
    yield ChannelRecord(
        xmltv_id, names or [xmltv_id], icon, _first_text(element, "url"), number, line
    )


def _programme(element: Any, line: int) -> Iterator[ProgrammeRecord | Anomaly]:
    for name in element.keys():  # noqa: SIM118 - lxml: keys() is cheaper than .attrib
        if name not in PROGRAMME_ATTRIBUTES:
            yield Anomaly(
                "unknown_attribute", line, f"<programme {name}=...> is not in the DTD; ignored"
            )
    channel = (element.get("channel") or "").strip()[:200]
    if not channel:
        yield Anomaly("programme_without_channel", line, "<programme> has no channel; skipped")
        return
    try:
        start = _time(element.get("start", ""))
    except BadTime as exc:
        yield Anomaly("bad_time", line, f"start: {exc}; skipped")
        return
    stop = None
    if element.get("stop"):
        try:
            stop = _time(element.get("stop", ""))
        except BadTime as exc:
            yield Anomaly("bad_stop", line, f"stop: {exc}; treated as missing")
    clump = element.get("clumpidx", "0/1")
    if clump not in ("0/1", ""):
        yield Anomaly(
            "clumped",
            line,
            f"clumpidx={clump}: programmes sharing a slot are kept as separate airings",
        )
    # One pass over the children: the title is read there too (the first non-empty one).
    record = ProgrammeRecord(channel=channel, start=start, stop=stop, title="", line=line)
    title = ""
    anomalies: list[Anomaly] = []
    for child in element:
        tag = child.tag
        if tag == "title":
            if not title:
                title = _text(child)
            continue
        if not isinstance(tag, str):
            continue
        if tag in EXTENSION_CHILDREN:
            anomalies.append(
                Anomaly(
                    "extension_element",
                    child.sourceline or line,
                    f"<{tag}> is not in the DTD; used",
                )
            )
            if tag == "live":
                record.is_live = True
            elif tag == "series-id":
                record.series_id = _text(child)[:200]
            continue
        if tag not in PROGRAMME_CHILDREN:
            anomalies.append(
                Anomaly(
                    "unknown_element",
                    child.sourceline or line,
                    f"<{tag}> in <programme> is not in the DTD; ignored",
                )
            )
            continue
        _programme_child(record, tag, child, line, anomalies)
    if not title:
        yield Anomaly("programme_without_title", line, "<programme> has no title; skipped")
        return
    record.title = title[:400]
    yield from anomalies
    yield record


def _programme_child(
    record: ProgrammeRecord, tag: str, child: Any, line: int, anomalies: list[Anomaly]
) -> None:
    """Read one child of a ``<programme>`` into the record; what is wrong goes to ``anomalies``.
    (A plain function: a generator per child cost more than the reading.)"""
    if tag == "sub-title" and not record.subtitle:
        record.subtitle = _text(child)[:400]
    elif tag == "desc" and not record.description:
        record.description = _text(child)
    elif tag == "category":
        text = _text(child)
        if text and text not in record.categories:
            record.categories.append(text)
    elif tag == "keyword":
        text = _text(child)
        flag = FLAG_KEYWORDS.get(text.lower())
        if flag:
            setattr(record, flag, True)
        elif text:
            record.keywords.append(text)
    elif tag == "credits":
        for person in child:
            if not isinstance(person.tag, str):
                continue
            if person.tag not in CREDIT_ROLES:
                anomalies.append(
                    Anomaly(
                        "unknown_element",
                        person.sourceline or line,
                        f"<{person.tag}> in <credits> is not in the DTD; ignored",
                    )
                )
                continue
            name = " ".join((person.text or "").split())
            if name:
                credit = {"role": person.tag, "name": name}
                if person.get("role"):
                    credit["character"] = person.get("role")
                if person.get("guest") == "yes":
                    credit["guest"] = "yes"
                record.credits.append(credit)
    elif tag == "date":
        text = _text(child)
        if text[:4].isdecimal():
            record.year = int(text[:4])
    elif tag == "episode-num":
        system = (child.get("system") or "onscreen").strip()
        text = _text(child)
        if system == "xmltv_ns":
            number = _xmltv_ns(text)
            if number:
                record.episode = number
            elif text.strip(". "):
                anomalies.append(
                    Anomaly(
                        "bad_episode_num", line, f"xmltv_ns {text!r} is not season.episode.part"
                    )
                )
        elif system == "onscreen":
            record.onscreen = text[:60]
            if not record.episode:
                record.episode = parse_onscreen(text)
        elif text:
            record.ids[system] = text
    elif tag == "length":
        units = {"seconds": 1, "minutes": 60, "hours": 3600}.get(child.get("units", ""), 0)
        text = _text(child)
        if units and text.isdecimal():
            record.length = dt.timedelta(seconds=int(text) * units)
        else:
            anomalies.append(
                Anomaly(
                    "bad_length",
                    line,
                    f"<length units={child.get('units')!r}>{text}</length> ignored",
                )
            )
    elif tag == "previously-shown":
        record.is_repeat = True
    elif tag == "premiere":
        record.is_premiere = True
    elif tag == "last-chance":
        record.is_last_chance = True
    elif tag == "new":
        record.is_new = True
    elif tag == "subtitles":
        if child.get("type") == "deaf-signed":
            record.has_signing = True
        else:
            record.has_subtitles = True
    elif tag == "video":
        quality = _first_text(child, "quality").upper()
        if quality in ("HDTV", "HD", "UHD", "4K") or quality.endswith(
            ("720P", "1080I", "1080P", "2160P")
        ):
            record.is_hd = True
    elif tag == "rating" and not record.rating:
        record.rating = _first_text(child, "value")[:30]
    elif tag == "url":
        system = (child.get("system") or "").lower()
        if "imdb" in system:
            record.ids["imdb"] = _text(child)
    elif tag == "icon" and not record.icon:
        record.icon = child.get("src", "")


def parse_bytes(data: bytes) -> list[ChannelRecord | ProgrammeRecord | Anomaly]:
    """All records of a small document, for tests and the API."""
    return list(parse_xmltv(io.BytesIO(data)))
