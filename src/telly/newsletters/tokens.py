"""Signed links in emails: confirm a sign-up, open the preference centre, unsubscribe.

No login is needed for any of them, so the link itself is the proof: a payload signed with the
site's secret key (``django.core.signing``), each purpose with its own salt so a preference link
cannot be replayed as a confirmation. Every payload carries the subscriber's ``token_version``;
bumping it revokes all links already sent.

    token = make_token(Purpose.UNSUBSCRIBE, subscriber, newsletter)
    read_token(Purpose.UNSUBSCRIBE, token)  # -> TokenData(subscriber_id, newsletter_id, version)
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from telly.newsletters.models import Newsletter, Subscriber


class Purpose(enum.StrEnum):
    CONFIRM = "confirm"
    PREFERENCES = "preferences"
    UNSUBSCRIBE = "unsubscribe"

    @property
    def salt(self) -> str:
        return f"telly.newsletters.{self.value}"

    @property
    def max_age(self) -> int | None:
        """Confirmation links expire with the pending sign-up; the others last as long as the
        subscriber's token version does (an unsubscribe link must work in an old email)."""
        if self is Purpose.CONFIRM:
            return settings.TELLY_NEWSLETTER_CONFIRM_DAYS * 86400
        return None


@dataclass(frozen=True)
class TokenData:
    subscriber_id: int
    newsletter_id: int | None
    version: int


class BadToken(Exception):
    """The link was altered, is for another purpose, or has expired."""


def make_token(
    purpose: Purpose, subscriber: Subscriber, newsletter: Newsletter | int | None = None
) -> str:
    newsletter_id = newsletter.pk if isinstance(newsletter, Newsletter) else newsletter
    payload = [subscriber.pk, subscriber.token_version]
    if newsletter_id is not None:
        payload.append(newsletter_id)
    if purpose.max_age is not None:
        return signing.dumps(payload, salt=purpose.salt, compress=False)
    return signing.Signer(salt=purpose.salt).sign_object(payload)


def read_token(purpose: Purpose, token: str) -> TokenData:
    try:
        if purpose.max_age is not None:
            payload = signing.loads(token, salt=purpose.salt, max_age=purpose.max_age)
        else:
            payload = signing.Signer(salt=purpose.salt).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadToken(str(exc)) from None
    if (
        not isinstance(payload, list)
        or len(payload) not in (2, 3)
        or not all(isinstance(p, int) for p in payload)
    ):
        raise BadToken("unexpected payload")
    return TokenData(payload[0], payload[2] if len(payload) == 3 else None, payload[1])


def subscriber_for(purpose: Purpose, token: str) -> tuple[Subscriber, Newsletter | None]:
    """The subscriber (and list, if the link names one) a link is for, or ``BadToken``."""
    data = read_token(purpose, token)
    subscriber = Subscriber.objects.filter(
        pk=data.subscriber_id, token_version=data.version
    ).first()
    if subscriber is None:
        raise BadToken("no such subscriber or the link was revoked")
    newsletter = None
    if data.newsletter_id is not None:
        newsletter = Newsletter.objects.filter(pk=data.newsletter_id).first()
    return subscriber, newsletter
