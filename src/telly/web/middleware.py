"""Who is looking: the visitor's region and time zone, from the request, a cookie, the profile
or the site defaults, in that order. Views read ``request.region`` and ``request.tz``."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

import pycountry
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


def valid_region(code: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 code in upper case, or None if it is not one.

    >>> valid_region("gb"), valid_region("XX")
    ('GB', None)
    """
    if not code or len(code) != 2 or not code.isalpha():
        return None
    code = code.upper()
    return code if pycountry.countries.get(alpha_2=code) else None


def valid_time_zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class VisitorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        profile = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            profile = getattr(user, "profile", None)
        asked = valid_region(request.GET.get("region"))
        region = (
            asked
            or valid_region(request.COOKIES.get("region"))
            or (valid_region(getattr(profile, "region", None)) if profile else None)
            or settings.TELLY_DEFAULT_REGION
        )
        tz = (
            valid_time_zone(request.COOKIES.get("tz"))
            or (valid_time_zone(getattr(profile, "time_zone", None)) if profile else None)
            or zoneinfo.ZoneInfo(settings.TIME_ZONE)
        )
        request.region = region  # type: ignore[attr-defined]
        request.tz = tz  # type: ignore[attr-defined]
        request.profile = profile  # type: ignore[attr-defined]
        timezone.activate(tz)
        try:
            response = self.get_response(request)
        finally:
            timezone.deactivate()
        if asked and request.COOKIES.get("region") != asked:
            response.set_cookie("region", asked, max_age=365 * 86400, samesite="Lax")
        return response
