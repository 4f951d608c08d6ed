"""``telly import FILE --format xmltv``: the XMLTV loader plugged into the importers' runner.

Counts go to the run's tally: ``channel`` created/updated/unchanged, ``airing`` created, and
each anomaly under ``xmltv <kind>``: as skipped when the programme was left out (a duplicate,
no stop time and nothing after it...), updated when it was fixed (an overlap cut, a stop time
taken from the next start) and unchanged when it was ignored (an element the DTD lacks). Tolerated anomalies never fail the
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
    for kind, n in report.anomalies.items():
        outcome = "skipped" if kind in DROPPED else "updated" if kind in FIXED else "unchanged"
        ctx.tally.add(f"xmltv {kind}", outcome, n)
    ctx.options["xmltv_report"] = report.as_dict()
