"""Alerts listen to ``changes_committed`` and evaluate in the background."""

from __future__ import annotations

from typing import Any

from telly.catalog.signals import Changes, changes_committed

TASK_IDS = 20_000  # ids of one kind per task: a fortnight of listings becomes several small tasks


def on_changes(sender: Any, changes: Changes, **kwargs: Any) -> None:
    """Queue the evaluation of what changed, in tasks of at most ``TASK_IDS`` ids of a kind, so
    a big import neither makes one huge payload nor keeps a single worker busy alone."""
    from telly.alerts.evaluate import ALERTING_FIELDS, changes_to_json, split_changes
    from telly.alerts.tasks import evaluate_changes

    for part in split_changes(changes, TASK_IDS):
        data = changes_to_json(part)
        if any(data[name] for name in ALERTING_FIELDS):
            evaluate_changes.enqueue(data)


def connect() -> None:
    changes_committed.connect(on_changes, dispatch_uid="alerts.on_changes")
