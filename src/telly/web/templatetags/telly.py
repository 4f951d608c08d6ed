"""Template tags every page may use (loaded as builtins)."""

from __future__ import annotations

from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag(takes_context=True)
def query(context: dict, **changes: object) -> str:
    """The current query string with some parameters changed: ``{% query page=2 %}``."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def minutes(value: int | None) -> str:
    """``95`` → ``1h 35m``."""
    if not value:
        return ""
    hours, mins = divmod(int(value), 60)
    if hours and mins:
        return f"{hours}h {mins}m"
    return f"{hours}h" if hours else f"{mins}m"


@register.filter
def make_list_of_regions(value: str) -> list[str]:
    """The region picker's choices: a space-separated list of ISO codes."""
    return value.split()


@register.filter
def hue(value: object) -> int:
    """A stable colour for a placeholder poster, from an id or a name."""
    text = str(value)
    return sum(ord(ch) * (i + 1) for i, ch in enumerate(text)) * 37 % 360


@register.filter
def get_item(mapping: dict, key: object) -> object:
    """``{{ episodes|get_item:season.number }}``."""
    return mapping.get(key) if hasattr(mapping, "get") else None
