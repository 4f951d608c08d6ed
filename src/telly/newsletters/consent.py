"""The consent wording a sign-up form shows, by version, and the keyed client hash.

The wording is never edited in place: a change is a new version, so every ``Consent`` row still
says exactly what that reader was shown.
"""

from __future__ import annotations

from django.utils.crypto import salted_hmac

WORDINGS: dict[str, str] = {
    "2026-11": (
        "Send me the newsletters I ticked. I can change my lists or unsubscribe in one click from "
        "any email. Telly keeps my email address, my choices and when I made them, and nothing "
        "else, as the privacy policy explains."
    ),
}
CURRENT_VERSION = "2026-11"


def current_wording() -> str:
    return WORDINGS[CURRENT_VERSION]


def client_hash(address: str | None) -> str:
    """A keyed hash of the client address: lets a rate limit or an abuse report tie sign-ups to
    one client without ever storing the address (the key is the site's secret key)."""
    if not address:
        return ""
    return salted_hmac("telly.newsletters.client", address, algorithm="sha256").hexdigest()[:32]


def client_address(request: object) -> str:
    meta = getattr(request, "META", {})
    return str(meta.get("REMOTE_ADDR", ""))
