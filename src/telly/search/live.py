"""The index this process searches, kept in step with the database.

- A full build reads every document (:func:`telly.search.sources.index_everything`), saves the arrays
  to a file under ``TELLY_SEARCH_DIR`` and records a new random ``IndexState.generation``.
  Another process (or a restart) loads that file instead of rebuilding: start-up stays fast.
- Every write to a searchable row adds an ``IndexChange`` (model signals for the admin and
  ``save()``; ``changes_committed`` for importers' bulk writes). Before answering a query, each
  process compares the database's generation and last change with its own and, if behind,
  re-reads just the changed rows into a small *overlay* index that shadows the base (the
  base's stale documents are retired). So a new title is found at once, by every process.
- When the overlay or a pending batch grows past ``OVERLAY_LIMIT`` documents, a full build
  replaces both.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from telly.search import sources
from telly.search.index import Document, SearchIndex
from telly.search.models import IndexChange, IndexState

log = logging.getLogger(__name__)
OVERLAY_LIMIT = 20_000
STATE_PK = 1


@dataclass
class Snapshot:
    """What a query searches: the base, the overlay, and which build they belong to."""

    base: SearchIndex
    overlay: SearchIndex | None
    generation: int
    seq: int
    overlay_docs: dict[tuple[int, int], Document | None] = field(default_factory=dict)

    @property
    def parts(self) -> list[SearchIndex]:
        return [self.base] if self.overlay is None else [self.base, self.overlay]


_lock = threading.Lock()
_current: dict[str, Snapshot] = {}


def _db_key() -> str:
    """Which database this process talks to (tests and PostgreSQL runs must not share files)."""
    params = connection.settings_dict
    ident = f"{connection.vendor}:{params.get('HOST', '')}:{params.get('PORT', '')}:{params.get('NAME', '')}"
    return hashlib.sha1(ident.encode()).hexdigest()[:12]


def index_dir() -> Path:
    return Path(settings.TELLY_SEARCH_DIR)


def index_path(generation: int) -> Path:
    return index_dir() / f"index-{_db_key()}-{generation}.npz"


def _database_position() -> tuple[int | None, int]:
    """(generation or None when never built, last change id) in one round trip."""
    state = connection.ops.quote_name(IndexState._meta.db_table)
    changes = connection.ops.quote_name(IndexChange._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT generation FROM {state} WHERE id = %s), (SELECT MAX(id) FROM {changes})",
            [STATE_PK],
        )
        generation, seq = cursor.fetchone()
    return generation, seq or 0


def rebuild() -> IndexState:
    """Build the whole index from the database, save it and make it current everywhere."""
    started = time.monotonic()
    seq = IndexChange.objects.aggregate(last=Max("id"))["last"] or 0
    index = sources.index_everything()
    generation = secrets.randbelow(2**31 - 1) + 1
    path = index_path(generation)
    index.save(path)
    seconds = time.monotonic() - started
    with transaction.atomic():
        state, _ = IndexState.objects.select_for_update().get_or_create(pk=STATE_PK)
        old = state.generation
        state.generation = generation
        state.change_seq = seq
        state.documents = len(index)
        state.built_at = timezone.now()
        state.build_seconds = seconds
        state.save()
        IndexChange.objects.filter(id__lte=seq).delete()
    if old and old != generation:
        index_path(old).unlink(missing_ok=True)
    with _lock:
        _current[_db_key()] = Snapshot(index, None, generation, seq)
    log.info("search index built: %d documents in %.1fs", len(index), seconds)
    return state


def current() -> Snapshot:
    """The snapshot to search, brought up to date with the database first."""
    generation, seq = _database_position()
    key = _db_key()
    snap = _current.get(key)
    if snap is not None and snap.generation == generation and snap.seq >= seq:
        return snap
    with _lock:
        snap = _current.get(key)
        if snap is None or snap.generation != generation:
            snap = _load(generation)
            if snap is None:
                _lock.release()
                try:
                    rebuild()
                finally:
                    _lock.acquire()
                snap = _current[key]
        if snap.seq < seq:
            snap = _replay(snap, seq)
        _current[key] = snap
        return snap


def _load(generation: int | None) -> Snapshot | None:
    if not generation:
        return None
    index = SearchIndex.load(index_path(generation))
    if index is None:
        return None
    state = IndexState.objects.filter(pk=STATE_PK).values_list("change_seq", flat=True).first() or 0
    return Snapshot(index, None, generation, state)


def _replay(snap: Snapshot, upto: int) -> Snapshot:
    pending = list(
        IndexChange.objects.filter(id__gt=snap.seq, id__lte=upto).values_list("kind", "ref_id")
    )
    overlay_docs = dict(snap.overlay_docs)
    if len(pending) + len(overlay_docs) > OVERLAY_LIMIT or any(
        kind == "all" for kind, _ in pending
    ):
        _lock.release()
        try:
            rebuild()
        finally:
            _lock.acquire()
        return _current[_db_key()]
    by_kind: dict[str, set[int]] = {}
    for kind, ref in pending:
        by_kind.setdefault(kind, set()).add(ref)
    for kind, refs in by_kind.items():
        docs, replaced = sources.changed(kind, refs)
        for doc_kind, ref in replaced:
            overlay_docs[(doc_kind, ref)] = None
        for doc_kind in {k for k, _ in replaced}:
            snap.base.retire(
                snap.base.positions(doc_kind, [r for k, r in replaced if k == doc_kind])
            )
        for doc in docs:
            overlay_docs[(doc.kind, doc.ref)] = doc
    live_docs = [d for d in overlay_docs.values() if d is not None]
    overlay = SearchIndex.build(live_docs) if live_docs else None
    return Snapshot(snap.base, overlay, snap.generation, upto, overlay_docs)


def record(kind: str, refs: set[int] | list[int]) -> None:
    """Note rows search must read again; the next query (in any process) picks them up."""
    refs = sorted({int(r) for r in refs})
    if refs:
        IndexChange.objects.bulk_create(
            [IndexChange(kind=kind, ref_id=r) for r in refs], batch_size=2000
        )


def forget() -> None:
    """Drop this process's index (tests; a rebuild in another process is noticed anyway)."""
    with _lock:
        _current.clear()
