"""A real worker process, a real SMTP server on loopback and a real SIGKILL.

The worker claims a batch of alerts and sends them one by one. When the SMTP server receives
the 8th message it kills the worker *before* acknowledging it (so that message was not
accepted, as a real mail server would treat it). A second worker is started: once the dead
worker's lease runs out it claims the rest. Every alert must arrive exactly once.
"""

from __future__ import annotations

import email
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

ALERTS = 20
KILL_AT = 8

SETUP = f"""
from django.contrib.auth import get_user_model
from telly.alerts.models import Alert
from telly.alerts.tasks import deliver_alerts
for i in range({ALERTS}):
    user = get_user_model().objects.create_user(f"viewer{{i}}", f"viewer{{i}}@example.org", "x")
    Alert.objects.create(user=user, key=f"episode:{{i}}", kind="new_episode", headline=f"Episode {{i}} is out")
deliver_alerts.enqueue()
"""


class LoopbackSMTP(Controller):
    """aiosmtpd on port 0: the kernel picks a free port, read back once bound."""

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class KillingInbox:
    def __init__(self) -> None:
        self.accepted: list[str] = []
        self.seen = 0
        self.worker: subprocess.Popen | None = None
        self.killed = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:
        self.seen += 1
        if self.seen == KILL_AT and self.worker is not None and not self.killed.is_set():
            os.kill(self.worker.pid, signal.SIGKILL)
            self.killed.set()
            return "451 Requested action aborted: local error"
        message = email.message_from_bytes(envelope.content)
        self.accepted.append(message["Message-ID"])
        return "250 OK"


def _run(env: dict[str, str], *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "telly", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=180,
        **kwargs,
    )


def _worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "telly", "worker", "--interval", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path: Path):
    """A fresh database for the worker processes: a SQLite file, or a new PostgreSQL database
    on the server at TELLY_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kill.sqlite3'}"
        return
    import psycopg

    server = os.environ.get(
        "TELLY_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
    )
    name = f"telly_kill_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def inbox():
    handler = KillingInbox()
    controller = LoopbackSMTP(handler, hostname="127.0.0.1", port=0)
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.mark.smtp
def test_a_killed_worker_and_its_successor_deliver_every_alert_exactly_once(
    tmp_path: Path, inbox, database_url
):
    handler, port = inbox
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "telly.settings",
        "TELLY_DATA_DIR": str(tmp_path),
        "TELLY_DATABASE_URL": database_url,
        "TELLY_SECRET_KEY": "kill-test-secret-key-0123456789-abcdefghij",
        "TELLY_EMAIL_URL": f"smtp://127.0.0.1:{port}?timeout=10",
        "TELLY_TASKS_BACKEND": "database",
        "TELLY_EMAIL_RATE": "20",
        "TELLY_ALERT_LEASE": "2",
        "TELLY_LOG_LEVEL": "ERROR",
    }
    _run(env, "migrate", "--noinput")
    _run(env, "shell", "-c", SETUP)

    first = handler.worker = _worker(env)
    try:
        assert handler.killed.wait(60), "the first worker never reached the kill point"
        assert first.wait(10) == -signal.SIGKILL
        accepted_before_kill = len(handler.accepted)
        assert 0 < accepted_before_kill < ALERTS  # really in the middle of the batch

        second = _worker(env)
        try:
            deadline = time.monotonic() + 90
            while len(handler.accepted) < ALERTS and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(1.5)  # room for any duplicate to show up
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(20)
    finally:
        if first.poll() is None:
            first.kill()

    counts = Counter(handler.accepted)
    assert len(counts) == ALERTS, f"{len(counts)} of {ALERTS} alerts arrived"
    assert max(counts.values()) == 1, f"duplicates: {[m for m, n in counts.items() if n > 1]}"
    report = "import json; from telly.alerts.models import Alert; print(json.dumps(list(Alert.objects.values_list('status', 'message_id'))))"
    rows = json.loads(_run(env, "shell", "-c", report).stdout.strip().splitlines()[-1])
    assert {status for status, _ in rows} == {"sent"}
    assert {message_id for _, message_id in rows} == set(counts)
