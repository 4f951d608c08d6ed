"""When will the next season start? A deterministic estimate with a calibrated 80% window.

The estimator works on plain data (no database), so the title page, the calendar and the
``telly releases backtest`` command all run the same code.

How it predicts (see docs/releases.md for the long version):

1. **The series' own rhythm.** From the dates of its earlier seasons we take the gaps between
   them; ``own`` is the median of the last three gaps.
2. **A pooled prior over similar series.** From every *resolved* case known before the moment
   of prediction (another series whose next season had already started), we learn, per
   *class* of history, the median gap (``center``) and how far to trust the series' own
   rhythm over it (``weight``: chosen on those past cases to minimise the median error).
   Classes: a series with no gap yet (predicting season 2), a series whose gaps so far were
   all about one year, and everything else.
3. **Point estimate**: ``center + weight * (own - center)`` days after the last season.
4. **80% window**: the 10th and 90th percentiles of the honest residuals (actual minus
   predicted, each predicted from what was known at its own time) of past cases of the same
   class, added to the point estimate. Calibration comes from the data, not from a formula.
5. **Production facts** (live estimates only): a halt pushes the date back by its length; a
   wrap or "not yet aired by today" conditions the residuals on the date being later
   (we keep only past residuals that agree with what is now known).

When the pool is small (fewer than ``MIN_POOL`` cases in a class) we fall back to the whole
pool, and with no pool at all to ``DEFAULT_PRIOR`` (a year, window -45/+120 days), so a fresh
install still says something sensible.

Example::

    >>> h = History("x", [dt.date(2020, 1, 10), dt.date(2021, 1, 12), dt.date(2022, 1, 11)])
    >>> Estimator.empty().predict(h).point
    datetime.date(2023, 1, 11)
"""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

YEAR = 365.25
MIN_POOL = 40  # fewer resolved cases than this in a class: use the whole pool
OWN_GAPS = 3  # how many of the latest gaps make a series' own rhythm
WEIGHTS = tuple(i / 10 for i in range(11))
COVERAGE = 0.8
LOWER_Q, UPPER_Q = (1 - COVERAGE) / 2, 1 - (1 - COVERAGE) / 2


class HistoryClass:
    FIRST = "first"  # no gap yet: predicting season 2
    ANNUAL = "annual"  # every gap so far within about a month and a half of a year
    IRREGULAR = "irregular"


@dataclass(frozen=True)
class History:
    """One series' season start dates, in season order, plus what describes it."""

    key: str
    dates: Sequence[dt.date]
    genres: tuple[str, ...] = ()
    network: str = ""

    @property
    def gaps(self) -> list[int]:
        return [(b - a).days for a, b in zip(self.dates, self.dates[1:], strict=False)]


def history_class(gaps: Sequence[int]) -> str:
    if not gaps:
        return HistoryClass.FIRST
    if all(abs(gap - YEAR) <= 45 for gap in gaps):
        return HistoryClass.ANNUAL
    return HistoryClass.IRREGULAR


def own_rhythm(gaps: Sequence[int]) -> float | None:
    return float(statistics.median(gaps[-OWN_GAPS:])) if gaps else None


@dataclass(frozen=True)
class Case:
    """One resolved prediction: a series' history up to a season, and the gap that followed."""

    klass: str
    own: float | None
    gap: int  # the real gap, in days, from the last known season to the next
    resolved_on: dt.date  # the day the next season started: only after it may the case be used
    residual: float | None = None  # real minus predicted, predicted from what was known then


@dataclass(frozen=True)
class ClassPrior:
    center: float
    weight: float
    low: float  # residual quantiles: the window is [point + low, point + high]
    high: float
    residuals: tuple[float, ...] = ()  # sorted; lets live estimates condition on known facts
    size: int = 0


DEFAULT_PRIOR = ClassPrior(center=YEAR, weight=0.0, low=-45.0, high=120.0)


