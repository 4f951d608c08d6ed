"""Article bodies are Markdown cleaned with nh3: nothing an editor types can run script."""

from __future__ import annotations

import pytest

from telly.editorial.text import plain_text, render_body

HOSTILE = [
    ("<script>alert(1)</script>Hello", "<script"),
    ("<img src=x onerror=alert(1)>", "onerror"),
    ('<a href="javascript:alert(1)">click</a>', "javascript:"),
    ("[click](javascript:alert(1))", "javascript:"),
    ("[click](JaVaScRiPt:alert(1))", "alert(1)"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:"),
    ('<iframe src="https://evil.example/"></iframe>', "iframe"),
    ('<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>', "iframe"),
    ("<style>body{display:none}</style>", "display:none"),
    ('<div style="background:url(javascript:alert(1))">x</div>', "style="),
    ('<svg onload="alert(1)"><circle/></svg>', "onload"),
    ('<object data="evil.swf"></object>', "object"),
    ('<form action="https://evil.example"><input name=q></form>', "<form"),
    ('<p onmouseover="alert(1)">hover</p>', "onmouseover"),
    ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', "javascript:"),
    ('<base href="https://evil.example/">', "<base"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">', "refresh"),
    ('<a href="https://ok.example" onclick="steal()">ok</a>', "onclick"),
    ("<!-- <script>alert(1)</script> -->", "script"),
]


@pytest.mark.parametrize(("source", "forbidden"), HOSTILE)
def test_it_removes_hostile_markup(source: str, forbidden: str) -> None:
    assert forbidden.lower() not in str(render_body(source)).lower()


def test_it_keeps_ordinary_formatting_and_safe_links() -> None:
    html = str(
        render_body(
            "## Cast\n\n**Bold**, *italic* and [the guide](https://example.org/shows/).\n\n- one\n- two"
        )
    )
    assert "<h2>Cast</h2>" in html
    assert "<strong>Bold</strong>" in html and "<em>italic</em>" in html
    assert '<a href="https://example.org/shows/" rel="noopener">the guide</a>' in html
    assert "<ul>" in html and "<li>one</li>" in html


def test_it_keeps_relative_links_to_the_guide() -> None:
    assert 'href="/shows/heartstopper/"' in str(render_body("[Heartstopper](/shows/heartstopper/)"))


def test_plain_text_has_the_words_without_markup() -> None:
    assert plain_text(
        "**Joe Locke** plays <em>Charlie Spring</em><script>x()</script>"
    ).split() == [
        "Joe",
        "Locke",
        "plays",
        "Charlie",
        "Spring",
    ]
