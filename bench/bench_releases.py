"""Next-season estimator benchmark: fitting the pooled prior grows with the number of series,
not faster, and the backtest of the shared season-history file stays within seconds.

- ``fit``: walk forward through N synthetic series (five to eight seasons a year apart, with
  noise and the odd skipped year) for N = 500 and N = 3,000 (the live pool's cap), as the backtest does (refit every 2%)
  and as the live fit does (every 10%). Fastest of 3. ``per_series_ratio`` = time per series
  at 3,000 / at 500 (≈1 means linear).
- ``backtest``: ``telly releases backtest`` on ``../shared/data/season_history/...csv`` (when
  present), with its headline figures, so a change that slows or worsens it shows here.
- ``splits``: the headline figures (seasons with two earlier seasons) on every split the
  estimator was checked on: the Economist file in three folds of its series, each alone (each
  about the size of the held-back 30%), the TVmaze responses (real premiere dates), the same
  TVmaze seasons dated at their middle ((premiere + end) / 2, like the Economist's dates), and
  TVmaze with TMDB's Lost. Each is ``estimator/one-year median error, coverage, seasons``.

    python -m bench.run releases
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DATA = ROOT / ".." / "shared" / "data"
SHARED = DATA / "season_history" / "IMDb_Economist_tv_ratings.csv"
TVMAZE = DATA / "tvmaze" / "flexget_tvmaze_api_responses.jsonl"
LOST = DATA / "tmdb" / "lost_mediatracker" / "tvDetailsResponse.json"
RUNS = 3


def synthetic(series: int, seed: int = 11):
    from telly.releases.estimator import History

    rng = random.Random(seed)
    histories = []
    for n in range(series):
        day = dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 25))
        dates = [day]
        for _ in range(rng.randrange(4, 8)):
            gap = 365 + int(rng.gauss(0, 20)) + (365 if rng.random() < 0.07 else 0)
            dates.append(dates[-1] + dt.timedelta(days=gap))
        histories.append(History(f"s{n}", dates))
    return histories


def middle_of_seasons(path: Path):
    """TVmaze seasons dated at their middle: (premiere + end) / 2, seasons with both dates."""
    from telly.releases.estimator import History

    histories = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        body = json.loads(line).get("body")
        if isinstance(body, str):
            try:
                body = json.loads(body)
            except json.JSONDecodeError:
                continue
        seasons = (body.get("_embedded") or {}).get("seasons") if isinstance(body, dict) else None
        dates = []
        for season in sorted(seasons or [], key=lambda s: s["number"]):
            if season.get("premiereDate") and season.get("endDate"):
                start = dt.date.fromisoformat(season["premiereDate"])
                end = dt.date.fromisoformat(season["endDate"])
                dates.append(start + (end - start) / 2)
        if len(dates) >= 2:
            histories[str(body["id"])] = History(str(body["id"]), dates)
    return [histories[k] for k in sorted(histories)]


def splits() -> dict[str, str]:
    from telly.releases.backtest import backtest, cross_validate, read_histories, read_many

    def line(report) -> str:
        s = report.established
        return (
            f"{s.median_abs_error_days:g}/{s.one_year_median_abs_error_days:g} days, "
            f"{s.coverage_80:.1%}, {s.seasons}"
        )

    result = {}
    if SHARED.exists():
        for n, part in enumerate(cross_validate(read_histories(SHARED), 3), start=1):
            result[f"economist_fold_{n}_of_3"] = line(part)
    if TVMAZE.exists():
        result["tvmaze_premieres"] = line(backtest(read_histories(TVMAZE)))
        result["tvmaze_middle_of_season"] = line(backtest(middle_of_seasons(TVMAZE)))
        if LOST.exists():
            result["tvmaze_and_tmdb_lost"] = line(backtest(read_many([TVMAZE, LOST])))
    return result


def fastest(work) -> float:
    best = float("inf")
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    from telly.releases.backtest import backtest, read_histories
    from telly.releases.estimator import walk_forward

    result: dict[str, object] = {}
    for size in (500, 3000):
        histories = synthetic(size)
        seconds = fastest(lambda h=histories: walk_forward(h))
        result[f"fit_{size}_series_s"] = round(seconds, 3)
        result[f"fit_{size}_per_series_ms"] = round(seconds / size * 1000, 3)
        live = fastest(lambda h=histories: walk_forward(h, refit_growth=0.1))
        result[f"live_fit_{size}_series_s"] = round(live, 3)
    result["per_series_ratio"] = round(
        result["fit_3000_per_series_ms"] / result["fit_500_per_series_ms"],
        2,  # type: ignore[operator]
    )
    if SHARED.exists():
        histories = read_histories(SHARED)
        seconds = fastest(lambda: backtest(histories))
        report = backtest(histories).as_dict()
        result["backtest_economist_s"] = round(seconds, 3)
        for key in (
            "seasons",
            "median_abs_error_days",
            "coverage_80",
            "median_window_days",
            "baseline_median_abs_error_days",
            "one_year_median_abs_error_days",
            "within_7_days",
            "one_year_within_7_days",
        ):
            result[f"backtest_{key}"] = report[key]
    result["splits"] = splits()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "releases.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "telly.settings")
    django.setup()
    main()
