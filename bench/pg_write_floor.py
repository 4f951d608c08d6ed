"""The least PostgreSQL can spend storing what one IMDb import stores, whatever the importer:
copy each catalogue table an import filled (``bench.profile_pgload`` leaves one in the database
``telly_profile_pgload``) into a bare twin with ``INSERT ... SELECT`` (no parsing, no joins, no
ids to find), then build the twin's indexes, unique constraints and foreign keys, in one
transaction. Compare with the raw ``COPY`` limit of ``bench_import.py``.

    python -m bench.pg_write_floor [URL]
"""

from __future__ import annotations

import sys
import time

TABLES = (
    "catalog_title",
    "catalog_title_genres",
    "catalog_season",
    "catalog_episode",
    "catalog_person",
    "catalog_credit",
    "catalog_externalid",
)


def main(argv: list[str]) -> None:
    import psycopg

    url = argv[0] if argv else "postgres://postgres@127.0.0.1:5432/telly_profile_pgload"
    with psycopg.connect(url) as conn:
        rows = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        indexes = {
            t: [
                d
                for (d,) in conn.execute(
                    "SELECT indexdef FROM pg_indexes WHERE tablename = %s", [t]
                )
            ]
            for t in TABLES
        }
        keys = {
            t: [
                d
                for (d,) in conn.execute(
                    "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f'",
                    [t],
                )
            ]
            for t in TABLES
        }
        conn.execute("SET LOCAL maintenance_work_mem = '512MB'")
        times: dict[str, float] = {}
        started = time.perf_counter()
        for t in TABLES:
            conn.execute(f"CREATE TABLE floor_{t} (LIKE {t} INCLUDING DEFAULTS)")
            t0 = time.perf_counter()
            conn.execute(f"INSERT INTO floor_{t} SELECT * FROM {t}")
            times[f"rows {t}"] = time.perf_counter() - t0
        for t in TABLES:
            t0 = time.perf_counter()
            for i, definition in enumerate(indexes[t]):
                on = definition.split(" ON ", 1)[1].replace(f"public.{t} ", f"floor_{t} ", 1)
                unique = "UNIQUE " if definition.startswith("CREATE UNIQUE") else ""
                conn.execute(f"CREATE {unique}INDEX floor_{t}_{i} ON {on}")
            for i, definition in enumerate(keys[t]):
                parent = definition.split("REFERENCES ", 1)[1].split("(", 1)[0].strip()
                if parent in TABLES:  # keys to tables not copied (genres) point at the real one
                    definition = definition.replace(
                        f"REFERENCES {parent}", f"REFERENCES floor_{parent}"
                    )
                target = definition
                conn.execute(f"ALTER TABLE floor_{t} ADD CONSTRAINT floor_{t}_fk{i} {target}")
            times[f"indexes and keys {t}"] = time.perf_counter() - t0
        conn.commit()
        total = time.perf_counter() - started
        for t in TABLES:
            conn.execute(f"DROP TABLE IF EXISTS floor_{t} CASCADE")
        conn.commit()
    print(f"{sum(rows.values()):,} rows stored, indexes built: {total:.2f} s")
    for label, seconds in sorted(times.items(), key=lambda kv: -kv[1]):
        print(f"  {seconds:6.2f} s  {label}")


if __name__ == "__main__":
    main(sys.argv[1:])
