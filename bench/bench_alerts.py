"""Alert evaluation benchmark: the cost of evaluating one import's changes grows with the size
of the change, not with the number of users or follows.

Two SQLite databases (production settings, tasks not run), built by child processes:
- 100 "changed" titles each have exactly 50 followers; every other follow is of other titles.
- "small": 10% of the users and follows; "full": all of them (default 100,000 users and
  1,000,000 follows; ``TELLY_BENCH_USERS``, ``TELLY_BENCH_FOLLOWS_PER_USER``). "full" is a copy
  of "small" grown by the other 90%.
- Changes of 1, 10 and 100 of the changed titles (a new season with a premiere date) are
  evaluated; each makes 50 alerts per title. The two databases are measured in alternate fresh
  processes, three rounds, fastest run of each (the machine is shared: slower runs measure the
  neighbours, and alternating puts both databases under the same load).
- The evaluation's queries are recorded and their SQLite plans checked for full scans; a
  "rescan" (reading every follow once, the least a change-blind evaluator would do) is timed.

Figures: ``full_over_small`` for the same change (about 1: independent of the user count) and
``per_title_ms_full`` for each change size (flat: linear in the change).

    TELLY_BENCH_USERS=20000 python -m bench.run alerts      # quick
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
HOT_TITLES = 100
FOLLOWERS_PER_HOT_TITLE = 50
OTHER_TITLES = 20_000
SIZES = (1, 10, 100)
RUNS = 7
ROUNDS = 3


def _env(data_dir: str, database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "telly.settings",
        "TELLY_DATA_DIR": data_dir,
        "TELLY_DATABASE_URL": f"sqlite:///{database}",
        "TELLY_SECRET_KEY": "bench-alerts-secret-key-0123456789-abcdefghijkl",
        "TELLY_TASKS_BACKEND": "dummy",
        "TELLY_EMAIL_URL": "locmem://",
    }


def _child(env: dict[str, str], *args: str) -> Any:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    users = int(os.environ.get("TELLY_BENCH_USERS", "100000"))
    per_user = int(os.environ.get("TELLY_BENCH_FOLLOWS_PER_USER", "10"))
    small_users = users // 10
    with tempfile.TemporaryDirectory(prefix="bench-alerts-") as data_dir:
        small_db, full_db = Path(data_dir) / "small.sqlite3", Path(data_dir) / "full.sqlite3"
        small, full = _env(data_dir, small_db), _env(data_dir, full_db)
        subprocess.run(
            [sys.executable, "-m", "telly", "migrate", "--noinput", "-v", "0"],
            env=small,
            check=True,
        )
        _child(small, "build", str(small_users), str(per_user))
        shutil.copyfile(small_db, full_db)
        _child(full, "grow", str(small_users), str(users), str(per_user))
        rounds: dict[str, list[dict]] = {"small": [], "full": []}
        for _ in range(ROUNDS):
            rounds["small"].append(_child(small, "measure"))
            rounds["full"].append(_child(full, "measure"))
    phases = {}
    for name, runs in rounds.items():
        phases[name] = {
            "users": runs[0]["users"],
            "follows": runs[0]["follows"],
            "evaluate_s": {
                str(n): round(min(r["evaluate_s"][str(n)] for r in runs), 4) for n in SIZES
            },
            "rescan_s": round(min(r["rescan_s"] for r in runs), 3),
            "plan_10": runs[0]["plan_10"],
        }
    evaluate_full, evaluate_small = phases["full"]["evaluate_s"], phases["small"]["evaluate_s"]
    result = {
        "benchmark": "alerts",
        "database": "sqlite",
        "alerts_per_changed_title": FOLLOWERS_PER_HOT_TITLE,
        "phases": phases,
        "full_over_small": {
            str(n): round(evaluate_full[str(n)] / evaluate_small[str(n)], 2) for n in SIZES
        },
        "per_title_ms_full": {str(n): round(1000 * evaluate_full[str(n)] / n, 2) for n in SIZES},
        "rescan_over_evaluate_10_full": round(phases["full"]["rescan_s"] / evaluate_full["10"], 1),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "alerts.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


def _populate(
    cursor: Any, first_user: int, last_user: int, per_user: int, rng: random.Random
) -> None:
    users = [
        (
            i,
            "!",
            f"bench{i}",
            f"bench{i}@example.org",
            "",
            "",
            False,
            True,
            False,
            "2025-01-01 00:00:00",
        )
        for i in range(first_user, last_user)
    ]
    cursor.executemany(
        "insert into auth_user (id, password, username, email, first_name, last_name, is_superuser,"
        " is_active, is_staff, date_joined) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        users,
    )
    cursor.executemany(
        "insert into accounts_profile (user_id, region, time_zone, created_at)"
        " values (?, 'GB', 'Europe/London', '2025-01-01')",
        [(i,) for i in range(first_user, last_user)],
    )
    # Everyone's own follows are of the other titles, never of the 100 changed ones.
    follows = [
        (user_id, HOT_TITLES + 1 + offset)
        for user_id in range(first_user, last_user)
        for offset in rng.sample(range(OTHER_TITLES), per_user)
    ]
    cursor.executemany(
        "insert into accounts_follow (user_id, title_id, created_at) values (?, ?, '2025-01-01')",
        follows,
    )


def _settle(connection: Any) -> None:
    """Fold the bulk insert's write-ahead log into the database file and refresh statistics."""
    with connection.cursor() as cursor:
        cursor.execute("analyze")
        cursor.execute("pragma wal_checkpoint(truncate)")


