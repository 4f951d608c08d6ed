"""Fixtures shared by the accounts and alerts suites: signed-in clients, a provider, a channel.

Imported by tests/accounts/conftest.py and tests/alerts/conftest.py.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client


@pytest.fixture(autouse=True)
def _fresh_cache_and_no_pacing(settings) -> None:
    cache.clear()
    settings.TELLY_EMAIL_RATE = 0  # deliveries are paced in production, not in tests


@pytest.fixture
def owner_client(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture
def stranger_client(stranger) -> Client:
    client = Client()
    client.force_login(stranger)
    return client


@pytest.fixture
def netflix(db):
    from telly.streaming.models import Provider

    return Provider.objects.create(name="Netflix", slug="netflix", regions=["GB"])


@pytest.fixture
def bbc_one(db):
    from telly.listings.models import Channel

    return Channel.objects.create(name="BBC One", region="GB", xmltv_id="BBCOne.uk")
