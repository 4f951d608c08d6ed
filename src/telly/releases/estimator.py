"""When will the next season start? A deterministic estimate with a calibrated 80% window.

The estimator works on plain data (no database), so the title page, the calendar and the
``telly releases backtest`` command all run the same code. docs/releases.md explains it for
readers; in short:

1. **The calendar slot**: the same calendar day a year after the last season. Across the
   season-history files the next gap's deviation from a year is not predicted by the series'
   own earlier gaps, its calendar slot, ratings, share or genre (docs/releases.md has the
   cross-validated figures), so the anniversary is the anchor.
2. **A pooled shift**, learned only from *resolved* cases (another series whose next season
   had already started before the moment of prediction): how many days the annual cluster of
   gaps sits from a year, for the most similar series with at least ``MIN_POOL`` cases (the
   same network or service, else the same quarter of the year for their last season, else
   every returning series; second seasons apart). It is followed only when it is more than
   ``SHIFT_SE`` standard errors from zero, so a small pool's noise is not.
3. **Point estimate**: the anchor plus the shift; for a series that keeps its weekday (its last
   two gaps were whole weeks) the same weekday as its last season nearest to that day.
4. **80% window**: the 10th and 90th percentiles of the honest residuals (actual minus
   predicted, each predicted from what was known at its own time) of past cases of the same
   class (second season / last gap about a year / irregular), added to the point estimate.
   Residuals are measured in units of each series' own irregularity (how far its recent gaps
   were from a year, at least two weeks), so a punctual series gets a narrow window and a
   wandering one a wide window. The calibration comes from the data, not from a formula.
5. **Production facts** (live estimates only): a halt pushes the date back by its length; a
   filming wrap or "not yet aired by today" conditions the residuals on the date being later
   (only past residuals consistent with what is now known are kept).

With too few resolved cases (``MIN_POOL``) each part falls back to a wider group (a window
from 20 to 39 residuals uses the rank rule of ``Window.from_few``), and with no
pool at all to a year later and a window of -45/+120 days, so a fresh install says something
sensible.

    >>> h = History("x", [dt.date(2020, 1, 10), dt.date(2021, 1, 12), dt.date(2022, 1, 11)])
    >>> Estimator.empty().predict(h).point
    datetime.date(2023, 1, 11)
    >>> weekly_series = History("w", [dt.date(2021, 9, 22), dt.date(2022, 9, 21), dt.date(2023, 9, 20)])
    >>> Estimator.empty().predict(weekly_series).point  # a Wednesday, like its seasons
    datetime.date(2024, 9, 18)
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

YEAR = 365.25
MIN_POOL = 40  # fewer resolved cases than this in a group: use a wider group
MIN_WINDOW_POOL = 9  # from this many residuals a window is learned (rank rule below MIN_POOL):
# nine is the fewest whose lowest and highest hold 80% of a new case like them (8 in 10)
OWN_GAPS = 3  # how many of the latest gaps make a series' own rhythm
COVERAGE = 0.8
LOWER_Q, UPPER_Q = (1 - COVERAGE) / 2, 1 - (1 - COVERAGE) / 2
ANNUAL_TOLERANCE = 45  # days either side of a year that still count as "a year later"
DEFAULT_LOW, DEFAULT_HIGH = -45.0, 120.0
RESIDUAL_HALF_LIFE = 5 * 365  # days
SCALE_FLOOR = 14.0  # days: irregularity below two weeks counts as two weeks
SHIFT_SE = 3.0  # a pool's shift from a year is followed only beyond this many standard errors
RETURNING = "returning"  # the window of every case with a gap already (second seasons left out)


class HistoryClass:
    FIRST = "first"  # no gap yet: predicting season 2
    ANNUAL = "annual"  # the last gap was within about a month and a half of a year
    IRREGULAR = "irregular"

    ALL = (FIRST, ANNUAL, IRREGULAR)


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
    if abs(gaps[-1] - YEAR) <= ANNUAL_TOLERANCE:
        return HistoryClass.ANNUAL
    return HistoryClass.IRREGULAR


def own_rhythm(gaps: Sequence[int]) -> float | None:
    return float(statistics.median(gaps[-OWN_GAPS:])) if gaps else None


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


@dataclass(frozen=True)
class Case:
    """One resolved question: a series' history up to a season, and the gap that followed."""

    klass: str
    own: float | None
    quarter: int  # quarter of the year of the last known season
    gap: int  # the real gap in days from the last known season to the next
    resolved_on: dt.date  # the day the next season started: only after it may the case be used
    residual: float | None = None  # real minus predicted, predicted from what was known then
    scale: float = 1.0  # the series' own irregularity: residuals are compared in its units
    network: str = ""  # the channel or service it airs on, when known

    @property
    def group(self) -> str:
        return "first" if self.own is None else "returning"


