import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from telly.streaming.queries import cheapest_plan, plan_history, plan_label

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "price", "name"),
    [
        (dt.date(2015, 6, 1), "5.99", "Basic"),
        (dt.date(2022, 3, 10), "6.99", "Basic"),  # the day the price changed
        (dt.date(2022, 11, 2), "6.99", "Basic"),
        (dt.date(2022, 11, 3), "4.99", "Standard with adverts"),
        (dt.date(2024, 1, 1), "4.99", "Standard with adverts"),
    ],
)
def test_the_cheapest_plan_is_the_one_in_force_that_day(netflix, day, price, name):
    plan = cheapest_plan(netflix, "GB", day)
    assert (plan.name, plan.price) == (name, Decimal(price))


def test_netflix_from_4_99_a_month_comes_from_the_data(netflix):
    plan = cheapest_plan(netflix, "GB", dt.date(2023, 9, 16))
    assert f"Netflix from {plan_label(plan, 'GB')}" == "Netflix from £4.99/month with adverts"


def test_the_cheapest_plan_without_adverts_can_be_asked_for(netflix):
    plan = cheapest_plan(netflix, "GB", dt.date(2023, 9, 16), ads=False)
    assert (plan.name, plan.price) == ("Standard", Decimal("10.99"))


def test_no_plan_before_the_first_price_or_in_another_region(netflix):
    assert cheapest_plan(netflix, "GB", dt.date(2010, 1, 1)) is None
    assert cheapest_plan(netflix, "US", dt.date(2023, 1, 1)) is None


@time_machine.travel(dt.datetime(2018, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_today_is_the_default_day(netflix):
    assert cheapest_plan(netflix, "GB").price == Decimal("5.99")


def test_the_history_lists_every_price_oldest_first_with_the_current_one(netflix):
    histories = {h.name: h for h in plan_history(netflix, "GB", dt.date(2018, 6, 1))}
    standard = histories["Standard"]
    assert [p.price for p in standard.points] == [
        Decimal("7.49"),
        Decimal("7.99"),
        Decimal("10.99"),
    ]
    assert standard.current.label == "£7.99"
    assert histories["Standard with adverts"].current is None  # not launched yet in 2018


def test_a_plan_that_ended_has_no_current_price(netflix):
    histories = {h.name: h for h in plan_history(netflix, "GB", dt.date(2024, 1, 1))}
    assert histories["Basic"].current is None
    assert histories["Standard"].current.price == Decimal("10.99")


def test_monthly_price_compares_yearly_plans_fairly(netflix):
    yearly = netflix.plans.create(
        name="Annual",
        region="GB",
        currency="GBP",
        price=Decimal("48.00"),
        period="year",
        valid_from=dt.date(2023, 1, 1),
    )
    assert yearly.monthly_price == Decimal("4.00")
    assert cheapest_plan(netflix, "GB", dt.date(2023, 9, 16)).name == "Annual"
