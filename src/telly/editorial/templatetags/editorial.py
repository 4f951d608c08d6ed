"""Template tags for the magazine: promos, the advert slot, stars, the sign-up slot."""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.conf import settings
from django.template import engines
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from telly.editorial import csp
from telly.editorial.models import Promo

register = template.Library()


_SIGNUP = "{% load newsletters %}{% newsletter_signup heading=heading form_id=form_id %}"


@register.simple_tag(takes_context=True)
def newsletter_slot(context: template.Context, heading: str = "Get our newsletters") -> SafeString:
    """The newsletters app's sign-up form when that app provides its template tag, else nothing.

    The newsletters app sits above this one (apps import downward only), so it is reached
    through the template engine, by name, never imported."""
    engine = engines["django"].engine  # type: ignore[attr-defined]
    if "newsletters" not in engine.template_libraries:
        return mark_safe("")
    try:
        signup = _signup_template()
    except template.TemplateSyntaxError:  # the library is there but has no sign-up tag
        return mark_safe("")
    values = {**context.flatten(), "heading": heading, "form_id": "article"}
    return mark_safe(signup.render(template.Context(values)))


@functools.cache
def _signup_template() -> template.Template:
    return engines["django"].engine.from_string(_SIGNUP)  # type: ignore[attr-defined]


@register.inclusion_tag("editorial/_promos.html", takes_context=True)
def promos(context: template.Context, placement: str, limit: int = 1) -> dict[str, Any]:
    """The live promos for a placement (one query)."""
    return {
        "promos": list(Promo.objects.live(placement)[:limit]),
        "request": context.get("request"),
    }


@register.simple_tag(takes_context=True)
def ad_slot(context: template.Context, name: str = "") -> SafeString:
    """The configured advert tag (``TELLY_AD_TAG``), or nothing at all: no third-party script
    is ever loaded unless a publisher configured one. Its scripts get this response's CSP
    nonce, so the page's policy lets them run and nothing else."""
    tag = getattr(settings, "TELLY_AD_TAG", "")
    if not tag:
        return mark_safe("")
    request = context.get("request")
    if request is not None:
        tag = csp.add_nonce(tag, csp.nonce_for(request))
    return format_html(
        '<aside class="ad-slot" aria-label="Advertisement" data-slot="{}">{}</aside>',
        name,
        mark_safe(tag),  # the publisher's own setting, trusted like the templates
    )


@register.filter
def stars(rating: int | None) -> str:
    """``3`` → ``★★★☆☆``."""
    if rating is None:
        return ""
    rating = max(0, min(5, int(rating)))
    return "★" * rating + "☆" * (5 - rating)


@register.filter
def duration(seconds: int | None) -> str:
    """``3725`` → ``1:02:05``; ``1500`` → ``25:00``."""
    if not seconds:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
