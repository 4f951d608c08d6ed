"""Background work for search: a full rebuild after a big import (``telly worker`` runs it)."""

from __future__ import annotations

from django.tasks import task

from telly.search import live


@task()
def rebuild_index() -> int:
    """Build the whole index again; returns the number of documents."""
    return live.rebuild().documents
