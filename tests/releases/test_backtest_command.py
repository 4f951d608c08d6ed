import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ECONOMIST = """titleId,seasonNumber,title,date,av_rating,share,genres
tt1,1,One,2010-01-10,8.1,1.0,"Drama,Crime"
tt1,2,One,2011-01-12,8.0,1.0,"Drama,Crime"
tt1,3,One,2012-01-09,8.0,1.0,"Drama,Crime"
tt1,4,One,2013-01-15,8.0,1.0,"Drama,Crime"
tt2,1,Two,2012-09-20,7.0,0.5,Drama
tt2,2,Two,2013-09-25,7.0,0.5,Drama
tt2,2,Two,2013-09-25,7.0,0.5,Drama
tt2,3,Two,2015-10-01,7.0,0.5,Drama
"""


def run(*args: str) -> str:
    out = StringIO()
    call_command("releases", *args, stdout=out)
    return out.getvalue()


def test_it_scores_an_economist_layout_file_as_json(tmp_path):
    path = tmp_path / "seasons.csv"
    path.write_text(ECONOMIST, encoding="utf-8")
    result = json.loads(run("backtest", str(path), "--json"))
    assert result["series"] == 2
    assert result["seasons"] == 3  # seasons with at least two earlier seasons: tt1 s3, s4; tt2 s3
    assert result["all_seasons_after_first"]["seasons"] == 5
    for key in (
        "median_abs_error_days",
        "coverage_80",
        "median_window_days",
        "baseline_median_abs_error_days",
    ):
        assert key in result
    assert 0 <= result["coverage_80"] <= 1


def test_it_reads_tvmaze_seasons_arrays_and_recorded_responses(tmp_path):
    seasons = [
        {"number": n, "premiereDate": f"{2014 + n}-10-0{n}", "endDate": None} for n in range(1, 5)
    ] + [{"number": 5, "premiereDate": None}]
    array = tmp_path / "seasons.json"
    array.write_text(json.dumps(seasons))
    assert json.loads(run("backtest", str(array), "--json"))["seasons"] == 2

    show = {
        "id": 13,
        "name": "The Flash",
        "network": {"name": "The CW"},
        "_embedded": {"seasons": seasons},
    }
    lines = [
        {
            "uri": "https://api.tvmaze.com/singlesearch/shows?embed=seasons&q=x",
            "status": 200,
            "body": json.dumps(show),
        },
        {"uri": "https://api.tvmaze.com/shows/13/episodebynumber", "status": 200, "body": "{}"},
        {"uri": "https://api.tvmaze.com/singlesearch/shows?q=nothing", "status": 404, "body": "{}"},
    ]
    recorded = tmp_path / "responses.jsonl"
    recorded.write_text("\n".join(json.dumps(line) for line in lines))
    assert json.loads(run("backtest", str(recorded), "--json"))["series"] == 1


def test_it_prints_a_readable_report(tmp_path):
    path = tmp_path / "seasons.csv"
    path.write_text(ECONOMIST, encoding="utf-8-sig")  # a BOM is fine
    text = run("backtest", str(path))
    assert "Seasons with at least two earlier seasons: 3" in text
    assert "inside the 80% window" in text
    assert "baseline: same gap again" in text


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("name,date\nx,2020-01-01\n", ":1: not a season-history CSV"),
        (
            "titleId,seasonNumber,date\ntt1,1,2020-01-01\ntt1,two,2021-01-01\n",
            ":3: seasonNumber 'two'",
        ),
        ("titleId,seasonNumber,date\ntt1,1,01/02/2020\n", ":2: date '01/02/2020' is not a date"),
        ('{"uri": "x", "status": 200, "body": "{}"}\n{not json\n', ":2: invalid JSON"),
        ("", ":1: the file is empty"),
    ],
)
def test_a_bad_file_names_the_line_and_exits_with_status_2(tmp_path, content, problem):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(CommandError) as caught:
        run("backtest", str(path))
    assert problem in str(caught.value)
    assert caught.value.returncode == 2


def test_a_missing_file_is_an_error_not_a_traceback(tmp_path):
    with pytest.raises(CommandError) as caught:
        run("backtest", str(tmp_path / "nope.csv"))
    assert caught.value.returncode == 2


