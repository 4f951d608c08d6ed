"""My alerts over the API (token auth, like the rest of /me/)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema

from telly.accounts.auth import bearer
from telly.alerts.models import Alert
from telly.api.errors import ERRORS, ApiError, Error

router = Router(tags=["my guide"], auth=bearer)


class AlertOut(Schema):
    id: int
    kind: str
    headline: str
    status: str
    title_id: int | None
    person_id: int | None
    created_at: dt.datetime
    due_at: dt.datetime
    sent_at: dt.datetime | None


class AlertQuery(Schema):
    limit: int = 50


@router.get(
    "/me/alerts", response={200: list[AlertOut], **ERRORS, 401: Error}, summary="My recent alerts"
)
def my_alerts(request: HttpRequest, filters: Query[AlertQuery]) -> list[Alert]:
    if not 1 <= filters.limit <= 200:
        raise ApiError(400, "bad_limit", "limit must be from 1 to 200.")
    return list(
        Alert.objects.filter(user=request.auth).order_by("-created_at", "-id")[: filters.limit]
    )
