"""Counting what an import did, per kind of record, and the rows it rejected."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

# "skipped" counts rows a format leaves out on purpose, for a documented reason (an IMDb
# video game, an episode without a number); "rejected" is bad input.
OUTCOMES = ("created", "updated", "unchanged", "rejected", "skipped")
MAX_REJECTS_KEPT = 1000  # an ImportRun keeps the first ones; the count stays exact


class Tally:
    """``tally.add("title", "created")``; ``tally.as_dict()`` gives the JSON summary's counts."""

    def __init__(self) -> None:
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(OUTCOMES, 0))
        self.rejects: list[str] = []
        self.rows = 0  # input rows or records read

    def add(self, kind: str, outcome: str, n: int = 1) -> None:
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        if n:
            self.counts[kind][outcome] += n

    def created(self, kind: str, n: int = 1) -> None:
        self.add(kind, "created", n)

    def updated(self, kind: str, n: int = 1) -> None:
        self.add(kind, "updated", n)

    def unchanged(self, kind: str, n: int = 1) -> None:
        self.add(kind, "unchanged", n)

    def outcome(self, kind: str, created: bool, changed: bool) -> None:
        self.add(kind, "created" if created else "updated" if changed else "unchanged")

    def reject(self, kind: str, message: str) -> None:
        self.add(kind, "rejected")
        if len(self.rejects) < MAX_REJECTS_KEPT:
            self.rejects.append(message)

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {kind: dict(c) for kind, c in sorted(self.counts.items())}

    def summary(self) -> dict[str, Any]:
        return {"rows": self.rows, "counts": self.as_dict(), "rejects": list(self.rejects)}
