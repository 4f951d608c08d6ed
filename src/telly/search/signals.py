"""Keeping the index in step with writes: model saves and deletes (the admin, ``save()``) and
importers' ``changes_committed`` announcements (bulk writes that send no model signals)."""

from __future__ import annotations

import contextlib
from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from telly.catalog.models import Credit, Person, Title
from telly.catalog.signals import Changes, changes_committed
from telly.search import live
from telly.search.tasks import rebuild_index
from telly.streaming.models import Provider

_KIND_OF: dict[type, str] = {
    Title: "title",
    Person: "person",
    Credit: "character",
    Provider: "provider",
}


def _row_written(sender: type, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures loading: a rebuild follows
    live.record(_KIND_OF[sender], [instance.pk])


def _changes_committed(sender: Any, changes: Changes, **kwargs: Any) -> None:
    wanted = {
        "title": set(changes.titles) | set(changes.new_titles),
        "person": set(changes.people),
        "character": set(changes.credits),
        "channel": set(changes.channels),
        "provider": set(changes.extra.get("providers", set())),
    }
    if sum(len(ids) for ids in wanted.values()) > live.OVERLAY_LIMIT:
        # A big import: one full build beats replaying it row by row. A worker does it in the
        # background; the marker makes any process that searches first do it instead.
        live.record("all", [0])
        rebuild_index.enqueue()
        return
    for kind, ids in wanted.items():
        live.record(kind, ids)


def connect() -> None:
    with contextlib.suppress(LookupError):  # listings may not be installed
        _KIND_OF[apps.get_model("listings", "Channel")] = "channel"
    for model in _KIND_OF:
        post_save.connect(_row_written, sender=model, dispatch_uid=f"search-save-{model.__name__}")
        post_delete.connect(
            _row_written, sender=model, dispatch_uid=f"search-delete-{model.__name__}"
        )
    changes_committed.connect(_changes_committed, dispatch_uid="search-changes")
