"""Every email alerts send, from this one module: one function per kind of message, each with
a subject, a text and an HTML template under ``alerts/email/``.

Message-IDs are derived from the alert rows, so a message sent again after a worker crash
carries the same Message-ID and mail clients show it once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from telly.alerts.models import Alert, AlertKind


def _domain() -> str:
    return (
        settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "telly.localhost"
    )


def alert_message_id(alert: Alert) -> str:
    return f"<alert.{alert.pk}.{alert.user_id}@{_domain()}>"


def digest_message_id(user_id: int, alerts: Sequence[Alert]) -> str:
    ids = ",".join(str(a.pk) for a in sorted(alerts, key=lambda a: a.pk))
    return f"<digest.{user_id}.{hashlib.sha256(ids.encode()).hexdigest()[:16]}@{_domain()}>"


def _link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _alert_context(alert: Alert) -> dict[str, Any]:
    target = alert.title or alert.person
    return {
        "alert": alert,
        "link": _link(target.get_absolute_url()) if target else _link("/account/"),
        "detail": alert.detail,
    }


def _message(
    template: str, context: dict[str, Any], to: str, message_id: str
) -> EmailMultiAlternatives:
    context = {
        **context,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "settings_link": _link("/feeds/"),
    }
    subject = " ".join(render_to_string(f"alerts/email/{template}_subject.txt", context).split())
    text = render_to_string(f"alerts/email/{template}.txt", context)
    html = render_to_string(f"alerts/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[to],
        headers={
            "Message-ID": message_id,
            "List-Unsubscribe": f"<{_link('/feeds/')}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def next_season_email(alert: Alert, to: str) -> EmailMultiAlternatives:
    """A followed series has a date for its next season."""
    return _message("next_season", _alert_context(alert), to, alert_message_id(alert))


def new_episode_email(alert: Alert, to: str) -> EmailMultiAlternatives:
    """A new episode of a followed series airs or drops today."""
    return _message("new_episode", _alert_context(alert), to, alert_message_id(alert))


def arriving_email(alert: Alert, to: str) -> EmailMultiAlternatives:
    """A title on the watchlist arrives on one of the user's services."""
    return _message("arriving", _alert_context(alert), to, alert_message_id(alert))


def leaving_email(alert: Alert, to: str) -> EmailMultiAlternatives:
    """A title on the watchlist leaves one of the user's services soon."""
    context = _alert_context(alert)
    until = alert.detail.get("until")
    context["until"] = dt.datetime.fromisoformat(until) if until else None
    return _message("leaving", context, to, alert_message_id(alert))


def new_credit_email(alert: Alert, to: str) -> EmailMultiAlternatives:
    """A followed person has a new credit."""
    context = _alert_context(alert)
    context["credited_title"] = alert.title
    if alert.person:
        context["link"] = _link(alert.person.get_absolute_url())
    return _message("new_credit", context, to, alert_message_id(alert))


BY_KIND = {
    AlertKind.NEXT_SEASON: next_season_email,
    AlertKind.NEW_EPISODE: new_episode_email,
    AlertKind.ARRIVING: arriving_email,
    AlertKind.LEAVING: leaving_email,
    AlertKind.NEW_CREDIT: new_credit_email,
}


def alert_email(alert: Alert, to: str) -> EmailMultiAlternatives:
    """One alert, sent as it happens, by the function for its kind."""
    return BY_KIND[AlertKind(alert.kind)](alert, to)


def digest_email(user: Any, alerts: Sequence[Alert], to: str) -> EmailMultiAlternatives:
    """The day's alerts for a user who asked for one daily digest."""
    context = {"user": user, "items": [_alert_context(a) for a in alerts], "count": len(alerts)}
    return _message("digest", context, to, digest_message_id(user.pk, alerts))
