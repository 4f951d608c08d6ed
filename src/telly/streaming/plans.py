"""Plans and prices: the cheapest plan in force on a day, labels, and the price history.

    >>> plan_label(plan, "GB")  # doctest: +SKIP
    '£4.99/month with adverts'

Days are inclusive on both ends (``Plan.valid_from``/``valid_to``); a plan with no price in
force on a day is not offered that day. ``telly.streaming.queries`` re-exports these names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from telly.streaming.models import Plan, Provider
from telly.streaming.money import format_money

__all__ = [
    "PlanHistory",
    "PricePoint",
    "cheapest",
    "cheapest_plan",
    "plan_history",
    "plan_label",
    "plans_on",
]


def cheapest_plan(
    provider: Provider | int, region: str, on: dt.date | None = None, *, ads: bool | None = None
) -> Plan | None:
    """The plan with the lowest monthly price in force on ``on`` (today by default);
    ``ads=False`` asks for the cheapest plan without adverts."""
    plans = Plan.objects.filter(provider=provider, region=region).valid_on(
        on or timezone.now().date()
    )
    if ads is not None:
        plans = plans.filter(has_ads=ads)
    return cheapest(plans)


def cheapest(plans: Iterable[Plan]) -> Plan | None:
    return min(plans, key=lambda p: (p.monthly_price, p.has_ads, p.name), default=None)


def plan_label(plan: Plan, region: str) -> str:
    """``£4.99/month with adverts``."""
    text = f"{format_money(plan.price, plan.currency, region)}/{plan.period}"
    return f"{text} with adverts" if plan.has_ads else text


def plans_on(providers: Iterable[int], region: str, on: dt.date) -> dict[int, list[Plan]]:
    """Plans in force on a day per provider id, in one query."""
    by_provider: dict[int, list[Plan]] = {}
    for plan in Plan.objects.filter(provider_id__in=list(providers), region=region).valid_on(on):
        by_provider.setdefault(plan.provider_id, []).append(plan)
    return by_provider


@dataclass
class PricePoint:
    valid_from: dt.date | None
    valid_to: dt.date | None
    price: Decimal
    currency: str
    label: str
    source_url: str


@dataclass
class PlanHistory:
    name: str
    region: str
    currency: str
    period: str
    has_ads: bool
    points: list[PricePoint]
    current: PricePoint | None
    streams: int | None = None  # screens at once, as the latest row says
    quality: str = ""


def plan_history(provider: Provider, region: str, on: dt.date | None = None) -> list[PlanHistory]:
    """Every price of each of the provider's plans in ``region``, oldest first; ``current`` is
    the price in force on ``on`` (today), None when the plan has ended."""
    on = on or timezone.now().date()
    histories: dict[str, PlanHistory] = {}
    for plan in Plan.objects.filter(provider=provider, region=region).history():
        history = histories.get(plan.name)
        if history is None:
            history = histories[plan.name] = PlanHistory(
                plan.name, plan.region, plan.currency, plan.period, plan.has_ads, [], None
            )
        point = PricePoint(
            plan.valid_from,
            plan.valid_to,
            plan.price,
            plan.currency,
            format_money(plan.price, plan.currency, region),
            plan.source_url,
        )
        history.points.append(point)
        history.streams = plan.streams or history.streams
        history.quality = plan.quality or history.quality
        if plan.is_valid_on(on):
            history.current = point
    return sorted(
        histories.values(),
        key=lambda h: (h.current is None, h.current.price if h.current else 0, h.name),
    )
