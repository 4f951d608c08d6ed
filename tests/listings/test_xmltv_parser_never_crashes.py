"""Whatever bytes arrive, the parser yields records or refuses with a line number."""

import contextlib

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from telly.importers.xmltv.parse import XmltvSyntaxError, parse_bytes

PIECES = [
    "<tv>",
    "</tv>",
    '<channel id="a">',
    "</channel>",
    "<display-name>A</display-name>",
    '<programme channel="a" start="20250116200000 +0000">',
    '<programme channel="a" start="nonsense">',
    '<programme start="20250116200000">',
    "</programme>",
    "<title>T</title>",
    "<title/>",
    '<episode-num system="xmltv_ns">1.2.3/4</episode-num>',
    '<episode-num system="xmltv_ns">..</episode-num>',
    "<episode-num>Series 99999: Episode 99999</episode-num>",
    '<length units="parsecs">5</length>',
    "<new/>",
    "<x-odd>1</x-odd>",
    "&amp;",
    "&bogus;",
    "<!-- c -->",
    "text",
    '<subtitles type="deaf-signed"/>',
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=25))
@example([PIECES[5], PIECES[9], PIECES[8]])  # a lone <programme> as the whole document
def test_random_documents_parse_or_are_refused_with_a_line(pieces: list[str]) -> None:
    document = ('<?xml version="1.0" encoding="UTF-8"?>\n' + "".join(pieces)).encode()
    try:
        parse_bytes(document)
    except XmltvSyntaxError as error:
        assert error.line >= 0 and error.message


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_raise_anything_else(data: bytes) -> None:
    with contextlib.suppress(XmltvSyntaxError):
        parse_bytes(data)
