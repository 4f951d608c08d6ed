"""Sections that other apps add to the catalogue's pages.

The catalogue knows nothing of streaming, listings or articles (apps import downward only), yet
its title page shows "Where to watch", "On TV" and "Coverage". Each of those apps registers a
panel here from its ``AppConfig.ready``; a panel whose ``context`` returns ``None`` has nothing
true to show and is left out of the page.

    title_panels.register(Panel("where-to-watch", "streaming/_title_panel.html", where_to_watch, order=10))

Where a panel sits on the page follows its ``order`` unless ``slot`` says otherwise: 0 or less
is an action in the page's header (follow, watchlist), 1-79 comes before the catalogue's own
sections (cast, seasons), 80 and more after them (sign-up forms and the like).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]
    order: int = 50
    slot: str = ""

    @property
    def placement(self) -> str:
        if self.slot:
            return self.slot
        return "actions" if self.order <= 0 else "after" if self.order >= 80 else "main"


@dataclass(frozen=True)
class RenderedPanel:
    name: str
    template: str
    data: dict[str, Any]
    slot: str = "main"


@dataclass
class PanelRegistry:
    panels: dict[str, Panel] = field(default_factory=dict)

    def register(self, panel: Panel) -> None:
        self.panels[panel.name] = panel

    def render(self, request: HttpRequest, obj: Any) -> list[RenderedPanel]:
        shown = []
        for panel in sorted(self.panels.values(), key=lambda p: (p.order, p.name)):
            data = panel.context(request, obj)
            if data is not None:
                shown.append(RenderedPanel(panel.name, panel.template, data, panel.placement))
        return shown


title_panels = PanelRegistry()  # obj: Title; on /shows/<slug>/ and /films/<slug>/
person_panels = PanelRegistry()  # obj: Person
home_panels = PanelRegistry()  # obj: None; sections of the home page
