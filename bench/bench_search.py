"""Search benchmark: recall@10 per query kind and latency per query of ``telly.search.query.search``
against two peers in the same run, on SQLite and on PostgreSQL.

The workload is ``../shared/bench/make_catalog.py --series N`` (default 100000: 300k titles,
300k people, 1.2M credited characters) and its ``queries.tsv`` (exact, one typo, two typos,
prefix, title word + character name, each with the title a good search ranks in its top 10).

- **telly**: the catalogue loaded into a fresh, migrated database; the index built by
  ``live.rebuild()`` (timed: the "< 1 minute" bar); each query answered by ``search(q,
  kind="title", limit=10)``, the public entry point (ranking, the change-log check and loading
  the ten rows from the database). ``rank_ms`` is the ranking alone.
- **tantivy** (PyPI ``tantivy``, installed for the benchmark only; skipped when missing): the
  same titles and characters (a character document is its name and its title's name), fuzzy
  term queries (one edit under 7 letters, two from 7, transpositions count one, the last word
  as a prefix), any word may match.
- **pg_trgm** (PostgreSQL run only): the same documents in one table with a GIN trigram index,
  ``WHERE q <% body ORDER BY q <<-> body LIMIT 10`` (word similarity, threshold 0.3).

Every system is timed in this process, one query after another, after a short warm-up. Results
go to ``bench/results/search.json``.

    TELLY_BENCH_SERIES=2000 python -m bench.run search      # quick; default 100000
    TELLY_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres   # the server to use
    TELLY_BENCH_BACKENDS=sqlite    TELLY_BENCH_CATALOG=/path/to/made/catalog
"""

from __future__ import annotations

import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
KINDS = ("exact", "typo1", "typo2", "prefix", "character")
WARM_UP = 20


def catalogue(series: int) -> Path:
    if os.environ.get("TELLY_BENCH_CATALOG"):  # an existing make_catalog.py directory
        return Path(os.environ["TELLY_BENCH_CATALOG"])
    out = WORK / f"catalog-{series}"
    if not (out / "queries.tsv").exists():
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


def read_tsv(path: Path):
    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)


def queries(directory: Path) -> list[tuple[str, str, int]]:
    return [
        (r["query"], r["kind"], int(r["expected_tconst"][2:]))
        for r in read_tsv(directory / "queries.tsv")
    ]


# -- measuring -------------------------------------------------------------------------------


def measure(systems: dict, workload: list[tuple[str, str, int]]) -> dict[str, dict]:
    """Recall@10 per kind and latency percentiles of each ``run(query) -> title ids (best
    first)``. The systems take turns on each query, so a busy moment of a shared machine falls
    on all of them alike. ``cpu_*`` is this thread's CPU time (meaningless for pg_trgm, whose
    work happens in the server)."""
    for text, _, _ in workload[:WARM_UP]:
        for run in systems.values():
            run(text)
    hits: dict[str, dict[str, list[bool]]] = {name: defaultdict(list) for name in systems}
    times: dict[str, list[float]] = {name: [] for name in systems}
    cpu: dict[str, list[float]] = {name: [] for name in systems}
    misses: dict[str, list] = {name: [] for name in systems}
    for text, kind, expected in workload:
        for name, run in systems.items():
            started, started_cpu = time.perf_counter(), time.thread_time()
            found = run(text)
            cpu[name].append((time.thread_time() - started_cpu) * 1000)
            times[name].append((time.perf_counter() - started) * 1000)
            ok = expected in found[:10]
            hits[name][kind].append(ok)
            if not ok and len(misses[name]) < 15:
                misses[name].append([kind, text])
    results = {}
    for name in systems:
        recall = {k: round(sum(v) / len(v), 3) for k, v in hits[name].items() if v}
        every = [h for v in hits[name].values() for h in v]
        results[name] = {
            "queries": len(workload),
            "recall_at_10": recall,
            "recall_at_10_overall": round(sum(every) / max(1, len(every)), 3),
            **_percentiles(times[name], ""),
            **_percentiles(cpu[name], "cpu_"),
            "misses": misses[name],
        }
        r = results[name]
        print(
            f"  {name}: recall {r['recall_at_10_overall']} {recall} p50 {r['p50_ms']} ms p99 {r['p99_ms']} ms"
            f" (cpu p99 {r['cpu_p99_ms']} ms)",
            flush=True,
        )
    return results


