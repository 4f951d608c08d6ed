"""Where the time of a PostgreSQL ``telly import`` of a ``make_catalog.py`` directory goes: every
statement and ``COPY`` the import sends, on either of its threads, timed from the client (so a
statement's time is the server's work on it plus the round trip). A diagnosis tool, not a
benchmark (``bench_import.py`` is that).

    python -m bench.profile_pgload DIR [URL]

URL (default ``postgres://postgres@127.0.0.1:5432/postgres``) is a server where a database
``telly_profile_pgload`` may be dropped and made again.
"""

from __future__ import annotations

import collections
import contextlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def kind(sql: str) -> str:
    sql = re.sub(r"\s+", " ", str(sql)).strip()
    table = re.search(r"(?:INTO|TABLE|ON|COPY) (\"?[\w.]+\"?)", sql)
    return f"{sql.split(' ')[0]} {table.group(1) if table else ''} | {sql[:60]}"


def main(argv: list[str]) -> None:
    directory = argv[0]
    url = argv[1] if len(argv) > 1 else "postgres://postgres@127.0.0.1:5432/postgres"
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS telly_profile_pgload")
        conn.execute("CREATE DATABASE telly_profile_pgload")
    db_url = url.rsplit("/", 1)[0] + "/telly_profile_pgload"
    var = ROOT / "bench" / "work" / "profile-pg-var"
    var.mkdir(parents=True, exist_ok=True)
    os.environ.update(TELLY_DATABASE_URL=db_url, TELLY_DATA_DIR=str(var))
    subprocess.run(
        [sys.executable, "-m", "telly", "migrate", "--noinput", "-v", "0", "--skip-checks"],
        check=True,
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "telly.settings")
    import django

    django.setup()
    from telly.catalog.signals import changes_committed
    from telly.importers.runner import import_path

    changes_committed.receivers.clear()
    spent: dict[str, float] = collections.defaultdict(float)
    execute, copy = psycopg.Cursor.execute, psycopg.Cursor.copy

    def timed_execute(self, query, params=None, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(self, query, params, **kwargs)
        finally:
            spent[kind(query)] += time.perf_counter() - started

    @contextlib.contextmanager
    def timed_copy(self, statement, params=None, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            with copy(self, statement, params, **kwargs) as c:
                yield c
        finally:
            spent[kind(statement)] += time.perf_counter() - started

    psycopg.Cursor.execute = timed_execute  # type: ignore[method-assign]
    psycopg.Cursor.copy = timed_copy  # type: ignore[method-assign,assignment]
    started = time.perf_counter()
    run, _ = import_path(directory, "imdb")
    total = time.perf_counter() - started
    print(
        f"import {total:.2f} s, committed in {run.committed_in:.2f} s, "
        f"statements {sum(spent.values()):.2f} s (both threads), load {os.getloadavg()[0]:.2f}"
    )
    by_verb: dict[str, float] = collections.defaultdict(float)
    for label, seconds in spent.items():
        by_verb[label.split(" ")[0]] += seconds
    print(
        "  " + ", ".join(f"{v} {s:.1f} s" for v, s in sorted(by_verb.items(), key=lambda x: -x[1]))
    )
    for label, seconds in sorted(spent.items(), key=lambda kv: -kv[1])[:25]:
        print(f"  {seconds:7.2f} s  {label}")


if __name__ == "__main__":
    main(sys.argv[1:])