def build(small_users: int, per_user: int) -> dict:
    from django.db import connection, transaction

    rng = random.Random(7)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "insert into catalog_title (id, kind, name, original_name, slug, name_key, status,"
            " certification, countries, languages, network, popularity, votes, image_url, sources,"
            " locked_fields, created_at, updated_at) values (?, 'series', ?, '', ?, ?, '', '', '[]',"
            " '[]', '', 0, 0, '', '{}', '[]', '2025-01-01', '2025-01-01')",
            [
                (i, f"Series {i}", f"series-{i}", f"series {i}")
                for i in range(1, HOT_TITLES + OTHER_TITLES + 1)
            ],
        )
        _populate(cursor, 1, small_users + 1, per_user, rng)
        # The changed titles' followers: 50 distinct users each, among the small set.
        hot = [
            (user_id, title_id)
            for title_id in range(1, HOT_TITLES + 1)
            for user_id in rng.sample(range(1, small_users + 1), FOLLOWERS_PER_HOT_TITLE)
        ]
        cursor.executemany(
            "insert into accounts_follow (user_id, title_id, created_at) values (?, ?, '2025-01-01')",
            hot,
        )
    _settle(connection)
    return {"built": small_users}


def grow(small_users: int, users: int, per_user: int) -> dict:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        _populate(cursor, small_users + 1, users + 1, per_user, random.Random(11))
    _settle(connection)
    return {"grown": users}


def measure() -> dict:
    import datetime as dt

    from django.db import connection, transaction
    from django.db.models import Max
    from django.test.utils import CaptureQueriesContext

    from telly.accounts.models import Follow
    from telly.alerts.evaluate import evaluate
    from telly.alerts.models import Alert
    from telly.catalog.models import Season
    from telly.catalog.signals import Changes

    number = [(Season.objects.aggregate(top=Max("number"))["top"] or 1) + 1]

    def change(size: int) -> Changes:
        number[0] += 1
        seasons = Season.objects.bulk_create(
            [
                Season(title_id=t, number=number[0], premiere=dt.date(2099, 1, 1))
                for t in range(1, size + 1)
            ]
        )
        return Changes(source="bench", seasons={s.pk for s in seasons})

    def fastest(size: int) -> float:
        times = []
        for _ in range(RUNS):
            changes = change(size)
            started = time.perf_counter()
            with transaction.atomic():
                made = evaluate(changes)
            times.append(time.perf_counter() - started)
            assert len(made) == size * FOLLOWERS_PER_HOT_TITLE, (len(made), size)
            Alert.objects.all().delete()
        return min(times)

    def plan(size: int) -> dict:
        changes = change(size)
        with CaptureQueriesContext(connection) as captured, transaction.atomic():
            evaluate(changes)
        Alert.objects.all().delete()
        scans = []
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                if query["sql"].startswith("SELECT"):
                    cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                    scans += [row[-1] for row in cursor.fetchall() if row[-1].startswith("SCAN")]
        return {"queries": len(captured.captured_queries), "full_scans": scans}

    fastest(10)  # warm up
    result = {
        "users": Follow.objects.values("user_id").distinct().count(),
        "follows": Follow.objects.count(),
        "evaluate_s": {str(n): fastest(n) for n in SIZES},
        "plan_10": plan(10),
    }
    started = time.perf_counter()
    sum(1 for _ in Follow.objects.values_list("user_id", "title_id").iterator(chunk_size=20000))
    result["rescan_s"] = time.perf_counter() - started
    # Leave the database as it was, for the next round.
    Season.objects.filter(number__gt=1).delete()
    return result


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()
        step, args = sys.argv[2], [int(a) for a in sys.argv[3:]]
        output = {"build": build, "grow": grow, "measure": measure}[step](*args)
        print(json.dumps(output))
    else:
        main()
