"""`telly newsletters`: make digests, send campaigns, forget unconfirmed sign-ups, show progress.

telly newsletters digest new-to-stream        # a personalised digest, sent by `telly worker`
telly newsletters send 12                     # send draft campaign 12 now
telly newsletters expire                      # run daily (cron): forget stale sign-ups
telly newsletters status [12]
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from telly.newsletters import delivery, subscriptions, tasks
from telly.newsletters.models import Cadence, Campaign, CampaignKind, CampaignStatus, Newsletter

DEFAULT_SUBJECTS = {
    Cadence.DAILY: "{name}: tonight's picks",
    Cadence.WEEKLY: "{name}: your week ahead",
    Cadence.OCCASIONAL: "{name}",
}


class Command(BaseCommand):
    help = "Newsletter chores: make a digest campaign, send a campaign, expire unconfirmed sign-ups, show progress."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        digest = sub.add_parser(
            "digest", help="Create a personalised digest campaign for a list and send it."
        )
        digest.add_argument("newsletter", help="The list's slug, e.g. new-to-stream")
        digest.add_argument(
            "--subject", default="", help="Subject line (default from the list's name and cadence)"
        )
        digest.add_argument(
            "--draft",
            action="store_true",
            help="Only create it, for an editor to review and schedule",
        )
        due = sub.add_parser(
            "due",
            help="Make and queue the digests whose time has come: daily lists once a day, weekly "
            "lists once a week (run it hourly from cron; running it again does nothing).",
        )
        due.add_argument("--dry-run", action="store_true", help="Only say which digests are due")
        send = sub.add_parser("send", help="Send a draft campaign now.")
        send.add_argument("campaign", type=int)
        sub.add_parser(
            "expire", help="Forget sign-ups not confirmed within TELLY_NEWSLETTER_CONFIRM_DAYS."
        )
        status = sub.add_parser(
            "status", help="Show campaigns and how many sends are in each state."
        )
        status.add_argument("campaign", type=int, nargs="?")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"do_{action}")(**options)

    def do_digest(self, newsletter: str, subject: str, draft: bool, **options: Any) -> None:
        found = Newsletter.objects.filter(slug=newsletter).first()
        if found is None:
            known = ", ".join(Newsletter.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"no newsletter {newsletter!r}; known: {known}", returncode=2)
        if not found.digest_sections:
            raise CommandError(
                f"{found.slug!r} has no digest sections; set its sections in the admin",
                returncode=2,
            )
        now = timezone.now()
        with transaction.atomic():
            campaign = Campaign.objects.create(
                newsletter=found,
                kind=CampaignKind.DIGEST,
                subject=subject or DEFAULT_SUBJECTS[Cadence(found.cadence)].format(name=found.name),
                status=CampaignStatus.DRAFT if draft else CampaignStatus.SCHEDULED,
                scheduled_at=None if draft else now,
                as_of=now,
            )
            if not draft:
                tasks.send_when_committed(campaign)
        verb = "created as a draft" if draft else "queued; `telly worker` sends it"
        self.stdout.write(f"campaign {campaign.pk} ({campaign.subject}) {verb}")

    def do_due(self, dry_run: bool, **options: Any) -> None:
        now = timezone.now()
        made = 0
        for newsletter in Newsletter.objects.exclude(cadence=Cadence.OCCASIONAL).order_by(
            "order", "pk"
        ):
            if not newsletter.digest_sections:
                continue
            # A little under the cadence, so an hourly cron drifting by minutes keeps the rhythm.
            gap = Cadence(newsletter.cadence).window - dt.timedelta(hours=2)
            recent = newsletter.campaigns.filter(kind=CampaignKind.DIGEST, created_at__gt=now - gap)
            if recent.exists():
                continue
            made += 1
            if dry_run:
                self.stdout.write(f"due: {newsletter.slug}")
            else:
                self.do_digest(newsletter.slug, subject="", draft=False)
        if not made:
            self.stdout.write("no digest is due")

    def do_send(self, campaign: int, **options: Any) -> None:
        with transaction.atomic():
            updated = Campaign.objects.filter(pk=campaign, status=CampaignStatus.DRAFT).update(
                status=CampaignStatus.SCHEDULED, scheduled_at=timezone.now()
            )
            if not updated:
                raise CommandError(
                    f"campaign {campaign} does not exist or is not a draft", returncode=2
                )
            tasks.send_when_committed(Campaign.objects.get(pk=campaign))
        self.stdout.write(f"campaign {campaign} queued; `telly worker` sends it")

    def do_expire(self, **options: Any) -> None:
        removed = subscriptions.expire_pending()
        self.stdout.write(f"forgot {removed} unconfirmed sign-up(s)")

    def do_status(self, campaign: int | None = None, **options: Any) -> None:
        campaigns = Campaign.objects.select_related("newsletter").order_by("-created_at")
        if campaign is not None:
            campaigns = campaigns.filter(pk=campaign)
            if not campaigns:
                raise CommandError(f"no campaign {campaign}", returncode=2)
        for item in campaigns[:20]:
            found = delivery.counts(item)
            detail = ", ".join(f"{k} {v}" for k, v in sorted(found.items())) or "no sends"
            self.stdout.write(
                f"{item.pk}\t{item.status}\t{item.newsletter.slug}\t{item.subject}\t{detail}"
            )
