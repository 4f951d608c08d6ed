"""When a fact arrives, the estimate follows.

- Saving or deleting a release event (the admin, an importer, the API) queues a refresh of its
  series once the transaction commits (a task: ``telly worker`` runs it; tests run it at once).
- ``changes_committed`` naming titles, seasons or release events (imports, the admin) queues a
  refresh of those series. Our own announcements (source ``releases``) are ignored, so a
  refresh never triggers another.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from telly.catalog.models import Season
from telly.catalog.signals import Changes, changes_committed
from telly.releases.estimates import is_refreshing
from telly.releases.models import ReleaseEvent

BATCH = 500  # series per refresh task


def on_event_saved(sender: type[ReleaseEvent], instance: ReleaseEvent, **kwargs: Any) -> None:
    if is_refreshing() or instance.is_estimate or kwargs.get("raw"):
        return
    from telly.releases.tasks import refresh_release_estimates

    title_id = instance.title_id
    transaction.on_commit(lambda: refresh_release_estimates.enqueue([title_id]))


def on_changes(sender: str, changes: Changes, **kwargs: Any) -> None:
    if changes.source == "releases":
        return
    title_ids = set(changes.titles) | set(changes.new_titles)
    if changes.seasons:
        title_ids |= set(
            Season.objects.filter(pk__in=changes.seasons).values_list("title_id", flat=True)
        )
    if changes.release_events:
        title_ids |= set(
            ReleaseEvent.objects.filter(pk__in=changes.release_events).values_list(
                "title_id", flat=True
            )
        )
    if title_ids:
        from telly.releases.tasks import refresh_release_estimates

        ordered = sorted(title_ids)
        for start in range(0, len(ordered), BATCH):  # a big import makes several small tasks
            refresh_release_estimates.enqueue(ordered[start : start + BATCH])


def connect() -> None:
    post_save.connect(on_event_saved, sender=ReleaseEvent, dispatch_uid="releases.event_saved")
    post_delete.connect(on_event_saved, sender=ReleaseEvent, dispatch_uid="releases.event_deleted")
    changes_committed.connect(on_changes, dispatch_uid="releases.on_changes")
