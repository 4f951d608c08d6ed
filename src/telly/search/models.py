"""What the search index needs from the database: its build state and a log of changed rows.

The index itself lives in memory (and in a derived file beside the database, so start-up is
fast); the database holds what every process needs to agree on:

- ``IndexState`` (one row): which generation of the index was built, up to which change.
- ``IndexChange``: one row per title, person, credit, channel or provider written since. Every
  process replays the changes it has not seen yet before it answers a query, so a title saved
  in the admin of one process is found at once by the search of another.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class DocumentKind(models.TextChoices):
    TITLE = "title", "Title"
    PERSON = "person", "Person"
    CHARACTER = "character", "Character"
    CHANNEL = "channel", "Channel"
    PROVIDER = "provider", "Provider"
    ALL = "all", "Everything (rebuild)"


class IndexState(models.Model):
    """The one row that says which built index is current."""

    generation = models.PositiveIntegerField(default=0)
    change_seq = models.BigIntegerField(
        default=0, help_text="Last IndexChange included in the build"
    )
    documents = models.PositiveIntegerField(default=0)
    built_at = models.DateTimeField(null=True, blank=True)
    build_seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = "search index state"

    def __str__(self) -> str:
        return f"search index generation {self.generation} ({self.documents} documents)"


class IndexChange(models.Model):
    """A row that search must read again: ``kind`` names the table (a character is a credit)."""

    kind = models.CharField(max_length=10, choices=DocumentKind.choices)
    ref_id = models.BigIntegerField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.ref_id}"
