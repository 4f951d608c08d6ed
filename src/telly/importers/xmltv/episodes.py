"""Episode numbers as listings write them.

``xmltv_ns`` counts from zero, ``season . episode . part`` each with an optional ``/total``:
``"1 . 6/10 . 0/1"`` is season 2, episode 7 of 10, part 1 of 1. ``onscreen`` is free text,
``S02E07``, ``2x07`` or ``Series 2: Episode 7`` (Freeview's form).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(slots=True)
class EpisodeNumber:
    season: int | None = None
    episode: int | None = None
    episode_total: int | None = None
    part: int | None = None
    part_total: int | None = None

    def __bool__(self) -> bool:
        return self.season is not None or self.episode is not None


def _number_and_total(text: str) -> tuple[int | None, int | None]:
    number, _, total = text.partition("/")
    number, total = number.strip(), total.strip()
    return (
        int(number) + 1 if number.isdecimal() else None,
        int(total) if total.isdecimal() else None,
    )


def parse_xmltv_ns(text: str) -> EpisodeNumber:
    """>>> parse_xmltv_ns("1 . 6/10 . 0/1")
    EpisodeNumber(season=2, episode=7, episode_total=10, part=1, part_total=1)
    """
    fields = (text or "").split(".")
    if len(fields) < 2 or len(fields) > 3:
        return EpisodeNumber()
    season, _season_total = _number_and_total(fields[0])
    episode, episode_total = _number_and_total(fields[1])
    part, part_total = _number_and_total(fields[2]) if len(fields) == 3 else (None, None)
    return EpisodeNumber(season, episode, episode_total, part, part_total)


_ONSCREEN = [
    re.compile(r"^\s*S(?P<s>\d{1,4})\s*E(?P<e>\d{1,4})", re.I),
    re.compile(r"^\s*(?P<s>\d{1,3})x(?P<e>\d{1,4})\b", re.I),
    re.compile(
        r"(?:series|season)\s+(?P<s>\d{1,4})\s*[:,.-]?\s*(?:episode|ep\.?)\s+(?P<e>\d{1,4})(?:\s*/\s*(?P<t>\d{1,4}))?",
        re.I,
    ),
    re.compile(r"^\s*(?:episode|ep\.?)\s+(?P<e>\d{1,4})(?:\s*/\s*(?P<t>\d{1,4}))?\s*$", re.I),
]


def parse_onscreen(text: str) -> EpisodeNumber:
    """>>> parse_onscreen("Series 4: Episode 7")
    EpisodeNumber(season=4, episode=7, episode_total=None, part=None, part_total=None)
    """
    for pattern in _ONSCREEN:
        match = pattern.search(text or "")
        if match:
            groups = match.groupdict()
            total = groups.get("t")
            return EpisodeNumber(
                int(groups["s"]) if groups.get("s") else None,
                int(groups["e"]),
                int(total) if total else None,
            )
    return EpisodeNumber()


def format_xmltv_ns(
    season: int | None,
    episode: int | None,
    total: int | None = None,
    part: int | None = None,
    part_total: int | None = None,
) -> str:
    """The zero-based form: ``format_xmltv_ns(2, 7, 10)`` is ``"1.6/10."``."""
    season_text = str(season - 1) if season else ""
    episode_text = str(episode - 1) if episode else ""
    if episode_text and total:
        episode_text += f"/{total}"
    part_text = str(part - 1) if part else ""
    if part_text and part_total:
        part_text += f"/{part_total}"
    return f"{season_text}.{episode_text}.{part_text}"
