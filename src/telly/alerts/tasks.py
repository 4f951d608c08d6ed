"""Background work for alerts, run by ``telly worker`` (tests run tasks at once).

``evaluate_changes`` turns a ``Changes`` into alert rows; ``deliver_alerts`` sends what is
due. Future alerts (digests, tomorrow's episode) are reached by scheduling ``deliver_alerts``
with ``run_after`` when the backend can defer (the database backend can).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.tasks import default_task_backend, task
from django.utils import timezone

from telly.alerts import delivery
from telly.alerts.evaluate import changes_from_json, evaluate


@task()
def evaluate_changes(changes: dict[str, Any]) -> int:
    created = evaluate(changes_from_json(changes))
    if created:
        transaction.on_commit(_deliver_now_and_later)
    return len(created)


@task()
def deliver_alerts() -> int:
    sent = delivery.deliver_due()
    later = delivery.next_due()
    if later is not None:
        schedule_delivery(later)
    return sent


def _deliver_now_and_later() -> None:
    deliver_alerts.enqueue()
    later = delivery.next_due()
    if later is not None:
        schedule_delivery(later)


def schedule_delivery(when: dt.datetime) -> None:
    """Make sure a delivery runs at ``when`` (no-op on backends that cannot defer, and when a
    delivery that will run by then is already queued)."""
    backend = default_task_backend
    if not getattr(backend, "supports_defer", False):
        return
    if when <= timezone.now():
        deliver_alerts.enqueue()
        return
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another deferring backend: just queue it
        deliver_alerts.using(run_after=when).enqueue()
        return
    path = deliver_alerts.module_path
    already = DBTaskResult.objects.filter(task_path=path, status="READY").filter(
        run_after__lte=when
    )
    if not already.exists():
        deliver_alerts.using(run_after=when).enqueue()
