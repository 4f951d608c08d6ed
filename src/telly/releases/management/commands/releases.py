"""``telly releases backtest FILE [--json]`` and ``telly releases refresh``."""

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
    read_histories,
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
            help="Season-history file: the Economist IMDb CSV layout, or TVmaze seasons JSON/JSON lines.",
        )
        test.add_argument(
            "--json", action="store_true", help="Print the figures as one JSON object."
        )
        sub.add_parser(
            "refresh", help="Mirror seasons, update statuses and re-estimate every series."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "backtest":
            self.backtest(options["file"], as_json=options["json"])
        else:
            self.refresh()

    def backtest(self, path: Path, *, as_json: bool) -> None:
        try:
            histories = read_histories(path)
        except HistoryFileError as exc:
            raise CommandError(str(exc), returncode=2) from None
        report = backtest(histories)
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), sort_keys=True))
            return
        self.write_report(path, report)

    def write_report(self, path: Path, report: BacktestReport) -> None:
        self.stdout.write(f"{path}: {report.series} series")
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
            ]
        )

    def refresh(self) -> None:
        from telly.releases.estimates import refresh_all

        outcome = refresh_all()
        self.stdout.write(
            f"{outcome.titles} series refreshed, {outcome.estimated} estimate(s), "
            f"{outcome.replaced} replaced by a date"
        )
