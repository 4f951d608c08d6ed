"""Demo releases: season dates and statuses from TVmaze facts, then estimates for the series
that are still returning.

Source (``../shared/data``): ``tvmaze/flexget_tvmaze_api_responses.jsonl``, the recorded
``singlesearch?embed=seasons`` and ``shows/:id?embed=seasons`` responses (19 shows, recorded
2017-2020). Facts only: name, first year, status, network or streaming service, genres, each
season's number, premiere and end date and episode order, and the IMDb id. Never the summary.

Estimates are made as of the day each response was recorded (what Telly would have said
then); ``telly releases refresh`` re-estimates as of today.

A show already in the demo catalogue (matched by IMDb or TVmaze id) gets its seasons' dates and
its status; the others are created as series from the same facts. Loading then runs the
releases refresh, which mirrors the seasons as premiere and finale events and estimates the
next season of every series TVmaze called "Running".
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils import timezone

from telly.catalog.models import ExternalId, Genre, Season, SeriesStatus, Title, TitleKind
from telly.releases.estimates import refresh_titles
from telly.releases.models import ReleaseEvent

SOURCE = "tvmaze"
TVMAZE_FILE = Path("tvmaze") / "flexget_tvmaze_api_responses.jsonl"
STATUS = {
    "Running": SeriesStatus.RETURNING,
    "Ended": SeriesStatus.ENDED,
    "To Be Determined": SeriesStatus.UNKNOWN,
}


def _recorded_on(header: str) -> str:
    try:
        return dt.datetime.strptime(header, "%a, %d %b %Y %H:%M:%S %Z").date().isoformat()
    except ValueError:
        return ""


def _show(body: dict[str, Any], recorded: str) -> dict[str, Any]:
    channel = body.get("network") or body.get("webChannel") or {}
    seasons = []
    for season in body["_embedded"]["seasons"]:
        if season.get("number") is None:
            continue
        seasons.append(
            {
                "number": int(season["number"]),
                "premiere": season.get("premiereDate"),
                "finale": season.get("endDate"),
                "episode_count": season.get("episodeOrder"),
            }
        )
    externals = body.get("externals") or {}
    premiered = body.get("premiered") or ""
    return {
        "tvmaze": str(body["id"]),
        "imdb": externals.get("imdb") or "",
        "name": body["name"],
        "year": int(premiered[:4]) if premiered[:4].isdecimal() else None,
        "status": body.get("status") or "",
        "network": channel.get("name", ""),
        "country": ((channel.get("country") or {}).get("code")) or "",
        "genres": body.get("genres") or [],
        "recorded": recorded,
        "seasons": sorted(seasons, key=lambda s: s["number"]),
    }


def build(shared: Path) -> dict[str, Any]:
    shows: dict[str, dict[str, Any]] = {}
    for line in (shared / TVMAZE_FILE).read_text(encoding="utf-8").splitlines():
        response = json.loads(line)
        if response.get("status") != 200 or "embed=seasons" not in response.get("uri", ""):
            continue
        body = response["body"]
        body = json.loads(body) if isinstance(body, str) else body
        if "_embedded" not in body:
            continue
        show = _show(body, _recorded_on(response.get("date", "")))
        kept = shows.get(show["tvmaze"])
        # The same show recorded more than once: keep the latest recording (most is known).
        if kept is None or (show["recorded"], len(show["seasons"])) > (
            kept["recorded"],
            len(kept["seasons"]),
        ):
            shows[show["tvmaze"]] = show
    return {"shows": [shows[k] for k in sorted(shows, key=int)]}


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _find(show: dict[str, Any], index: dict[tuple[str, str], int]) -> int | None:
    for scheme in ("tvmaze", "imdb"):
        if show[scheme] and (scheme, show[scheme]) in index:
            return index[(scheme, show[scheme])]
    return None


def load(data: dict[str, Any], log: Callable[[str], Any]) -> dict[str, int]:
    now = timezone.now()
    counts = {"series created": 0, "series updated": 0, "seasons": 0}
    events_before = ReleaseEvent.objects.count()
    index = {
        (x.scheme, x.value): x.title_id for x in ExternalId.objects.filter(title__isnull=False)
    }
    as_of: dict[dt.date | None, list[int]] = {}
    for show in data["shows"]:
        pk = _find(show, index)
        title = Title.objects.get(pk=pk) if pk else Title(kind=TitleKind.SERIES)
        values: dict[str, Any] = {"status": STATUS.get(show["status"], SeriesStatus.UNKNOWN).value}
        if title.pk is None:
            values.update(
                name=show["name"],
                year=show["year"],
                countries=[show["country"]] if show["country"] else [],
            )
        if show["network"] and not title.network:
            values["network"] = show["network"]
        changed = title.apply_source(values, SOURCE, now)
        if title.pk is None:
            title.save()
            counts["series created"] += 1
            title.genres.set(Genre.for_names(show["genres"]))
        elif changed:
            title.save()
            counts["series updated"] += 1
        for scheme in ("tvmaze", "imdb"):
            if show[scheme] and (scheme, show[scheme]) not in index:
                ExternalId.objects.create(
                    scheme=scheme, value=show[scheme], title=title, first_seen=now, last_seen=now
                )
                index[(scheme, show[scheme])] = title.pk
        counts["seasons"] += _load_seasons(title, show["seasons"], now)
        as_of.setdefault(_day(show["recorded"]), []).append(title.pk)
    # Facts are as of the day TVmaze was asked; estimates are made as of that day too, so the
    # demo shows what Telly would have said then (a refresh later re-estimates as of today).
    estimated = 0
    for day, title_ids in sorted(as_of.items(), key=lambda item: item[0] or dt.date.max):
        estimated += refresh_titles(title_ids, today=day).estimated
    counts["release events created"] = ReleaseEvent.objects.count() - events_before
    counts["estimates made"] = estimated
    return counts


def _load_seasons(title: Title, rows: list[dict[str, Any]], now: dt.datetime) -> int:
    """Upsert the seasons' dates; returns how many seasons were created or changed."""
    seasons = {s.number: s for s in title.seasons.all()}
    written = 0
    for row in rows:
        season = seasons.get(row["number"]) or Season(title=title, number=row["number"], name="")
        values: dict[str, Any] = {}
        for key in ("premiere", "finale"):
            if row.get(key):
                values[key] = _day(row[key])
        if row.get("episode_count") and not season.episode_count:
            values["episode_count"] = row["episode_count"]
        changed = season.apply_source(values, SOURCE, now)
        if season.pk is None or changed:
            season.save()
            written += 1
    return written