def quantile(sorted_values: Sequence[float], q: float) -> float:
    """Linear-interpolated quantile of already sorted values."""
    if not sorted_values:
        raise ValueError("no values")
    pos = q * (len(sorted_values) - 1)
    lower = int(pos)
    upper = min(lower + 1, len(sorted_values) - 1)
    return sorted_values[lower] + (sorted_values[upper] - sorted_values[lower]) * (pos - lower)


@dataclass(frozen=True)
class Centre:
    """What a group of similar series teaches about the next gap: ``shift``, the days their
    seasons come back after (or before) the calendar anniversary, kept only when the pool
    shows it clearly (else 0)."""

    shift: float = 0.0
    size: int = 0

    @property
    def gap(self) -> float:
        """The typical gap in days (for explanations and for 'overdue')."""
        return YEAR + self.shift


def clear_shift(gaps: Sequence[int]) -> float:
    """How far from a year the annual cluster of gaps sits, when that is clear; else 0.

    The cluster is the gaps within ``ANNUAL_TOLERANCE`` of a year (most series come back about
    a year later; a long tail comes back years later and says nothing about the anniversary).
    Its median is kept only when it is more than two standard errors from a year: a pool of a
    few dozen series always shows a shift of a few days, and following it is noise.

    >>> clear_shift([407, 405, 409, 406, 408, 410, 404, 407, 406, 408, 2000])
    41.75
    >>> clear_shift([360, 370, 365, 362, 368, 366, 361, 369, 364, 367])
    0.0
    """
    cluster = sorted(g for g in gaps if abs(g - YEAR) <= ANNUAL_TOLERANCE)
    if len(cluster) < 10:
        return 0.0
    middle = float(statistics.median(cluster))
    spread = max(1.0, float(statistics.median(abs(g - middle) for g in cluster)))
    standard_error = 1.2533 * 1.4826 * spread / len(cluster) ** 0.5
    return middle - YEAR if abs(middle - YEAR) > SHIFT_SE * standard_error else 0.0


def fit_centre(cases: Sequence[Case]) -> Centre:
    """The clear shift of these cases' gaps from a year (see ``clear_shift``)."""
    return Centre(clear_shift([c.gap for c in cases]), len(cases))


def weighted_residuals(cases: Sequence[Case]) -> list[tuple[float, float, Case]]:
    """(residual in the series' own units, weight, case) of the resolved cases, sorted by
    residual. Recent cases weigh more (half the weight every ``RESIDUAL_HALF_LIFE`` days before
    the newest case): scheduling habits drift (the streaming years are less regular than the
    network years), and a window fitted evenly on decades of history is too narrow for today."""
    resolved = [c for c in cases if c.residual is not None]
    newest = max((c.resolved_on for c in resolved), default=dt.date.min)
    return sorted(
        (
            (
                c.residual / c.scale,  # type: ignore[operator]
                0.5 ** ((newest - c.resolved_on).days / RESIDUAL_HALF_LIFE),
                c,
            )
            for c in resolved
        ),
        key=lambda item: item[:2],
    )


def weighted_quantile(pairs: Sequence[tuple[float, float]], q: float) -> float:
    """Quantile of (value, weight) pairs sorted by value: the first value whose cumulative
    weight reaches ``q`` of the total (midpoint rule, so equal weights match ``quantile``)."""
    total = sum(w for _, w in pairs)
    target = q * total
    running = 0.0
    for value, weight in pairs:
        if running + weight / 2 >= target:
            return value
        running += weight
    return pairs[-1][0]


@dataclass(frozen=True)
class Window:
    low: float = DEFAULT_LOW  # the window is [point + low, point + high]
    high: float = DEFAULT_HIGH
    residuals: tuple[float, ...] = ()  # sorted; lets live estimates condition on known facts

    @classmethod
    def from_pairs(cls, pairs: Sequence[tuple[float, float]]) -> Window:
        """The window of (scaled residual, weight) pairs sorted by residual: the default below
        ``MIN_WINDOW_POOL``, the rank rule below ``MIN_POOL``, weighted quantiles from there.
        Weights only matter relative to each other, so pairs weighted against any one day
        give the same window."""
        if len(pairs) < MIN_WINDOW_POOL:
            return cls()
        residuals = tuple(value for value, _ in pairs)
        if len(pairs) < MIN_POOL:
            return cls.from_few(residuals)
        return cls(weighted_quantile(pairs, LOWER_Q), weighted_quantile(pairs, UPPER_Q), residuals)

    @classmethod
    def from_few(cls, residuals: Sequence[float]) -> Window:
        """A window from a few sorted residuals by the rank rule: the floor((n+1)/10)-th and the
        ceil((n+1)*9/10)-th smallest. For a new case like them (exchangeable), the chance of
        falling between is at least 80% whatever n is, where interpolated quantiles of a small
        sample are too narrow.

        >>> Window.from_few(list(range(-10, 20))).low, Window.from_few(list(range(-10, 20))).high
        (-8, 17)
        """
        n = len(residuals)
        low = max(1, math.floor((n + 1) * LOWER_Q))
        high = min(n, math.ceil((n + 1) * UPPER_Q))
        return cls(residuals[low - 1], residuals[high - 1], tuple(residuals))