def many_series(count: int) -> str:
    rows = ["titleId,seasonNumber,title,date,av_rating,share,genres"]
    for n in range(count):
        for season in range(1, 5):
            day = f"{2000 + season + n % 7}-{1 + n % 12:02d}-{10 + (n * season) % 15:02d}"
            rows.append(f"tt{n},{season},S{n},{day},7.0,1.0,Drama")
    return "\n".join(rows) + "\n"


def test_folds_backtest_every_series_once_each_fold_alone(tmp_path):
    path = tmp_path / "seasons.csv"
    path.write_text(many_series(30), encoding="utf-8")
    result = json.loads(run("backtest", str(path), "--json", "--folds", "3"))
    folds = result["folds"]
    assert len(folds) == 3
    assert sum(f["series"] for f in folds) == result["series"] == 30
    assert sum(f["seasons"] for f in folds) == result["seasons"] == 60
    assert all(f["series"] > 0 for f in folds)  # the split spreads the series
    again = json.loads(run("backtest", str(path), "--json", "--folds", "3"))
    assert again["folds"] == folds  # the split and the scores are the same every run


def test_folds_are_reported_in_text_too(tmp_path):
    path = tmp_path / "seasons.csv"
    path.write_text(many_series(12), encoding="utf-8")
    text = run("backtest", str(path), "--folds", "2")
    assert "Fold 1 of 2 alone" in text and "Fold 2 of 2 alone" in text
    assert "within a week" in text


@pytest.mark.parametrize("folds", ["1", "21", "-3"])
def test_a_silly_number_of_folds_is_a_clear_error(tmp_path, folds):
    path = tmp_path / "seasons.csv"
    path.write_text(ECONOMIST, encoding="utf-8")
    with pytest.raises(CommandError, match="--folds must be between 2 and 20") as raised:
        run("backtest", str(path), "--folds", folds)
    assert raised.value.returncode == 2


def tmdb_show(show_id: int, years: list[int]) -> dict:
    seasons = [{"season_number": 0, "air_date": "2001-01-01", "name": "Specials"}]
    seasons += [
        {"season_number": n, "air_date": f"{year}-04-1{n % 10}", "name": f"Season {n}"}
        for n, year in enumerate(years, start=1)
    ]
    return {"id": show_id, "name": "X", "networks": [{"name": "HBO"}], "seasons": seasons}


def test_it_reads_tmdb_seasons_and_several_files_as_one_set(tmp_path):
    details = tmp_path / "tv-details.json"
    details.write_text(json.dumps(tmdb_show(1399, [2011, 2012, 2013, 2014])))
    by_number = tmp_path / "seasons.json"
    by_number.write_text(
        json.dumps({str(n): s for n, s in enumerate(tmdb_show(1, [2004, 2005, 2006])["seasons"])})
    )
    economist = tmp_path / "seasons.csv"
    economist.write_text(ECONOMIST, encoding="utf-8")
    alone = json.loads(run("backtest", str(details), "--json"))
    assert alone["series"] == 1
    assert alone["seasons"] == 2  # specials left out: seasons 3 and 4 have two earlier seasons
    together = json.loads(run("backtest", str(details), str(by_number), str(economist), "--json"))
    assert together["series"] == 4
    assert together["seasons"] == 2 + 1 + 3


def test_a_json_file_without_seasons_is_a_clear_error(tmp_path):
    path = tmp_path / "genres.json"
    path.write_text(json.dumps({"genres": [{"id": 1, "name": "Drama"}]}))
    with pytest.raises(CommandError, match="no TVmaze or TMDB seasons") as raised:
        run("backtest", str(path))
    assert raised.value.returncode == 2


def test_a_tmdb_season_without_a_number_is_a_clear_error(tmp_path):
    path = tmp_path / "show.json"
    path.write_text(json.dumps({"id": 5, "seasons": [{"season_number": "one", "air_date": "x"}]}))
    with pytest.raises(CommandError, match=r"show\.json:1") as raised:
        run("backtest", str(path))
    assert raised.value.returncode == 2
