"""The catalogue: titles (series and films), seasons, episodes, people, credits, genres and the
external ids that tie each one to the sources it came from.

Every model that feeds write to is ``Sourced``: it remembers which source last set each field
and when the row was last seen, and keeps a list of fields an editor locked so that no later
import overwrites them.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone

from telly.catalog.text import make_slug, name_key, slug_prefix_range


def random_stamp_id() -> int:
    return secrets.randbelow(2**31 - 1) + 1


class Stamp(models.Model):
    """The provenance a bulk import shares between the rows it creates, instead of repeating it
    in each: every row of ``kind`` that points here got ``fields`` from ``source`` at ``at``.
    A row's own ``sources``, ``seen_at``, ``created_at`` and ``updated_at`` are then left empty
    (an IMDb load writes millions of such rows; the repeated text was most of each row), and
    ``Sourced.from_db`` fills them in from here, so code reading a row sees the same values
    either way. Stamps never change and are never deleted.

    Ids are random rather than counted, so that an id is never given to two different stamps
    (a rolled-back import's counter would be reused), and every process can keep the stamps it
    read (``cached``) without asking whether they still mean the same."""

    id = models.BigIntegerField(primary_key=True, default=random_stamp_id, editable=False)
    source = models.CharField(max_length=30)
    at = models.DateTimeField()
    kind = models.CharField(max_length=60, help_text="Model label, e.g. catalog.episode")
    fields = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.kind} from {self.source} at {self.at:%Y-%m-%d %H:%M} UTC"

    @classmethod
    def for_rows(cls, model: type[models.Model], fields: Any, source: str, at: dt.datetime) -> int:
        """The id of the stamp for rows of ``model`` given ``fields`` by ``source`` at ``at``."""
        kind, fields = model._meta.label_lower, list(fields)
        stamp = cls.objects.filter(kind=kind, source=source, at=at, fields=fields).first()
        if stamp is None:
            stamp = cls(kind=kind, source=source, at=at, fields=fields)
            stamp.save(force_insert=True)
        _stamps[stamp.pk] = stamp
        return stamp.pk

    @classmethod
    def cached(cls, pk: int, using: str | None = None) -> Stamp:
        """A stamp by id, read once per process (stamps never change)."""
        stamp = _stamps.get(pk)
        if stamp is None:
            stamp = _stamps[pk] = cls.objects.using(using).get(pk=pk)
        return stamp


_stamps: dict[int, Stamp] = {}
STAMPED = frozenset(("sources", "seen_at", "created_at", "updated_at"))


class SourcedQuerySet[M: models.Model](models.QuerySet[M]):
    def only(self, *fields: str) -> SourcedQuerySet[M]:
        """As ``QuerySet.only``; a stamped field comes with its stamp (see ``Stamp``)."""
        if STAMPED.intersection(fields) and "stamp" not in fields:
            fields = (*fields, "stamp")
        return super().only(*fields)


class Sourced(models.Model):
    """Provenance for imported facts and the editor's field locks.

    ``sources`` maps a field name to the source that last set it (``{"name": "imdb"}``);
    ``seen_at`` is when a feed last confirmed the row; ``locked_fields`` lists fields an
    editor changed by hand: imports skip them. A row a bulk import created keeps these in its
    ``stamp`` instead (see ``Stamp``); the row's own values, once set, come first.
    """

    sources = models.JSONField(default=dict, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    locked_fields = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, null=True, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, null=True, editable=False)
    stamp = models.ForeignKey(
        Stamp,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        db_index=False,
        # Stamps are never deleted, and a checked key would cost a lookup on every bulk row.
        db_constraint=False,
    )

    objects = SourcedQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Any, values: Any, *, fetch_mode: Any = None
    ) -> Any:
        row = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        loaded = row.__dict__
        # Loaded without its stamp (``SourcedQuerySet.only`` adds it; this is the rest): a
        # stamped field that came empty may be the stamp's, so then ask for the stamp.
        if "stamp_id" not in loaded and not any(
            loaded.get(name, 0) in (None, {}) for name in STAMPED
        ):
            return row
        stamp_id = row.stamp_id
        if stamp_id is not None:
            stamp = Stamp.cached(stamp_id, db)
            for name in ("seen_at", "created_at", "updated_at"):
                if name in loaded and loaded[name] is None:
                    loaded[name] = stamp.at
            if "sources" in loaded:
                loaded["sources"] = {**dict.fromkeys(stamp.fields, stamp.source), **row.sources}
        return row

    def apply_source(
        self, values: dict[str, Any], source: str, at: dt.datetime | None = None
    ) -> list[str]:
        """Set the given field values unless an editor locked them; record the source of each
        changed field. Returns the names of the fields that changed (empty: nothing to save).

        >>> t = Title(name="Heartstopper", locked_fields=["name"])
        >>> t.apply_source({"name": "Heart Stopper", "year": 2022}, "tmdb")
        ['year']
        """
        changed = []
        for field, value in values.items():
            if field in self.locked_fields:
                continue
            if getattr(self, field) != value:
                setattr(self, field, value)
                self.sources[field] = source
                changed.append(field)
        self.seen_at = at or timezone.now()
        if changed:
            self.updated_at = self.seen_at
        return changed

    def refresh_from_db(
        self, using: str | None = None, fields: Any = None, from_queryset: Any = None
    ) -> None:
        # A stamped field read on its own (a deferred field) comes with the stamp it may need.
        if fields is not None and STAMPED.intersection(fields) and "stamp" not in fields:
            fields = [*fields, "stamp"]
        super().refresh_from_db(using, fields, from_queryset)

    def lock(self, *fields: str) -> None:
        self.locked_fields = sorted(set(self.locked_fields) | set(fields))


class Genre(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:genre", args=[self.slug])

    @classmethod
    def for_names(cls, names: list[str]) -> list[Genre]:
        """Find or make the genres with these names (case and spacing normalised)."""
        wanted: dict[str, str] = {}
        for raw in names:
            name = " ".join(raw.replace("_", " ").split()).strip()
            if name:
                name = name[0].upper() + name[1:]
                wanted.setdefault(make_slug(name), name)
        existing = {g.slug: g for g in cls.objects.filter(slug__in=wanted)}
        missing = [cls(name=n, slug=s) for s, n in wanted.items() if s not in existing]
        if missing:
            cls.objects.bulk_create(missing, ignore_conflicts=True)
            existing = {g.slug: g for g in cls.objects.filter(slug__in=wanted)}
        return [existing[s] for s in wanted if s in existing]


class TitleKind(models.TextChoices):
    # Plain values: Django derives the labels (Series, Miniseries, Film, Special).
    SERIES = "series"
    MINISERIES = "miniseries"
    FILM = "film"
    SPECIAL = "special"

    @property
    def is_episodic(self) -> bool:
        return self in (TitleKind.SERIES, TitleKind.MINISERIES)

    @property
    def url_prefix(self) -> str:
        return "shows" if self.is_episodic else "films"


class SeriesStatus(models.TextChoices):
    UNKNOWN = "", "Unknown"
    IN_PRODUCTION = "in_production", "In production"
    FILMING = "filming", "Filming"
    HALTED = "halted", "Production halted"
    RENEWED = "renewed", "Renewed"
    CANCELLED = "cancelled", "Cancelled"
    ENDED = "ended", "Ended"
    RETURNING = "returning", "Returning"
    AIRING = "airing", "Airing"


class TitleQuerySet(SourcedQuerySet["Title"]):
    def series(self) -> TitleQuerySet:
        return self.filter(kind__in=[TitleKind.SERIES, TitleKind.MINISERIES])

    def films(self) -> TitleQuerySet:
        return self.filter(kind__in=[TitleKind.FILM, TitleKind.SPECIAL])

    def popular(self) -> TitleQuerySet:
        return self.order_by("-popularity", "-votes", "name")

    def newest(self) -> TitleQuerySet:
        return self.filter(year__isnull=False).order_by("-year", "-popularity", "name")

    def by_slug_or_id(self, key: str | int) -> Title:
        if isinstance(key, int) or str(key).isdecimal():
            return self.get(pk=int(key))
        return self.get(slug=key)


class Title(Sourced):
    kind = models.CharField(
        max_length=12, choices=TitleKind.choices, default=TitleKind.SERIES, db_index=True
    )
    name = models.CharField(max_length=300)
    original_name = models.CharField(max_length=300, blank=True)
    slug = models.SlugField(max_length=100, unique=True)
    # Looked up through the (name_key, year) index below.
    name_key = models.CharField(max_length=200, editable=False)
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="First year of release"
    )
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=SeriesStatus.choices, default="", blank=True)
    runtime = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Minutes")
    certification = models.CharField(
        max_length=16, blank=True, help_text="Age rating, e.g. 12, TV-MA"
    )
    countries = models.JSONField(default=list, blank=True, help_text="ISO 3166-1 codes")
    languages = models.JSONField(default=list, blank=True, help_text="ISO 639-1 codes")
    network = models.CharField(max_length=120, blank=True, help_text="Original channel or service")
    genres = models.ManyToManyField(Genre, blank=True, related_name="titles")
    popularity = models.FloatField(default=0, db_index=True)
    rating = models.DecimalField(
        max_digits=3, decimal_places=1, null=True, blank=True, help_text="Average score out of 10"
    )
    votes = models.PositiveIntegerField(default=0)
    image_url = models.URLField(blank=True)

    objects = TitleQuerySet.as_manager()

    class Meta:
        ordering = ["-popularity", "name"]
        indexes = [models.Index(fields=["name_key", "year"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})" if self.year else self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = name_key(self.name)
        if not self.slug:
            self.slug = self.unique_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        name = "catalog:show" if self.is_episodic else "catalog:film"
        return reverse(name, args=[self.slug])

    def unique_slug(self) -> str:
        base = make_slug(self.name)
        candidates = [base, f"{base}-{self.year}" if self.year else None, f"{base}-{self.kind}"]
        taken = set(
            Title.objects.filter(slug__range=slug_prefix_range(base)).values_list("slug", flat=True)
        )
        for candidate in candidates:
            if candidate and candidate not in taken:
                return candidate
        n = 2
        while f"{base}-{n}" in taken:
            n += 1
        return f"{base}-{n}"

    @property
    def kind_enum(self) -> TitleKind:
        return TitleKind(self.kind)

    @property
    def is_episodic(self) -> bool:
        return self.kind_enum.is_episodic

    @property
    def years_label(self) -> str:
        if not self.year:
            return ""
        if not self.is_episodic:
            return str(self.year)
        if self.end_year and self.end_year != self.year:
            return f"{self.year}–{self.end_year}"
        if self.status in (SeriesStatus.ENDED, SeriesStatus.CANCELLED):
            return str(self.year)
        return f"{self.year}–"


class Season(Sourced):
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="seasons")
    number = models.PositiveSmallIntegerField(help_text="0 for specials")
    name = models.CharField(max_length=200, blank=True)
    premiere = models.DateField(null=True, blank=True)
    finale = models.DateField(null=True, blank=True)
    episode_count = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["title", "number"]
        constraints = [
            models.UniqueConstraint(fields=["title", "number"], name="season_unique_number")
        ]

    def __str__(self) -> str:
        return self.name or ("Specials" if self.number == 0 else f"Season {self.number}")

    @property
    def label(self) -> str:
        return str(self)


class AirPrecision(models.TextChoices):
    """How much of an air time is known: '2024-10-03' is a day, '2024-10-03 21:00Z' a minute."""

    MINUTE = "minute", "Time"
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class Episode(Sourced):
    # No index of its own: the unique (title, season_number, number) index starts with it.
    title = models.ForeignKey(
        Title, on_delete=models.CASCADE, related_name="episodes", db_index=False
    )
    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, related_name="episodes", null=True, blank=True
    )
    season_number = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    name = models.CharField(max_length=300, blank=True)
    air_at = models.DateTimeField(null=True, blank=True, db_index=True, help_text="UTC instant")
    air_precision = models.CharField(
        max_length=8, choices=AirPrecision.choices, default=AirPrecision.DAY
    )
    runtime = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["title", "season_number", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["title", "season_number", "number"], name="episode_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    @property
    def code(self) -> str:
        if self.season_number is None or self.number is None:
            return ""
        return f"S{self.season_number:02d}E{self.number:02d}"


class Person(Sourced):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    death_year = models.PositiveSmallIntegerField(null=True, blank=True)
    known_for = models.CharField(max_length=60, blank=True, help_text="e.g. Acting, Directing")
    popularity = models.FloatField(default=0)
    image_url = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = name_key(self.name)
        if not self.slug:
            base = make_slug(self.name, "person")
            taken = set(
                Person.objects.filter(slug__range=slug_prefix_range(base)).values_list(
                    "slug", flat=True
                )
            )
            slug, n = base, 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            self.slug = slug
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("catalog:person", args=[self.slug])


class CreditRole(models.TextChoices):
    CAST = "cast", "Cast"
    CREW = "crew", "Crew"


class Credit(models.Model):
    """A person's part in a title: cast with the character played, or crew with the job."""

    # Neither key has an index of its own: the unique part index starts with the title, the
    # (person, role) index with the person.
    title = models.ForeignKey(
        Title, on_delete=models.CASCADE, related_name="credits", db_index=False
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="credits", db_index=False
    )
    role = models.CharField(max_length=4, choices=CreditRole.choices, default=CreditRole.CAST)
    character = models.CharField(max_length=300, blank=True)
    job = models.CharField(max_length=100, blank=True, help_text="Crew job, e.g. Director")
    order = models.PositiveIntegerField(default=0)
    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, null=True, blank=True, related_name="credits"
    )
    episode_count = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=30, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title", "role", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["title", "person", "role", "character", "job"], name="credit_unique_part"
            )
        ]
        indexes = [models.Index(fields=["person", "role"])]

    def __str__(self) -> str:
        what = self.character or self.job or self.get_role_display()
        return f"{self.person} — {what} in {self.title}"


