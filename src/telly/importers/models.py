"""What each import did: one ``ImportRun`` per file (or sync), with its counts, rejects and time.

Counts are kept per kind of record (``title``, ``episode``, ``offer``...) as
``{"title": {"created": 3, "updated": 1, "unchanged": 9, "rejected": 0}}`` so that the admin,
the ``--json`` summary and scripts all read the same numbers.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    OK = "ok", "Imported"
    PARTIAL = "partial", "Imported, some rows rejected"
    FAILED = "failed", "Rejected, nothing committed"


class ImportRun(models.Model):
    source = models.CharField(
        max_length=30, db_index=True, help_text="Format or feed, e.g. imdb, tvmaze"
    )
    path = models.CharField(max_length=1000, help_text="File, directory or URL imported")
    options = models.JSONField(default=dict, blank=True, help_text="Region, provider, skip-bad...")
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.RUNNING)
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration = models.FloatField(
        null=True, blank=True, help_text="Seconds, including follow-up work run on commit"
    )
    committed_in = models.FloatField(
        null=True,
        blank=True,
        help_text="Seconds until the data was committed (before search indexing and the like)",
    )
    rows = models.PositiveBigIntegerField(default=0, help_text="Input rows or records read")
    counts = models.JSONField(default=dict, blank=True)
    rejects = models.JSONField(
        default=list, blank=True, help_text="[file:line: problem], first 1000"
    )
    error = models.TextField(blank=True, help_text="Why the whole file was rejected")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.path} ({self.get_status_display()})"

    def total(self, outcome: str) -> int:
        return sum(kind.get(outcome, 0) for kind in self.counts.values())


class FeedValidator(models.Model):
    """What a feed said about a URL last time (ETag, Last-Modified), for conditional requests:
    an unchanged resource answers 304 and costs neither a download nor a write."""

    url = models.CharField(max_length=1000, unique=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.url
