"""Which IMDb files a path holds, and reading their rows fast with exact line numbers."""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Callable, Iterator
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


# One line of a file as a strict pattern (``line_pattern``): the fast path reads a whole chunk of
# lines with one ``findall`` (in C) and gets every field already checked. ``\N`` reads as ''. A
# chunk where any line does not fit goes through the format's ``careful`` function line by line
# instead, which accepts what the pattern was too strict for and rejects the rest with a reason.
TEXT = r"(?:\\N(?=\t)|([^\t\n]*))"  # a text field, \N as ''
NAME = r"(?!\\N\t)([^\t\n]+)"  # a text field that must be there
LAST = r"(?:\\N(?=\r?$)|([^\t\r\n]*))"  # a text field last on its line
YEAR = r"(?:\\N|(\d{4}))"
SMALL = r"(?:\\N|(\d{1,5}))"


def line_pattern(*fields: str) -> re.Pattern[str]:
    return re.compile("^" + "\t".join(fields) + r"\r?$", re.M | re.A)


CHUNK = 1 << 20  # characters read and matched at a time

type Careful = Callable[[int, list[str | None]], tuple[str, ...] | None]


def fast_rows(
    path: Path,
    kind: str,
    pattern: re.Pattern[str],
    careful: Careful,
    counted: Callable[[int], None],
) -> Iterator[list[tuple[str, ...]]]:
    """Lists of rows as ``pattern``'s groups (ids without their ``tt``/``nm``, '' for
    ``\\N``). A chunk that does not fit the pattern line for line is read through
    ``careful(line number, fields)`` (fields as ``rows`` gives them: None for ``\\N``, [] for a
    row of the wrong width), which returns the same tuple or None for a row it rejected or
    skipped. ``counted(n)`` is told how many lines each chunk held."""
    header = HEADERS[kind]
    width = len(header)
    n = 0
    try:
        with (
            gzip.open(path, "rt", encoding="utf-8", newline="")
            if is_gzip(path)
            else open(path, encoding="utf-8", newline="")
        ) as f:
            first = f.readline()
            n = 1
            if not first:
                raise BadInput(path, 1, f"empty file: expected the IMDb {kind} header")
            if tuple(first.lstrip("\ufeff").rstrip("\r\n").split("\t")) != header:
                raise BadInput(path, 1, f"not an IMDb {kind} header: expected {' '.join(header)}")
            rest = ""
            while True:
                block = f.read(CHUNK)
                if block:
                    cut = block.rfind("\n") + 1
                    if not cut:
                        rest += block
                        continue
                    text, rest = rest + block[:cut], block[cut:]
                elif rest:
                    text, rest = rest, ""
                else:
                    break
                count = text.count("\n") + (not text.endswith("\n"))
                found = pattern.findall(text)
                if len(found) != count:
                    found = list(careful_rows(text, n, width, pattern, careful))
                n += count
                counted(count)
                yield found
    except UnicodeDecodeError:
        raise _bad_line(path) from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise BadInput(path, n + 1, f"truncated or corrupt gzip ({exc})") from exc


def careful_rows(
    text: str, n: int, width: int, pattern: re.Pattern[str], careful: Careful
) -> Iterator[tuple[str, ...]]:
    """The lines of ``text`` (line ``n + 1`` first) one at a time, for a chunk the pattern does
    not fit as a whole: a line that fits gives the pattern's groups ('' for ``\\N``), any other
    what ``careful`` makes of its fields (None for ``\\N``, [] for a row of the wrong width);
    blank lines are passed over."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    for i, raw in enumerate(lines, n + 1):
        line = raw.rstrip("\r")
        match = pattern.match(line)
        if match is not None:
            yield match.groups("")
            continue
        fields = line.split("\t")
        if len(fields) != width:
            if not line.strip():
                continue
            row = careful(i, [])
        else:
            row = careful(i, [None if v == "\\N" else v for v in fields])
        if row is not None:
            yield row
