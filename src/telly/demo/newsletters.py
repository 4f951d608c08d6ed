"""Demo newsletters: the lists a reader can join and one draft campaign for the admin.

No subscribers: sign up on /newsletters/ to see double opt-in work (with
``TELLY_EMAIL_URL=console://`` the confirmation email is printed by ``telly worker``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

LISTS = [
    {
        "slug": "new-to-stream",
        "name": "What's new to stream this week",
        "description": "New on your services, premieres and finales, what leaves soon: every Friday.",
        "cadence": "weekly",
        "sections": ["new", "premieres", "leaving", "coverage"],
        "genre": "",
        "order": 1,
    },
    {
        "slug": "tv-tonight",
        "name": "TV tonight",
        "description": "The evening's best on TV in your region, every afternoon.",
        "cadence": "daily",
        "sections": ["tonight"],
        "genre": "",
        "order": 2,
    },
    {
        "slug": "drama",
        "name": "Drama",
        "description": "New dramas to stream and the ones coming back, weekly.",
        "cadence": "weekly",
        "sections": ["new", "premieres", "leaving"],
        "genre": "Drama",
        "order": 3,
    },
    {
        "slug": "telly-news",
        "name": "Telly news",
        "description": "Reviews, interviews and guides from the editors, when there is something to say.",
        "cadence": "occasional",
        "sections": [],
        "genre": "",
        "order": 4,
    },
]

DRAFT = {
    "newsletter": "telly-news",
    "subject": "Welcome to Telly",
    "preheader": "A TV guide that knows your services",
    "body": (
        "Telly shows [what is on TV tonight](/tv-guide/) and [where to stream everything](/streaming/) "
        "in your region.\n\nTell us which services you pay for in your preferences and every digest "
        "will show what you can actually watch."
    ),
}


def build(shared: Path) -> dict[str, Any]:
    """The lists are Telly's own; nothing is taken from ``shared``."""
    return {"lists": LISTS, "draft": DRAFT}


def load(data: dict[str, Any], log: Callable[[str], Any]) -> dict[str, int]:
    from telly.catalog.models import Genre
    from telly.newsletters.models import Campaign, CampaignStatus, Newsletter

    created = {"lists": 0, "campaigns": 0}
    by_slug = {}
    for item in data.get("lists", []):
        genre = Genre.for_names([item["genre"]])[0] if item.get("genre") else None
        newsletter, made = Newsletter.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "description": item["description"],
                "cadence": item["cadence"],
                "sections": item["sections"],
                "genre": genre,
                "order": item["order"],
            },
        )
        created["lists"] += made
        by_slug[newsletter.slug] = newsletter
    draft = data.get("draft")
    if draft and draft["newsletter"] in by_slug:
        _, made = Campaign.objects.get_or_create(
            newsletter=by_slug[draft["newsletter"]],
            subject=draft["subject"],
            defaults={
                "preheader": draft["preheader"],
                "body": draft["body"],
                "status": CampaignStatus.DRAFT,
            },
        )
        created["campaigns"] += made
    return created
