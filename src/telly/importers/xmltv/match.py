"""Link airings to the catalogue: by ids first, then series name with season and episode
numbers, then name and year. One query per kind of lookup for a whole file, not per airing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from telly.catalog.models import Episode, ExternalId, Title
from telly.catalog.text import fold, name_key

IMDB_ID = re.compile(r"\btt\d{5,10}\b")
CHUNK = 500


def _chunks(values: list, size: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


@dataclass
class TitleCandidate:
    id: int
    year: int | None
    episodic: bool
    popularity: float
    has_article: bool


def has_article(name: str) -> bool:
    """Whether a name carries an article, at either end ("The Crown", "Crown, The").

    Name keys drop articles so that those two meet; an article on one side only ("The
    Brothers" and "Brothers") is more often two different works, so those do not match.
    """
    folded = fold(name)
    return folded.startswith(("the ", "a ", "an ")) or folded.endswith((" the", " a", " an"))


@dataclass
class CatalogueMatcher:
    """Built once per import from every name and id in the file."""

    by_key: dict[str, list[TitleCandidate]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # name → name_key, computed once each
    by_imdb: dict[str, int] = field(default_factory=dict)
    episodes: dict[tuple[int, int, int], int] = field(default_factory=dict)

    @classmethod
    def for_names(cls, names: set[str], imdb_ids: set[str]) -> CatalogueMatcher:
        matcher = cls()
        keys = sorted({name_key(n) for n in names} - {""})
        for chunk in _chunks(keys):
            rows = Title.objects.filter(name_key__in=chunk).values_list(
                "id", "name_key", "name", "year", "kind", "popularity"
            )
            for pk, key, title_name, year, kind, popularity in rows:
                episodic = kind in ("series", "miniseries")
                matcher.by_key.setdefault(key, []).append(
                    TitleCandidate(pk, year, episodic, popularity, has_article(title_name))
                )
        for chunk in _chunks(sorted(imdb_ids)):
            rows = ExternalId.objects.filter(scheme="imdb", value__in=chunk, title__isnull=False)
            matcher.by_imdb.update(rows.values_list("value", "title_id"))
        return matcher

    def title_for(
        self, name: str, year: int | None, episodic: bool, imdb_id: str = ""
    ) -> int | None:
        if imdb_id and imdb_id in self.by_imdb:
            return self.by_imdb[imdb_id]
        key = self.keys.get(name)
        if key is None:
            key = self.keys[name] = name_key(name)
        candidates = self.by_key.get(key)
        if not candidates:
            return None
        article = has_article(name)
        candidates = [c for c in candidates if c.has_article == article]
        if not candidates:
            return None
        if year is not None:
            same_year = [c for c in candidates if c.year == year]
            if same_year:
                candidates = same_year
        if episodic:
            candidates = [c for c in candidates if c.episodic] or candidates
        return max(candidates, key=lambda c: (c.popularity, -c.id)).id

    def load_episodes(self, wanted: set[tuple[int, int, int]]) -> None:
        """Fetch the episodes numbered (title id, season, episode) that airings point at."""
        by_title: dict[int, set[tuple[int, int]]] = defaultdict(set)
        for title_id, season, number in wanted:
            by_title[title_id].add((season, number))
        for chunk in _chunks(sorted(by_title)):
            rows = Episode.objects.filter(title_id__in=chunk).values_list(
                "id", "title_id", "season_number", "number"
            )
            for pk, title_id, season, number in rows:
                if (season, number) in by_title[title_id]:
                    self.episodes[(title_id, season, number)] = pk

    def episode_for(
        self, title_id: int | None, season: int | None, number: int | None
    ) -> int | None:
        if title_id is None or season is None or number is None:
            return None
        return self.episodes.get((title_id, season, number))
