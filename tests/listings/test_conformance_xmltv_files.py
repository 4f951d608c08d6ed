"""Every XMLTV file in ../shared/data/xmltv imports with each anomaly accounted for, exports
valid against the XMLTV DTD, and survives import → export → import. Run by CI (.ci/run)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from telly.importers.xmltv.load import load_xmltv
from telly.listings.models import Airing, Channel
from telly.listings.xmltv_out import write_xmltv

from .conftest import ROUND_TRIP

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
XMLTV_DIR = SHARED / "xmltv"
FILES = sorted(XMLTV_DIR.rglob("*.xml")) if XMLTV_DIR.exists() else []

pytestmark = [
    pytest.mark.conformance,
    pytest.mark.skipif(not FILES, reason=f"no shared data at {XMLTV_DIR}"),
]


def _snapshot() -> list[tuple]:
    return sorted(Airing.objects.values_list("channel__xmltv_id", "start", "stop", *ROUND_TRIP))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_each_file_imports_with_every_programme_accounted_for(db: None, path: Path) -> None:
    report = load_xmltv(path)
    assert report.programmes == report.airings_created + report.programmes_dropped
    assert Airing.objects.count() == report.airings_created


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_each_file_round_trips_through_a_dtd_valid_export(
    db: None, path: Path, tmp_path: Path
) -> None:
    load_xmltv(path)
    before = _snapshot()
    exported = tmp_path / "export.xml"
    with exported.open("wb") as out:
        write_xmltv(Airing.objects.all(), out, Channel.objects.all())
    dtd = etree.DTD(str(XMLTV_DIR / "xmltv.dtd"))
    assert dtd.validate(etree.parse(str(exported))), dtd.error_log.filter_from_errors()[:3]
    Airing.objects.all().delete()
    report = load_xmltv(exported)
    assert report.anomalies == {}
    assert _snapshot() == before


def test_the_pluto_file_breaks_the_dtd_and_still_imports(db: None) -> None:
    pluto = XMLTV_DIR / "plutotv_gb.xml"
    dtd = etree.DTD(str(XMLTV_DIR / "xmltv.dtd"))
    assert not dtd.validate(
        etree.parse(str(pluto), etree.XMLParser(load_dtd=False, no_network=True))
    )
    report = load_xmltv(pluto)
    assert report.airings_created > 3000
    assert report.anomalies["unknown_attribute"] == 1  # generated-ts on <tv>
    assert Airing.objects.filter(is_live=True).exists()


def test_the_freeview_sample_and_the_demo_agree_on_the_day(db: None) -> None:
    from telly.demo.listings import build

    data = build(SHARED)
    assert data["day"] == "2025-01-16"
    assert len(data["channels"]) == 165 and len(data["airings"]) == 4455
    assert all("desc" not in row for row in data["airings"])  # facts only
