"""The estimator on small synthetic histories: no database, no files."""

import datetime as dt
import random

import pytest

from telly.releases.estimator import (
    DEFAULT_HIGH,
    DEFAULT_LOW,
    MIN_WINDOW_POOL,
    YEAR,
    Case,
    Centre,
    Estimator,
    History,
    HistoryClass,
    Window,
    clear_shift,
    walk_forward,
)


def yearly(key: str, first: dt.date, seasons: int, jitter: list[int]) -> History:
    dates = [first]
    for i in range(1, seasons):
        dates.append(dates[-1] + dt.timedelta(days=365 + jitter[i % len(jitter)]))
    return History(key, dates)


def synthetic_pool(series: int = 120, seed: int = 7) -> list[History]:
    """Series that mostly return a year later, give or take a few weeks, and sometimes skip a year."""
    rng = random.Random(seed)
    pool = []
    for n in range(series):
        day = dt.date(1995, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 12))
        dates = [day]
        for _ in range(rng.randrange(2, 7)):
            gap = 365 + int(rng.gauss(0, 14)) + (365 if rng.random() < 0.08 else 0)
            dates.append(dates[-1] + dt.timedelta(days=gap))
        pool.append(History(f"s{n}", dates))
    return pool


def test_with_no_pool_it_predicts_a_year_after_the_last_season():
    history = History("x", [dt.date(2020, 10, 1), dt.date(2021, 10, 1)])
    estimate = Estimator.empty().predict(history)
    assert estimate.point == dt.date(2022, 10, 1)
    assert estimate.window_start < estimate.point < estimate.window_end


def test_it_is_deterministic():
    pool = synthetic_pool()
    first, _ = walk_forward(pool)
    second, _ = walk_forward(list(reversed(pool)))
    assert [(p.key, p.season_index, p.estimate) for p in first] == [
        (p.key, p.season_index, p.estimate) for p in second
    ]


def test_it_never_uses_a_season_that_had_not_started_when_it_predicts():
    pool = synthetic_pool()
    predictions, _ = walk_forward(pool)
    honest = {(p.key, p.season_index): p.estimate for p in predictions}
    # Change every season that starts after 2005: predictions asked before 2005 must not move.
    changed = [
        History(
            h.key, [d if d < dt.date(2005, 1, 1) else d + dt.timedelta(days=200) for d in h.dates]
        )
        for h in pool
    ]
    again, _ = walk_forward(changed)
    for p in again:
        if p.estimate.last < dt.date(2005, 1, 1) and p.actual < dt.date(2005, 1, 1):
            assert honest[(p.key, p.season_index)] == p.estimate


def test_its_80_percent_windows_hold_about_80_percent_of_real_dates():
    predictions, _ = walk_forward(synthetic_pool(series=400, seed=3))
    later = [p for p in predictions if p.estimate.last.year >= 2001]  # once the pool is large
    inside = sum(p.inside for p in later) / len(later)
    assert 0.72 <= inside <= 0.88


