"""Alerts listen to ``changes_committed`` and evaluate in the background."""

from __future__ import annotations

from typing import Any

from telly.catalog.signals import Changes, changes_committed


def on_changes(sender: Any, changes: Changes, **kwargs: Any) -> None:
    from telly.alerts.evaluate import changes_to_json
    from telly.alerts.tasks import evaluate_changes

    if (
        changes.release_events
        or changes.seasons
        or changes.episodes
        or changes.offers
        or changes.credits
    ):
        evaluate_changes.enqueue(changes_to_json(changes))


def connect() -> None:
    changes_committed.connect(on_changes, dispatch_uid="alerts.on_changes")
