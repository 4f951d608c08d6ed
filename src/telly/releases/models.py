"""Releases: what is known, announced or estimated about when a series comes back.

A ``ReleaseEvent`` is one dated fact about a series: a premiere, a finale, a renewal, a
cancellation, or a step of production (start, halt, wrap). Its date has a precision (day,
month, season, year: "autumn 2025" is stored as 2025-09-01 with precision ``season``) and a
certainty: ``announced`` (the network said so), ``confirmed`` (it happened) or ``estimated``
(Telly's estimator, with an interval and the probability that the real date falls inside it).

An estimate is never edited into an announced date: when the announced premiere arrives, the
estimate row gets ``replaced_by`` pointing at it and stops being shown. Alerts can ask
``ReleaseEvent.objects.filter(replaced_by=event)`` to know "this was an estimate before".
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import models
from django.db.models import Q

from telly.catalog.models import Season, Title
from telly.streaming.models import Provider


class EventKind(models.TextChoices):
    PREMIERE = "premiere", "Premiere"
    FINALE = "finale", "Finale"
    RENEWAL = "renewal", "Renewed"
    CANCELLATION = "cancellation", "Cancelled"
    PRODUCTION_START = "production_start", "Production started"
    PRODUCTION_HALT = "production_halt", "Production halted"
    PRODUCTION_WRAP = "production_wrap", "Filming wrapped"

    @property
    def is_airing(self) -> bool:
        """Premieres and finales go on the calendar; the rest are news about production."""
        return self in (EventKind.PREMIERE, EventKind.FINALE)


class DatePrecision(models.TextChoices):
    """How much of the date is known. The stored date is the first day of that period."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    SEASON = "season", "Season"  # a quarter of the year: "spring 2025" = 2025-03-01
    YEAR = "year", "Year"

    def last_day(self, start: dt.date) -> dt.date:
        """The last day the stated date could mean.

        >>> DatePrecision.MONTH.last_day(dt.date(2025, 2, 1))
        datetime.date(2025, 2, 28)
        """
        if self == DatePrecision.DAY:
            return start
        if self == DatePrecision.MONTH:
            return start.replace(day=calendar.monthrange(start.year, start.month)[1])
        if self == DatePrecision.SEASON:
            month = start.month + 2
            year = start.year + (month - 1) // 12
            month = (month - 1) % 12 + 1
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        return dt.date(start.year, 12, 31)


class Certainty(models.TextChoices):
    ANNOUNCED = "announced", "Announced"
    CONFIRMED = "confirmed", "Confirmed"
    ESTIMATED = "estimated", "Estimated"


class ReleaseEventQuerySet(models.QuerySet["ReleaseEvent"]):
    def current(self) -> ReleaseEventQuerySet:
        """Leave out estimates that an announced date has replaced."""
        return self.filter(replaced_by__isnull=True)

    def estimates(self) -> ReleaseEventQuerySet:
        return self.current().filter(certainty=Certainty.ESTIMATED)

    def dated(self) -> ReleaseEventQuerySet:
        """Announced or confirmed facts (not estimates)."""
        return self.exclude(certainty=Certainty.ESTIMATED)

    def on_calendar(self) -> ReleaseEventQuerySet:
        return self.current().filter(kind__in=[EventKind.PREMIERE, EventKind.FINALE])


class ReleaseEvent(models.Model):
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="release_events")
    season = models.ForeignKey(
        Season, on_delete=models.SET_NULL, null=True, blank=True, related_name="release_events"
    )
    season_number = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Set even when the season has no catalogue row yet"
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices, db_index=True)
    date = models.DateField(help_text="First day of the period the precision names")
    precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    certainty = models.CharField(
        max_length=10, choices=Certainty.choices, default=Certainty.ANNOUNCED
    )
    # Estimates only: the interval that holds the real date with probability ``probability``.
    window_start = models.DateField(null=True, blank=True)
    window_end = models.DateField(null=True, blank=True)
    probability = models.FloatField(null=True, blank=True)
    explanation = models.CharField(
        max_length=300, blank=True, help_text="One sentence: why this date"
    )
    estimated_on = models.DateField(
        null=True, blank=True, help_text="Estimates: the day the facts were as of"
    )
    region = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1; empty = everywhere")
    provider = models.ForeignKey(
        Provider, on_delete=models.SET_NULL, null=True, blank=True, related_name="release_events"
    )
    network = models.CharField(
        max_length=120, blank=True, help_text="Channel or service it airs on"
    )
    source = models.CharField(
        max_length=60, blank=True, help_text="tvmaze, tmdb, editor, estimator..."
    )
    source_url = models.URLField(blank=True, max_length=500)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_estimates"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReleaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["date", "title", "season_number", "kind"]
        constraints = [
            # One live estimate per series, season and kind of event.
            models.UniqueConstraint(
                fields=["title", "season_number", "kind"],
                condition=Q(certainty="estimated", replaced_by__isnull=True),
                name="release_one_live_estimate",
            ),
            models.CheckConstraint(
                condition=Q(window_start__isnull=True)
                | Q(window_end__isnull=True)
                | Q(window_start__lte=models.F("window_end")),
                name="release_window_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "date"]),
            models.Index(fields=["title", "kind", "certainty"]),
        ]

    def __str__(self) -> str:
        season = f" season {self.season_number}" if self.season_number else ""
        return f"{self.title.name}{season}: {self.get_kind_display()} {self.date_label}"

    @property
    def precision_enum(self) -> DatePrecision:
        return DatePrecision(self.precision)

    @property
    def last_day(self) -> dt.date:
        return self.precision_enum.last_day(self.date)

    @property
    def is_estimate(self) -> bool:
        return self.certainty == Certainty.ESTIMATED

    @property
    def is_return(self) -> bool:
        return self.kind == EventKind.PREMIERE and (self.season_number or 1) > 1

    @property
    def date_label(self) -> str:
        return format_date(self.date, self.precision_enum)

    @property
    def window_label(self) -> str:
        if not (self.window_start and self.window_end):
            return ""
        return f"{self.window_start:%b %Y} – {self.window_end:%b %Y}"


SEASON_NAMES = {
    12: "winter",
    1: "winter",
    2: "winter",
    3: "spring",
    4: "spring",
    5: "spring",
    6: "summer",
    7: "summer",
    8: "summer",
    9: "autumn",
    10: "autumn",
    11: "autumn",
}


def format_date(day: dt.date, precision: DatePrecision) -> str:
    """A date as precisely as it is known: '3 Oct 2024', 'Oct 2024', 'autumn 2024', '2024'."""
    if precision == DatePrecision.DAY:
        return f"{day.day} {day:%b %Y}"
    if precision == DatePrecision.MONTH:
        return f"{day:%b %Y}"
    if precision == DatePrecision.SEASON:
        return f"{SEASON_NAMES[day.month]} {day.year}"
    return str(day.year)
