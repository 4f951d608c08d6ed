"""Only YouTube and Vimeo links become players, and only through their privacy-friendly hosts."""

from __future__ import annotations

import pytest

from telly.editorial.text import embed_for, render_body


@pytest.mark.parametrize(
    ("url", "src"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=30",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://player.vimeo.com/video/76979871",
            "https://player.vimeo.com/video/76979871?dnt=1",
        ),
    ],
)
def test_it_turns_youtube_and_vimeo_links_into_privacy_friendly_players(url: str, src: str) -> None:
    embed = embed_for(url)
    assert embed is not None and embed.src == src


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=short",
        'https://www.youtube.com/watch?v=dQw4w9WgXc"',
        "javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/abc",
        "https://www.dailymotion.com/video/x7tgad0",
        "",
    ],
)
def test_it_refuses_everything_else(url: str) -> None:
    assert embed_for(url) is None


def test_a_video_link_on_its_own_line_becomes_a_player_in_the_body() -> None:
    html = str(render_body("Watch the trailer:\n\nhttps://youtu.be/dQw4w9WgXcQ\n\nThen read on."))
    assert '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert "youtube.com/" not in html.replace("youtube-nocookie.com", "")


def test_a_link_to_another_host_stays_a_paragraph() -> None:
    html = str(render_body("https://evil.example/embed/dQw4w9WgXcQ"))
    assert "<iframe" not in html
