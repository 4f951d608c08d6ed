"""The IMDb reader takes a chunk of lines at a time through one strict pattern per file; a chunk
with any line the pattern does not fit goes through the careful per-line checks. Both must
import the same rows, and a bad line keeps its own line number."""

from __future__ import annotations

from pathlib import Path

import pytest

from telly.catalog.models import Credit, Episode, Person, Title
from telly.importers.errors import BadInput
from telly.importers.imdb import files
from telly.importers.runner import import_path

pytestmark = pytest.mark.django_db

BASICS = "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n"
EPISODES = "tconst\tparentTconst\tseasonNumber\tepisodeNumber\n"
NAMES = "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles\n"
PRINCIPALS = "tconst\tordering\tnconst\tcategory\tjob\tcharacters\n"


def catalogue(directory: Path, series: int, *, odd: bool = False) -> Path:
    """``series`` series of 3 episodes, a person each, a cast credit each. ``odd``: some lines
    are valid but not in the strict shape (an empty year instead of \\N, an ordering of \\N, a
    blank line), so their chunks take the careful path."""
    directory.mkdir()
    basics, episodes, names, principals = [BASICS], [EPISODES], [NAMES], [PRINCIPALS]
    for s in range(series):
        tt = 1000 + s * 10
        year = "" if odd and s % 7 == 0 else "2019"
        basics.append(f"tt{tt}\ttvSeries\tShow {s}\tShow {s}\t0\t{year}\t\\N\t45\tDrama,Crime\n")
        for e in range(1, 4):
            basics.append(f"tt{tt + e}\ttvEpisode\tPart {e}\tPart {e}\t0\t2019\t\\N\t\\N\t\\N\n")
            episodes.append(f"tt{tt + e}\ttt{tt}\t1\t{e}\n")
        names.append(f"nm{5000 + s}\tActor {s}\t1980\t\\N\tactor\t\\N\n")
        ordering = "\\N" if odd and s % 5 == 0 else "1"
        principals.append(f'tt{tt}\t{ordering}\tnm{5000 + s}\tactor\t\\N\t["Lead {s}"]\n')
        if odd and s % 11 == 0:
            basics.append("\n")
    for name, lines in (
        ("title.basics.tsv", basics),
        ("title.episode.tsv", episodes),
        ("name.basics.tsv", names),
        ("title.principals.tsv", principals),
    ):
        (directory / name).write_text("".join(lines), encoding="utf-8")
    return directory


def snapshot() -> tuple:
    return (
        sorted(Title.objects.values_list("name", "year", "runtime")),
        sorted(Episode.objects.values_list("title__name", "season_number", "number", "name")),
        sorted(Person.objects.values_list("name", "birth_year", "known_for")),
        sorted(Credit.objects.values_list("title__name", "person__name", "character")),
    )


def test_lines_outside_the_strict_shape_import_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "CHUNK", 500)  # many chunks, some careful, some fast
    run, _ = import_path(catalogue(tmp_path / "odd", 60, odd=True), "imdb")
    odd = snapshot()
    assert run.counts["title"]["created"] == 60 and run.counts["episode"]["created"] == 180
    assert run.counts["credit"]["created"] == 60
    assert ("Show 0", None, 45) in odd[0]  # an empty startYear is no year, as \N is
    assert Credit.objects.get(title__name="Show 5").order == 0  # ordering \N
    Title.objects.all().delete()
    Person.objects.all().delete()
    import_path(catalogue(tmp_path / "plain", 60), "imdb")
    plain = snapshot()
    assert [t[0] for t in odd[0]] == [t[0] for t in plain[0]]
    assert odd[1:] == plain[1:]


def test_a_bad_line_in_a_fast_chunk_is_named_by_its_own_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "CHUNK", 300)
    directory = catalogue(tmp_path / "bad", 30)
    basics = directory / "title.basics.tsv"
    lines = basics.read_text().splitlines(keepends=True)
    assert lines[42].split("\t")[1] == "tvEpisode"
    lines[42] = lines[42].replace("2019", "19x9", 1)
    basics.write_text("".join(lines))
    with pytest.raises(BadInput, match=r"title\.basics\.tsv:43: startYear/endYear"):
        import_path(directory, "imdb")
    assert Title.objects.count() == 0
    run, ctx = import_path(directory, "imdb", skip_bad=True)
    assert run.counts["title"]["rejected"] == 1
    assert any(":43: startYear/endYear '19x9'" in r for r in ctx.tally.rejects)
    assert (Title.objects.count(), Episode.objects.count()) == (30, 89)


def test_a_crlf_file_takes_the_fast_path(tmp_path: Path) -> None:
    directory = catalogue(tmp_path / "crlf", 5)
    for path in directory.iterdir():
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    rejected: list[int] = []
    rows = [
        row
        for chunk in files.fast_rows(
            directory / "title.episode.tsv",
            "title.episode",
            files.line_pattern(r"tt(\d+)", r"tt(\d+)", files.SMALL, files.SMALL),
            lambda line, fields: rejected.append(line),  # type: ignore[func-returns-value]
            lambda n: None,
        )
        for row in chunk
    ]
    assert rows[0] == ("1001", "1000", "1", "1") and len(rows) == 15 and not rejected
    run, _ = import_path(directory, "imdb")
    assert run.counts["episode"]["created"] == 15


def test_an_unsorted_episode_file_joins_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "CHUNK", 200)  # title.episode read in many small chunks
    directory = catalogue(tmp_path / "shuffled", 40)
    episodes = directory / "title.episode.tsv"
    header, *lines = episodes.read_text().splitlines(keepends=True)
    episodes.write_text(header + "".join(reversed(lines)))
    run, _ = import_path(directory, "imdb")
    assert run.counts["episode"]["created"] == 120 and run.counts["episode"]["skipped"] == 0
    assert Episode.objects.filter(title__name="Show 7", season_number=1, number=3).exists()