@dataclass(frozen=True)
class Estimate:
    last: dt.date  # the last season's date the estimate counts from
    point: dt.date
    window_start: dt.date
    window_end: dt.date
    klass: str
    own: float | None
    gaps: tuple[int, ...]
    expected_gap: float = YEAR  # days after the last season, before conditioning on known facts
    probability: float = COVERAGE

    @property
    def window_days(self) -> int:
        return (self.window_end - self.window_start).days


@dataclass
class Estimator:
    """A fitted pooled prior. ``centres`` is keyed by (group, quarter), quarter 0 meaning the
    whole group; ``network_centres`` by (group, network)."""

    centres: dict[tuple[str, int], Centre] = field(default_factory=dict)
    network_centres: dict[tuple[str, str], Centre] = field(default_factory=dict)
    windows: dict[str, Window] = field(default_factory=dict)
    pool_size: int = 0

    @classmethod
    def empty(cls) -> Estimator:
        return cls()

    @classmethod
    def fit(cls, cases: Sequence[Case]) -> Estimator:
        centres: dict[tuple[str, int], Centre] = {}
        network_centres: dict[tuple[str, str], Centre] = {}
        for group in ("first", "returning"):
            members = [c for c in cases if c.group == group]
            if len(members) >= MIN_POOL:
                centres[(group, 0)] = fit_centre(members)
            for quarter in (1, 2, 3, 4):
                near = [c for c in members if c.quarter == quarter]
                if len(near) >= MIN_POOL:
                    centres[(group, quarter)] = fit_centre(near)
            by_network: dict[str, list[Case]] = {}
            for case in members:
                if case.network:
                    by_network.setdefault(case.network, []).append(case)
            for network, same in by_network.items():
                if len(same) >= MIN_POOL:
                    network_centres[(group, network)] = fit_centre(same)
        # An established series' window is learned from established series only: residuals of
        # second seasons (predicted from one date, with no rhythm to scale them) are wider, and
        # mixed in they widen every window while a pool is small.
        # The residuals are sorted and weighted once and each window takes its share, still sorted.
        ranked = weighted_residuals(cases)
        windows = {
            "all": Window.from_pairs([(v, w) for v, w, _ in ranked]),
            RETURNING: Window.from_pairs([(v, w) for v, w, c in ranked if c.own is not None]),
        }
        for klass in HistoryClass.ALL:
            if sum(c.klass == klass for c in cases) >= MIN_POOL:
                windows[klass] = Window.from_pairs(
                    [(v, w) for v, w, c in ranked if c.klass == klass]
                )
        return cls(centres, network_centres, windows, len(cases))

    def centre_for(self, group: str, quarter: int, network: str = "") -> Centre:
        """The most specific centre learned from enough cases: same network, then same time
        of year, then every series of the group, then a year."""
        return (
            (self.network_centres.get((group, network)) if network else None)
            or self.centres.get((group, quarter))
            or self.centres.get((group, 0))
            or Centre()
        )

    def window_for(self, klass: str) -> Window:
        """The class's own window (from ``MIN_POOL`` cases), else, for a series with a gap
        already, the window of every such series (from ``MIN_WINDOW_POOL`` residuals), else
        the window of every case, else the default."""
        own = self.windows.get(klass)
        if own is not None:
            return own
        returning = self.windows.get(RETURNING)
        if klass != HistoryClass.FIRST and returning is not None and returning.residuals:
            return returning
        return self.windows.get("all") or Window()

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
        last = history.dates[-1]
        own = own_rhythm(gaps)
        centre = self.centre_for(
            "first" if own is None else "returning", quarter_of(last), history.network
        )
        # The same calendar day a year on, moved by the pool's clear shift, if any.
        gap = (add_years(last, 1) - last).days + centre.shift
        point = last + dt.timedelta(days=round(gap))
        if weekly(gaps):  # scheduled on a weekday: the same weekday, nearest to that day
            point = last + dt.timedelta(weeks=round((point - last).days / 7))
        point += dt.timedelta(days=delay_days)
        gap = float((point - last).days - delay_days)
        window = self.window_for(klass)
        scale = irregularity(gaps)
        low, high = window.low * scale, window.high * scale
        if not_before is not None and point + dt.timedelta(days=round(low)) < not_before:
            low, high, point = _conditioned(window, point, not_before, scale)
        start = min(point, point + dt.timedelta(days=round(low)))
        end = max(point, point + dt.timedelta(days=round(high)))
        return Estimate(last, point, start, end, klass, own, tuple(gaps), gap)


