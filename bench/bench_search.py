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


def measure(name: str, run, workload: list[tuple[str, str, int]]) -> dict:
    """Recall@10 per kind and latency percentiles of ``run(query) -> title ids (best first)``."""
    for text, _, _ in workload[:WARM_UP]:
        run(text)
    hits: dict[str, list[bool]] = defaultdict(list)
    times = []
    misses = []
    for text, kind, expected in workload:
        started = time.perf_counter()
        found = run(text)
        times.append((time.perf_counter() - started) * 1000)
        ok = expected in found[:10]
        hits[kind].append(ok)
        if not ok and len(misses) < 15:
            misses.append([kind, text])
    times.sort()
    recall = {k: round(sum(v) / len(v), 3) for k, v in hits.items() if v}
    all_hits = [h for v in hits.values() for h in v]
    result = {
        "queries": len(workload),
        "recall_at_10": recall,
        "recall_at_10_overall": round(sum(all_hits) / max(1, len(all_hits)), 3),
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 2),
        "max_ms": round(times[-1], 2),
        "misses": misses,
    }
    print(
        f"  {name}: recall {result['recall_at_10_overall']} {recall} p50 {result['p50_ms']} ms p99 {result['p99_ms']} ms",
        flush=True,
    )
    return result


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


def tantivy_peer(docs: list[tuple[int, str]], workload: list[tuple[str, str, int]]) -> dict:
    try:
        import tantivy
    except ImportError:
        return {"skipped": "tantivy is not installed (pip install tantivy)"}
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("title_id", stored=True, indexed=False, fast=True)
    builder.add_text_field("body", stored=False)
    schema = builder.build()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as where:
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
            parts = []
            for i, word in enumerate(terms):
                distance = 1 if len(word) < 7 else 2
                parts.append(
                    (
                        tantivy.Occur.Should,
                        tantivy.Query.fuzzy_term_query(
                            schema,
                            "body",
                            word,
                            distance=distance,
                            transposition_cost_one=True,
                            prefix=i == len(terms) - 1,
                        ),
                    )
                )
            hits = searcher.search(tantivy.Query.boolean_query(parts), 10).hits
            return [searcher.doc(address)["title_id"][0] for _, address in hits]

        result = measure("tantivy", run, workload)
    result["build_s"] = round(build_s, 1)
    result["version"] = getattr(tantivy, "__version__", "")
    return result


def _peer_words(text: str) -> list[str]:
    import re

    return re.findall(r"[^\W_]+", text.lower())[:8]


def pg_trgm_peer(docs: list[tuple[int, str]], workload: list[tuple[str, str, int]]) -> dict:
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

    result = measure("pg_trgm", run, workload)
    result["build_s"] = round(build_s, 1)
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
    started = time.perf_counter()
    state = live.rebuild()
    build_s = time.perf_counter() - started
    print(f"  {backend}: index of {state.documents} documents built in {build_s:.1f}s", flush=True)
    workload = queries(directory)
    report: dict = {"backend": backend, "counts": counts, "load_s": round(load_s, 1)}
    report["telly"] = measure(
        f"telly ({backend})", lambda q: [r.id for r in search(q, kind="title", limit=10)], workload
    )
    report["telly"]["build_s"] = round(build_s, 1)
    report["telly"]["documents"] = state.documents
    report["telly_rank_only"] = measure(
        f"telly ranking only ({backend})",
        lambda q: [ref for _, ref, _ in ranked(q, kind="title", limit=10)],
        workload,
    )
    docs = peer_documents()
    if backend == "sqlite":
        report["tantivy"] = tantivy_peer(docs, workload)
    else:
        report["pg_trgm"] = pg_trgm_peer(docs, workload)
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
        checks: dict = {"index_build_s": telly["build_s"], "build_under_60s": telly["build_s"] < 60}
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
