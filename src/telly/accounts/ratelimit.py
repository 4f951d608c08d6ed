"""Log-in rate limiting with the cache only (no external service).

Failed attempts are counted per (username, client address) in a fixed window; after
``TELLY_LOGIN_ATTEMPTS`` failures the pair is refused until the window ends. Counting per pair
means an attacker cannot lock a user out from elsewhere by failing on purpose from one address.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For can be forged unless a proxy we trust sets it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(username: str, address: str) -> str:
    digest = hashlib.sha256(f"{username.strip().casefold()}|{address}".encode()).hexdigest()[:32]
    return f"login-fail:{digest}"


def _limit() -> int:
    return settings.TELLY_LOGIN_ATTEMPTS


def _window() -> int:
    return settings.TELLY_LOGIN_WINDOW


def is_blocked(username: str, address: str) -> bool:
    return int(cache.get(_key(username, address), 0)) >= _limit()


def record_failure(username: str, address: str) -> int:
    key = _key(username, address)
    if cache.add(key, 1, timeout=_window()):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=_window())
        return 1


def clear(username: str, address: str) -> None:
    cache.delete(_key(username, address))
