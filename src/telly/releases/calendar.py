"""The release calendar: a month or a week of premieres, returns and finales, with the
estimated windows that overlap it kept apart. The page and the API read from here."""

from __future__ import annotations

import calendar as cal
import datetime as dt
from dataclasses import dataclass, field

from telly.releases import queries
from telly.releases.models import ReleaseEvent

MAX_API_DAYS = 366


class PeriodError(ValueError):
    """A period parameter that is not a month (YYYY-MM) or a day (YYYY-MM-DD)."""


@dataclass(frozen=True)
class Period:
    view: str  # "month" or "week"
    start: dt.date
    end: dt.date  # inclusive

    @property
    def label(self) -> str:
        if self.view == "month":
            return f"{self.start:%B %Y}"
        return f"Week of {self.start.day} {self.start:%b %Y}"

    @property
    def phrase(self) -> str:
        """The label inside a sentence: "October 2024", "the week of 7 Oct 2024"."""
        return (
            self.label
            if self.view == "month"
            else f"the week of {self.start.day} {self.start:%b %Y}"
        )

    @property
    def as_month(self) -> Period:
        return month_of(self.start)

    def as_week(self, today: dt.date) -> Period:
        """The week view from here: this week when it is in the period, else its first week."""
        return week_of(today if self.start <= today <= self.end else self.start)

    @property
    def previous(self) -> Period:
        return (
            month_of(self.start - dt.timedelta(days=1))
            if self.view == "month"
            else week_of(self.start - dt.timedelta(days=7))
        )

    @property
    def next(self) -> Period:
        return (
            month_of(self.end + dt.timedelta(days=1))
            if self.view == "month"
            else week_of(self.end + dt.timedelta(days=1))
        )

    @property
    def query(self) -> str:
        """The URL parameter that names this period."""
        return (
            f"month={self.start:%Y-%m}" if self.view == "month" else f"week={self.start:%Y-%m-%d}"
        )


def month_of(day: dt.date) -> Period:
    start = day.replace(day=1)
    return Period("month", start, start.replace(day=cal.monthrange(start.year, start.month)[1]))


def week_of(day: dt.date) -> Period:
    start = day - dt.timedelta(days=day.weekday())
    return Period("week", start, start + dt.timedelta(days=6))


def parse_period(month: str | None, week: str | None, today: dt.date) -> Period:
    """``month=2024-10`` or ``week=2024-10-09`` (the week holding that day); else this month."""
    if week:
        try:
            return week_of(dt.date.fromisoformat(week.strip()))
        except ValueError:
            raise PeriodError(f"week must be a date like 2024-10-07, not {week[:20]!r}") from None
    if month:
        try:
            year, number = (int(part) for part in month.strip().split("-"))
            return month_of(dt.date(year, number, 1))
        except ValueError:
            raise PeriodError(f"month must look like 2024-10, not {month[:20]!r}") from None
    return month_of(today)


@dataclass
class Group:
    """One heading of the calendar: a week of a month, or a day of a week."""

    label: str
    start: dt.date
    end: dt.date
    events: list[ReleaseEvent] = field(default_factory=list)


@dataclass
class CalendarPage:
    period: Period
    groups: list[Group]
    estimates: list[ReleaseEvent]
    later: Period | None = None  # when the period is empty: the next month with dates...
    earlier: Period | None = None  # ... and the last one before it

    @property
    def event_count(self) -> int:
        return sum(len(g.events) for g in self.groups)


def build(period: Period, where: queries.CalendarFilter) -> CalendarPage:
    events = queries.upcoming_events(period.start, period.end, where=where)
    groups = []
    if period.view == "month":
        start = period.start - dt.timedelta(days=period.start.weekday())
        while start <= period.end:
            end = start + dt.timedelta(days=6)
            first, last = max(start, period.start), min(end, period.end)
            groups.append(
                Group(
                    f"{first.day}–{last.day} {last:%b}"
                    if first != last
                    else f"{first.day} {first:%b}",
                    first,
                    last,
                )
            )
            start = end + dt.timedelta(days=1)
    else:
        for offset in range(7):
            day = period.start + dt.timedelta(days=offset)
            groups.append(Group(f"{day:%A} {day.day} {day:%b}", day, day))
    for event in events:
        # An imprecise date ("Oct 2024") sits in the group holding its first day in the period.
        anchor = max(event.date, period.start)
        for group in groups:
            if group.start <= anchor <= group.end:
                group.events.append(event)
                break
    estimates = queries.estimated_windows(
        period.start,
        period.end,
        where=queries.CalendarFilter(
            service=where.service,
            channel=where.channel,
            genre=where.genre,
            region=where.region,
            kinds=(),
        ),
    )
    page = CalendarPage(period, groups, estimates)
    if not events and not estimates:
        page.later, page.earlier = _neighbours(period, where)
    return page


def _neighbours(
    period: Period, where: queries.CalendarFilter
) -> tuple[Period | None, Period | None]:
    """The months of the nearest dates after and before an empty period (two queries)."""
    events = where.apply(ReleaseEvent.objects.on_calendar())
    after = (
        events.filter(date__gt=period.end).order_by("date").values_list("date", flat=True).first()
    )
    before = (
        events.filter(date__lt=period.start)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    return (month_of(after) if after else None, month_of(before) if before else None)
