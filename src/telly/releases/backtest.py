"""Season-history files for the backtest, and the backtest itself.

Two layouts are read:

- **The Economist's IMDb CSV** (``titleId,seasonNumber,title,date,...,genres``): one row per
  season with one date.
- **TVmaze seasons**: a JSON array of season objects (``/shows/:id/seasons``), a show with
  ``_embedded.seasons`` (``singlesearch?embed=seasons``), or JSON lines of recorded responses
  whose ``body`` is either of those. The season's ``premiereDate`` is its date.
- **TMDB seasons**: a TV show's details (``/tv/:id``, its ``seasons`` list) or an object of
  season objects keyed by number; a season's ``air_date`` is its date, season 0 (specials)
  is left out. Keys are ``tmdb:<id>`` so they never meet TVmaze ids.

Several files can be read into one set of histories (``read_many``).

A malformed file raises ``HistoryFileError`` naming the file, the line and the problem.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import statistics
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telly.releases.estimator import History, Prediction, walk_forward


class HistoryFileError(ValueError):
    def __init__(self, path: Path, line: int, problem: str) -> None:
        super().__init__(f"{path}:{line}: {problem}")
        self.path, self.line, self.problem = path, line, problem


def read_histories(path: Path) -> list[History]:
    """Read a season-history file in either layout (told apart by its first character)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HistoryFileError(path, 1, f"not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise HistoryFileError(path, 0, exc.strerror or "cannot be read") from exc
    stripped = text.lstrip()
    if not stripped:
        raise HistoryFileError(path, 1, "the file is empty")
    if stripped[0] in "[{":
        return _read_tvmaze(path, text)
    return _read_economist(path, text)


def _parse_day(path: Path, line: int, value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise HistoryFileError(path, line, f"{what} {value!r} is not a date (YYYY-MM-DD)") from None


def _read_economist(path: Path, text: str) -> list[History]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    needed = {"titleId", "seasonNumber", "date"}
    if not reader.fieldnames or not needed <= set(reader.fieldnames):
        missing = ", ".join(sorted(needed - set(reader.fieldnames or [])))
        raise HistoryFileError(path, 1, f"not a season-history CSV: missing column(s) {missing}")
    # A repeated season number with another date is a revival that restarted the numbering
    # (Twin Peaks 1990, 1991, then "season 1" in 2017): kept, ordered by (number, date); an
    # exact repeat of a row is ignored.
    seasons: dict[str, set[tuple[int, dt.date]]] = {}
    genres: dict[str, tuple[str, ...]] = {}
    for row in reader:
        line = reader.line_num
        key = (row.get("titleId") or "").strip()
        if not key:
            raise HistoryFileError(path, line, "titleId is empty")
        try:
            number = int(row["seasonNumber"])
        except (TypeError, ValueError):
            raise HistoryFileError(
                path, line, f"seasonNumber {row.get('seasonNumber')!r} is not a number"
            ) from None
        day = _parse_day(path, line, row.get("date") or "", "date")
        seasons.setdefault(key, set()).add((number, day))
        genres[key] = tuple(g.strip() for g in (row.get("genres") or "").split(",") if g.strip())
    return [
        History(key, [day for _, day in sorted(rows)], genres[key])
        for key, rows in sorted(seasons.items())
    ]


def _tmdb_history(path: Path, line: int, body: dict[str, Any], key: str) -> History | None:
    """A TMDB show (``seasons`` with ``air_date``) or an object of TMDB seasons by number."""
    if isinstance(body.get("seasons"), list):
        seasons = body["seasons"]
        key = f"tmdb:{body['id']}" if body.get("id") is not None else key
        network = ((body.get("networks") or [{}])[0] or {}).get("name", "")
        genres = tuple(g.get("name", "") for g in body.get("genres") or () if isinstance(g, dict))
    else:
        seasons, network, genres = list(body.values()), "", ()
    by_number: dict[int, dt.date] = {}
    for season in seasons:
        if not isinstance(season, dict) or not isinstance(season.get("season_number"), int):
            raise HistoryFileError(path, line, "a TMDB season without a season_number")
        if season["season_number"] > 0 and season.get("air_date"):
            by_number[season["season_number"]] = _parse_day(
                path, line, season["air_date"], "air_date"
            )
    if not by_number:
        return None
    return History(key, [by_number[n] for n in sorted(by_number)], genres, network)


def _is_tmdb(body: Any) -> bool:
    if not isinstance(body, dict) or "_embedded" in body:
        return False
    if isinstance(body.get("seasons"), list):
        return all(isinstance(s, dict) and "season_number" in s for s in body["seasons"])
    return bool(body) and all(
        isinstance(v, dict) and "season_number" in v and "air_date" in v for v in body.values()
    )


def _tvmaze_history(path: Path, line: int, body: Any, fallback_key: str) -> History | None:
    if _is_tmdb(body):
        return _tmdb_history(path, line, body, f"tmdb:{fallback_key}")
    if isinstance(body, dict):
        show = body
        seasons = (body.get("_embedded") or {}).get("seasons")
        if seasons is None:
            return None  # a recorded response of another endpoint (episodes, search): not seasons
        key = str(show.get("id") or fallback_key)
        network = ((show.get("network") or show.get("webChannel")) or {}).get("name", "")
        genres = tuple(show.get("genres") or ())
    elif isinstance(body, list):
        seasons, key, network, genres = body, fallback_key, "", ()
    else:
        raise HistoryFileError(path, line, "expected a TVmaze show or a list of seasons")
    by_number: dict[int, dt.date] = {}
    for season in seasons:
        if not isinstance(season, dict) or "number" not in season:
            raise HistoryFileError(path, line, "a season without a number")
        if season.get("premiereDate"):
            by_number[int(season["number"])] = _parse_day(
                path, line, season["premiereDate"], "premiereDate"
            )
    if not by_number:
        return None
    return History(key, [by_number[n] for n in sorted(by_number)], genres, network)


def _read_tvmaze(path: Path, text: str) -> list[History]:
    histories: dict[str, History] = {}
    stripped = text.strip()
    try:
        documents = [(1, json.loads(stripped))]
    except json.JSONDecodeError:
        documents = []
        for number, raw in enumerate(text.splitlines(), start=1):
            if raw.strip():
                try:
                    documents.append((number, json.loads(raw)))
                except json.JSONDecodeError as exc:
                    raise HistoryFileError(path, number, f"invalid JSON ({exc.msg})") from None
    for line, document in documents:
        body = document
        if isinstance(document, dict) and "body" in document and "uri" in document:
            if document.get("status") != 200:
                continue
            body = document["body"]
            if isinstance(body, str):
                try:
                    body = json.loads(body)
                except json.JSONDecodeError:
                    continue
        history = _tvmaze_history(path, line, body, f"{path.name}:{line}")
        if history is not None:
            # The same show recorded twice (at different times): keep the longer history.
            kept = histories.get(history.key)
            if kept is None or len(history.dates) > len(kept.dates):
                histories[history.key] = history
    if not histories:
        raise HistoryFileError(path, 1, "no TVmaze or TMDB seasons with dates found")
    return [histories[k] for k in sorted(histories)]


def read_many(paths: list[Path]) -> list[History]:
    """Histories from several files; a series found twice (same key) keeps its longer history."""
    kept: dict[str, History] = {}
    for path in paths:
        for history in read_histories(path):
            if history.key not in kept or len(history.dates) > len(kept[history.key].dates):
                kept[history.key] = history
    return [kept[k] for k in sorted(kept)]


@dataclass(frozen=True)
class Score:
    seasons: int
    median_abs_error_days: float | None
    coverage_80: float | None
    median_window_days: float | None
    baseline_median_abs_error_days: float | None
    one_year_median_abs_error_days: float | None
    within_7_days: float | None = None  # share of most likely dates at most a week off
    one_year_within_7_days: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _baseline_error(prediction: Prediction) -> int | None:
    """The naive 'same gap as last time' baseline; none for season 2 (no gap yet)."""
    gaps = prediction.estimate.gaps
    if not gaps:
        return None
    guess = prediction.estimate.last + dt.timedelta(days=gaps[-1])
    return abs((prediction.actual - guess).days)


def _share(values: list[bool]) -> float:
    return round(sum(values) / len(values), 4)


def _one_year_error(prediction: Prediction) -> int:
    last = prediction.estimate.last
    try:
        guess = last.replace(year=last.year + 1)
    except ValueError:  # 29 February
        guess = last + dt.timedelta(days=365)
    return abs((prediction.actual - guess).days)


def score(predictions: list[Prediction]) -> Score:
    if not predictions:
        return Score(0, None, None, None, None, None)
    errors = [abs(p.error_days) for p in predictions]
    one_year = [_one_year_error(p) for p in predictions]
    baseline = [e for p in predictions if (e := _baseline_error(p)) is not None]
    return Score(
        seasons=len(predictions),
        median_abs_error_days=float(statistics.median(errors)),
        coverage_80=_share([p.inside for p in predictions]),
        median_window_days=float(statistics.median(p.estimate.window_days for p in predictions)),
        baseline_median_abs_error_days=float(statistics.median(baseline)) if baseline else None,
        one_year_median_abs_error_days=float(statistics.median(one_year)),
        within_7_days=_share([e <= 7 for e in errors]),
        one_year_within_7_days=_share([e <= 7 for e in one_year]),
    )


@dataclass(frozen=True)
class BacktestReport:
    series: int
    skipped: int
    all_seasons: Score  # every season after the first
    established: Score  # seasons with at least two earlier seasons (the quality bar)

    def as_dict(self) -> dict[str, Any]:
        """The headline figures are those of the established subset, as the issue asks."""
        result = self.established.as_dict()
        result["series"] = self.series
        result["skipped_out_of_order"] = self.skipped
        result["all_seasons_after_first"] = self.all_seasons.as_dict()
        return result


def backtest(histories: list[History]) -> BacktestReport:
    predictions, _ = walk_forward(histories)
    possible = sum(max(0, len(h.dates) - 1) for h in histories)
    return BacktestReport(
        series=len(histories),
        skipped=possible - len(predictions),
        all_seasons=score(predictions),
        established=score([p for p in predictions if p.earlier >= 2]),
    )


def fold_of(key: str, folds: int) -> int:
    """A series' fold: fixed by its key alone (CRC-32), so the split is the same on every run
    and a series never has seasons in two folds."""
    return zlib.crc32(key.encode("utf-8")) % folds


def cross_validate(histories: list[History], folds: int) -> list[BacktestReport]:
    """The backtest run on each fold of the series alone, as if it were a file never seen.

    The estimator learns only from the series of the fold being scored (walking forward in
    time, as always), so each fold measures what a held-out file of that size would get; with
    three folds each is about the size of the 30% of the Economist series that is held back.
    """
    if folds < 2:
        raise ValueError("cross-validation needs at least two folds")
    parts: list[list[History]] = [[] for _ in range(folds)]
    for history in histories:
        parts[fold_of(history.key, folds)].append(history)
    return [backtest(part) for part in parts]
