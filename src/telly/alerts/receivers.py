"""Alerts listen to ``changes_committed`` and evaluate in the background."""

from __future__ import annotations

from typing import Any

from telly.catalog.signals import Changes, changes_committed


def on_changes(sender: Any, changes: Changes, **kwargs: Any) -> None:
    from telly.alerts.evaluate import ALERTING_FIELDS, changes_to_json
    from telly.alerts.tasks import evaluate_changes

    data = changes_to_json(changes)
    if any(data[name] for name in ALERTING_FIELDS):
        evaluate_changes.enqueue(data)


def connect() -> None:
    changes_committed.connect(on_changes, dispatch_uid="alerts.on_changes")
