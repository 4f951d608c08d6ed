"""Every email newsletters sends: one function per kind, three templates each (subject, text,
HTML) under ``templates/newsletters/email/``.

The HTML is written with a ``<style>`` block and inlined here (``css-inline``), because many
mail clients drop ``<style>``; the dark-mode rules stay in a block marked
``data-css-inline="keep"`` since a media query cannot be inlined. Every campaign email carries a
visible unsubscribe link, a preference-centre link and the RFC 8058 headers
(``List-Unsubscribe`` + ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``), all signed
links that need no login.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import urlsplit

import css_inline
import markdown
import nh3
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from telly.newsletters import consent
from telly.newsletters.digest import Digest, absolute
from telly.newsletters.models import Campaign, Newsletter, Subscriber
from telly.newsletters.tokens import Purpose, make_token

_inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False)
_RELATIVE_HREF = re.compile(r'(href|src)="(/[^"/][^"]*|/)"')
_RELATIVE_MD_LINK = re.compile(r"\]\((/[^)\s]*)\)")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(kind: str, context: dict) -> Rendered:
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"newsletters/email/{kind}_subject.txt", context).split())
    text = render_to_string(f"newsletters/email/{kind}.txt", context)
    html = _inliner.inline(render_to_string(f"newsletters/email/{kind}.html", context))
    return Rendered(subject, text, html)


def sender_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or urlsplit(settings.SITE_URL).hostname or "localhost"


def new_message_id(campaign_id: int, subscriber_id: int) -> str:
    return f"<telly.{campaign_id}.{subscriber_id}.{secrets.token_hex(4)}@{sender_domain()}>"


def link(name: str, token: str) -> str:
    return absolute(reverse(name, args=[token]))


def confirmation_email(
    subscriber: Subscriber, newsletters: list[Newsletter]
) -> EmailMultiAlternatives:
    """The only email a pending sign-up ever gets: its link confirms every list asked for."""
    rendered = render(
        "confirm",
        {
            "subscriber": subscriber,
            "newsletters": newsletters,
            "confirm_url": link("newsletters:confirm", make_token(Purpose.CONFIRM, subscriber)),
            "days": settings.TELLY_NEWSLETTER_CONFIRM_DAYS,
            "wording": consent.current_wording(),
        },
    )
    message = EmailMultiAlternatives(
        rendered.subject,
        rendered.text,
        settings.DEFAULT_FROM_EMAIL,
        [subscriber.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


def body_html(markdown_text: str) -> str:
    """An editor's Markdown as safe HTML, with site paths (``/shows/heartstopper/``) made
    absolute so they work in a mail client."""
    if not markdown_text.strip():
        return ""
    html = nh3.clean(markdown.markdown(markdown_text, extensions=["extra"]))
    return _RELATIVE_HREF.sub(lambda m: f'{m.group(1)}="{absolute(m.group(2))}"', html)


def body_text(markdown_text: str) -> str:
    return _RELATIVE_MD_LINK.sub(lambda m: f"]({absolute(m.group(1))})", markdown_text).strip()


@dataclass(frozen=True)
class CampaignBody:
    """The parts of a campaign that are the same for every recipient, prepared once."""

    html: str
    text: str

    @classmethod
    def of(cls, campaign: Campaign) -> CampaignBody:
        return cls(body_html(campaign.body), body_text(campaign.body))


def campaign_email(
    campaign: Campaign,
    subscriber: Subscriber,
    message_id: str,
    body: CampaignBody,
    digest: Digest | None = None,
    *,
    test: bool = False,
) -> EmailMultiAlternatives:
    newsletter = campaign.newsletter
    unsubscribe_url = link(
        "newsletters:unsubscribe", make_token(Purpose.UNSUBSCRIBE, subscriber, newsletter.pk)
    )
    rendered = render(
        "campaign",
        {
            "campaign": campaign,
            "newsletter": newsletter,
            "subscriber": subscriber,
            "body_html": body.html,
            "body_text": body.text,
            "digest": digest,
            "unsubscribe_url": unsubscribe_url,
            "preferences_url": link(
                "newsletters:preferences", make_token(Purpose.PREFERENCES, subscriber)
            ),
            "test": test,
        },
    )
    subject = f"[TEST] {rendered.subject}" if test else rendered.subject
    message = EmailMultiAlternatives(
        subject,
        rendered.text,
        settings.DEFAULT_FROM_EMAIL,
        [subscriber.email],
        headers={
            "Message-ID": message_id,
            "List-Id": f"{newsletter.name} <{newsletter.slug}.newsletters.{sender_domain()}>",
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(rendered.html, "text/html")
    return message
