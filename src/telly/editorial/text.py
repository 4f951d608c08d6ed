"""An article's words as safe HTML: Markdown rendered, then cleaned with nh3, then video links
turned into privacy-friendly players.

Only YouTube and Vimeo become players, and only through the cookie-less hosts
(``www.youtube-nocookie.com``, ``player.vimeo.com`` with ``dnt=1``). Every iframe an editor types
is removed by the cleaner; the players are built here from a validated video id, never from the
editor's markup.

    >>> embed_for("https://youtu.be/dQw4w9WgXcQ").src
    'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ'
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "s", "sub", "sup", "small",
    "a", "ul", "ol", "li", "blockquote", "code", "pre", "figure", "figcaption", "img",
    "table", "thead", "tbody", "tr", "th", "td", "abbr", "cite", "q", "mark",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"scope"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

_YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
_VIMEO_ID = re.compile(r"^[0-9]{1,12}$")
# A paragraph holding nothing but one link (Markdown turns a bare URL line into this).
_LONE_LINK = re.compile(r'<p>\s*(?:<a href="([^"]+)"[^>]*>[^<]*</a>|(https?://[^\s<]+))\s*</p>')


@dataclass(frozen=True)
class Embed:
    provider: str  # "youtube" or "vimeo"
    video_id: str

    @property
    def src(self) -> str:
        if self.provider == "youtube":
            return f"https://www.youtube-nocookie.com/embed/{self.video_id}"
        return f"https://player.vimeo.com/video/{self.video_id}?dnt=1"

    def html(self, label: str = "Video") -> str:
        return (
            f'<div class="embed embed-{self.provider}"><iframe src="{html.escape(self.src)}" '
            f'title="{html.escape(label)}" loading="lazy" referrerpolicy="strict-origin-when-cross-origin" '
            'allow="encrypted-media; picture-in-picture; fullscreen"></iframe></div>'
        )


def embed_for(url: str) -> Embed | None:
    """The player for a YouTube or Vimeo page URL, or ``None`` for anything else."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    path = parts.path.strip("/").split("/")
    if host in _YOUTUBE_HOSTS:
        if path[0] == "watch":
            candidate = parse_qs(parts.query).get("v", [""])[0]
        elif path[0] in ("embed", "shorts", "live", "v") and len(path) > 1:
            candidate = path[1]
        else:
            return None
        return Embed("youtube", candidate) if _YOUTUBE_ID.match(candidate) else None
    if host == "youtu.be":
        return Embed("youtube", path[0]) if _YOUTUBE_ID.match(path[0]) else None
    if host in _VIMEO_HOSTS:
        candidate = path[-1] if host != "player.vimeo.com" or path[0] == "video" else ""
        return Embed("vimeo", candidate) if _VIMEO_ID.match(candidate) else None
    return None


def clean_html(raw_html: str) -> str:
    """Keep only harmless markup: no scripts, styles, event handlers, iframes or odd URL schemes."""
    return nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
    )


def _embed_lone_links(cleaned: str) -> str:
    def replace(match: re.Match[str]) -> str:
        url = html.unescape(match.group(1) or match.group(2))
        embed = embed_for(url)
        return embed.html() if embed else match.group(0)

    return _LONE_LINK.sub(replace, cleaned)


def render_body(source: str) -> SafeString:
    """Markdown to safe HTML; a line holding only a YouTube or Vimeo link becomes a player.

    >>> str(render_body("Hello <script>alert(1)</script>**you**"))
    '<p>Hello <strong>you</strong></p>'
    """
    rendered = markdown.markdown(
        source or "", extensions=["extra", "sane_lists"], output_format="html"
    )
    return mark_safe(_embed_lone_links(clean_html(rendered)))


def plain_text(source: str) -> str:
    """The words of a Markdown body without any markup (for link suggestions and summaries)."""
    rendered = markdown.markdown(source or "", extensions=["extra"], output_format="html")
    return html.unescape(strip_tags(clean_html(rendered)))


def word_count(source: str) -> int:
    return len(plain_text(source).split())
