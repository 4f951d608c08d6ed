"""The staged IMDb load on PostgreSQL (``imdb.pgload``): checked raw chunks go to ``COPY`` into
staging tables and the server builds the rows. It must store exactly what the row-by-row
``COPY`` path stores, keep a bad line's own line number (and nothing of the file), and carry
backslashes and quotes through unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from telly.catalog.models import Credit, Episode, ExternalId, Person, Season, Title
from telly.importers.errors import BadInput
from telly.importers.imdb import pgload
from telly.importers.runner import import_path
from tests.importers.test_imdb_bulk_writer import full_snapshot, wipe
from tests.importers.test_imdb_fast_path import BASICS, EPISODES, NAMES, PRINCIPALS

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the staged load is PostgreSQL's"),
]
RATINGS = "tconst\taverageRating\tnumVotes\n"


def varied_catalogue(directory: Path, series: int) -> Path:
    """Series with seasons, specials without numbers, films, a video game, an adult title,
    ratings, genres, people with cast and crew credits (jobs, categories, several characters),
    principals of episodes, an episode whose series is not in the file, a part listed twice."""
    directory.mkdir()
    basics, episodes, names, principals, ratings = (
        [BASICS],
        [EPISODES],
        [NAMES],
        [PRINCIPALS],
        [RATINGS],
    )
    for s in range(series):
        tt = 100000 + s * 100
        kind = ("tvSeries", "tvMiniSeries", "movie", "videoGame", "tvSpecial")[s % 5]
        adult = "1" if s % 17 == 3 else "0"
        end = "2021" if s % 2 else "\\N"
        genres = ("Drama,Crime", "\\N", "Comedy", "Sci-Fi,Reality-TV")[s % 4]
        original = ("\\N", f"Show {s % 40}", f"Orig {s}")[s % 3]
        basics.append(
            f"tt{tt:07d}\t{kind}\tShow {s % 40}\t{original}\t{adult}\t2019\t{end}\t45\t{genres}\n"
        )
        if s % 9:  # some titles have no rating
            ratings.append(f"tt{tt:07d}\t{(s % 90) / 10 + 1:.1f}\t{s * 3}\n")
        names.append(f"nm{5000 + s:07d}\tActor {s % 30}\t1980\t\\N\tactor,producer\t\\N\n")
        names.append(f"nm{9000 + s:07d}\tMaker {s}\t\\N\t\\N\tproduction_designer\t\\N\n")
        if kind in ("tvSeries", "tvMiniSeries"):
            for e in range(1, 7):
                season = "\\N" if e == 6 else str(1 + e // 3)
                year = "\\N" if e == 2 else "2020"
                basics.append(
                    f"tt{tt + e:07d}\ttvEpisode\tPart {e}\tPart {e}\t0\t{year}\t\\N\t\\N\t\\N\n"
                )
                episodes.append(f"tt{tt + e:07d}\ttt{tt:07d}\t{season}\t{e}\n")
            principals.append(f'tt{tt + 1:07d}\t1\tnm{5000 + s:07d}\tactor\t\\N\t["Guest"]\n')
        chars = ('["Lead {0}"]', '["Lead {0}","Twin {0}"]', "\\N", '["Self"]')[s % 4].format(s)
        principals.append(f"tt{tt:07d}\t1\tnm{5000 + s:07d}\tactor\t\\N\t{chars}\n")
        if s % 6 == 0:
            principals.append(f"tt{tt:07d}\t1\tnm{5000 + s:07d}\tactor\t\\N\t{chars}\n")
        job = "\\N" if s % 2 else "head of design"
        principals.append(f"tt{tt:07d}\t2\tnm{9000 + s:07d}\tproduction_designer\t{job}\t\\N\n")
        principals.append(f"tt{tt:07d}\t3\tnm7777777\tdirector\t\\N\t\\N\n")  # nobody we know
    basics.append("tt9999001\ttvEpisode\tLost\tLost\t0\t2019\t\\N\t\\N\t\\N\n")
    episodes.append("tt9999001\ttt9999000\t1\t1\n")  # its series is nowhere
    episodes.append("tt9999002\ttt0100000\t1\t9\n")  # title.basics never names it
    for name, lines in (
        ("title.basics.tsv", basics),
        ("title.episode.tsv", episodes),
        ("name.basics.tsv", names),
        ("title.principals.tsv", principals),
        ("title.ratings.tsv", ratings),
    ):
        (directory / name).write_text("".join(lines), encoding="utf-8")
    return directory


def everything() -> tuple:
    return (
        *full_snapshot(),
        sorted(
            Title.objects.values_list(
                "kind",
                "name",
                "original_name",
                "slug",
                "name_key",
                "year",
                "end_year",
                "runtime",
                "rating",
                "votes",
                "sources",
                "locked_fields",
            )
        ),
        sorted(
            Episode.objects.values_list(
                "title__slug",
                "season__number",
                "season_number",
                "number",
                "name",
                "air_at",
                "air_precision",
                "runtime",
                "sources",
            )
        ),
        sorted(Season.objects.values_list("title__slug", "number", "episode_count", "sources")),
        sorted(Person.objects.values_list("name", "slug", "name_key", "birth_year", "known_for")),
        sorted(
            Credit.objects.values_list(
                "title__slug", "person__slug", "role", "character", "job", "order", "source"
            )
        ),
        sorted(ExternalId.objects.values_list("scheme", "value", "title__slug", "person__slug")),
    )


def constraints() -> dict[str, set[str]]:
    with connection.cursor() as cursor:
        return {
            model._meta.db_table: set(
                connection.introspection.get_constraints(cursor, model._meta.db_table)
            )
            for model in (Title, Season, Episode, Person, Credit, ExternalId)
        }


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pgload, "CHUNK", 700)  # many chunks


def test_the_staged_load_stores_what_the_row_by_row_copy_stores(
    tmp_path: Path, small_chunks: None
) -> None:
    directory = varied_catalogue(tmp_path / "imdb", 60)
    staged_calls: list[int] = []
    real = pgload.StagedTitles._merge_episodes

    def spy(self):  # type: ignore[no-untyped-def]
        staged_calls.append(1)
        return real(self)

    pgload.StagedTitles._merge_episodes = spy  # type: ignore[method-assign]
    try:
        before = constraints()
        old, _ = import_path(directory, "imdb", options={"defer_indexes": True, "staged": False})
        assert not staged_calls
        expected = everything()
        wipe()
        new, _ = import_path(directory, "imdb", options={"defer_indexes": True})
        assert staged_calls
    finally:
        pgload.StagedTitles._merge_episodes = real  # type: ignore[method-assign]
    assert everything() == expected
    assert new.counts == old.counts
    # Parts listed twice took the second way in; every constraint set aside is back.
    assert constraints() == before
    assert new.counts["episode"]["created"] > 90 and new.counts["episode"]["skipped"] > 20
    assert new.counts["credit"]["skipped"] > 0 and new.counts["title"]["skipped"] > 0
    # A re-import changes nothing, and says so.
    again, _ = import_path(directory, "imdb", options={"defer_indexes": True})
    assert everything() == expected
    assert again.counts["title"]["created"] == 0 and again.counts["title"]["updated"] == 0
    assert again.counts["episode"]["unchanged"] == new.counts["episode"]["created"]
    assert again.counts["credit"]["unchanged"] == new.counts["credit"]["created"]


def test_titles_already_there_are_matched_and_merged(tmp_path: Path) -> None:
    directory = varied_catalogue(tmp_path / "imdb", 30)
    import_path(directory, "imdb", options={"defer_indexes": True})
    title = Title.objects.get(slug=Title.objects.filter(kind="series").first().slug)  # type: ignore[union-attr]
    title.name = "Edited by hand"
    title.locked_fields = ["name"]
    title.save()
    Episode.objects.filter(title=title, number=1).delete()
    run, _ = import_path(directory, "imdb", options={"defer_indexes": True})
    title.refresh_from_db()
    assert title.name == "Edited by hand"  # locked: never overwritten
    assert run.counts["episode"]["created"] == 1  # the deleted one, through the merge
    assert Episode.objects.filter(title=title, number=1).exists()


def test_a_bad_line_in_a_raw_chunk_is_named_and_nothing_is_committed(
    tmp_path: Path, small_chunks: None
) -> None:
    directory = varied_catalogue(tmp_path / "imdb", 40)
    basics = directory / "title.basics.tsv"
    lines = basics.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = 77
    fields = lines[bad - 1].split("\t")
    fields[5] = "19x9"
    lines[bad - 1] = "\t".join(fields)
    basics.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(BadInput, match=rf"title\.basics\.tsv:{bad}: startYear/endYear '19x9'"):
        import_path(directory, "imdb", options={"defer_indexes": True})
    assert Title.objects.count() == 0 and Person.objects.count() == 0
    assert Episode.objects.count() == 0 and ExternalId.objects.count() == 0
    run, _ = import_path(directory, "imdb", skip_bad=True, options={"defer_indexes": True})
    assert run.counts["title"]["rejected"] == 1
    assert any(f"title.basics.tsv:{bad}:" in r for r in run.rejects)
    assert Title.objects.count() > 0


def test_backslashes_and_quotes_survive(tmp_path: Path, small_chunks: None) -> None:
    directory = varied_catalogue(tmp_path / "imdb", 12)
    odd_title = "AC\\DC: \"Live\" at O'Hara's \\N"
    odd_person = 'Jo \\ O\'Neil "Jr"'
    with open(directory / "title.basics.tsv", "a", encoding="utf-8") as f:
        f.write(f"tt8000000\ttvSeries\t{odd_title}\t\\N\t0\t2001\t\\N\t\\N\tDrama\n")
        f.write('tt8000001\ttvEpisode\tC:\\path "x"\t\\N\t0\t2001\t\\N\t\\N\t\\N\n')
    with open(directory / "title.episode.tsv", "a", encoding="utf-8") as f:
        f.write("tt8000001\ttt8000000\t1\t1\n")
    with open(directory / "name.basics.tsv", "a", encoding="utf-8") as f:
        f.write(f"nm8000000\t{odd_person}\t\\N\t\\N\tactor\t\\N\n")
    with open(directory / "title.principals.tsv", "a", encoding="utf-8") as f:
        f.write('tt8000000\t1\tnm8000000\tactor\t\\N\t["Dr. \\"Q\\" \\\\ Z"]\n')
        f.write('tt8000000\t2\tnm8000000\twriter\tcreated by \\ "x"\t\\N\n')
    import_path(directory, "imdb", options={"defer_indexes": True})
    title = Title.objects.get(external_ids__value="tt8000000")
    assert title.name == odd_title
    assert title.episodes.get().name == 'C:\\path "x"'
    person = Person.objects.get(external_ids__value="nm8000000")
    assert person.name == odd_person
    assert Credit.objects.get(title=title, role="cast").character == 'Dr. "Q" \\ Z'
    assert Credit.objects.get(title=title, role="crew").job == 'Created by \\ "x"'


def test_a_bad_line_read_while_the_server_inserts_episodes_fails_the_file(
    tmp_path: Path, small_chunks: None
) -> None:
    # name.basics is read while the server thread inserts episodes: its error still names the
    # line, the thread is waited for, and the whole file rolls back.
    directory = varied_catalogue(tmp_path / "imdb", 30)
    with open(directory / "name.basics.tsv", "a", encoding="utf-8") as f:
        f.write("nm0000042\tSomeone\t19x0\t\\N\tactor\t\\N\n")
    lines = (directory / "name.basics.tsv").read_text(encoding="utf-8").count("\n")
    with pytest.raises(BadInput, match=rf"name\.basics\.tsv:{lines}: birthYear/deathYear"):
        import_path(directory, "imdb", options={"defer_indexes": True})
    assert Title.objects.count() == 0 and Episode.objects.count() == 0
    assert Person.objects.count() == 0 and Season.objects.count() == 0


def test_a_statement_failing_on_the_server_thread_fails_the_import_and_keeps_nothing(
    tmp_path: Path,
) -> None:
    # Two episodes with the same series, season and number: adding the unique constraint back
    # on the server thread fails, and so does the file, as the row-by-row COPY fails on it.
    directory = varied_catalogue(tmp_path / "imdb", 10)
    with open(directory / "title.basics.tsv", "a", encoding="utf-8") as f:
        f.write("tt0100050\ttvEpisode\tAgain\tAgain\t0\t2020\t\\N\t\\N\t\\N\n")
    with open(directory / "title.episode.tsv", "a", encoding="utf-8") as f:
        f.write("tt0100050\ttt0100000\t1\t1\n")  # the series' season 1 has an episode 1
    with pytest.raises(Exception, match="episode_unique_number"):
        import_path(directory, "imdb", options={"defer_indexes": True})
    assert Title.objects.count() == 0 and Episode.objects.count() == 0
    assert ExternalId.objects.count() == 0


@pytest.mark.parametrize("variant", ["gzip", "crlf"])
def test_gzip_and_crlf_files_load_the_same(
    tmp_path: Path, small_chunks: None, variant: str
) -> None:
    import gzip

    directory = varied_catalogue(tmp_path / "imdb", 25)
    import_path(directory, "imdb", options={"defer_indexes": True})
    expected = everything()
    wipe()
    other = tmp_path / variant
    other.mkdir()
    for path in directory.iterdir():
        data = path.read_bytes()
        if variant == "crlf":  # every chunk then takes the careful path
            (other / path.name).write_bytes(data.replace(b"\n", b"\r\n"))
        else:
            (other / (path.name + ".gz")).write_bytes(gzip.compress(data))
    run, _ = import_path(other, "imdb", options={"defer_indexes": True})
    assert everything() == expected
    assert run.counts["title"]["created"] > 0
