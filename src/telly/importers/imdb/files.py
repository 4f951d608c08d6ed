"""Which IMDb files a path holds, and reading their rows fast with exact line numbers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from telly.importers.errors import BadInput
from telly.importers.reading import binary_lines

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
        found = {}
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


def rows(path: Path, kind: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) with ``\\N`` as None; checks the header and each row's width.

    IMDb's files are TSV without quoting, so a field never holds a tab or newline: splitting
    on tabs is exact (and much faster than the csv module). A row of the wrong width is yielded
    as (line, []) for the caller to reject."""
    header = HEADERS[kind]
    width = len(header)
    lines = binary_lines(path)
    for n, raw in lines:
        try:
            text = raw.decode("utf-8").lstrip("\ufeff").rstrip("\r\n")
        except UnicodeDecodeError as exc:
            raise BadInput(path, n, f"not UTF-8 text (byte at column {exc.start + 1})") from exc
        if tuple(text.split("\t")) != header:
            raise BadInput(path, n, f"not an IMDb {kind} header: expected {' '.join(header)}")
        break
    else:
        raise BadInput(path, 1, f"empty file: expected the IMDb {kind} header")
    for n, raw in lines:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadInput(path, n, f"not UTF-8 text (byte at column {exc.start + 1})") from exc
        fields = text.rstrip("\r\n").split("\t")
        if len(fields) != width:
            if text.strip() == "":
                continue
            yield n, []
            continue
        yield n, [None if f == "\\N" else f for f in fields]
