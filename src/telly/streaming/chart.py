"""A small price-history chart drawn as inline SVG (no JavaScript, readable by a screen reader
through the table beside it): one step line per plan, from its first price to ``until``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from telly.streaming.queries import PlanHistory

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 12, 28
HUES = [330, 210, 140, 35, 270, 0, 180, 90]


@dataclass
class Series:
    name: str
    hue: int
    points: str  # SVG polyline points
    last_label: str


@dataclass
class Tick:
    pos: float
    label: str


@dataclass
class PriceChart:
    width: int
    height: int
    series: list[Series]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def price_chart(
    histories: list[PlanHistory], until: dt.date, symbol: str = ""
) -> PriceChart | None:
    """None when there is nothing to draw (no dated price)."""
    dated = [h for h in histories if any(p.valid_from for p in h.points)]
    if not dated:
        return None
    start = min(p.valid_from for h in dated for p in h.points if p.valid_from)
    start = dt.date(start.year, 1, 1)
    end = max(until, start + dt.timedelta(days=365))
    top_price = max(p.price for h in dated for p in h.points)
    ceiling = Decimal(int(top_price / 5) * 5 + 5)
    span = (end - start).days or 1

    def x(day: dt.date) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (day - start).days / span, 1)

    def y(price: Decimal) -> float:
        return round(HEIGHT - BOTTOM - float(price / ceiling) * (HEIGHT - TOP - BOTTOM), 1)

    series = []
    for index, history in enumerate(dated):
        coords: list[str] = []
        for point in history.points:
            begin = point.valid_from or start
            finish = min(point.valid_to or end, end)
            if finish < begin:
                continue
            if coords:  # a vertical step from the previous price
                coords.append(f"{x(begin)},{y(point.price)}")
            coords.append(f"{x(begin)},{y(point.price)}")
            coords.append(f"{x(finish)},{y(point.price)}")
        if coords:
            last = history.points[-1]
            series.append(
                Series(history.name, HUES[index % len(HUES)], " ".join(coords), last.label)
            )
    years = range(start.year, end.year + 1, max(1, (end.year - start.year) // 6 or 1))
    x_ticks = [Tick(x(dt.date(year, 1, 1)), str(year)) for year in years]
    step = ceiling / 4
    y_ticks = [Tick(y(step * i), f"{symbol}{(step * i).quantize(Decimal('1'))}") for i in range(5)]
    return PriceChart(WIDTH, HEIGHT, series, x_ticks, y_ticks)