def test_it_beats_same_gap_as_last_time_on_noisy_yearly_series():
    predictions, _ = walk_forward(synthetic_pool(series=400, seed=5))
    later = [p for p in predictions if p.earlier >= 2]
    ours = sorted(abs(p.error_days) for p in later)[len(later) // 2]
    naive = sorted(
        abs((p.actual - (p.estimate.last + dt.timedelta(days=p.estimate.gaps[-1]))).days)
        for p in later
    )
    assert ours < naive[len(naive) // 2] * 0.8


def test_a_halt_delays_the_estimate_by_its_length():
    history = yearly("x", dt.date(2018, 9, 20), 4, [0])
    plain = Estimator.empty().predict(history)
    delayed = Estimator.empty().predict(history, delay_days=120)
    assert (delayed.point - plain.point).days == 120


def test_knowing_it_has_not_aired_moves_the_window_after_that_day():
    history = yearly("x", dt.date(2018, 9, 20), 4, [0])
    _, fitted = walk_forward(synthetic_pool(series=300))
    estimate = fitted.predict(history, not_before=dt.date(2022, 12, 1))
    assert estimate.window_start >= dt.date(2022, 11, 25)
    assert estimate.point >= dt.date(2022, 12, 1)


def test_out_of_order_seasons_are_left_out_not_scored():
    history = History(
        "odd", [dt.date(2010, 1, 1), dt.date(2011, 1, 1), dt.date(2009, 6, 1), dt.date(2012, 1, 1)]
    )
    predictions, _ = walk_forward([history])
    assert [p.season_index for p in predictions] == [1]


def test_series_of_a_network_with_its_own_habit_get_that_networks_centre():
    rng = random.Random(1)
    pool = []
    for n in range(200):
        late = n % 2 == 0  # half the series are on a network that always comes back 6 weeks late
        day = dt.date(1995, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 10))
        dates = [day]
        for _ in range(4):
            dates.append(
                dates[-1] + dt.timedelta(days=(407 if late else 365) + rng.randrange(-3, 4))
            )
        pool.append(History(f"s{n}", dates, network="Late TV" if late else "Prompt TV"))
    _, fitted = walk_forward(pool)
    start = [dt.date(2010, 1, 1)]  # one season: the estimate is the centre alone
    late = fitted.predict(History("a", start, network="Late TV"))
    prompt = fitted.predict(History("b", start, network="Prompt TV"))
    unknown = fitted.predict(History("c", start))
    assert abs((late.point - start[-1]).days - 407) <= 3
    assert abs((prompt.point - start[-1]).days - 365) <= 3
    assert prompt.point <= unknown.point <= late.point


def test_a_series_that_keeps_its_weekday_is_predicted_on_that_weekday():
    # Premieres on Tuesdays, 52 weeks apart: the anniversary is a Wednesday, the estimate not.
    history = History("w", [dt.date(2019, 9, 24), dt.date(2020, 9, 22), dt.date(2021, 9, 21)])
    estimate = Estimator.empty().predict(history)
    assert estimate.point.weekday() == history.dates[-1].weekday()
    assert estimate.point == dt.date(2022, 9, 20)


def test_a_series_without_a_weekday_habit_gets_the_calendar_anniversary():
    history = History("d", [dt.date(2019, 9, 24), dt.date(2020, 9, 30), dt.date(2021, 9, 21)])
    assert Estimator.empty().predict(history).point == dt.date(2022, 9, 21)


def test_a_pools_small_shift_from_a_year_is_ignored_and_a_clear_one_followed():
    noisy = [365 + d for d in (-20, -9, -3, 0, 2, 4, 6, 9, 12, 25, -14, 17)]
    assert clear_shift(noisy) == 0.0  # a median of 3 days late, within the noise
    assert clear_shift([400 + d for d in range(-5, 6)]) == pytest.approx(400 - YEAR)
    assert clear_shift([365, 700, 1100]) == 0.0  # too few gaps near a year to say


def test_the_pooled_prior_never_moves_the_estimate_off_a_year_on_pure_noise():
    # Every series comes back a year later give or take two weeks, with no habit: the pool
    # must not invent a shift, so the estimate is the anniversary.
    _, fitted = walk_forward(synthetic_pool(series=400, seed=9))
    history = History("n", [dt.date(2019, 3, 3), dt.date(2020, 3, 10)])
    assert fitted.predict(history).point == dt.date(2021, 3, 10)


def test_the_sentence_says_what_the_estimate_follows():
    from telly.releases.estimates import ProductionFacts, explain

    tuesdays = History("w", [dt.date(2019, 9, 24), dt.date(2020, 9, 22), dt.date(2021, 9, 21)])
    estimate = Estimator.empty().predict(tuesdays)
    why = explain(estimate, 3, ProductionFacts(dt.date(2021, 9, 22)))
    assert why.startswith("Season 3 followed season 2 after 12 months")
    assert "return about a year after their last season, and it keeps its Tuesday slot" in why

    late = Estimator(centres={("returning", 0): Centre(shift=60.0, size=100)})
    irregular = History("i", [dt.date(2019, 1, 5), dt.date(2020, 1, 9), dt.date(2021, 1, 4)])
    why = explain(late.predict(irregular), 3, ProductionFacts(dt.date(2021, 1, 5)))
    assert "series like it return about 14 months after their last season" in why
    assert "Tuesday" not in why and "slot" not in why


def test_a_window_from_a_few_residuals_holds_about_80_percent_of_new_cases():
    rng = random.Random(4)
    inside, total = 0, 0
    for _ in range(200):
        window = Window.from_few(sorted(rng.gauss(0, 10) for _ in range(25)))
        assert window.high - window.low < DEFAULT_HIGH - DEFAULT_LOW  # narrower than no pool
        new = [rng.gauss(0, 10) for _ in range(50)]
        inside += sum(window.low <= r <= window.high for r in new)
        total += len(new)
    assert 0.78 <= inside / total <= 0.88  # the rank rule: 80% or a little more


def test_nine_residuals_make_a_window_that_holds_80_percent_of_new_cases():
    # Nine is the fewest residuals whose lowest and highest hold 80% of a new one (8 in 10).
    rng = random.Random(11)
    inside, total = 0, 0
    for _ in range(400):
        window = Window.from_few(sorted(rng.gauss(0, 10) for _ in range(MIN_WINDOW_POOL)))
        new = [rng.gauss(0, 10) for _ in range(20)]
        inside += sum(window.low <= r <= window.high for r in new)
        total += len(new)
    assert MIN_WINDOW_POOL == 9
    assert 0.77 <= inside / total <= 0.83


def case(klass: str, residual: float, day: int) -> Case:
    first = klass == HistoryClass.FIRST
    return Case(
        klass=klass,
        own=None if first else 365.0,
        quarter=1,
        gap=365 + int(residual),
        resolved_on=dt.date(2000, 1, 1) + dt.timedelta(days=day),
        residual=residual,
    )


def test_an_established_series_window_leaves_second_season_residuals_out():
    # A small pool: 30 second seasons that came back anywhere within a year and a half, and
    # 12 established series that came back within a week of their anniversary.
    seconds = [case(HistoryClass.FIRST, r, i) for i, r in enumerate(range(-300, 300, 20))]
    established = [case(HistoryClass.ANNUAL, r, 100 + i) for i, r in enumerate(range(-6, 6))]
    fitted = Estimator.fit(seconds + established)
    history = History("x", [dt.date(2019, 3, 3), dt.date(2020, 3, 3), dt.date(2021, 3, 3)])
    estimate = fitted.predict(history)
    assert (estimate.point - estimate.window_start).days <= 6
    assert (estimate.window_end - estimate.point).days <= 6
    # A second season has only second seasons' and everyone's residuals to go by: wide.
    second = fitted.predict(History("y", [dt.date(2021, 3, 3)]))
    assert second.window_days > 300
    # With fewer than nine established residuals, the window of every case is used.
    few = Estimator.fit(seconds + established[:8]).predict(history)
    assert few.window_days > 300
