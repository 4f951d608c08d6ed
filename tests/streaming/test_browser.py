"""In a real browser (Debian's Chromium through Playwright): the where-to-watch section follows
the region and, with the keyboard, leads to where else a title streams; the price chart draws;
nothing scrolls sideways on a phone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"


@contextmanager
def chromium() -> Iterator[Any]:
    """Started inside the test, after its fixtures: once Playwright runs, this thread has an
    event loop and Django refuses database calls from it."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def fresh_offer(heartstopper_on_netflix):
    heartstopper_on_netflix.last_seen = dt.datetime.now(dt.UTC)
    heartstopper_on_netflix.save()
    return heartstopper_on_netflix


def test_where_to_watch_follows_the_region_and_points_elsewhere(live_server, fresh_offer):
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{live_server.url}/shows/heartstopper/")
        assert page.get_by_role("heading", name="Where to watch in GB").is_visible()
        assert page.get_by_text("from £4.99/month with adverts").is_visible()
        page.select_option("#region-select", "DE")
        page.wait_for_url("**region=DE**")
        assert page.get_by_text("no way to watch Heartstopper in DE").is_visible()
        page.get_by_role("link", name="GB", exact=True).focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**region=GB**")
        assert page.get_by_role("heading", name="Where to watch in GB").is_visible()


def test_the_price_chart_draws_and_phones_do_not_scroll_sideways(live_server, netflix, platforms):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 375, "height": 800})
        page.goto(f"{live_server.url}/streaming/netflix/?region=GB")
        box = page.locator(".price-chart svg").bounding_box()
        assert box is not None and box["width"] > 200
        assert page.locator(".price-chart polyline").count() == 3
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
