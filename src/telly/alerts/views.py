"""Alerts & feeds settings (``/feeds/``) and the personal feeds at secret URLs:
``/feeds/<secret>/calendar.ics`` and ``/feeds/<secret>/guide.xml``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from telly.accounts.calendar import MAX_DAYS
from telly.alerts import delivery, ical, xmltv
from telly.alerts.forms import AlertSettingsForm
from telly.alerts.models import Alert, AlertSettings, alert_settings_for


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    preferences = alert_settings_for(request.user)
    form = AlertSettingsForm(request.POST or None, instance=preferences)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Alert settings saved.")
            return redirect("alerts:settings")
        status = 400
    base = request.build_absolute_uri(f"/feeds/{preferences.feed_secret}/")
    context = {
        "form": form,
        "ical_url": base + "calendar.ics",
        "xmltv_url": base + "guide.xml",
        "recent": Alert.objects.filter(user=request.user).select_related("title")[:20],
        "apprise_available": delivery.apprise is not None,
    }
    return render(request, "alerts/settings.html", context, status=status)


@login_required
@require_POST
def rotate_secret(request: HttpRequest) -> HttpResponse:
    alert_settings_for(request.user).rotate_feed_secret()
    messages.success(request, "New feed addresses made; the old ones no longer work.")
    return redirect("alerts:settings")


def _owner_of(secret: str) -> AlertSettings:
    if len(secret) > 64:
        raise Http404("No such feed")
    found = (
        AlertSettings.objects.select_related("user")
        .filter(feed_secret=secret, user__is_active=True)
        .first()
    )
    if found is None:
        raise Http404("No such feed")
    return found


def _int_param(request: HttpRequest, name: str, default: int, maximum: int) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdecimal() or not 1 <= int(raw) <= maximum:
        return None
    return int(raw)


def ical_feed(request: HttpRequest, secret: str) -> HttpResponse:
    owner = _owner_of(secret)
    days = _int_param(request, "days", 60, MAX_DAYS)
    if days is None:
        return HttpResponseBadRequest(
            f"days must be a whole number from 1 to {MAX_DAYS}", content_type="text/plain"
        )
    premieres = request.GET.get("premieres", "") in {"1", "true", "yes"}
    body = ical.build_calendar(owner.user, days=days, premieres_only=premieres)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="telly.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


def xmltv_feed(request: HttpRequest, secret: str) -> HttpResponse:
    owner = _owner_of(secret)
    days = _int_param(request, "days", 7, xmltv.MAX_DAYS)
    if days is None:
        return HttpResponseBadRequest(
            f"days must be a whole number from 1 to {xmltv.MAX_DAYS}", content_type="text/plain"
        )
    followed = request.GET.get("followed")
    followed_only = (
        owner.xmltv_followed_only if followed is None else followed in {"1", "true", "yes"}
    )
    body = xmltv.build_xmltv(owner.user, days=days, followed_only=followed_only)
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
