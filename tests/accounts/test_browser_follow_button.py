"""In a real browser (Debian's Chromium through Playwright): sign in, follow a show with one
click (htmx swaps the buttons in place), and the same button works with JavaScript off."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from telly.accounts.models import Follow, WatchlistItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM = "/usr/bin/chromium"


@contextmanager
def chromium() -> Iterator[Any]:
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


def _sign_in(page: Any, base: str, next_path: str) -> None:
    page.goto(f"{base}/account/login/?next={next_path}")
    page.get_by_label("Username").fill("owner")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}{next_path}")


def test_following_with_one_click_and_without_javascript(live_server, owner, heartstopper):
    path = heartstopper.get_absolute_url()
    with chromium() as browser:
        page = browser.new_page()
        _sign_in(page, live_server.url, path)
        page.get_by_role("button", name="+ Follow").click()
        page.get_by_role("button", name="✓ Following").wait_for()
        assert page.url == f"{live_server.url}{path}"  # swapped in place, no navigation

        plain = browser.new_context(java_script_enabled=False).new_page()
        _sign_in(plain, live_server.url, path)
        plain.get_by_role("button", name="+ Watchlist").click()
        plain.wait_for_load_state()
        assert plain.get_by_role("button", name="✓ On my watchlist").is_visible()
    assert Follow.objects.filter(user=owner, title=heartstopper).exists()
    assert WatchlistItem.objects.filter(user=owner, title=heartstopper).exists()
