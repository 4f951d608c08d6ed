"""A real Telly, served by `telly serve` (granian) in a subprocess on a free loopback port, with a
fresh SQLite database holding the demo guide. Browser and fuzz tests talk to it over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

TELLY = str(Path(sys.executable).with_name("telly"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("demo-server")
    env = {
        **os.environ,
        "TELLY_DATA_DIR": str(data_dir),
        "TELLY_DATABASE_URL": f"sqlite:///{data_dir / 'telly.sqlite3'}",
        "TELLY_SECRET_KEY": "e2e-secret-key-0123456789-abcdefghij",
        "TELLY_EMAIL_URL": "locmem://",
        "DJANGO_SETTINGS_MODULE": "telly.settings",
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        ["loaddemo"],
        ["collectstatic", "--noinput", "-v", "0"],
    ):
        subprocess.run([TELLY, *command], env=env, check=True, stdout=subprocess.DEVNULL)
    port = _free_port()
    # The server's log goes to a file: a pipe nobody reads fills up and blocks the server.
    log_path = data_dir / "server.log"
    log = open(log_path, "wb")  # noqa: SIM115 (closed when the server stops)
    server = subprocess.Popen(
        [TELLY, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError(
                    f"telly serve did not start: {log_path.read_text()[-2000:]}"
                ) from None
            time.sleep(0.2)
    try:
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
