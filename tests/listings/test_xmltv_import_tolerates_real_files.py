"""Real XMLTV files break the DTD; the importer takes what it can and accounts for the rest."""

import gzip
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from telly.importers.models import ImportRun
from telly.importers.runner import import_path
from telly.importers.xmltv.load import load_xmltv
from telly.listings.models import Airing, Channel

from .conftest import utc

MESSY = """
  <programme start="20250116200000 +0000" stop="20250116210000 +0000" channel="bbc1" x-made-up="yes">
    <title>Early Show</title><x-extra>ignored</x-extra>
  </programme>
  <channel id="bbc1"><display-name>BBC One</display-name><icon src="https://example.org/bbc1.png"/></channel>
  <programme start="20250116210000 +0000" channel="bbc1"><title>No Stop</title></programme>
  <programme start="20250116213000 +0000" stop="20250116230000 +0000" channel="bbc1"><title>Runs Over</title></programme>
  <programme start="20250116223000 +0000" stop="20250116233000 +0000" channel="bbc1"><title>Late</title></programme>
  <programme start="20250116223000 +0000" stop="20250116233000 +0000" channel="bbc1"><title>Late</title></programme>
  <programme start="20250116233000 +0000" channel="bbc1"><title>Nothing After</title></programme>
  <programme start="20250116200000 +0000" stop="20250116200000 +0000" channel="ghost"><title>Zero</title></programme>
  <programme start="20250116200000 +0000" stop="20250116203000 +0000" channel="ghost"><title>Ghost Show</title></programme>
  <x-random><number>11</number></x-random>
"""


def test_it_imports_what_it_can_and_counts_each_anomaly(db: None, write_xmltv) -> None:
    report = load_xmltv(write_xmltv(MESSY))
    titles = list(
        Airing.objects.filter(channel__xmltv_id="bbc1").values_list("raw_title", "start", "stop")
    )
    assert titles == [
        ("Early Show", utc(2025, 1, 16, 20), utc(2025, 1, 16, 21)),
        ("No Stop", utc(2025, 1, 16, 21), utc(2025, 1, 16, 21, 30)),
        ("Runs Over", utc(2025, 1, 16, 21, 30), utc(2025, 1, 16, 22, 30)),
        ("Late", utc(2025, 1, 16, 22, 30), utc(2025, 1, 16, 23, 30)),
    ]
    assert report.anomalies == {
        "unknown_attribute": 1,
        "unknown_element": 2,
        "interleaved": 1,
        "missing_stop": 1,
        "overlap": 1,
        "duplicate": 1,
        "missing_stop_last": 1,
        "zero_length": 1,
        "undeclared_channel": 1,
    }
    # Every programme read is either an airing or a counted reason it is not.
    assert report.programmes == report.airings_created + report.programmes_dropped == 8


def test_a_channel_named_only_by_its_programmes_is_made_from_its_id(db: None, write_xmltv) -> None:
    load_xmltv(write_xmltv(MESSY))
    ghost = Channel.objects.get(xmltv_id="ghost")
    assert ghost.name == "ghost"
    assert list(ghost.airings.values_list("raw_title", flat=True)) == ["Ghost Show"]
    assert Channel.objects.get(xmltv_id="bbc1").logo_url == "https://example.org/bbc1.png"


def test_a_gzipped_file_imports_like_the_plain_one(db: None, tmp_path: Path, write_xmltv) -> None:
    plain = write_xmltv(MESSY)
    zipped = tmp_path / "guide.xml.gz"
    zipped.write_bytes(gzip.compress(plain.read_bytes()))
    run, _ = import_path(zipped, "auto")
    assert run.source == "xmltv"
    assert run.counts["airing"]["created"] == 5
    assert run.status == "ok" and run.rows == 8
    assert run.counts["xmltv duplicate"]["skipped"] == 1
    assert run.counts["xmltv missing_stop_last"]["skipped"] == 1
    assert run.counts["xmltv overlap"]["updated"] == 1


def test_the_import_command_reports_json_counts(db: None, write_xmltv) -> None:
    out = io.StringIO()
    call_command("import", str(write_xmltv(MESSY)), "--format", "xmltv", "--json", stdout=out)
    assert '"airing": {"created": 5' in out.getvalue()
    summary = json.loads(out.getvalue())
    assert summary["counts"]["xmltv zero_length"]["skipped"] == 1
    assert summary["counts"]["xmltv unknown_element"]["unchanged"] == 2


def test_broken_xml_is_rejected_with_its_line_and_nothing_is_kept(
    db: None, write_xmltv, tmp_path: Path
) -> None:
    good = write_xmltv(MESSY, "good.xml")
    broken = tmp_path / "broken.xml"
    broken.write_text(good.read_text().replace("<title>Late</title>", "<title>Late</titel>", 1))
    with pytest.raises(CommandError) as exit_info:
        call_command("import", str(broken), "--format", "xmltv", stderr=io.StringIO())
    assert exit_info.value.returncode == 2
    assert Airing.objects.count() == 0 and Channel.objects.count() == 0
    line = next(
        n for n, text in enumerate(broken.read_text().splitlines(), 1) if "</titel>" in text
    )
    assert ImportRun.objects.get().error.startswith(f"{broken}:{line}: not well-formed XML")


def test_a_truncated_gzip_is_bad_input(db: None, tmp_path: Path, write_xmltv) -> None:
    zipped = tmp_path / "cut.xml.gz"
    zipped.write_bytes(gzip.compress(write_xmltv(MESSY).read_bytes())[:200])
    with pytest.raises(CommandError) as exit_info:
        call_command("import", str(zipped), "--format", "xmltv", stderr=io.StringIO())
    assert exit_info.value.returncode == 2
    assert Airing.objects.count() == 0


def test_a_document_that_is_not_xmltv_is_refused(db: None, tmp_path: Path) -> None:
    from telly.importers.xmltv.parse import XmltvSyntaxError

    for body in (
        "<rss><item/></rss>",
        "<rss><programme channel='a' start='20250101'><title>x</title></programme></rss>",
    ):
        path = tmp_path / "not.xml"
        path.write_text(body)
        with pytest.raises(XmltvSyntaxError, match="root element is <rss>"):
            load_xmltv(path)
    assert Airing.objects.count() == 0


def test_very_long_channel_ids_import_and_reimport(db: None, write_xmltv) -> None:
    long_id = "x" * 250
    body = (
        f'<channel id="{long_id}"><display-name>Long</display-name></channel>'
        f'<programme start="20250116200000 +0000" stop="20250116210000 +0000" channel="{long_id}">'
        "<title>Show</title></programme>"
    )
    path = write_xmltv(body)
    load_xmltv(path)
    load_xmltv(path)
    assert Channel.objects.get().xmltv_id == "x" * 200
    assert Airing.objects.count() == 1
