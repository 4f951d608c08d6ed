"""Alert evaluation benchmark: the cost of evaluating one import's changes grows with the size
of the change, not with the number of users or follows.

In a fresh SQLite database (a child process, production settings, tasks not run):
- 100 "changed" titles each have exactly 50 followers; every other follow is of other titles.
- Phase "small": 10% of the users and follows; phase "full": all of them (default 100,000
  users and 1,000,000 follows, ``TELLY_BENCH_USERS`` and ``TELLY_BENCH_FOLLOWS_PER_USER``).
- In each phase, changes of 1, 10 and 100 titles (a new season with a premiere date) are
  evaluated; each makes 50 alerts per title. Fastest of 7 runs (the machine is shared).
- For scale, a "rescan" (reading every follow once, what a change-blind evaluator would do at
  least) is timed too.

Figures: ``full_over_small`` for the same change (≈1 means independent of user count) and
``per_title_ms`` for each change size (flat means linear in the change).

    TELLY_BENCH_USERS=20000 python -m bench.run alerts      # quick
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
HOT_TITLES = 100
FOLLOWERS_PER_HOT_TITLE = 50
OTHER_TITLES = 20_000
SIZES = (1, 10, 100)
RUNS = 7


def main() -> None:
    users = int(os.environ.get("TELLY_BENCH_USERS", "100000"))
    per_user = int(os.environ.get("TELLY_BENCH_FOLLOWS_PER_USER", "10"))
    with tempfile.TemporaryDirectory(prefix="bench-alerts-") as data_dir:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "telly.settings",
            "TELLY_DATA_DIR": data_dir,
            "TELLY_SECRET_KEY": "bench-alerts-secret-key-0123456789-abcdefghijkl",
            "TELLY_TASKS_BACKEND": "dummy",
            "TELLY_EMAIL_URL": "locmem://",
        }
        subprocess.run(
            [sys.executable, "-m", "telly", "migrate", "--noinput", "-v", "0"], env=env, check=True
        )
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(users), str(per_user)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "alerts.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


def _populate(
    cursor,
    first_user: int,
    last_user: int,
    per_user: int,
    rng: random.Random,
    hot_follower_ids: set[int],
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
        "insert into auth_user (id, password, username, email, first_name, last_name, is_superuser, is_active, is_staff, date_joined) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        users,
    )
    cursor.executemany(
        "insert into accounts_profile (user_id, region, time_zone, created_at) values (?, 'GB', 'Europe/London', '2025-01-01')",
        [(i,) for i in range(first_user, last_user)],
    )
    follows = []
    for user_id in range(first_user, last_user):
        for title_offset in rng.sample(
            range(OTHER_TITLES), per_user - (1 if user_id in hot_follower_ids else 0)
        ):
            follows.append((user_id, HOT_TITLES + 1 + title_offset))
    cursor.executemany(
        "insert into accounts_follow (user_id, title_id, created_at) values (?, ?, '2025-01-01')",
        follows,
    )


def child(users: int, per_user: int) -> None:
    import datetime as dt

    import django

    django.setup()
    from django.db import connection, transaction

    from telly.accounts.models import Follow
    from telly.alerts.evaluate import evaluate
    from telly.alerts.models import Alert
    from telly.catalog.models import Season
    from telly.catalog.signals import Changes

    rng = random.Random(7)
    small = users // 10
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "insert into catalog_title (id, kind, name, original_name, slug, name_key, status, certification, countries, languages, network, popularity, votes, image_url, sources, locked_fields, created_at, updated_at) "
            "values (?, 'series', ?, '', ?, ?, '', '', '[]', '[]', '', 0, 0, '', '{}', '[]', '2025-01-01', '2025-01-01')",
            [
                (i, f"Series {i}", f"series-{i}", f"series {i}")
                for i in range(1, HOT_TITLES + OTHER_TITLES + 1)
            ],
        )
        # The hot titles' followers: 50 distinct users each, all among the first `small` users.
        hot = [
            (user_id, title_id)
            for title_id in range(1, HOT_TITLES + 1)
            for user_id in rng.sample(range(1, small + 1), FOLLOWERS_PER_HOT_TITLE)
        ]
        hot_users: dict[int, int] = {}
        for user_id, _ in hot:
            hot_users[user_id] = hot_users.get(user_id, 0) + 1
        _populate(cursor, 1, small + 1, per_user, rng, set())
        cursor.executemany(
            "insert into accounts_follow (user_id, title_id, created_at) values (?, ?, '2025-01-01')",
            hot,
        )

    season_number = [2]

    def measure(size: int) -> float:
        times = []
        for _ in range(RUNS):
            season_number[0] += 1
            seasons = Season.objects.bulk_create(
                [
                    Season(title_id=t, number=season_number[0], premiere=dt.date(2099, 1, 1))
                    for t in range(1, size + 1)
                ]
            )
            changes = Changes(source="bench", seasons={s.pk for s in seasons})
            started = time.perf_counter()
            with transaction.atomic():
                made = evaluate(changes)
            times.append(time.perf_counter() - started)
            assert len(made) == size * FOLLOWERS_PER_HOT_TITLE, (len(made), size)
            Alert.objects.all().delete()
        # The fastest run: the machine is shared, and slower runs measure the neighbours.
        return min(times)

    def plans(size: int) -> dict:
        """The evaluation's queries and their plans: any full scan of a big table would make
        the cost follow the table size."""
        from django.test.utils import CaptureQueriesContext

        season_number[0] += 1
        seasons = Season.objects.bulk_create(
            [
                Season(title_id=t, number=season_number[0], premiere=dt.date(2099, 1, 1))
                for t in range(1, size + 1)
            ]
        )
        with CaptureQueriesContext(connection) as captured, transaction.atomic():
            evaluate(Changes(source="bench", seasons={s.pk for s in seasons}))
        Alert.objects.all().delete()
        scans = []
        selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
        with connection.cursor() as cursor:
            for sql in selects:
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                scans += [row[-1] for row in cursor.fetchall() if row[-1].startswith("SCAN")]
        return {"queries": len(captured.captured_queries), "full_scans": scans}

    def rescan() -> float:
        started = time.perf_counter()
        count = sum(
            1 for _ in Follow.objects.values_list("user_id", "title_id").iterator(chunk_size=20000)
        )
        assert count == Follow.objects.count()
        return time.perf_counter() - started

    def settle() -> None:
        """Fold the bulk insert's write-ahead log into the database and warm up, so the runs
        measure steady-state evaluation, not the one-off checkpoint after a million inserts."""
        with connection.cursor() as cursor:
            cursor.execute("analyze")
            cursor.execute("pragma wal_checkpoint(truncate)")
        measure(10)

    phases = {}
    settle()
    phases["small"] = {
        "users": small,
        "follows": Follow.objects.count(),
        "evaluate_s": {n: measure(n) for n in SIZES},
        "rescan_s": rescan(),
        "plan_10": plans(10),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        _populate(cursor, small + 1, users + 1, per_user, rng, set())
    settle()
    phases["full"] = {
        "users": users,
        "follows": Follow.objects.count(),
        "evaluate_s": {n: measure(n) for n in SIZES},
        "rescan_s": rescan(),
        "plan_10": plans(10),
    }
    result = {
        "benchmark": "alerts",
        "database": "sqlite",
        "alerts_per_changed_title": FOLLOWERS_PER_HOT_TITLE,
        "phases": {
            k: {
                **v,
                "evaluate_s": {str(n): round(s, 4) for n, s in v["evaluate_s"].items()},
                "rescan_s": round(v["rescan_s"], 3),
            }
            for k, v in phases.items()
        },
        "full_over_small": {
            str(n): round(phases["full"]["evaluate_s"][n] / phases["small"]["evaluate_s"][n], 2)
            for n in SIZES
        },
        "per_title_ms_full": {
            str(n): round(1000 * phases["full"]["evaluate_s"][n] / n, 2) for n in SIZES
        },
        "rescan_over_evaluate_10_full": round(
            phases["full"]["rescan_s"] / phases["full"]["evaluate_s"][10], 1
        ),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT / "src"))
        child(int(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
