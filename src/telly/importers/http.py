"""The HTTP client feeds are fetched with: timeouts, retries with backoff, the source's rate
limit, and conditional requests (ETag / Last-Modified remembered per URL).

    client = FeedClient("https://api.tvmaze.com", calls=20, per=10.0)
    show = client.get_json("/shows/1058", params={"embed[]": ["cast", "seasons"]})
    # None when the server said 304 Not Modified since the last successful fetch.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

import httpx
from django.utils import timezone

from telly.importers.models import FeedValidator

RETRY_STATUSES = {429, 500, 502, 503, 504}


class FeedError(Exception):
    """A feed could not be fetched (after retries), or answered with an error."""


class FeedClient:
    def __init__(
        self,
        base_url: str,
        *,
        calls: int,
        per: float,
        timeout: float = 10.0,
        retries: int = 4,
        backoff: float = 1.0,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        conditional: bool = True,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.calls, self.per = calls, per
        self.retries, self.backoff = retries, backoff
        self.sleep, self.clock = sleep, clock
        self.conditional = conditional
        self.params = params or {}
        self.sent: deque[float] = deque()
        self.requests = 0
        self.http = httpx.Client(
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": "Telly (+https://github.com/telly)", **(headers or {})},
            follow_redirects=True,
        )

    def close(self) -> None:
        self.http.close()

    def _wait_for_slot(self) -> None:
        """At most ``calls`` requests in any ``per`` seconds (TVmaze: 20 per 10 s)."""
        now = self.clock()
        while self.sent and now - self.sent[0] >= self.per:
            self.sent.popleft()
        if len(self.sent) >= self.calls:
            self.sleep(self.per - (now - self.sent[0]))
            now = self.clock()
            while self.sent and now - self.sent[0] >= self.per:
                self.sent.popleft()
        self.sent.append(self.clock())

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base_url}/{path.lstrip('/')}"

    def get_json(
        self, path: str, params: dict[str, Any] | None = None, *, not_found_ok: bool = False
    ) -> Any:
        """The decoded JSON body; None for 304 Not Modified (or 404 when ``not_found_ok``)."""
        url = self.url(path)
        request_params = {**self.params, **(params or {})}
        key = str(
            httpx.URL(url, params={k: v for k, v in (params or {}).items()})
        )  # never the API key
        validator = (
            FeedValidator.objects.filter(url=key[:1000]).first() if self.conditional else None
        )
        headers = {}
        if validator is not None:
            if validator.etag:
                headers["If-None-Match"] = validator.etag
            if validator.last_modified:
                headers["If-Modified-Since"] = validator.last_modified
        response = self._send(url, request_params, headers)
        if response.status_code == 304:
            return None
        if response.status_code == 404 and not_found_ok:
            return None
        if response.status_code >= 400:
            raise FeedError(f"{key}: HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError as exc:
            raise FeedError(f"{key}: the response is not JSON ({exc})") from exc
        if self.conditional and (
            response.headers.get("etag") or response.headers.get("last-modified")
        ):
            FeedValidator.objects.update_or_create(
                url=key[:1000],
                defaults={
                    "etag": response.headers.get("etag", "")[:300],
                    "last_modified": response.headers.get("last-modified", "")[:100],
                    "checked_at": timezone.now(),
                },
            )
        return body

    def _send(self, url: str, params: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
        delay = self.backoff
        for attempt in range(self.retries + 1):
            self._wait_for_slot()
            self.requests += 1
            try:
                response = self.http.get(url, params=params, headers=headers)
            except httpx.TransportError as exc:
                if attempt == self.retries:
                    raise FeedError(f"{url}: {type(exc).__name__}: {exc}") from exc
                self.sleep(delay)
                delay *= 2
                continue
            if response.status_code in RETRY_STATUSES and attempt < self.retries:
                retry_after = response.headers.get("retry-after", "")
                self.sleep(float(retry_after) if retry_after.isdecimal() else delay)
                delay *= 2
                continue
            return response
        raise FeedError(f"{url}: no answer after {self.retries + 1} attempts")  # pragma: no cover
