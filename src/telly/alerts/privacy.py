from __future__ import annotations

from typing import Any

from telly.alerts.models import Alert, alert_settings_for


def export_alerts(user: Any) -> tuple[str, Any]:
    preferences = alert_settings_for(user)
    return "alerts", {
        "settings": {
            "email_enabled": preferences.email_enabled,
            "apprise_url": preferences.apprise_url,
            "cadence": preferences.cadence,
            "digest_hour": preferences.digest_hour,
            "switched_on": [
                k
                for k in ("next_season", "new_episode", "arriving", "leaving", "new_credit")
                if getattr(preferences, f"on_{k}")
            ],
        },
        "sent": [
            {
                "kind": a.kind,
                "headline": a.headline,
                "created_at": a.created_at.isoformat(),
                "status": a.status,
                "sent_at": a.sent_at.isoformat() if a.sent_at else None,
            }
            for a in Alert.objects.filter(user=user).order_by("created_at")
        ],
    }
