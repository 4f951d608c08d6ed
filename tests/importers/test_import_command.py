"""``telly import``: the summary table, ``--json``, directories, and the change announcement."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from telly.catalog.signals import changes_committed
from telly.importers.models import ImportRun

pytestmark = pytest.mark.django_db


def test_json_prints_one_object_with_counts_per_kind(fixtures: Path) -> None:
    out = StringIO()
    call_command("import", str(fixtures / "imdb"), "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["status"] == "ok" and summary["rows"] == 21
    assert summary["counts"]["title"] == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "skipped": 1,
    }
    assert (
        summary["files"][0]["format"] == "imdb"
        and summary["files"][0]["run"] == ImportRun.objects.get().pk
    )


def test_without_a_terminal_it_prints_one_line_and_a_table(fixtures: Path) -> None:
    out = StringIO()
    call_command("import", str(fixtures / "imdb"), stdout=out)
    first, header, *rows = out.getvalue().splitlines()
    assert first.startswith("ok: 21 rows in ") and "created 15" in first
    assert header.split() == ["record", "created", "updated", "unchanged", "rejected", "skipped"]
    assert any(row.split()[:2] == ["episode", "3"] for row in rows)


def test_a_directory_of_csvs_is_imported_file_by_file_skipping_what_is_not_data(
    write, tmp_path: Path
) -> None:
    write("platforms.csv", "platform,provider,region,source\nRoku,Netflix,GB,x\n")
    write("README.md", "# notes\n")
    err, out = StringIO(), StringIO()
    call_command("import", str(tmp_path), "--json", stdout=out, stderr=err)
    assert json.loads(out.getvalue())["counts"]["carriage"]["created"] == 1
    assert "README.md: skipped" in err.getvalue()


def test_it_announces_what_changed_after_the_commit(
    fixtures: Path, django_capture_on_commit_callbacks
) -> None:
    heard = []

    def listener(sender, changes, **kwargs):
        heard.append(changes)

    changes_committed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("import", str(fixtures / "imdb"), stdout=StringIO())
    finally:
        changes_committed.disconnect(listener)
    assert len(heard) == 1
    changes = heard[0]
    assert changes.source == "imdb" and len(changes.new_titles) == 3 and len(changes.episodes) == 3
    assert len(changes.people) == 3
