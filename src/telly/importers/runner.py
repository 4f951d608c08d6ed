"""Run one import: pick the format, open an ``ImportRun``, run the format inside one
transaction, record counts and rejects, and announce what changed once it has committed."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from telly.catalog.signals import Changes, announce
from telly.importers.context import ImportContext
from telly.importers.errors import BadInput
from telly.importers.formats import Format, detect, get_format
from telly.importers.models import ImportRun, RunStatus
from telly.importers.progress import Progress


def resolve_format(path: Path, name: str = "auto") -> Format:
    if not path.exists():
        raise BadInput(path, None, "no such file or directory")
    if name and name != "auto":
        try:
            return get_format(name)
        except KeyError as exc:
            raise BadInput(path, None, str(exc.args[0])) from None
    fmt = detect(path)
    if fmt is None:
        raise BadInput(path, 1, "format not recognised; name it with --format")
    return fmt


def import_path(
    path: Path | str,
    format: str = "auto",
    *,
    region: str | None = None,
    provider: str | None = None,
    skip_bad: bool = False,
    progress: Progress | None = None,
    options: dict | None = None,
) -> tuple[ImportRun, ImportContext]:
    """Import one file or directory. Raises ``BadInput`` (after recording a failed run) when the
    input is rejected; nothing of it is committed then."""
    path = Path(path)
    options = dict(options or {})
    run = ImportRun(source=format if format != "auto" else "", path=str(path))
    try:
        fmt = resolve_format(path, format)
        run.source = fmt.name
        if region:
            region = region.upper()
            if len(region) != 2 or not region.isalpha():
                raise BadInput(path, None, f"--region {region!r} is not an ISO 3166-1 alpha-2 code")
        if fmt.needs_region and not region:
            raise BadInput(
                path,
                None,
                f"{fmt.name} files do not say their region: give --region (e.g. --region US)",
            )
    except BadInput as exc:
        run.status, run.error = RunStatus.FAILED, str(exc)
        run.finished_at, run.duration = timezone.now(), 0.0
        run.save()
        raise
    run.options = {
        k: v
        for k, v in {
            "region": region,
            "provider": provider,
            "skip_bad": skip_bad,
            **options,
        }.items()
        if v
    }
    run.save()
    ctx = ImportContext(
        path=path,
        format=fmt.name,
        region=region,
        provider=provider,
        skip_bad=skip_bad,
        options=options,
        progress=progress or Progress(),
    )
    started = time.perf_counter()
    try:
        ctx.progress.start(f"{fmt.name} {path.name}", None)
        with fmt.around(ctx) if fmt.around else contextlib.nullcontext(), transaction.atomic():
            fmt.run(ctx)
            # Registered first, so it runs first after the commit: the ingest's own time.
            transaction.on_commit(
                lambda: setattr(run, "committed_in", time.perf_counter() - started)
            )
            announce(ctx.changes)  # sent once the transaction commits
    except BadInput as exc:
        run.status, run.error = RunStatus.FAILED, str(exc)
        raise
    except Exception as exc:
        run.status, run.error = RunStatus.FAILED, f"{type(exc).__name__}: {exc}"
        raise
    else:
        run.status = RunStatus.PARTIAL if ctx.tally.total("rejected") else RunStatus.OK
    finally:
        ctx.progress.stop()
        run.duration = time.perf_counter() - started
        run.finished_at = timezone.now()
        run.rows = ctx.tally.rows
        # A failed file committed nothing, so it has nothing to count but the error.
        run.counts = ctx.tally.as_dict() if run.status != RunStatus.FAILED else {}
        run.rejects = ctx.tally.rejects
        run.save()
    return run, ctx


def sync_run(
    source: str,
    label: str,
    fetched: Iterator[tuple[str, Any]],
    apply: Callable[[ImportContext, Any], None],
    *,
    region: str | None = None,
    options: dict | None = None,
) -> tuple[ImportRun, ImportContext]:
    """A live sync: ``fetched`` yields (what, response) pairs, fetched outside any transaction
    (so the database is not locked while we wait on the network); each response is applied in
    its own transaction and announced once it commits. A response of None means the feed
    answered 304 Not Modified: nothing to do."""
    run = ImportRun.objects.create(
        source=source, path=label, options={"region": region, **(options or {})}
    )
    ctx = ImportContext(path=Path(label), format=source, region=region, options=dict(options or {}))
    started = time.perf_counter()
    try:
        for what, response in fetched:
            if response is None:
                ctx.tally.unchanged("response")
                continue
            ctx.changes = Changes(source=source)
            with transaction.atomic():
                apply(ctx, response)
                announce(ctx.changes)
            del what
    except BadInput as exc:
        run.status, run.error = RunStatus.FAILED, str(exc)
        raise
    except Exception as exc:
        run.status, run.error = RunStatus.FAILED, f"{type(exc).__name__}: {exc}"
        raise
    else:
        run.status = RunStatus.PARTIAL if ctx.tally.total("rejected") else RunStatus.OK
    finally:
        run.duration = time.perf_counter() - started
        run.finished_at = timezone.now()
        run.rows, run.counts, run.rejects = ctx.tally.rows, ctx.tally.as_dict(), ctx.tally.rejects
        run.save()
    return run, ctx
