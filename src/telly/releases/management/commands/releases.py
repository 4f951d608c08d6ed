"""``telly releases backtest FILE... [--json] [--folds K]`` and ``telly releases refresh``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from telly.releases.backtest import (
    BacktestReport,
    HistoryFileError,
    Score,
    backtest,
    cross_validate,
    read_many,
)


def _days(value: float | None) -> str:
    return "n/a" if value is None else f"{value:g} days"


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


class Command(BaseCommand):
    help = "Release calendar tools: backtest the next-season estimator, refresh estimates."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{backtest,refresh}")
        test = sub.add_parser(
            "backtest",
            help="Predict every season after the first from what was known before it, and score it.",
        )
        test.add_argument(
            "file",
            type=Path,
            nargs="+",
            help="Season-history file(s): the Economist IMDb CSV layout, TVmaze seasons JSON/JSON "
            "lines, or TMDB seasons JSON; several files are backtested as one set.",
        )
        test.add_argument(
            "--json", action="store_true", help="Print the figures as one JSON object."
        )
        test.add_argument(
            "--folds",
            type=int,
            default=0,
            metavar="K",
            help="Also split the series into K folds (2-20) and backtest each fold alone.",
        )
        sub.add_parser(
            "refresh", help="Mirror seasons, update statuses and re-estimate every series."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "backtest":
            self.backtest(options["file"], as_json=options["json"], folds=options["folds"])
        else:
            self.refresh()

    def backtest(self, paths: list[Path], *, as_json: bool, folds: int = 0) -> None:
        if folds and not 2 <= folds <= 20:
            raise CommandError(f"--folds must be between 2 and 20, not {folds}", returncode=2)
        try:
            histories = read_many(paths)
        except HistoryFileError as exc:
            raise CommandError(str(exc), returncode=2) from None
        report = backtest(histories)
        parts = cross_validate(histories, folds) if folds else []
        if as_json:
            result = report.as_dict()
            if parts:
                result["folds"] = [part.as_dict() for part in parts]
            self.stdout.write(json.dumps(result, sort_keys=True))
            return
        self.write_report(", ".join(str(p) for p in paths), report)
        for number, part in enumerate(parts, start=1):
            self.stdout.write(f"Fold {number} of {folds} alone: {part.series} series")
            self.stdout.write(
                self.score_lines("  Seasons with at least two earlier seasons", part.established)
            )

    def write_report(self, files: str, report: BacktestReport) -> None:
        self.stdout.write(f"{files}: {report.series} series")
        if report.skipped:
            self.stdout.write(
                f"  {report.skipped} season(s) dated on or before the season before: left out"
            )
        for heading, score in (
            ("Seasons with at least two earlier seasons", report.established),
            ("Every season after the first", report.all_seasons),
        ):
            self.stdout.write(self.score_lines(heading, score))

    @staticmethod
    def score_lines(heading: str, score: Score) -> str:
        return "\n".join(
            [
                f"{heading}: {score.seasons}",
                f"  median absolute error     {_days(score.median_abs_error_days)}",
                f"  inside the 80% window     {_share(score.coverage_80)}",
                f"  median window width       {_days(score.median_window_days)}",
                f"  baseline: same gap again  {_days(score.baseline_median_abs_error_days)}",
                f"  baseline: one year later  {_days(score.one_year_median_abs_error_days)}",
                f"  within a week             {_share(score.within_7_days)}"
                f" (one year later: {_share(score.one_year_within_7_days)})",
            ]
        )

    def refresh(self) -> None:
        from telly.releases.estimates import refresh_all

        outcome = refresh_all()
        self.stdout.write(
            f"{outcome.titles} series refreshed, {outcome.estimated} estimate(s), "
            f"{outcome.replaced} replaced by a date"
        )
