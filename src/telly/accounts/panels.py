"""The "Follow / Watchlist" section at the top of title and person pages (order 0)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from telly.accounts import lists, progress
from telly.catalog.models import Person, Title
from telly.catalog.panels import Panel, home_panels, person_panels, title_panels


def title_panel_context(request: HttpRequest, title: Title) -> dict[str, Any] | None:
    user = request.user
    data: dict[str, Any] = {"signed_in": user.is_authenticated, "next": request.get_full_path()}
    if not user.is_authenticated:
        return data
    data["state"] = lists.title_state(user, title)
    if title.is_episodic:
        found = progress.progress_for(user, titles=[title])
        data["progress"] = found[0] if found else None
        data["seasons"] = sorted({n for n in title.seasons.values_list("number", flat=True) if n})
    return data


def person_panel_context(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    user = request.user
    data: dict[str, Any] = {"signed_in": user.is_authenticated, "next": request.get_full_path()}
    if user.is_authenticated:
        data["state"] = lists.person_state(user, person)
    return data


def home_up_next_context(request: HttpRequest, _: Any) -> dict[str, Any] | None:
    """ "Up next" on the home page: the signed-in viewer's series in progress (none: no row)."""
    if not request.user.is_authenticated:
        return None
    rows = progress.up_next(request.user)[:8]
    return {"up_next": rows} if rows else None


def register() -> None:
    title_panels.register(
        Panel("accounts-title", "accounts/_title_panel.html", title_panel_context, order=0)
    )
    home_panels.register(
        Panel("accounts-up-next", "accounts/_home_up_next.html", home_up_next_context, order=5)
    )
    person_panels.register(
        Panel("accounts-person", "accounts/_person_panel.html", person_panel_context, order=0)
    )
