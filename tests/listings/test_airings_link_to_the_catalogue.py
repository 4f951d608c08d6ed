from telly.catalog.models import ExternalId, Title, TitleKind
from telly.importers.xmltv.load import load_xmltv
from telly.listings.models import Airing

PROGRAMMES = """
  <programme start="20250116200000 +0000" stop="20250116203000 +0000" channel="bbc3">
    <title>heartstopper</title><episode-num system="xmltv_ns">1.1.</episode-num>
  </programme>
  <programme start="20250116203000 +0000" stop="20250116210000 +0000" channel="bbc3">
    <title>Heartstopper</title><episode-num system="onscreen">S01E07</episode-num>
  </programme>
  <programme start="20250116210000 +0000" stop="20250116230000 +0000" channel="bbc3">
    <title>Dune</title><date>2021</date>
  </programme>
  <programme start="20250116230000 +0000" stop="20250117000000 +0000" channel="bbc3">
    <title>A Different Name</title><episode-num system="imdb.com">title/tt0000042</episode-num>
  </programme>
  <programme start="20250117000000 +0000" stop="20250117003000 +0000" channel="bbc3">
    <title>Nothing Like It</title>
  </programme>
  <programme start="20250117003000 +0000" stop="20250117010000 +0000" channel="bbc3">
    <title>Renamed Again</title><url system="IMDb">https://www.imdb.com/title/tt0000042/</url>
  </programme>
"""


def test_airings_link_by_ids_then_name_and_numbers_then_name_and_year(
    db: None, heartstopper: Title, write_xmltv
) -> None:
    Title.objects.create(kind=TitleKind.FILM, name="Dune", year=1984, popularity=50)
    dune_2021 = Title.objects.create(kind=TitleKind.FILM, name="Dune", year=2021, popularity=10)
    by_imdb = Title.objects.create(kind=TitleKind.FILM, name="Known Elsewhere", year=1999)
    ExternalId.objects.create(scheme="imdb", value="tt0000042", title=by_imdb)
    report = load_xmltv(write_xmltv(PROGRAMMES))
    airings = list(Airing.objects.order_by("start").select_related("episode"))
    assert airings[0].title == heartstopper
    assert (airings[0].episode.season_number, airings[0].episode.number) == (2, 2)
    assert (
        airings[1].title == heartstopper and airings[1].episode is None
    )  # S01E07 is not in the catalogue
    assert airings[2].title == dune_2021
    assert airings[3].title == by_imdb
    assert airings[4].title is None
    assert airings[5].title == by_imdb
    assert (report.titles_linked, report.episodes_linked) == (5, 1)


def test_an_article_on_one_side_only_is_a_different_work(db: None, write_xmltv) -> None:
    crown = Title.objects.create(kind=TitleKind.SERIES, name="The Crown", year=2016)
    Title.objects.create(kind=TitleKind.FILM, name="Brothers", year=2009)
    load_xmltv(
        write_xmltv(
            '<programme start="20250116200000 +0000" stop="20250116210000 +0000" channel="c">'
            "<title>Crown, The</title></programme>"
            '<programme start="20250116210000 +0000" stop="20250116220000 +0000" channel="c">'
            "<title>The Brothers</title></programme>"
        )
    )
    assert list(Airing.objects.order_by("start").values_list("title_id", flat=True)) == [
        crown.pk,
        None,
    ]
