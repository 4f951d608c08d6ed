"""API authentication: ``Authorization: Bearer <token>`` with a per-user, revocable token."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from telly.accounts.models import ApiToken

TOUCH_EVERY = dt.timedelta(minutes=5)  # write last_used_at at most this often


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.for_secret(token.strip())
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


bearer = BearerToken()
