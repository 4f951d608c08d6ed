"""axe-core's WCAG 2 A and AA rules on the demo guide's pages, at desktop and phone widths, in
Debian's Chromium. axe-core comes from npm: `make slow-deps` (which `.ci/run` calls) installs it
under .venv/axe. It is injected into each page and never committed."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
AXE = Path(
    os.environ.get(
        "TELLY_AXE_JS",
        Path(__file__).resolve().parents[2] / ".venv/axe/node_modules/axe-core/axe.min.js",
    )
)
PAGES = [
    "/",
    "/shows/heartstopper/",
    "/films/encanto/",
    "/people/yasmin-finney/",
    "/search/?q=elle+argent",
    "/tv-guide/",
    "/tv-guide/bbc-one-lon/",
    "/streaming/",
    "/streaming/netflix/?region=US",
    "/calendar/",
    "/news/",
    "/news/drama/squid-game-review/",
    "/newsletters/",
    "/account/login/",
    "/account/signup/",
]
RUN_AXE = """async () => {
  const result = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']});
  return result.violations.map(v => ({
    rule: v.id,
    impact: v.impact,
    where: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
  }));
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does this)")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make slow-deps` (it installs axe-core from npm)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_demo_pages_pass_wcag_a_and_aa_rules(browser, demo_server, width):
    # The pages' Content-Security-Policy forbids injected scripts; only the checker is let in.
    page = browser.new_page(viewport={"width": width, "height": 900}, bypass_csp=True)
    found = {}
    for path in PAGES:
        response = page.goto(demo_server + path)
        assert response is not None and response.status == 200, path
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN_AXE)
        if violations:
            found[path] = violations
    page.close()
    assert found == {}, json.dumps(found, indent=1)
