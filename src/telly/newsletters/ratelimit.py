"""A fixed-window counter in the cache: enough to stop a script from mail-bombing an address or
filling the subscriber table, with nothing to keep in sync (works with locmem or Redis)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def allow(scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit for ``key`` in ``scope``; False once ``limit`` hits fell in the window."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"telly:nl:rl:{scope}:{digest}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        return True
    return count <= limit
