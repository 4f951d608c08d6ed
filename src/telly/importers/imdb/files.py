"""Which IMDb files a path holds, and reading their rows fast with exact line numbers."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path

from telly.importers.errors import BadInput
from telly.importers.reading import binary_lines, is_gzip

HEADERS: dict[str, tuple[str, ...]] = {
    "title.basics": (
        "tconst",
        "titleType",
        "primaryTitle",
        "originalTitle",
        "isAdult",
        "startYear",
        "endYear",
        "runtimeMinutes",
        "genres",
    ),
    "title.episode": ("tconst", "parentTconst", "seasonNumber", "episodeNumber"),
    "title.ratings": ("tconst", "averageRating", "numVotes"),
    "name.basics": (
        "nconst",
        "primaryName",
        "birthYear",
        "deathYear",
        "primaryProfession",
        "knownForTitles",
    ),
    "title.principals": ("tconst", "ordering", "nconst", "category", "job", "characters"),
}
# Files IMDb ships that Telly does not read (alternative titles, crew lists): skipped, not errors.
IGNORED = {"title.akas", "title.crew"}


def is_id(text: str, prefix: str) -> bool:
    """``tt0944947`` / ``nm0000001`` (plain string tests: this runs for every row)."""
    return text[:2] == prefix and text[2:].isdecimal() and text.isascii()


def is_year(text: str) -> bool:
    return len(text) == 4 and text.isdecimal() and text.isascii()


def is_number(text: str) -> bool:
    return 0 < len(text) <= 5 and text.isdecimal() and text.isascii()


def kind_of_header(line: bytes) -> str | None:
    fields = tuple(line.decode("utf-8", "replace").lstrip("\ufeff").rstrip("\r\n").split("\t"))
    for kind, header in HEADERS.items():
        if fields == header:
            return kind
    if fields[:1] == ("titleId",) or fields == ("tconst", "directors", "writers"):
        return "ignored"
    return None


def sniff(path: Path, head: bytes) -> bool:
    if path.is_dir():
        return bool(locate(path))
    return kind_of_header(head.split(b"\n", 1)[0]) is not None


def file_kind(path: Path) -> str | None:
    name = path.name
    for suffix in (".tsv.gz", ".tsv", ".gz"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return name if name in HEADERS or name in IGNORED else None


def locate(path: Path) -> dict[str, Path]:
    """{file kind: path} for a directory (by IMDb's file names) or a single file (by header)."""
    if path.is_dir():
        found: dict[str, Path] = {}
        for child in sorted(path.iterdir()):
            kind = file_kind(child)
            if kind in HEADERS:
                found.setdefault(kind, child)
        return found
    kind = file_kind(path)
    if kind is None:
        for _, line in binary_lines(path):
            kind = kind_of_header(line)
            break
    if kind in (None, "ignored") or kind in IGNORED:
        return {}
    return {kind: path}


def _bad_line(path: Path) -> BadInput:
    """Find the first line that is not UTF-8 (the fast reader only knows that one is not)."""
    for n, raw in binary_lines(path):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return BadInput(
                path, n, f"not UTF-8 text (byte {raw[exc.start]:#x} at column {exc.start + 1})"
            )
    return BadInput(path, None, "not UTF-8 text")


def rows(path: Path, kind: str) -> Iterator[tuple[int, list[str | None]]]:
    """(line number, fields) with ``\\N`` as None; checks the header and each row's width.

    IMDb's files are TSV without quoting, so a field never holds a tab or newline: splitting
    on tabs is exact (and much faster than the csv module). Decoding happens in large chunks;
    a byte that is not UTF-8 is then located by a second, slow pass. A row of the wrong width
    is yielded as (line, []) for the caller to reject."""
    header = HEADERS[kind]
    width = len(header)
    n = 0
    gz = is_gzip(path)
    try:
        with (
            gzip.open(path, "rt", encoding="utf-8", newline="")
            if gz
            else open(path, encoding="utf-8", newline="")
        ) as f:
            first = f.readline()
            n = 1
            if not first:
                raise BadInput(path, 1, f"empty file: expected the IMDb {kind} header")
            if tuple(first.lstrip("\ufeff").rstrip("\r\n").split("\t")) != header:
                raise BadInput(path, 1, f"not an IMDb {kind} header: expected {' '.join(header)}")
            for n, line in enumerate(f, 2):
                fields = line.rstrip("\r\n").split("\t")
                if len(fields) != width:
                    if line.strip():
                        yield n, []
                    continue
                yield n, [None if v == "\\N" else v for v in fields]
    except UnicodeDecodeError:
        raise _bad_line(path) from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise BadInput(path, n + 1, f"truncated or corrupt gzip ({exc})") from exc
