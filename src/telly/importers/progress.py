"""Progress for long imports: a rich bar (rows, rate, ETA) on a terminal, silence otherwise.

Formats call ``advance(rows)`` often and cheaply; the bar refreshes on its own timer. The ETA
comes from bytes read when the format reports them with ``position(done, total)``.
"""

from __future__ import annotations

import sys
from typing import Any


class Progress:
    """No-op base: used when output is not a terminal, in tests and with ``--json``."""

    def start(self, label: str, total_bytes: int | None = None) -> None:
        pass

    def advance(self, rows: int = 1) -> None:
        pass

    def position(self, done: int, total: int | None = None) -> None:
        pass

    def stop(self) -> None:
        pass


class TerminalProgress(Progress):
    def __init__(self, stream: Any = None) -> None:
        from rich.console import Console

        self.console = Console(file=stream or sys.stderr)
        self._bar: Any = None
        self._task: Any = None
        self.rows = 0
        self._pending = 0

    def start(self, label: str, total_bytes: int | None = None) -> None:
        from rich.progress import (
            BarColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as Bar

        self.stop()
        self._bar = Bar(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[rows]:,} rows"),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task(label, total=total_bytes, rows=0, rate="")
        self.rows = 0

    def advance(self, rows: int = 1) -> None:
        self.rows += rows
        self._pending += rows
        if self._pending >= 5000 and self._bar is not None:
            self._pending = 0
            elapsed = self._bar.tasks[0].elapsed or 0
            rate = f"{self.rows / elapsed:,.0f} rows/s" if elapsed else ""
            self._bar.update(self._task, rows=self.rows, rate=rate)

    def position(self, done: int, total: int | None = None) -> None:
        if self._bar is not None:
            self._bar.update(self._task, completed=done, total=total)

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
