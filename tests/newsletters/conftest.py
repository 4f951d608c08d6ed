"""Newsletter fixtures: three lists, a confirmed subscriber, an SMTP server on loopback."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import TestCase
from django.utils import timezone

from telly.catalog.models import Genre
from telly.newsletters import subscriptions
from telly.newsletters.models import Cadence, Newsletter, Subscriber

from .sink import Handler, start_sink


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Rate-limit counters live in the cache and digest builders in the process: neither may
    leak from one test into the next."""
    from telly.newsletters import digest, emails

    cache.clear()
    digest._builders.clear()
    emails._renderers.clear()
    yield
    cache.clear()
    digest._builders.clear()
    emails._renderers.clear()


@pytest.fixture
def lists(db: None) -> dict[str, Newsletter]:
    drama = Genre.for_names(["Drama"])[0]
    return {
        "weekly": Newsletter.objects.create(
            slug="new-to-stream",
            name="What's new to stream this week",
            cadence=Cadence.WEEKLY,
            sections=["new", "premieres", "leaving", "coverage"],
            order=1,
        ),
        "drama": Newsletter.objects.create(
            slug="drama",
            name="Drama",
            cadence=Cadence.WEEKLY,
            genre=drama,
            sections=["new", "premieres"],
            order=2,
        ),
        "tonight": Newsletter.objects.create(
            slug="tv-tonight",
            name="TV tonight",
            cadence=Cadence.DAILY,
            sections=["tonight"],
            order=3,
        ),
    }


def make_confirmed(email: str, *newsletters: Newsletter, region: str = "GB") -> Subscriber:
    subscriber = subscriptions.request_signup(
        subscriptions.SignupRequest(
            email=email, newsletters=list(newsletters), region=region, source_page="/test/"
        )
    ) or Subscriber.objects.get(email=email)
    subscriptions.confirm(subscriber, at=timezone.now())
    subscriber.refresh_from_db()
    return subscriber


@pytest.fixture
def reader(lists: dict[str, Newsletter]) -> Subscriber:
    return make_confirmed("reader@example.org", lists["weekly"])


def sign_up(
    client, lists, email="new@example.org", chosen=("weekly",), remote="192.0.2.10", **extra
):
    """Post the sign-up form and run what it leaves for after the commit (the email task)."""
    data = {
        "email": email,
        "newsletters": [lists[name].pk for name in chosen],
        "region": "GB",
        "agree": "on",
        "wording_version": "2026-11",
        "source": "/shows/heartstopper/",
        **extra,
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/newsletters/signup/", data, REMOTE_ADDR=remote)


def link_in(message: mail.EmailMessage, part: str) -> str:
    """The first link to ``/newsletters/<part>/...`` in a message's text, as a path."""
    found = re.search(rf"https?://[^/\s]+(/newsletters/{part}/[^\s]+/)", message.body)
    assert found, f"no {part} link in:\n{message.body}"
    return found.group(1)


@pytest.fixture
def sink(settings) -> Iterator[Handler]:
    """Send email through Django's SMTP backend to aiosmtpd on 127.0.0.1 (a free port)."""
    controller, handler = start_sink()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    settings.TELLY_EMAIL_RATE = 0
    try:
        yield handler
    finally:
        controller.stop()
