"""A Content Security Policy for the magazine's pages.

Articles carry text from many hands and, when a publisher configures one, an advert tag, so
their pages say exactly what may run: our own scripts, the two video players, and (only when
``TELLY_AD_TAG`` is set) the ad tag's scripts, which get a per-response nonce. The one inline
event handler the site's base template uses (the region picker's ``onchange``) is allowed by
its hash, so the rest of the page keeps working.

Only the editorial views send this header; the site-wide policy (Django's ``SECURE_CSP``) is
left to the project, because other pages have inline handlers of their own.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"
# Inline handlers in base.html that the policy allows by hash ('unsafe-hashes').
ALLOWED_HANDLERS = ("this.form.submit()",)
PLAYERS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")
_SCRIPT_OPEN = re.compile(r"<script\b", re.IGNORECASE)


def source_hash(code: str) -> str:
    """The CSP source expression for one inline script or handler: ``'sha256-…'``."""
    digest = hashlib.sha256(code.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def policy(nonce: str | None = None) -> str:
    scripts = ["'self'", "'unsafe-hashes'", *(source_hash(h) for h in ALLOWED_HANDLERS)]
    if nonce:  # a configured ad tag: its scripts carry the nonce and may load more from https
        scripts += [f"'nonce-{nonce}'", "https:"]
    directives = {
        "default-src": ["'self'"],
        "script-src": scripts,
        # Templates colour placeholders with style="--hue: …" attributes.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "https:", "data:"],
        "media-src": ["'self'", "https:"],
        "frame-src": [*PLAYERS, *(["https:"] if nonce else [])],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def nonce_for(request: HttpRequest) -> str:
    """This response's nonce for the ad tag's scripts (made on first use)."""
    nonce = getattr(request, "_editorial_csp_nonce", None)
    if nonce is None:
        nonce = secrets.token_urlsafe(18)
        request._editorial_csp_nonce = nonce  # type: ignore[attr-defined]
    return nonce


def add_nonce(tag_html: str, nonce: str) -> str:
    """``<script src=…>`` → ``<script nonce="…" src=…>`` for every script in an ad tag."""
    return _SCRIPT_OPEN.sub(f'<script nonce="{nonce}"', tag_html)


def protected(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send the magazine's policy with an HTML response (unless one is already set)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if not settings.TELLY_EDITORIAL_CSP or HEADER in response:
            return response
        if response.get("Content-Type", "").startswith("text/html"):
            nonce = getattr(request, "_editorial_csp_nonce", None)
            response[HEADER] = policy(nonce)
        return response

    return wrapper
