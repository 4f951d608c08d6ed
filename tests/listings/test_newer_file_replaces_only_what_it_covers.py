from telly.importers.xmltv.load import load_xmltv
from telly.listings.models import Airing

DAY_ONE = """
  <channel id="a"><display-name>Alpha</display-name></channel>
  <channel id="b"><display-name>Beta</display-name></channel>
  <programme start="20250116180000 +0000" stop="20250116190000 +0000" channel="a"><title>Old Six</title></programme>
  <programme start="20250116190000 +0000" stop="20250116200000 +0000" channel="a"><title>Old Seven</title></programme>
  <programme start="20250117180000 +0000" stop="20250117190000 +0000" channel="a"><title>Tomorrow Six</title></programme>
  <programme start="20250116180000 +0000" stop="20250116190000 +0000" channel="b"><title>Beta Six</title></programme>
"""
NEWER = """
  <channel id="a"><display-name>Alpha</display-name></channel>
  <programme start="20250116180000 +0000" stop="20250116183000 +0000" channel="a"><title>New Six</title></programme>
  <programme start="20250116183000 +0000" stop="20250116200000 +0000" channel="a"><title>New Half Past</title></programme>
"""


def test_a_newer_file_replaces_its_channels_and_hours_and_nothing_else(
    db: None, write_xmltv
) -> None:
    load_xmltv(write_xmltv(DAY_ONE, "one.xml"))
    report = load_xmltv(write_xmltv(NEWER, "two.xml"))
    assert report.airings_replaced == 2
    alpha = list(
        Airing.objects.filter(channel__xmltv_id="a")
        .order_by("start")
        .values_list("raw_title", flat=True)
    )
    assert alpha == ["New Six", "New Half Past", "Tomorrow Six"]
    assert list(
        Airing.objects.filter(channel__xmltv_id="b").values_list("raw_title", flat=True)
    ) == ["Beta Six"]


def test_importing_the_same_file_twice_changes_nothing(db: None, write_xmltv) -> None:
    path = write_xmltv(DAY_ONE)
    load_xmltv(path)
    before = sorted(Airing.objects.values_list("channel__xmltv_id", "start", "stop", "raw_title"))
    second = load_xmltv(path)
    assert second.channels_created == 0
    assert (
        sorted(Airing.objects.values_list("channel__xmltv_id", "start", "stop", "raw_title"))
        == before
    )
