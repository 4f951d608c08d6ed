"""docs/releases.md names every command, endpoint, filter and JSON key users rely on."""

from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "releases.md"


@pytest.mark.parametrize(
    "needle",
    [
        "telly releases backtest FILE [--json]",
        "--folds K",
        "`within_7_days`",
        "telly releases refresh",
        "/api/v1/titles/{id or slug}/releases",
        "/api/v1/calendar?from=YYYY-MM-DD&to=YYYY-MM-DD",
        "/calendar/",
        "/account/calendar/",
        "`service`",
        "`channel`",
        "`genre`",
        "`median_abs_error_days`",
        "`coverage_80`",
        "`median_window_days`",
        "`baseline_median_abs_error_days`",
        "queries.upcoming_events",
        "queries.next_season_estimate",
        "replaced_by",
    ],
)
def test_the_releases_docs_mention(needle):
    assert needle in DOCS.read_text(encoding="utf-8")