def quantile(sorted_values: Sequence[float], q: float) -> float:
    """Linear-interpolated quantile of already sorted values."""
    if not sorted_values:
        raise ValueError("no values")
    pos = q * (len(sorted_values) - 1)
    lower = int(pos)
    upper = min(lower + 1, len(sorted_values) - 1)
    return sorted_values[lower] + (sorted_values[upper] - sorted_values[lower]) * (pos - lower)


def shortest_half_center(values: Sequence[float]) -> float:
    """The value with the smallest median distance to ``values``: the middle of the shortest
    interval holding half of them (the "shorth"). We judge estimates by their median absolute
    error, and this is the centre that minimises it; unlike the mean or the median it ignores
    the long tail of series that came back years later.

    >>> shortest_half_center([360, 365, 366, 367, 900, 1500])
    365.5
    """
    ordered = sorted(values)
    half = len(ordered) // 2  # an interval of ``half + 1`` values covers at least half
    best = min(range(len(ordered) - half), key=lambda i: (ordered[i + half] - ordered[i], i))
    return (ordered[best] + ordered[best + half]) / 2


def fit_class(cases: Sequence[Case]) -> ClassPrior:
    """Learn one class's centre, trust in the series' own rhythm, and residual quantiles."""
    center = shortest_half_center([c.gap for c in cases])
    with_own = [c for c in cases if c.own is not None]
    weight = 0.0
    if with_own:
        best = None
        for w in WEIGHTS:
            err = statistics.median(abs(c.gap - (center + w * (c.own - center))) for c in with_own)  # type: ignore[operator]
            if best is None or err < best - 1e-9:
                best, weight = err, w
    residuals = tuple(sorted(c.residual for c in cases if c.residual is not None))
    if len(residuals) >= MIN_POOL // 2:
        low, high = quantile(residuals, LOWER_Q), quantile(residuals, UPPER_Q)
    else:
        low, high = DEFAULT_PRIOR.low, DEFAULT_PRIOR.high
    return ClassPrior(center, weight, low, high, residuals, len(cases))


@dataclass(frozen=True)
class Estimate:
    last: dt.date  # the last season's date the estimate counts from
    point: dt.date
    window_start: dt.date
    window_end: dt.date
    klass: str
    own: float | None
    gaps: tuple[int, ...]
    probability: float = COVERAGE

    @property
    def window_days(self) -> int:
        return (self.window_end - self.window_start).days


@dataclass
class Estimator:
    """A fitted pooled prior: one ``ClassPrior`` per history class (plus the whole pool)."""

    priors: dict[str, ClassPrior] = field(default_factory=dict)
    overall: ClassPrior = DEFAULT_PRIOR

    @classmethod
    def empty(cls) -> Estimator:
        return cls()

    @classmethod
    def fit(cls, cases: Sequence[Case]) -> Estimator:
        if not cases:
            return cls()
        overall = fit_class(cases)
        priors = {}
        for klass in (HistoryClass.FIRST, HistoryClass.ANNUAL, HistoryClass.IRREGULAR):
            members = [c for c in cases if c.klass == klass]
            if len(members) >= MIN_POOL:
                priors[klass] = fit_class(members)
        return cls(priors, overall)

    def prior_for(self, klass: str) -> ClassPrior:
        return self.priors.get(klass, self.overall)

    def predict(
        self,
        history: History,
        *,
        not_before: dt.date | None = None,
        delay_days: int = 0,
    ) -> Estimate:
        """Estimate the next season of ``history``.

        ``not_before``: a day the next season is known not to start before (today, when it has
        not started yet; a filming wrap plus a minimum post-production time). Only past
        residuals consistent with it are used. ``delay_days``: a production halt's length.
        """
        gaps = history.gaps
        klass = history_class(gaps)
        prior = self.prior_for(klass)
        own = own_rhythm(gaps)
        gap = prior.center if own is None else prior.center + prior.weight * (own - prior.center)
        gap += delay_days
        last = history.dates[-1]
        point = last + dt.timedelta(days=round(gap))
        low, high = prior.low, prior.high
        if not_before is not None and point + dt.timedelta(days=round(low)) < not_before:
            low, high, point = _conditioned(prior, point, not_before)
        start = point + dt.timedelta(days=round(low))
        end = point + dt.timedelta(days=round(high))
        if start > point:
            start = point
        return Estimate(last, point, start, max(end, point), klass, own, tuple(gaps))


