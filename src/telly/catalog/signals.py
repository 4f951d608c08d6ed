"""What changed, announced once a write has committed.

Importers, the admin and sync commands send ``changes_committed`` after their transaction
commits, naming what they created or changed. Search refreshes its index from it and alerts
evaluate only those rows, so the cost of an import's follow-up work grows with the change, not
with the size of the catalogue or the number of users.

    from telly.catalog.signals import Changes, announce
    announce(Changes(source="tmdb", titles={12, 13}, offers={40}))
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.dispatch import Signal

changes_committed = Signal()  # sender: the source name; kwargs: changes=Changes


@dataclass
class Changes:
    source: str
    titles: set[int] = field(default_factory=set)  # titles created or whose facts changed
    new_titles: set[int] = field(default_factory=set)
    seasons: set[int] = field(default_factory=set)
    episodes: set[int] = field(default_factory=set)
    people: set[int] = field(default_factory=set)
    credits: set[int] = field(default_factory=set)  # new credits (person has a new part)
    offers: set[int] = field(default_factory=set)  # offers created, changed or ended
    airings: set[int] = field(default_factory=set)
    channels: set[int] = field(default_factory=set)
    release_events: set[int] = field(default_factory=set)
    extra: dict[str, set[int]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return any(
            getattr(self, name)
            for name in (
                "titles",
                "seasons",
                "episodes",
                "people",
                "credits",
                "offers",
                "airings",
                "channels",
                "release_events",
            )
        ) or any(self.extra.values())


def announce(changes: Changes) -> None:
    """Send ``changes_committed`` once the current transaction commits (at once outside one)."""
    if changes:
        transaction.on_commit(
            lambda: changes_committed.send(sender=changes.source, changes=changes)
        )
