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
from django.utils.html import escape

from telly.newsletters import consent
from telly.newsletters.digest import Digest, absolute
from telly.newsletters.mime import CampaignMessage
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


# Where the reader's own address and signed links go in a rendered campaign: the content is
# rendered once per variant and these are replaced per recipient.
EMAIL_MARK = "TELLYXXEMAILXX"
UNSUBSCRIBE_MARK = "TELLYXXUNSUBSCRIBEXX"
PREFERENCES_MARK = "TELLYXXPREFERENCESXX"
VARIANT_CACHE_SIZE = 5000


class CampaignRenderer:
    """Renders a campaign once per distinct content (an editor's campaign: once; a digest:
    once per region and set of services), then personalises each copy by filling in the
    reader's address and signed links. Rendering and CSS inlining are most of the cost of an
    email, so a campaign to 100,000 readers renders a few hundred times, not 100,000."""

    def __init__(self, campaign: Campaign, body: CampaignBody | None = None) -> None:
        self.campaign = campaign
        self.body = body or CampaignBody.of(campaign)
        self._variants: dict[tuple[Digest | None, bool], Rendered] = {}

    def variant(self, digest: Digest | None, test: bool) -> Rendered:
        key = (digest, test)
        rendered = self._variants.get(key)
        if rendered is None:
            if len(self._variants) >= VARIANT_CACHE_SIZE:
                self._variants.clear()
            rendered = self._variants[key] = render(
                "campaign",
                {
                    "campaign": self.campaign,
                    "newsletter": self.campaign.newsletter,
                    "subscriber": {"email": EMAIL_MARK},
                    "body_html": self.body.html,
                    "body_text": self.body.text,
                    "digest": digest,
                    "unsubscribe_url": UNSUBSCRIBE_MARK,
                    "preferences_url": PREFERENCES_MARK,
                    "test": test,
                },
            )
        return rendered

    def email(
        self,
        subscriber: Subscriber,
        message_id: str,
        digest: Digest | None = None,
        *,
        test: bool = False,
    ) -> EmailMultiAlternatives:
        newsletter = self.campaign.newsletter
        unsubscribe_url = link(
            "newsletters:unsubscribe", make_token(Purpose.UNSUBSCRIBE, subscriber, newsletter.pk)
        )
        preferences_url = link(
            "newsletters:preferences", make_token(Purpose.PREFERENCES, subscriber)
        )
        rendered = self.variant(digest, test)

        def personal(content: str, email_address: str) -> str:
            return (
                content.replace(EMAIL_MARK, email_address)
                .replace(UNSUBSCRIBE_MARK, unsubscribe_url)
                .replace(PREFERENCES_MARK, preferences_url)
            )

        subject = f"[TEST] {rendered.subject}" if test else rendered.subject
        message = CampaignMessage(
            subject,
            personal(rendered.text, subscriber.email),
            settings.DEFAULT_FROM_EMAIL,
            [subscriber.email],
            headers={
                "Message-ID": message_id,
                "List-Id": f"{newsletter.name} <{newsletter.slug}.newsletters.{sender_domain()}>",
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        message.attach_alternative(personal(rendered.html, escape(subscriber.email)), "text/html")
        return message


_renderers: dict[tuple[int, object], CampaignRenderer] = {}


def renderer_for(campaign: Campaign) -> CampaignRenderer:
    """The campaign's renderer, kept between the bounded delivery tasks a worker runs for it.
    One campaign at a time per process keeps memory flat."""
    key = (campaign.pk, campaign.as_of)
    renderer = _renderers.get(key)
    if (
        renderer is None
        or renderer.campaign.body != campaign.body
        or renderer.campaign.subject != campaign.subject
    ):
        _renderers.clear()
        renderer = _renderers[key] = CampaignRenderer(campaign)
    return renderer


def campaign_email(
    campaign: Campaign,
    subscriber: Subscriber,
    message_id: str,
    body: CampaignBody,
    digest: Digest | None = None,
    *,
    test: bool = False,
) -> EmailMultiAlternatives:
    """One campaign email (for previews and test sends; a campaign's delivery keeps one
    ``CampaignRenderer`` for all its recipients)."""
    return CampaignRenderer(campaign, body).email(subscriber, message_id, digest, test=test)
