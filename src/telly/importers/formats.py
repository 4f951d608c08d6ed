"""The registry of import formats that ``telly import`` dispatches to.

A format is a name, a detector and a run function::

    from telly.importers.formats import Format, register

    def sniff(path: Path, head: bytes) -> bool:      # head: first 64 KiB, decompressed
        return head.lstrip().startswith(b"<?xml") and b"<tv" in head

    def run(ctx: ImportContext) -> None:              # ctx.path, ctx.tally, ctx.changes, ...
        ...

    register(Format("xmltv", sniff, run, "XMLTV listings"))

``Format(..., around=cm)`` is entered around the import's transaction, for connection settings
that cannot change inside one.

Sub-packages register themselves when imported; ``load_formats()`` imports the built-in ones
(``imdb``, ``tvmaze``, ``tmdb``, ``streaming_csv``, ``uk_csv``) and, if present, ``xmltv``.
``--format auto`` asks each format's ``sniff`` in registration order and takes the first yes.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from telly.importers.reading import read_head

if TYPE_CHECKING:
    from telly.importers.context import ImportContext

BUILTIN = ("imdb", "uk_csv", "streaming_csv", "tmdb", "tvmaze")
OPTIONAL = ("xmltv",)


@dataclass(frozen=True)
class Format:
    name: str
    sniff: Callable[[Path, bytes], bool]
    run: Callable[[ImportContext], None]
    description: str = ""
    needs_region: bool = False  # the file does not say its region: --region is required
    reads_directory: bool = False  # PATH may be a directory of this format's files
    # Entered around the import's transaction: connection settings that cannot change inside
    # one (SQLite's foreign_keys pragma).
    around: Callable[[ImportContext], AbstractContextManager[None]] | None = None


_REGISTRY: dict[str, Format] = {}
_loaded = False


def register(fmt: Format) -> Format:
    _REGISTRY[fmt.name] = fmt
    return fmt


def load_formats() -> dict[str, Format]:
    global _loaded
    if not _loaded:
        _loaded = True
        for name in (*BUILTIN, *OPTIONAL):
            if importlib.util.find_spec(f"telly.importers.{name}") is not None:
                importlib.import_module(f"telly.importers.{name}")
    return _REGISTRY


def get_format(name: str) -> Format:
    formats = load_formats()
    if name not in formats:
        raise KeyError(f"unknown format {name!r}; known: {', '.join(sorted(formats))}")
    return formats[name]


def detect(path: Path) -> Format | None:
    """The first registered format whose detector recognises this file (or directory)."""
    head = read_head(path)
    for fmt in load_formats().values():
        if path.is_dir() and not fmt.reads_directory:
            continue
        if fmt.sniff(path, head):
            return fmt
    return None
