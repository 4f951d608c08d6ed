"""Reading input files the same way in every importer: gzip or plain, UTF-8 with or without a
BOM, LF or CRLF, exact line numbers for every problem.

A truncated gzip, bytes that are not UTF-8, broken JSON or a CSV without the columns a format
needs raise ``BadInput`` naming the file and line. ``\\N`` nulls, BOMs, CRLF and quoted
newlines are normal input.
"""

from __future__ import annotations

import csv
import gzip
import json
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from telly.importers.errors import BadInput

GZIP_MAGIC = b"\x1f\x8b"
HEAD_BYTES = 65536

csv.field_size_limit(10_000_000)


def is_gzip(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == GZIP_MAGIC


def open_binary(path: Path) -> IO[bytes]:
    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first ``size`` bytes of the (decompressed) content, for format detection."""
    if path.is_dir():
        return b""
    try:
        with open_binary(path) as f:
            return f.read(size)
    except (OSError, EOFError, zlib.error):
        return b""


def binary_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(line number, raw line) pairs; a truncated or corrupt gzip is ``BadInput`` at its line."""
    n = 0
    try:
        with open_binary(path) as f:
            for n, raw in enumerate(f, 1):
                yield n, raw
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise BadInput(path, n + 1, f"truncated or corrupt gzip ({exc})") from exc


def text_lines(path: Path, keep_ends: bool = False) -> Iterator[tuple[int, str]]:
    """(line number, line without its LF/CRLF) pairs, decoded as UTF-8 (a BOM is dropped).
    ``keep_ends`` keeps the line endings (the csv module needs them inside quoted fields)."""
    for n, raw in binary_lines(path):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadInput(
                path, n, f"not UTF-8 text (byte {raw[exc.start]:#x} at column {exc.start + 1})"
            ) from exc
        if n == 1 and line.startswith("\ufeff"):
            line = line[1:]
        yield n, line if keep_ends else line.rstrip("\r\n")


def csv_rows(path: Path, required: Iterable[str] = ()) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number where the record starts, record) for a CSV file with a header row.

    Quoted fields may hold newlines; the line number is the physical line the record starts on.
    """
    line_box = [0]

    def lines() -> Iterator[str]:
        for n, line in text_lines(path, keep_ends=True):
            line_box[0] = n
            yield line

    reader = csv.reader(lines())
    try:
        header = next(reader)
    except StopIteration:
        raise BadInput(path, 1, "empty file: expected a header row") from None
    except csv.Error as exc:
        raise BadInput(path, 1, f"unreadable CSV header ({exc})") from exc
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise BadInput(
            path, 1, f"missing column(s) {', '.join(missing)}; found {', '.join(header)}"
        )
    width = len(header)
    start = line_box[0] + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise BadInput(path, start, f"unreadable CSV record ({exc})") from exc
        if values:
            if len(values) != width:
                yield start, {"__width__": f"{len(values)} fields where the header has {width}"}
            else:
                yield start, dict(zip(header, values, strict=True))
        start = line_box[0] + 1


def read_json(path: Path) -> Any:
    """The whole JSON document; broken JSON is ``BadInput`` at its line."""
    chunks = [line for _, line in text_lines(path)]
    text = "\n".join(chunks)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(path, exc.lineno, f"broken JSON: {exc.msg} (column {exc.colno})") from exc


def header_fields(head: bytes) -> list[str]:
    """The first line of a delimited file's head, split on tab or comma, for sniffers."""
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    first = text.split("\n", 1)[0].rstrip("\r")
    sep = "\t" if "\t" in first else ","
    return [f.strip().strip('"') for f in next(csv.reader([first], delimiter=sep), [])]