class IdScheme(models.TextChoices):
    IMDB = "imdb", "IMDb"
    TVMAZE = "tvmaze", "TVmaze"
    TMDB = "tmdb", "TMDB"
    TVDB = "tvdb", "TheTVDB"
    JUSTWATCH = "justwatch", "JustWatch"
    WIKIDATA = "wikidata", "Wikidata"
    NETFLIX = "netflix", "Netflix catalogue"
    CATALOGUE = "catalogue", "Streaming catalogue row"

    def url(self, value: str) -> str:
        return {
            IdScheme.IMDB: f"https://www.imdb.com/{'name' if value.startswith('nm') else 'title'}/{value}/",
            IdScheme.TVMAZE: f"https://www.tvmaze.com/shows/{value}",
            IdScheme.TMDB: f"https://www.themoviedb.org/{value}",
            IdScheme.WIKIDATA: f"https://www.wikidata.org/wiki/{value}",
        }.get(self, "")


class ExternalId(models.Model):
    """One id a source uses for a title or a person, unique per scheme and kind of thing.

    TMDB ids are written with their type because TMDB numbers series, films and people apart:
    ``tv/1399``, ``movie/550``, ``person/17419``.
    """

    scheme = models.CharField(max_length=16, choices=IdScheme.choices)
    value = models.CharField(max_length=64)
    title = models.ForeignKey(
        Title, on_delete=models.CASCADE, null=True, blank=True, related_name="external_ids"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="external_ids"
    )
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "value"],
                condition=models.Q(title__isnull=False),
                name="extid_unique_title",
            ),
            models.UniqueConstraint(
                fields=["scheme", "value"],
                condition=models.Q(person__isnull=False),
                name="extid_unique_person",
            ),
            models.CheckConstraint(
                condition=models.Q(title__isnull=False) ^ models.Q(person__isnull=False),
                name="extid_one_target",
            ),
        ]
        indexes = [models.Index(fields=["scheme", "value"])]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"

    @property
    def url(self) -> str:
        return IdScheme(self.scheme).url(self.value) if self.scheme in IdScheme.values else ""
