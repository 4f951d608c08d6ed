"""Where the time of an SQLite ``telly import`` of a ``make_catalog.py`` directory goes: each
phase in the loading thread, and each kind of statement on the writer thread (wall and CPU).
A diagnosis tool, not a benchmark (``bench_import.py`` is that): it patches the importer to
time it, which costs a little.

    python -m bench.profile_import DIR                  # a fresh database in bench/work
    python -m bench.profile_import DIR --record F.pkl   # also keep the writer's statements
    python -m bench.profile_import --replay F.pkl [PRAGMA ...]

``--replay`` runs recorded statements on one thread into a fresh migrated database, with no
Python parsing beside them: SQLite's own share of the import, the floor of this design.
"""

from __future__ import annotations

import collections
import importlib
import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "bench" / "work" / "profile-var"


def fresh_database() -> Path:
    shutil.rmtree(VAR, ignore_errors=True)
    env = {**os.environ, "TELLY_DATA_DIR": str(VAR)}
    env.pop("TELLY_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "telly", "migrate", "--noinput", "-v", "0", "--skip-checks"],
        env=env,
        check=True,
    )
    os.environ.update(TELLY_DATA_DIR=str(VAR))
    os.environ.pop("TELLY_DATABASE_URL", None)
    return VAR / "telly.sqlite3"


# imdb.run.TABLES (importing it would need Django set up)
TABLES = (
    "catalog_title",
    "catalog_season",
    "catalog_episode",
    "catalog_person",
    "catalog_credit",
    "catalog_externalid",
    "catalog_title_genres",
)


def statement_kind(sql: str) -> str:
    return sql.split(" SELECT")[0][:60] if sql.startswith("INSERT") else sql[:60]


def profile(directory: str, record: str | None) -> None:
    fresh_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "telly.settings")
    import django

    django.setup()
    from telly.catalog.signals import changes_committed
    from telly.importers.imdb import bulk, credits, people, titles
    from telly.importers.runner import import_path

    changes_committed.receivers.clear()
    phases: dict[str, float] = collections.defaultdict(float)
    writer: dict[str, float] = collections.defaultdict(float)
    recorded: list[tuple[str, tuple, bool]] = []

    def timed(owner: object, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                phases[label] += time.perf_counter() - started

        setattr(owner, name, wrapper)

    run_module = importlib.import_module("telly.importers.imdb.run")
    timed(people.PersonLoader, "load", "name.basics")
    timed(run_module, "read_ratings", "title.ratings")
    timed(titles.TitleLoader, "load", "title.basics + title.episode")
    timed(credits.CreditLoader, "load", "title.principals")
    timed(bulk.DeferredIndexes, "restore", "waiting for index rebuilds")
    timed(bulk.Background, "sync", "waiting for the writer (sync)")
    from django.db.backends.base.base import BaseDatabaseWrapper

    timed(BaseDatabaseWrapper, "commit", "commit (with its WAL checkpoint)")

    def submit(self, sql, params, then=None, unchecked=False):  # type: ignore[no-untyped-def]
        if record:
            recorded.append((sql, params, unchecked))

        def work(raw: sqlite3.Connection) -> int:
            started, cpu = time.perf_counter(), time.thread_time()
            before = raw.total_changes
            if unchecked:
                raw.execute("PRAGMA ignore_check_constraints = ON")
            raw.execute(sql, params)
            if unchecked:
                raw.execute("PRAGMA ignore_check_constraints = OFF")
            writer[statement_kind(sql)] += time.perf_counter() - started
            writer["(writer CPU)"] += time.thread_time() - cpu
            return raw.total_changes - before

        self.call(work, then)

    bulk.Background.submit = submit  # type: ignore[method-assign]
    started, cpu = time.perf_counter(), time.process_time()
    run, _ = import_path(directory, "imdb")
    print(
        f"import {time.perf_counter() - started:.2f} s, committed in {run.committed_in:.2f} s, "
        f"process CPU {time.process_time() - cpu:.2f} s, load {os.getloadavg()[0]:.2f}"
    )
    for label, seconds in phases.items():
        print(f"  {seconds:7.2f} s  {label}")
    cpu_s = writer.pop("(writer CPU)", 0.0)
    print(f"writer thread: busy {sum(writer.values()):.2f} s, CPU {cpu_s:.2f} s")
    for kind, seconds in sorted(writer.items(), key=lambda kv: -kv[1])[:12]:
        print(f"  {seconds:7.2f} s  {kind}")
    if record:
        with open(record, "wb") as f:
            pickle.dump(recorded, f)


def replay(record: str, pragmas: list[str]) -> None:
    path = fresh_database()
    with open(record, "rb") as f:
        statements = pickle.load(f)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA cache_size = -262144")  # as BulkWriter.bigger_cache
    for pragma in pragmas:
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("BEGIN IMMEDIATE")
    for table in TABLES:  # as DeferredIndexes.drop
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name = ?",
            (table,),
        ).fetchall():
            conn.execute(f'DROP INDEX "{name}"')
    conn.execute(  # the genres the import would have created
        "INSERT INTO catalog_genre (id, name, slug) SELECT value, 'g' || value, 'g' || value "
        "FROM generate_series(1, 40) WHERE value NOT IN (SELECT id FROM catalog_genre)"
        if sqlite3.sqlite_version_info >= (3, 46)
        else "WITH RECURSIVE s(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM s "
        "WHERE value < 40) INSERT INTO catalog_genre (id, name, slug) SELECT value, "
        "'g' || value, 'g' || value FROM s WHERE value NOT IN (SELECT id FROM catalog_genre)"
    )
    kinds: dict[str, float] = collections.defaultdict(float)
    started = time.perf_counter()
    for sql, params, unchecked in statements:
        t = time.perf_counter()
        if unchecked:
            conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute(sql, params)
        if unchecked:
            conn.execute("PRAGMA ignore_check_constraints = OFF")
        kinds[statement_kind(sql)] += time.perf_counter() - t
    ran = time.perf_counter()
    conn.execute("COMMIT")
    done = time.perf_counter()
    print(
        f"{' '.join(pragmas) or 'as the import'}: statements {ran - started:.2f} s, commit "
        f"{done - ran:.2f} s, total {done - started:.2f} s, load {os.getloadavg()[0]:.2f}"
    )
    for kind, seconds in sorted(kinds.items(), key=lambda kv: -kv[1])[:12]:
        print(f"  {seconds:7.2f} s  {kind}")


def main(argv: list[str]) -> None:
    if argv[:1] == ["--replay"]:
        replay(argv[1], argv[2:])
    elif len(argv) >= 3 and argv[1] == "--record":
        profile(argv[0], argv[2])
    else:
        profile(argv[0], None)


if __name__ == "__main__":
    main(sys.argv[1:])