def _conditioned(
    window: Window, point: dt.date, not_before: dt.date, scale: float = 1.0
) -> tuple[float, float, dt.date]:
    """Residual quantiles given that the date is not before ``not_before``; the point moves to
    the conditional median. Without enough such residuals the default window starts there."""
    floor = (not_before - point).days
    later = [r * scale for r in window.residuals if r * scale >= floor]
    if len(later) >= 10:
        median = quantile(later, 0.5)
        new_point = point + dt.timedelta(days=round(median))
        return quantile(later, LOWER_Q) - median, quantile(later, UPPER_Q) - median, new_point
    return 0.0, DEFAULT_HIGH - DEFAULT_LOW, not_before


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
class _Question:
    as_of: dt.date
    history: History
    season_index: int
    actual: dt.date


def questions(histories: Iterable[History]) -> list[_Question]:
    """Every season after the first, asked on the day of the season before it. A season dated
    on or before the one before it (an error in the source) is not a gap and is left out."""
    asked = []
    for history in histories:
        dates = list(history.dates)
        for i in range(1, len(dates)):
            past = History(history.key, dates[:i], history.genres, history.network)
            if dates[i] <= dates[i - 1] or any(g <= 0 for g in past.gaps):
                continue
            asked.append(_Question(dates[i - 1], past, i, dates[i]))
    asked.sort(key=lambda q: (q.as_of, q.history.key, q.season_index))
    return asked


def walk_forward(
    histories: Iterable[History], refit_growth: float = 0.02
) -> tuple[list[Prediction], Estimator]:
    """Predict every season after the first from strictly earlier information.

    Questions are asked in the order of the day they are asked on (the last known season's
    date); the pool holds only cases whose next season started before that day, each with the
    residual of the prediction made for it at its own time. The prior is refit whenever the
    pool has grown by ``refit_growth`` (2%) since the last fit, which keeps a run over
    thousands of seasons to a second. Returns the predictions and the estimator fitted on every
    case (what live estimates use).
    """
    resolved: list[Case] = []  # kept sorted by resolved_on
    resolved_days: list[dt.date] = []
    predictions: list[Prediction] = []
    estimator, fitted_size = Estimator.empty(), -1
    for question in questions(histories):
        known = bisect.bisect_left(resolved_days, question.as_of)
        if fitted_size < 0 or known > fitted_size * (1 + refit_growth) + 1:
            estimator, fitted_size = Estimator.fit(resolved[:known]), known
        estimate = estimator.predict(question.history)
        predictions.append(
            Prediction(
                question.history.key,
                question.season_index,
                len(question.history.dates),
                question.actual,
                estimate,
            )
        )
        case = make_case(
            question.history, question.actual, float((question.actual - estimate.point).days)
        )
        at = bisect.bisect_right(resolved_days, question.actual)
        resolved.insert(at, case)
        resolved_days.insert(at, question.actual)
    return predictions, Estimator.fit(resolved)


def make_case(past: History, actual: dt.date, residual: float | None) -> Case:
    gaps = past.gaps
    last = past.dates[-1]
    return Case(
        klass=history_class(gaps),
        own=own_rhythm(gaps),
        quarter=quarter_of(last),
        network=past.network,
        gap=(actual - last).days,
        resolved_on=actual,
        residual=residual,
        scale=irregularity(gaps),
    )


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def weekly(gaps: Sequence[int]) -> bool:
    """Whether the series keeps its weekday: its last two gaps were whole weeks (real premiere
    dates of a series with a weekly slot; by chance one gap in seven is)."""
    return len(gaps) >= 2 and all(g % 7 == 0 for g in gaps[-2:])


def irregularity(gaps: Sequence[int]) -> float:
    """How irregular a series' gaps have been, relative to a typical series: 1 for none known.

    Residuals are divided by it when windows are learned and multiplied back when a window is
    drawn, so a series that always returns on time gets a narrower window than one that wanders.
    """
    if not gaps:
        return 1.0
    return (
        max(SCALE_FLOOR, float(statistics.median(abs(g - YEAR) for g in gaps[-OWN_GAPS:])))
        / SCALE_FLOOR
    )
