"""Season histories from the catalogue, and the estimator fitted on them.

The pooled prior is learned from every series in the catalogue with dated seasons (walked
forward, so each case's residual is honest). Fitting takes a moment on a big catalogue, so the
fitted estimator is kept in memory and refit when the catalogue's seasons change (their count
or latest update), or after ``FIT_TTL`` at most.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max

from telly.catalog.models import Season, Title
from telly.releases.estimator import Estimator, History, walk_forward

# Above this many series, the pool is a fixed sample (the lowest ids): the prior is a handful
# of numbers, and a few thousand series pin them down as well as a few hundred thousand.
# The live fit of 3,000 series takes under a second (bench/bench_releases.py).
MAX_POOL_SERIES = 3000
LIVE_REFIT_GROWTH = 0.1  # the live fit needs honest residuals, not a refit every 2%
FIT_TTL = 3600.0  # seconds


def season_dates(
    title_ids: list[int] | None = None, *, before: dt.date | None = None
) -> dict[int, list[dt.date]]:
    """Premiere dates of numbered seasons per title, in season order (one query)."""
    seasons = Season.objects.filter(number__gt=0, premiere__isnull=False)
    if title_ids is not None:
        seasons = seasons.filter(title_id__in=title_ids)
    if before is not None:
        seasons = seasons.filter(premiere__lt=before)
    dates: dict[int, list[dt.date]] = defaultdict(list)
    for title_id, premiere in seasons.order_by("title_id", "number").values_list(
        "title_id", "premiere"
    ):
        dates[title_id].append(premiere)
    return dict(dates)


def catalogue_histories(today: dt.date) -> list[History]:
    """Every series with at least two seasons that have started: the pool's raw material."""
    with_two = (
        Season.objects.filter(number__gt=0, premiere__isnull=False, premiere__lte=today)
        .values("title_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .order_by("title_id")
        .values_list("title_id", flat=True)[:MAX_POOL_SERIES]
    )
    ids = list(with_two)
    dates = season_dates(ids, before=today + dt.timedelta(days=1))
    networks = dict(Title.objects.filter(pk__in=ids).values_list("pk", "network"))
    return [
        History(str(title_id), seasons, network=networks.get(title_id, ""))
        for title_id, seasons in sorted(dates.items())
    ]


@dataclass
class _Fitted:
    key: tuple[object, ...]
    at: float
    estimator: Estimator


_lock = threading.Lock()
_fitted: _Fitted | None = None


def fitted_estimator(today: dt.date) -> Estimator:
    """The estimator fitted on the catalogue as it is now (kept while nothing changed)."""
    global _fitted
    state = Season.objects.filter(number__gt=0, premiere__isnull=False).aggregate(
        n=Count("id"), last=Max("updated_at")
    )
    key = (state["n"], state["last"], today)
    with _lock:
        if _fitted is not None and _fitted.key == key and time.monotonic() - _fitted.at < FIT_TTL:
            return _fitted.estimator
    _, estimator = walk_forward(catalogue_histories(today), refit_growth=LIVE_REFIT_GROWTH)
    with _lock:
        _fitted = _Fitted(key, time.monotonic(), estimator)
    return estimator


def forget_fit() -> None:
    """Drop the kept estimator (tests; after bulk loads)."""
    global _fitted
    with _lock:
        _fitted = None
