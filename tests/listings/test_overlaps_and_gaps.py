"""Listings are rarely tidy: programmes overlap, leave gaps, or start together."""

import datetime as dt

from telly.importers.xmltv.load import load_xmltv
from telly.listings.models import Airing, Channel
from telly.listings.queries import now_and_next

from .conftest import utc

OVERLAPPING = """
  <channel id="c"><display-name>C</display-name></channel>
  <programme start="20250116200000 +0000" stop="20250116213000 +0000" channel="c"><title>Film Runs Long</title></programme>
  <programme start="20250116210000 +0000" stop="20250116220000 +0000" channel="c"><title>Nine O'Clock</title></programme>
  <programme start="20250116230000 +0000" stop="20250116233000 +0000" channel="c"><title>After A Gap</title></programme>
"""


def test_an_overlap_is_cut_at_the_next_start_and_a_gap_is_kept(db: None, write_xmltv) -> None:
    report = load_xmltv(write_xmltv(OVERLAPPING))
    assert list(Airing.objects.order_by("start").values_list("raw_title", "start", "stop")) == [
        ("Film Runs Long", utc(2025, 1, 16, 20), utc(2025, 1, 16, 21)),
        ("Nine O'Clock", utc(2025, 1, 16, 21), utc(2025, 1, 16, 22)),
        ("After A Gap", utc(2025, 1, 16, 23), utc(2025, 1, 16, 23, 30)),
    ]
    assert report.anomalies["overlap"] == 1
    assert report.gaps == 1


def test_in_a_gap_nothing_is_on_and_the_next_programme_is_named(db: None, write_xmltv) -> None:
    load_xmltv(write_xmltv(OVERLAPPING))
    channel = Channel.objects.get()
    [entry] = now_and_next([channel], utc(2025, 1, 16, 22, 15))
    assert entry.now is None and entry.next.raw_title == "After A Gap"
    [after_the_end] = now_and_next([channel], utc(2025, 1, 17, 1))
    assert after_the_end.now is None and after_the_end.next is None
    [at_the_seam] = now_and_next([channel], utc(2025, 1, 16, 21))
    assert (at_the_seam.now.raw_title, at_the_seam.next.raw_title) == (
        "Nine O'Clock",
        "After A Gap",
    )


def test_a_channel_starting_broadcasting_later_still_shows_its_next_programme(
    bbc_one: Channel, make_airing
) -> None:
    make_airing(bbc_one, utc(2025, 1, 17, 6), 60, "Breakfast")
    [entry] = now_and_next([bbc_one], utc(2025, 1, 16, 23))
    assert entry.now is None and entry.next.raw_title == "Breakfast"
    assert entry.next.start - utc(2025, 1, 16, 23) == dt.timedelta(hours=7)
