"""A malformed file is rejected with ``file:line: problem``, exit status 2 and nothing of it
committed; ``--skip-bad`` imports the good rows and lists each rejected one."""

from __future__ import annotations

import gzip
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from telly.catalog.models import Title
from telly.importers.errors import BadInput
from telly.importers.models import ImportRun, RunStatus
from telly.importers.runner import import_path
from telly.streaming.models import Plan

pytestmark = pytest.mark.django_db

PLANS = "provider,plan,region,currency,price,period,has_ads,valid_from,valid_to,source\n"
GOOD_PLAN = "Netflix,Standard,GB,GBP,10.99,month,false,2022-03-10,,https://example.org/a\n"
BASICS = "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n"


def test_a_date_that_is_not_a_date_names_file_and_line_and_commits_nothing(write) -> None:
    path = write(
        "plans.csv",
        PLANS + GOOD_PLAN + "Netflix,Premium,GB,GBP,17.99,month,false,18th October,,x\n",
    )
    with pytest.raises(BadInput) as error:
        import_path(path)
    assert str(error.value) == f"{path}:3: valid_from '18th October' is not a date (YYYY-MM-DD)"
    assert Plan.objects.count() == 0
    assert ImportRun.objects.get().status == RunStatus.FAILED


def test_the_command_prints_the_problem_and_exits_with_status_2(write) -> None:
    path = write("plans.csv", PLANS + "Netflix,Basic,GB,GBP,five,month,false,2022-01-01,,x\n")
    with pytest.raises(CommandError) as error:
        call_command("import", str(path))
    assert error.value.returncode == 2
    assert str(error.value) == f"{path}:2: price 'five' is not a number"


def test_skip_bad_imports_the_good_rows_and_lists_the_rejected_ones(write) -> None:
    path = write(
        "plans.csv",
        PLANS + GOOD_PLAN + "Netflix,Premium,GB,GBP,17.99,fortnight,false,2023-10-18,,x\n",
    )
    out = StringIO()
    call_command("import", str(path), "--skip-bad", stdout=out)
    assert Plan.objects.count() == 1
    assert f"{path}:3: period 'fortnight' is not one of month, year, week, day" in out.getvalue()
    run = ImportRun.objects.get()
    assert (
        run.status == RunStatus.PARTIAL
        and run.counts["plan"]["rejected"] == 1
        and len(run.rejects) == 1
    )


def test_wrong_columns_are_rejected_at_the_header(write) -> None:
    path = write("plans.csv", "provider,plan,price,currency\nNetflix,Basic,5.99,GBP\n")
    with pytest.raises(
        BadInput, match=r"plans\.csv:1: missing column\(s\) region, period, valid_from"
    ):
        import_path(path, "plans-csv")


def test_a_row_with_the_wrong_number_of_fields_is_rejected(write) -> None:
    path = write(
        "basics.tsv",
        BASICS + "tt0000001\tmovie\tOne\tOne\t0\t2001\t\\N\t90\tDrama\ntt0000002\tmovie\tTwo\n",
    )
    with pytest.raises(BadInput, match=r"basics\.tsv:3: expected 9 tab-separated fields"):
        import_path(path)
    assert Title.objects.count() == 0


def test_broken_json_names_its_line(write) -> None:
    path = write(
        "show.json",
        '{\n  "id": 1,\n  "name": "Broken",\n  "premiered": "2020-01-01",\n  "_links": {\n}\n',
    )
    with pytest.raises(BadInput, match=r"show\.json:\d+: broken JSON"):
        import_path(path, "tvmaze")


def test_a_truncated_gzip_is_rejected_and_nothing_committed(write) -> None:
    rows = "".join(
        f"tt{n:07d}\tmovie\tFilm {n}\tFilm {n}\t0\t2001\t\\N\t90\tDrama\n" for n in range(1, 3000)
    )
    whole = gzip.compress((BASICS + rows).encode())
    path = write("title.basics.tsv.gz", whole[: len(whole) // 2])
    with pytest.raises(BadInput, match=r"title\.basics\.tsv\.gz:\d+: truncated or corrupt gzip"):
        import_path(path, "imdb")
    assert Title.objects.count() == 0


def test_bytes_that_are_not_utf8_are_an_encoding_error_with_a_line(write) -> None:
    path = write(
        "plans.csv",
        PLANS.encode()
        + GOOD_PLAN.encode()
        + "Canal+,Essentiel,FR,EUR,9.99,month,false,2024-01-01,,x\n".encode("latin-1").replace(
            b"+", b"\xe9"
        ),
    )
    with pytest.raises(BadInput, match=r"plans\.csv:3: not UTF-8 text"):
        import_path(path, "plans-csv")


def test_boms_crlf_quoted_newlines_and_imdb_nulls_are_normal_input(write) -> None:
    csv_text = (
        "\ufeff"
        + PLANS.replace("\n", "\r\n")
        + 'Netflix,"Standard\r\nwith adverts",GB,GBP,4.99,month,true,2022-11-03,,x\r\n'
    )
    run, _ = import_path(write("plans.csv", csv_text))
    assert run.status == RunStatus.OK and Plan.objects.get().name == "Standard\r\nwith adverts"
    run, _ = import_path(
        write(
            "title.basics.tsv",
            "\ufeff" + BASICS + "tt0000001\tmovie\tNull Film\t\\N\t0\t\\N\t\\N\t\\N\t\\N\r\n",
        )
    )
    assert run.status == RunStatus.OK and Title.objects.get().year is None


def test_a_catalogue_without_a_region_is_refused_rather_than_guessed(write) -> None:
    path = write(
        "netflix_titles.csv",
        "show_id,type,title,director,cast,country,date_added,release_year,rating,duration,listed_in,description\n",
    )
    with pytest.raises(BadInput, match="give --region"):
        import_path(path)


def test_json_summary_reports_the_failure_too(write) -> None:
    path = write("plans.csv", PLANS + "Netflix,Basic,GB,GBP,5.99,month,maybe,2022-01-01,,x\n")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert (
        summary["status"] == "failed" and "has_ads 'maybe' is not true or false" in summary["error"]
    )


def test_a_missing_file_is_reported_not_crashed_on(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no such file"):
        import_path(tmp_path / "nope.csv")
