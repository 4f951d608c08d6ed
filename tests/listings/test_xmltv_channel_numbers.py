"""Channel numbers in XMLTV files (``<lcn>`` or a numeric display name) become the channels'
line-up on the "XMLTV source" platform, and go out again in an export."""

import io

from lxml import etree

from telly.importers.xmltv.load import load_xmltv
from telly.listings.models import Airing, Channel, Lineup, LineupPlatform
from telly.listings.xmltv_out import write_xmltv as export_xmltv

CHANNELS = """
<channel id="one.test"><display-name>One</display-name><lcn>{one}</lcn></channel>
<channel id="two.test"><display-name>Two</display-name><display-name>2</display-name></channel>
<channel id="three.test"><display-name>Three</display-name></channel>
<channel id="huge.test"><display-name>Huge</display-name><lcn>12345678901234</lcn></channel>
<programme start="20250116200000 +0000" stop="20250116210000 +0000" channel="one.test">
  <title>Evening</title></programme>
"""


def _numbers() -> dict[str, int | None]:
    lineups = Lineup.objects.filter(platform=LineupPlatform.XMLTV).select_related("channel")
    return {lineup.channel.xmltv_id: lineup.number for lineup in lineups}


def test_numbers_in_the_file_become_the_xmltv_lineup(db: None, write_xmltv) -> None:
    load_xmltv(write_xmltv(CHANNELS.format(one=101), name="a.xml"))
    # A channel without a number gets no line-up entry; an absurd number is not stored.
    assert _numbers() == {"one.test": 101, "two.test": 2}
    load_xmltv(write_xmltv(CHANNELS.format(one=103), name="b.xml"))
    assert _numbers() == {"one.test": 103, "two.test": 2}
    assert Lineup.objects.count() == 2


def test_an_export_carries_the_number_and_reads_back(db: None, write_xmltv) -> None:
    load_xmltv(write_xmltv(CHANNELS.format(one=7), name="a.xml"))
    out = io.BytesIO()
    export_xmltv(Airing.objects.all(), out, channels=Channel.objects.order_by("xmltv_id"))
    root = etree.fromstring(out.getvalue())
    one = root.find("channel[@id='one.test']")
    assert [n.text for n in one.iterfind("display-name")] == ["One", "7"]
    assert [n.text for n in root.find("channel[@id='three.test']").iterfind("display-name")] == [
        "Three"
    ]
    Lineup.objects.all().delete()
    load_xmltv(io.BytesIO(out.getvalue()), name="export.xml")
    assert _numbers() == {"one.test": 7, "two.test": 2}
