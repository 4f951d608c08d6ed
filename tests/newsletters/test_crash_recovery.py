"""A worker killed in the middle of a campaign loses no one and repeats no one.

Real processes: ``telly worker`` runs against its own SQLite file and sends to aiosmtpd on
loopback; it is SIGKILLed once part of the campaign is out, then a new worker is started.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from .sink import start_sink

pytestmark = pytest.mark.smtp

RECIPIENTS = 40
SETUP = f"""
from django.utils import timezone
from telly.newsletters import subscriptions, tasks
from telly.newsletters.models import Campaign, CampaignStatus, Newsletter
weekly = Newsletter.objects.create(slug="weekly", name="Weekly")
for i in range({RECIPIENTS}):
    s = subscriptions.request_signup(subscriptions.SignupRequest(email=f"r{{i}}@example.org", newsletters=[weekly], region="GB"))
    subscriptions.confirm(s)
c = Campaign.objects.create(newsletter=weekly, subject="Hi", body="Hello", status=CampaignStatus.SCHEDULED, scheduled_at=timezone.now())
tasks.deliver_campaign.enqueue(c.pk)
"""


def telly(*args: str, env: dict[str, str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "telly", *args], env=env, **kwargs)


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_killed_worker_neither_skips_nor_repeats_anyone(tmp_path: Path):
    controller, sink = start_sink()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "telly.settings",
        "TELLY_DATA_DIR": str(tmp_path),
        "TELLY_DATABASE_URL": "",  # its own SQLite file, even when the suite runs on PostgreSQL
        "TELLY_SECRET_KEY": "crash-test-secret-key-0123456789",
        "TELLY_EMAIL_URL": f"smtp://127.0.0.1:{controller.port}",
        "TELLY_EMAIL_RATE": "25",
        "TELLY_NEWSLETTER_LEASE": "2",
        "TELLY_TASKS_BACKEND": "database",
        "TELLY_LOG_LEVEL": "ERROR",
    }
    try:
        for command in (["migrate", "--noinput", "-v", "0"], ["shell", "-c", SETUP]):
            assert telly(*command, env=env).wait(timeout=180) == 0
        worker = telly("worker", "--interval", "0.1", env=env)
        try:
            assert wait_for(lambda: len(sink.messages) >= RECIPIENTS // 3, timeout=60), (
                "the first worker sent nothing"
            )
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
        at_kill = len(sink.messages)
        assert at_kill < RECIPIENTS, "the campaign finished before the kill; raise RECIPIENTS"

        database = sqlite3.connect(tmp_path / "telly.sqlite3", timeout=20)

        def campaign_sent() -> bool:
            return (
                database.execute("select status from newsletters_campaign").fetchone()[0] == "sent"
            )

        worker = telly("worker", "--interval", "0.1", env=env)
        try:
            assert wait_for(campaign_sent, timeout=90), (
                "the second worker did not finish the campaign"
            )
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=20)
        statuses = dict(
            database.execute(
                "select status, count(*) from newsletters_send group by status"
            ).fetchall()
        )
        database.close()
    finally:
        controller.stop()

    assert statuses == {"sent": RECIPIENTS}
    ids_by_recipient: dict[str, set[str]] = defaultdict(set)
    for message in sink.messages:
        ids_by_recipient[str(message["To"])].add(str(message["Message-ID"]))
    assert sorted(ids_by_recipient) == sorted(
        f"r{i}@example.org" for i in range(RECIPIENTS)
    )  # no one skipped
    assert all(
        len(ids) == 1 for ids in ids_by_recipient.values()
    )  # no one got two different messages
    # SMTP cannot tell a killed client whether its last message was kept, so at most that one
    # message may arrive twice, with the same Message-ID.
    assert len(sink.messages) <= RECIPIENTS + 1
