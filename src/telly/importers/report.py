"""The final summary of ``telly import`` and ``telly sync``: a table for people, one JSON
object for scripts (``--json``)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from telly.importers.models import ImportRun
from telly.importers.tally import OUTCOMES


def merge_counts(runs: list[ImportRun]) -> dict[str, dict[str, int]]:
    merged: dict[str, dict[str, int]] = {}
    for run in runs:
        for kind, counts in run.counts.items():
            into = merged.setdefault(kind, dict.fromkeys(OUTCOMES, 0))
            for outcome in OUTCOMES:
                into[outcome] += counts.get(outcome, 0)
    return dict(sorted(merged.items()))


def summary(runs: list[ImportRun], error: str | None = None) -> dict[str, Any]:
    statuses = {r.status for r in runs}
    status = (
        "failed" if error or "failed" in statuses else "partial" if "partial" in statuses else "ok"
    )
    result: dict[str, Any] = {
        "status": status,
        "rows": sum(r.rows for r in runs),
        "duration": round(sum(r.duration or 0 for r in runs), 3),
        "counts": merge_counts(runs),
        "rejects": [reject for r in runs for reject in r.rejects],
        "files": [
            {
                "path": r.path,
                "format": r.source,
                "status": r.status,
                "rows": r.rows,
                "duration": round(r.duration or 0, 3),
                "committed_in": None if r.committed_in is None else round(r.committed_in, 3),
                "counts": r.counts,
                "run": r.pk,
            }
            for r in runs
        ],
    }
    if error:
        result["error"] = error
    return result


def write_json(out: TextIO, data: dict[str, Any]) -> None:
    out.write(json.dumps(data, sort_keys=True) + "\n")


def write_table(out: TextIO, data: dict[str, Any], terminal: bool) -> None:
    counts = data["counts"]
    line = f"{data['status']}: {data['rows']:,} rows in {data['duration']:.1f}s; " + ", ".join(
        f"{o} {sum(c[o] for c in counts.values()):,}" for o in OUTCOMES
    )
    if terminal:
        from rich.console import Console
        from rich.table import Table

        table = Table(title="Import summary", title_justify="left")
        table.add_column("record")
        for outcome in OUTCOMES:
            table.add_column(outcome, justify="right")
        for kind, c in counts.items():
            table.add_row(kind, *(f"{c[o]:,}" for o in OUTCOMES))
        console = Console(file=out)
        console.print(table)
        console.print(line)
    else:
        out.write(line + "\n")
        width = max([len("record"), *(len(k) for k in counts)])
        out.write("record".ljust(width) + "".join(o.rjust(11) for o in OUTCOMES) + "\n")
        for kind, c in counts.items():
            out.write(kind.ljust(width) + "".join(f"{c[o]:>11,}" for o in OUTCOMES) + "\n")
    if data["rejects"]:
        out.write(f"rejected rows ({len(data['rejects'])}):\n")
        for reject in data["rejects"]:
            out.write(f"  {reject}\n")
