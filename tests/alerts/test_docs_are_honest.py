"""Every setting, page and API path of accounts and alerts appears in their docs."""

from pathlib import Path

from django.urls import get_resolver

from telly.api.api import api

DOCS = Path(__file__).resolve().parents[2] / "docs"
TEXT = (DOCS / "accounts.md").read_text() + (DOCS / "alerts.md").read_text()


def test_every_setting_is_documented():
    from telly import settings

    ours = [name for name in vars(settings) if name.startswith(("TELLY_LOGIN", "TELLY_ALERT"))]
    assert ours and all(f"`{name}`" in TEXT for name in ours)


def test_every_api_path_is_documented(db):
    paths = [
        p.removeprefix("/api/v1")
        for p in api.get_openapi_schema()["paths"]
        if p.startswith("/api/v1/me/")
    ]
    assert paths
    for path in paths:
        assert path in TEXT, path


def test_every_page_is_documented():
    resolver = get_resolver()
    for prefix, app in (("/account/", "telly.accounts.urls"), ("/feeds/", "telly.alerts.urls")):
        patterns = [
            p
            for p in resolver.url_patterns
            if getattr(p, "urlconf_name", None).__class__.__name__ == "module"
            and p.urlconf_name.__name__ == app
        ]
        for included in patterns[0].url_patterns:
            route = str(included.pattern).split("<", 1)[0]
            assert f"{prefix}{route}" in TEXT, f"{prefix}{route}"
