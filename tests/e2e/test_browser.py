"""The demo guide in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(
    os.environ.get("TELLY_SCREENSHOTS", Path(__file__).resolve().parents[2] / "test-artifacts")
)


@pytest.fixture(scope="module")
def page() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does this)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        yield context.new_page()
        browser.close()


def test_home_renders_and_leads_to_a_title(page, demo_server: str) -> None:
    page.goto(f"{demo_server}/")
    assert page.locator("h1").first.is_visible()
    page.screenshot(path=str(SHOTS / "home.png"), full_page=True)
    page.goto(f"{demo_server}/shows/heartstopper/")
    assert "Heartstopper" in page.locator("h1").first.inner_text()
    assert page.get_by_text("Charlie Spring").first.is_visible()
    page.screenshot(path=str(SHOTS / "title.png"), full_page=True)


def test_navigation_works_from_the_header(page, demo_server: str) -> None:
    page.goto(f"{demo_server}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Shows").click()
    page.wait_for_url("**/shows/")
    first = page.locator(".cards .card-link").first
    name = first.locator(".card-title").inner_text()
    first.click()
    assert name in page.locator("h1").first.inner_text()


def test_keyboard_users_can_skip_to_content(page, demo_server: str) -> None:
    page.goto(f"{demo_server}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to content" in focused


def test_the_title_page_fits_a_phone(page, demo_server: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{demo_server}/shows/heartstopper/")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    page.screenshot(path=str(SHOTS / "title-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert overflow <= 1