def _conditioned(prior: ClassPrior, point: dt.date, not_before: dt.date) -> tuple[float, float, dt.date]:
    """Residual quantiles given that the date is not before ``not_before``; the point moves to
    the conditional median. Without enough residuals, the default window starts there."""
    floor = (not_before - point).days
    later = [r for r in prior.residuals if r >= floor]
    if len(later) >= 10:
        median = quantile(later, 0.5)
        new_point = point + dt.timedelta(days=round(median))
        return quantile(later, LOWER_Q) - median, quantile(later, UPPER_Q) - median, new_point
    return 0.0, DEFAULT_PRIOR.high - DEFAULT_PRIOR.low, not_before


# --- walking forward through many series --------------------------------------------------


@dataclass(frozen=True)
class Prediction:
    key: str
    season_index: int  # 0-based position of the predicted season in its series
    earlier: int  # how many earlier seasons were known
    actual: dt.date
    estimate: Estimate

    @property
    def error_days(self) -> int:
        return (self.actual - self.estimate.point).days

    @property
    def inside(self) -> bool:
        return self.estimate.window_start <= self.actual <= self.estimate.window_end


@dataclass(frozen=True)
class _Query:
    as_of: dt.date
    history: History
    season_index: int
    actual: dt.date


def walk_forward(histories: Iterable[History], refit_growth: float = 0.02) -> tuple[list[Prediction], Estimator]:
    """Predict every season after the first from strictly earlier information.

    Queries run in the order of the date they are made on (the last known season's date);
    the pool holds only cases whose next season started before that date. The prior is refit
    whenever the pool has grown by ``refit_growth`` (2%) since the last fit, which keeps the run
    fast and changes nothing of substance. Returns the predictions and the estimator fitted on
    every case (what a live estimate uses).
    """
    queries = []
    for history in histories:
        dates = list(history.dates)
        for i in range(1, len(dates)):
            if dates[i] <= dates[i - 1]:
                continue  # out of order in the source: not a real gap, nothing to learn or score
            past = History(history.key, dates[:i], history.genres, history.network)
            if any(g <= 0 for g in past.gaps):
                continue
            queries.append(_Query(dates[i - 1], past, i, dates[i]))
    queries.sort(key=lambda q: (q.as_of, q.history.key, q.season_index))

    resolved: list[Case] = []  # kept sorted by resolved_on
    resolved_days: list[dt.date] = []
    predictions: list[Prediction] = []
    estimator, fitted_size = Estimator.empty(), -1
    for query in queries:
        known = bisect.bisect_left(resolved_days, query.as_of)
        if fitted_size < 0 or known > fitted_size * (1 + refit_growth) + 1:
            estimator, fitted_size = Estimator.fit(resolved[:known]), known
        estimate = estimator.predict(query.history)
        predictions.append(
            Prediction(query.history.key, query.season_index, len(query.history.dates), query.actual, estimate)
        )
        gaps = query.history.gaps
        case = Case(
            klass=history_class(gaps),
            own=own_rhythm(gaps),
            gap=(query.actual - query.as_of).days,
            resolved_on=query.actual,
            residual=float((query.actual - estimate.point).days),
        )
        at = bisect.bisect_right(resolved_days, query.actual)
        resolved.insert(at, case)
        resolved_days.insert(at, query.actual)
    return predictions, Estimator.fit(resolved)
