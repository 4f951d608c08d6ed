"""A signed-in reader's newsletter data in "download my data", and gone with "delete my account".

A subscriber belongs to an account when it is linked to the user or carries the account's email
address (people often sign up from the footer form before they make an account).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from telly.newsletters.models import Subscriber


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def subscribers_of(user: Any) -> QuerySet[Subscriber]:
    match = Q(user=user)
    if user.email:
        match |= Q(email=user.email.strip().lower())
    return Subscriber.objects.filter(match)


def export_newsletters(user: Any) -> tuple[str, Any]:
    found = subscribers_of(user).prefetch_related(
        "providers", "subscriptions__newsletter", "consents__newsletter"
    )
    return "newsletters", [
        {
            "email": s.email,
            "status": s.status,
            "region": s.region,
            "frequency": s.frequency,
            "my_services": [p.name for p in s.providers.all()],
            "created_at": _iso(s.created_at),
            "confirmed_at": _iso(s.confirmed_at),
            "unsubscribed_at": _iso(s.unsubscribed_at),
            "last_sent_at": _iso(s.last_sent_at),
            "lists": [
                {
                    "newsletter": sub.newsletter.name,
                    "requested_at": _iso(sub.requested_at),
                    "confirmed_at": _iso(sub.confirmed_at),
                    "ended_at": _iso(sub.ended_at),
                }
                for sub in s.subscriptions.all()
            ],
            "consent_record": [
                {
                    "action": c.action,
                    "newsletter": c.newsletter.name if c.newsletter else "all lists",
                    "wording_version": c.wording_version,
                    "at": _iso(c.at),
                    "page": c.source_page,
                }
                for c in s.consents.all()
            ],
            "emails_sent": s.sends.filter(sent_at__isnull=False).count(),
        }
        for s in found
    ]


def erase_newsletters(user: Any) -> None:
    """The address, its lists, its consent record and its queued sends go with the account."""
    subscribers_of(user).delete()