def _percentiles(values: list[float], prefix: str) -> dict[str, float]:
    ordered = sorted(values)
    return {
        f"{prefix}p50_ms": round(statistics.median(ordered), 2),
        f"{prefix}p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2),
        f"{prefix}max_ms": round(ordered[-1], 2),
    }


# -- the worker: one database, run in its own process ---------------------------------------


def insert_rows(model, rows, given: tuple[str, ...]) -> int:
    """Raw ``executemany`` of rows (tuples of the ``given`` fields; every other column takes its
    default): loading is not what this benchmark measures, so it skips model instances."""
    from django.db import connection, transaction

    fields = [
        f for f in model._meta.concrete_fields if not (f.primary_key and f.attname not in given)
    ]
    rest = [f for f in fields if f.attname not in given]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    order = [model._meta.get_field(name) for name in given] + rest
    columns = ", ".join(connection.ops.quote_name(f.column) for f in order)
    marks = ", ".join(["%s"] * len(order))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"
    count = 0
    batch: list[tuple] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for row in rows:
            batch.append(row + defaults)
            if len(batch) >= 10_000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def load_catalogue(directory: Path) -> dict[str, int]:
    """The titles, people and cast of a make_catalog directory, with ids taken from tconst/nconst."""
    from telly.catalog.models import Credit, CreditRole, Person, Title, TitleKind
    from telly.catalog.text import name_key

    kinds = {
        "tvSeries": TitleKind.SERIES.value,
        "tvMiniSeries": TitleKind.MINISERIES.value,
        "movie": TitleKind.FILM.value,
        "tvMovie": TitleKind.FILM.value,
    }
    votes = {r["tconst"]: int(r["numVotes"]) for r in read_tsv(directory / "title.ratings.tsv")}

    def titles():
        for r in read_tsv(directory / "title.basics.tsv"):
            kind = kinds.get(r["titleType"])
            if kind is not None:
                pk, n = int(r["tconst"][2:]), votes.get(r["tconst"], 0)
                yield (
                    pk,
                    kind,
                    r["primaryTitle"],
                    r["originalTitle"],
                    f"t{pk}",
                    name_key(r["primaryTitle"]),
                    int(r["startYear"]),
                    float(n),
                    n,
                )

    def people():
        for r in read_tsv(directory / "name.basics.tsv"):
            pk = int(r["nconst"][2:])
            yield (pk, r["primaryName"], f"p{pk}", name_key(r["primaryName"]))

    def credits():
        for r in read_tsv(directory / "title.principals.tsv"):
            characters = json.loads(r["characters"]) if r["characters"] != "\\N" else []
            yield (
                int(r["tconst"][2:]),
                int(r["nconst"][2:]),
                CreditRole.CAST.value,
                " / ".join(characters),
                int(r["ordering"]),
            )

    return {
        "titles": insert_rows(
            Title,
            titles(),
            (
                "id",
                "kind",
                "name",
                "original_name",
                "slug",
                "name_key",
                "year",
                "popularity",
                "votes",
            ),
        ),
        "people": insert_rows(Person, people(), ("id", "name", "slug", "name_key")),
        "credits": insert_rows(
            Credit, credits(), ("title_id", "person_id", "role", "character", "order")
        ),
    }


def peer_documents() -> list[tuple[int, str]]:
    """What the peers index: every title's name, and every character with its title's name."""
    from telly.catalog.models import Credit, Title

    names = dict(Title.objects.values_list("pk", "name").iterator(chunk_size=20_000))
    docs = list(names.items())
    for title_id, character in (
        Credit.objects.exclude(character="")
        .values_list("title_id", "character")
        .iterator(chunk_size=20_000)
    ):
        docs.append((title_id, f"{character} {names.get(title_id, '')}"))
    return docs


def tantivy_peer(docs: list[tuple[int, str]], where: str):
    """(run, facts) for tantivy over ``docs``, its index in directory ``where``."""
    try:
        import tantivy
    except ImportError:
        return None, {"skipped": "tantivy is not installed (pip install tantivy)"}
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("title_id", stored=True, indexed=False, fast=True)
    builder.add_text_field("body", stored=False)
    schema = builder.build()
    started = time.perf_counter()
    index = tantivy.Index(schema, path=where)
    writer = index.writer(heap_size=200_000_000, num_threads=1)
    for title_id, body in docs:
        writer.add_document(tantivy.Document(title_id=title_id, body=body))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    build_s = time.perf_counter() - started
    searcher = index.searcher()

    def run(text: str) -> list[int]:
        terms = _peer_words(text)
        if not terms:
            return []
        parts = [
            (
                tantivy.Occur.Should,
                tantivy.Query.fuzzy_term_query(
                    schema,
                    "body",
                    word,
                    distance=1 if len(word) < 7 else 2,
                    transposition_cost_one=True,
                    prefix=i == len(terms) - 1,
                ),
            )
            for i, word in enumerate(terms)
        ]
        hits = searcher.search(tantivy.Query.boolean_query(parts), 10).hits
        return [searcher.doc(address)["title_id"][0] for _, address in hits]

    return run, {"build_s": round(build_s, 1), "version": getattr(tantivy, "__version__", "")}


