"""In a real browser (Debian's Chromium through Playwright), an article page runs under its
Content-Security-Policy without a single violation, and the region picker still works."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"


def test_the_region_picker_works_under_the_policy(
    live_server, make_article, heartstopper, heartstopper_on_netflix
) -> None:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    article = make_article(
        "Browser check", titles=[heartstopper], video_url="https://youtu.be/dQw4w9WgXcQ"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        # No network in tests: the video player's frame is answered locally.
        page.route(
            "https://www.youtube-nocookie.com/**", lambda route: route.fulfill(status=204, body="")
        )
        violations: list[str] = []
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.goto(f"{live_server.url}{article.get_absolute_url()}")
        assert page.get_by_role("heading", name="Where to watch in GB").is_visible()
        page.select_option("#region-select", "US")
        page.wait_for_url("**region=US**")
        assert page.get_by_role("heading", name="Where to watch in US").is_visible()
        browser.close()
    assert violations == []


def test_the_admin_preview_follows_the_editors_typing(live_server, editor, drama) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.route(
            "https://www.youtube-nocookie.com/**", lambda route: route.fulfill(status=204, body="")
        )
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", "correct horse battery")
        page.click("input[type=submit]")
        page.goto(f"{live_server.url}/admin/editorial/article/add/")
        page.fill("#id_headline", "Typed headline")
        page.fill(
            "#id_body",
            "Some **bold** words <script>alert(1)</script>\n\nhttps://youtu.be/dQw4w9WgXcQ",
        )
        preview = page.locator("#ed-preview")
        preview.locator("strong", has_text="bold").wait_for(timeout=5000)
        html = preview.inner_html()
        browser.close()
    assert "<h1>Typed headline</h1>" in html
    assert "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" in html
    assert "<script" not in html
