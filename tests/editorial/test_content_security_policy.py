"""The magazine's pages send a Content-Security-Policy that lets the page work (its inline
handlers are allowed by hash, the video players by host) and nothing else; a configured ad
tag's scripts carry the response's nonce."""

from __future__ import annotations

import re

from django.test import Client
from lxml import html as lxml_html

from telly.editorial.csp import source_hash


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


def test_every_inline_handler_on_the_page_is_allowed_by_hash(client: Client, make_article) -> None:
    article = make_article("Policy", video_url="https://youtu.be/dQw4w9WgXcQ")
    for url in (
        "/news/",
        "/news/drama/",
        article.get_absolute_url(),
        "/news/podcast/",
        "/news/authors/priya-nair/",
    ):
        response = client.get(url)
        policy = _directives(response["Content-Security-Policy"])
        page = lxml_html.fromstring(response.content)
        handlers = [
            value
            for el in page.iter()
            if isinstance(el.tag, str)
            for name, value in el.attrib.items()
            if name.startswith("on")
        ]
        assert handlers, "the base template's region picker has an onchange"
        for code in handlers:
            assert source_hash(code) in policy["script-src"], (url, code)
        inline = [
            s for s in page.xpath("//script[not(@src)]") if s.get("type") != "application/ld+json"
        ]
        assert inline == [], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in policy["script-src"]


def test_the_video_players_are_the_only_frames_allowed(client: Client, make_article) -> None:
    article = make_article("Trailer", video_url="https://youtu.be/dQw4w9WgXcQ")
    response = client.get(article.get_absolute_url())
    frames = _directives(response["Content-Security-Policy"])["frame-src"]
    assert frames == ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
    src = lxml_html.fromstring(response.content).xpath("//iframe/@src")[0]
    assert any(src.startswith(host + "/") for host in frames)


def test_an_ad_tags_scripts_get_the_responses_nonce(client: Client, make_article, settings) -> None:
    settings.TELLY_AD_TAG = '<script src="https://ads.example/tag.js"></script><div id="ad"></div>'
    response = client.get(make_article("With ads").get_absolute_url())
    policy = _directives(response["Content-Security-Policy"])
    nonce = re.search(
        r'<script nonce="([^"]+)" src="https://ads.example/tag.js">', response.content.decode()
    ).group(1)
    assert f"'nonce-{nonce}'" in policy["script-src"]
    other = client.get("/news/drama/with-ads/")
    assert nonce not in other["Content-Security-Policy"]  # a fresh nonce per response


def test_the_policy_can_be_switched_off(client: Client, make_article, settings) -> None:
    settings.TELLY_EDITORIAL_CSP = False
    assert "Content-Security-Policy" not in client.get(make_article("No policy").get_absolute_url())
