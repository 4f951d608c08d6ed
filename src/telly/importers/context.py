"""What a format's run function gets: the file, the options, and where to count and record."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telly.catalog.signals import Changes
from telly.importers.errors import BadInput
from telly.importers.progress import Progress
from telly.importers.tally import Tally


@dataclass
class ImportContext:
    """One file's import.

    ``reject(line, problem)`` is how a format reports a bad row: without ``--skip-bad`` it
    raises ``BadInput`` (the whole file is rolled back); with it the row is counted as rejected
    for ``kind`` and listed with its reason, and the format goes on with the next row.
    """

    path: Path
    format: str
    region: str | None = None
    provider: str | None = None
    skip_bad: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    tally: Tally = field(default_factory=Tally)
    changes: Changes = field(default_factory=lambda: Changes(source=""))
    progress: Progress = field(default_factory=Progress)
    # Whole seconds: stored on every row an import touches, where microseconds cost 7 bytes
    # each (three times a row on a bulk load) and say nothing a reader needs.
    seen_at: dt.datetime = field(
        default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0)
    )
    started: float = field(default_factory=time.perf_counter)
    cache: dict[Any, Any] = field(default_factory=dict)  # look-ups a format keeps for the run
    # SQLite checks foreign keys once per table after the load, instead of on every row
    # (set by a format's ``around``, which runs outside the import's transaction).
    keys_checked_at_end: bool = False

    def __post_init__(self) -> None:
        if not self.changes.source:
            self.changes.source = self.format

    def reject(
        self, line: int | None, problem: str, kind: str = "row", path: Path | str | None = None
    ) -> None:
        error = BadInput(path or self.path, line, problem)
        if not self.skip_bad:
            raise error
        self.tally.reject(kind, str(error))

    def row_read(self, n: int = 1) -> None:
        self.tally.rows += n
        self.progress.advance(n)