def _peer_words(text: str) -> list[str]:
    import re

    return re.findall(r"[^\W_]+", text.lower())[:8]


def pg_trgm_peer(docs: list[tuple[int, str]]):
    """(run, facts) for pg_trgm over ``docs`` in this PostgreSQL database."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute("DROP TABLE IF EXISTS bench_trgm")
        cursor.execute("CREATE TABLE bench_trgm (title_id integer NOT NULL, body text NOT NULL)")
        raw = cursor.cursor  # psycopg 3: COPY for the load
        with raw.copy("COPY bench_trgm (title_id, body) FROM STDIN") as copy:
            for row in docs:
                copy.write_row(row)
        cursor.execute("CREATE INDEX bench_trgm_body ON bench_trgm USING gin (body gin_trgm_ops)")
        cursor.execute("ANALYZE bench_trgm")
        cursor.execute("SET pg_trgm.word_similarity_threshold = 0.3")
    build_s = time.perf_counter() - started

    def run(text: str) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT title_id FROM bench_trgm WHERE %s <%% body ORDER BY %s <<-> body LIMIT 10",
                [text, text],
            )
            return [row[0] for row in cursor.fetchall()]

    return run, {"build_s": round(build_s, 1)}


def new_title_visible(search) -> dict:
    """ "Adding one title is visible to search at once": save a new title (the admin's way, so
    the change log records it), then time the next searches for it: the first one reads the
    change and builds the overlay, the next ones search base and overlay."""
    from django.db.models import Max

    from telly.catalog.models import Title, TitleKind

    name = "Zyxwvut Qoppa Nights"
    # The catalogue was loaded with its own ids (PostgreSQL's sequence has not moved).
    pk = (Title.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    started = time.perf_counter()
    title = Title.objects.create(pk=pk, kind=TitleKind.SERIES, name=name, year=2026, popularity=1.0)
    save_ms = (time.perf_counter() - started) * 1000
    timings = []
    found = []
    for typed in (name, "zyxwvut qopa", "zyxwvut"):
        started = time.perf_counter()
        found.append(title.pk in [r.id for r in search(typed, kind="title", limit=10)])
        timings.append(round((time.perf_counter() - started) * 1000, 2))
    result = {
        "save_ms": round(save_ms, 2),
        "first_search_ms": timings[0],
        "next_searches_ms": timings[1:],
        "found": all(found),
    }
    print(f"  new title: {result}", flush=True)
    return result


def worker(backend: str, directory: Path, out: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from telly.search import live
    from telly.search.query import ranked, search

    call_command("migrate", "--noinput", verbosity=0)
    started = time.perf_counter()
    counts = load_catalogue(directory)
    load_s = time.perf_counter() - started
    print(f"  {backend}: loaded {counts} in {load_s:.0f}s", flush=True)
    load_before = os.getloadavg()[0]
    started, started_cpu = time.perf_counter(), time.process_time()
    state = live.rebuild()
    build_s, build_cpu_s = time.perf_counter() - started, time.process_time() - started_cpu
    build_load = round(max(load_before, os.getloadavg()[0]), 2)
    print(
        f"  {backend}: index of {state.documents} documents built in {build_s:.1f}s wall,"
        f" {build_cpu_s:.1f}s CPU (load average {build_load})",
        flush=True,
    )
    workload = queries(directory)
    report: dict = {"backend": backend, "counts": counts, "load_s": round(load_s, 1)}
    systems = {
        "telly": lambda q: [r.id for r in search(q, kind="title", limit=10)],
        "telly_rank_only": lambda q: [ref for _, ref, _ in ranked(q, kind="title", limit=10)],
    }
    docs = peer_documents()
    with tempfile.TemporaryDirectory() as where:
        if backend == "sqlite":
            peer_name, (peer_run, peer_facts) = "tantivy", tantivy_peer(docs, where)
        else:
            peer_name, (peer_run, peer_facts) = "pg_trgm", pg_trgm_peer(docs)
        del docs
        if peer_run is not None:
            systems[peer_name] = peer_run
        print(f"  {backend}: {peer_name} {peer_facts}", flush=True)
        report.update(measure(systems, workload))
        report["query_load_average"] = round(os.getloadavg()[0], 2)
    report["telly"]["new_title"] = new_title_visible(search)
    report.setdefault(peer_name, {}).update(peer_facts)
    report["telly"]["build_s"] = round(build_s, 1)
    report["telly"]["build_cpu_s"] = round(build_cpu_s, 1)
    report["telly"]["build_load_average"] = build_load
    report["telly"]["documents"] = state.documents
    out.write_text(json.dumps(report, indent=2))


# -- the driver ------------------------------------------------------------------------------


def _postgres_url() -> str | None:
    base = os.environ.get("TELLY_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    try:
        import psycopg

        with psycopg.connect(
            base.replace("postgres://", "postgresql://", 1), autocommit=True, connect_timeout=3
        ) as conn:
            conn.execute("DROP DATABASE IF EXISTS telly_bench_search")
            conn.execute("CREATE DATABASE telly_bench_search")
    except Exception as exc:  # no server: the PostgreSQL half is reported as skipped
        print(f"  postgres: skipped ({exc})", flush=True)
        return None
    return base.rsplit("/", 1)[0] + "/telly_bench_search"


def main() -> None:
    series = int(os.environ.get("TELLY_BENCH_SERIES", "100000"))
    directory = catalogue(series)
    RESULTS.mkdir(parents=True, exist_ok=True)
    summary: dict = {"series": series, "catalog": str(directory), "runs": {}}
    backends = os.environ.get("TELLY_BENCH_BACKENDS", "sqlite,postgres").split(",")
    for backend in backends:
        with tempfile.TemporaryDirectory(prefix="telly-bench-search-") as data_dir:
            env = dict(
                os.environ,
                TELLY_DATA_DIR=data_dir,
                DJANGO_SETTINGS_MODULE="telly.settings",
                TELLY_SECRET_KEY="bench-secret-key-0123456789-0123456789-0123456789",
            )
            env.pop("TELLY_DATABASE_URL", None)
            if backend == "postgres":
                url = _postgres_url()
                if url is None:
                    summary["runs"]["postgres"] = {"skipped": "no PostgreSQL server"}
                    continue
                env["TELLY_DATABASE_URL"] = url
            out = Path(data_dir) / "report.json"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.bench_search",
                    "--worker",
                    backend,
                    str(directory),
                    str(out),
                ],
                env=env,
                check=True,
                cwd=ROOT,
            )
            summary["runs"][backend] = json.loads(out.read_text())
    summary["verdict"] = verdict(summary["runs"])
    (RESULTS / "search.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary["verdict"], indent=2))


def verdict(runs: dict) -> dict:
    """Each database's telly run against the bars: recall >= pg_trgm's per kind, p99 <= tantivy's."""
    tantivy = runs.get("sqlite", {}).get("tantivy", {})
    pg = runs.get("postgres", {}).get("pg_trgm", {})
    out = {}
    for backend, run in runs.items():
        telly = run.get("telly")
        if not telly:
            continue
        checks: dict = {
            "index_build_s": telly["build_s"],
            "index_build_cpu_s": telly.get("build_cpu_s"),
            "index_build_load_average": telly.get("build_load_average"),
            "build_under_60s": telly["build_s"] < 60,
            "build_ratio_to_60s": round(telly["build_s"] / 60, 2),
            "new_title_found_at_once": telly.get("new_title", {}).get("found"),
        }
        if pg.get("recall_at_10"):
            checks["recall_at_least_pg_trgm"] = {
                k: telly["recall_at_10"].get(k, 0) >= pg["recall_at_10"].get(k, 0) for k in KINDS
            }
        if tantivy.get("p99_ms"):
            checks["p99_ms"] = telly["p99_ms"]
            checks["tantivy_p99_ms"] = tantivy["p99_ms"]
            checks["p99_ratio_to_tantivy"] = round(telly["p99_ms"] / tantivy["p99_ms"], 2)
        out[backend] = checks
    return out


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--worker":
        sys.path.insert(0, str(ROOT / "src"))
        worker(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        main()
