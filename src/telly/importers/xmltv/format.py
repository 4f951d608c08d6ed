"""``telly import FILE --format xmltv``: the XMLTV loader plugged into the importers' runner.

Counts go to the run's tally: ``channel`` created/updated/unchanged, ``airing`` created, and a
programme the guide could not take (a duplicate, no stop time and nothing after it...) as a
rejected ``airing`` with its ``file:line``. Anomalies that were fixed (an overlap cut, a stop
time taken from the next start) or ignored (an element the DTD lacks) are counted under
``xmltv <kind>`` as updated (fixed) or unchanged (ignored). Tolerated anomalies never fail the
file; only XML that cannot be parsed does (exit 2, nothing committed).
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from lxml import etree

from telly.importers.context import ImportContext
from telly.importers.errors import BadInput
from telly.importers.reading import open_binary
from telly.importers.xmltv.load import DROPPED, load_xmltv
from telly.importers.xmltv.parse import XmltvSyntaxError

FIXED = (
    "overlap",
    "missing_stop",
    "undeclared_channel",
    "duplicate_channel",
    "channel_without_name",
    "bad_stop",
)


def sniff(path: Path, head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith((b"<?xml", b"<!DOCTYPE tv", b"<tv")) and b"<tv" in text


def run(ctx: ImportContext) -> None:
    last = 0

    def progress(n: int) -> None:
        nonlocal last
        if n - last >= 1000:
            ctx.row_read(n - last)
            last = n

    try:
        with open_binary(ctx.path) as stream:
            report = load_xmltv(
                stream,
                name=str(ctx.path),
                region=ctx.region,
                progress=progress,
                changes=ctx.changes,
            )
    except XmltvSyntaxError as exc:
        raise BadInput(ctx.path, exc.line, exc.message) from None
    except (EOFError, gzip.BadGzipFile, zlib.error, etree.LxmlError) as exc:
        raise BadInput(ctx.path, None, f"cannot read the file: {exc}") from None
    ctx.row_read(report.programmes - last)
    ctx.tally.created("channel", report.channels_created)
    ctx.tally.updated("channel", report.channels_updated)
    ctx.tally.unchanged("channel", report.channels_unchanged)
    ctx.tally.created("airing", report.airings_created)
    for example in report.examples:
        if example.kind in DROPPED:
            ctx.tally.rejects.append(
                f"{ctx.path}:{example.line}: {example.kind}: {example.message}"
            )
    for kind, n in report.anomalies.items():
        if kind in DROPPED:
            ctx.tally.add("airing", "rejected", n)
        else:
            ctx.tally.add(f"xmltv {kind}", "updated" if kind in FIXED else "unchanged", n)
    ctx.options["xmltv_report"] = report.as_dict()
