"""Ingest benchmark: ``telly import`` of a ``make_catalog.py`` directory, as a ratio to the raw
limits measured in the same run.

- SQLite: ``../shared/bench/sqlite_ingest_limit.py`` (raw ``executemany`` of title.basics +
  title.episode + title.principals into bare tables) against ``telly import DIR`` into a fresh,
  migrated database.
- PostgreSQL (when it answers at ``TELLY_BENCH_POSTGRES_URL``, default
  ``postgres://postgres@127.0.0.1:5432/postgres``): a raw ``COPY`` of the same rows into bare
  tables against ``telly import`` into a fresh database.

The rate compares like with like: the rows of the three files the limit loads, divided by the
time each took. The import also reads name.basics and title.ratings, and writes people, seasons,
external ids and genre links, all inside its time. Peak memory is the import process's max RSS.

    TELLY_BENCH_SERIES=2000 python -m bench.run import     # quick; default 100000 (7.1M rows)
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
TELLY = [sys.executable, "-m", "telly"]


def catalogue(series: int) -> Path:
    out = WORK / f"catalog-{series}"
    if not (out / "title.principals.tsv").exists():
        subprocess.run(
            [
                sys.executable,
                str(SHARED / "bench" / "make_catalog.py"),
                "--series",
                str(series),
                "--out",
                str(out),
            ],
            check=True,
        )
    return out


def count_rows(directory: Path, names: tuple[str, ...]) -> int:
    total = 0
    for name in names:
        with open(directory / name, "rb") as f:
            total += sum(1 for _ in f) - 1
    return total


def run_measured(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """(wall seconds, CPU seconds, peak RSS in MiB, stdout) of one child process."""
    import tempfile

    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=err)
        stdout = proc.stdout.read().decode() if proc.stdout else ""
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak, in KiB on Linux
        wall = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd[:3])} failed ({code}):\n{err.read().decode()[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, stdout


# The import as `telly import DIR --format imdb --json` runs it, minus the listeners of
# changes_committed: what search and alerts do after a commit (rebuilding the search index for
# 300k new titles...) is their work, measured by their benchmarks, not the ingest's.
DRIVER = """
import json, os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "telly.settings")
django.setup()
from telly.catalog.signals import changes_committed
changes_committed.receivers.clear()
from telly.importers.report import summary
from telly.importers.runner import import_path
run, _ = import_path(sys.argv[1], "imdb")
print(json.dumps(summary([run])))
"""


def telly_import(directory: Path, env: dict[str, str]) -> dict:
    subprocess.run(
        [*TELLY, "migrate", "--noinput", "-v", "0", "--skip-checks"], env=env, check=True
    )
    # A fresh interpreter per measurement so its peak RSS is the import's alone.
    load = os.getloadavg()[0]
    wall, cpu, peak, stdout = run_measured([sys.executable, "-c", DRIVER, str(directory)], env)
    summary = json.loads(stdout.strip().splitlines()[-1])
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),  # the import process's own; a database server's is not in it
        "load_before": round(load, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "import_s": summary["files"][0]["committed_in"],
        "peak_rss_mib": peak,
        "rows_read": summary["rows"],
        "counts": summary["counts"],
    }


def sqlite_part(directory: Path, limit_rows: int) -> dict:
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        [sys.executable, str(SHARED / "bench" / "sqlite_ingest_limit.py"), str(directory)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    limit_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    match = re.search(r"(\d+) rows in ([\d.]+)s", out)
    assert match, out
    limit_rate = int(match[1]) / float(match[2])
    data_dir = WORK / "sqlite-var"
    shutil.rmtree(data_dir, ignore_errors=True)
    env = {**os.environ, "TELLY_DATA_DIR": str(data_dir)}
    env.pop("TELLY_DATABASE_URL", None)
    result = telly_import(directory, env)
    rate = limit_rows / result["import_s"]
    return {
        "limit_rows_per_s": round(limit_rate),
        "limit_output": out.strip(),
        "limit_cpu_s": round(limit_cpu, 2),
        "limit_load_before": round(load, 2),
        **result,
        "rows_per_s": round(rate),
        "ratio": round(rate / limit_rate, 3),
    }


def postgres_copy_limit(url: str, directory: Path) -> float:
    """Raw COPY of the limit's rows into bare tables (indexes after), rows/s."""
    import psycopg

    def rows(name: str, pick: tuple[int, ...]):
        with open(directory / name, encoding="utf-8") as f:
            next(f)
            for line in f:
                v = line.rstrip("\n").split("\t")
                yield [None if v[i] == "\\N" else v[i] for i in pick]

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_title, bench_episode, bench_principal")
        conn.execute(
            "CREATE TABLE bench_title(tconst text primary key, kind text, title text, start int, endy int, runtime int, genres text)"
        )
        conn.execute(
            "CREATE TABLE bench_episode(tconst text primary key, parent text, season int, number int)"
        )
        conn.execute(
            "CREATE TABLE bench_principal(tconst text, ordering int, nconst text, category text, characters text)"
        )
        started = time.perf_counter()
        n = 0
        with conn.transaction(), conn.cursor() as cur:
            for table, name, pick in (
                ("bench_title", "title.basics.tsv", (0, 1, 2, 5, 6, 7, 8)),
                ("bench_episode", "title.episode.tsv", (0, 1, 2, 3)),
                ("bench_principal", "title.principals.tsv", (0, 1, 2, 3, 5)),
            ):
                with cur.copy(f"COPY {table} FROM STDIN") as copy:
                    for row in rows(name, pick):
                        copy.write_row(row)
                        n += 1
            cur.execute("CREATE INDEX ON bench_episode(parent)")
            cur.execute("CREATE INDEX ON bench_principal(tconst)")
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE bench_title, bench_episode, bench_principal")
    return n / elapsed


def postgres_part(directory: Path, limit_rows: int) -> dict | None:
    url = os.environ.get("TELLY_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    try:
        import psycopg

        with psycopg.connect(url, autocommit=True, connect_timeout=3) as conn:
            conn.execute("DROP DATABASE IF EXISTS telly_bench_import")
            conn.execute("CREATE DATABASE telly_bench_import")
    except Exception as exc:  # no PostgreSQL here: SQLite figures only
        return {"skipped": f"PostgreSQL not reachable: {exc}"}
    limit_rate = postgres_copy_limit(url, directory)
    db_url = url.rsplit("/", 1)[0] + "/telly_bench_import"
    env = {**os.environ, "TELLY_DATABASE_URL": db_url, "TELLY_DATA_DIR": str(WORK / "pg-var")}
    result = telly_import(directory, env)
    rate = limit_rows / result["import_s"]
    return {
        "limit_rows_per_s": round(limit_rate),
        **result,
        "rows_per_s": round(rate),
        "ratio": round(rate / limit_rate, 3),
    }


def main() -> None:
    series = int(os.environ.get("TELLY_BENCH_SERIES", "100000"))
    WORK.mkdir(parents=True, exist_ok=True)
    directory = catalogue(series)
    limit_rows = count_rows(
        directory, ("title.basics.tsv", "title.episode.tsv", "title.principals.tsv")
    )
    result = {
        "benchmark": "import",
        "series": series,
        "rows": limit_rows,
    }
    if os.environ.get("TELLY_BENCH_SKIP_SQLITE") != "1":
        result["sqlite"] = sqlite_part(directory, limit_rows)
    if os.environ.get("TELLY_BENCH_SKIP_POSTGRES") != "1":
        result["postgresql"] = postgres_part(directory, limit_rows)
    result["goal"] = {"ratio": 0.6, "peak_rss_mib": 1024}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "import.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
