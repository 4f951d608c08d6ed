"""Helpers for the importer tests: small files written per test, the recorded fixtures, and a
local HTTP server that replays recorded responses (no test reaches the internet)."""

from __future__ import annotations

import gzip
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """write("plans.csv", "a,b\\n1,2\\n") → the path; bytes are written as they are."""

    def _write(name: str, content: str | bytes, *, gz: bool = False) -> Path:
        path = tmp_path / name
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(gzip.compress(data) if gz else data)
        return path

    return _write


class Replay:
    """Routes (path → (status, body, headers)) served on 127.0.0.1; every request is logged."""

    def __init__(self) -> None:
        self.routes: dict[str, list[tuple[int, object, dict[str, str]]]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []

    def add(
        self, path: str, body: object, status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        self.routes.setdefault(path, []).append((status, body, headers or {}))


@pytest.fixture
def replay() -> Iterator[tuple[Replay, str]]:
    state = Replay()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            state.requests.append((self.path, dict(self.headers)))
            answers = state.routes.get(path)
            if not answers:
                self.send_response(404)
                self.end_headers()
                return
            status, body, headers = answers.pop(0) if len(answers) > 1 else answers[0]
            etag = headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag:
                status, body = 304, None
            payload = (
                b""
                if body is None
                else (body if isinstance(body, bytes) else json.dumps(body).encode())
            )
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
