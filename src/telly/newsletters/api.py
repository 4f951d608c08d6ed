"""Newsletter endpoints: the public lists a reader can join.

Signing up is deliberately not an API call: it needs the consent wording shown to a person,
the rate limits and the double opt-in of the sign-up form (``POST /newsletters/signup/``).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from telly.api.errors import ERRORS, ApiError
from telly.newsletters.models import Newsletter

router = Router(tags=["newsletters"])


class NewsletterOut(Schema):
    slug: str
    name: str
    description: str
    cadence: str
    sections: list[str]
    genre: str | None
    url: str


def _out(newsletter: Newsletter) -> NewsletterOut:
    return NewsletterOut(
        slug=newsletter.slug,
        name=newsletter.name,
        description=newsletter.description,
        cadence=newsletter.cadence,
        sections=[s.value for s in newsletter.digest_sections],
        genre=newsletter.genre.name if newsletter.genre else None,
        url=newsletter.get_absolute_url(),
    )


@router.get(
    "/newsletters",
    response={200: list[NewsletterOut], **ERRORS},
    summary="Newsletters a reader can join",
)
def list_newsletters(request: HttpRequest) -> list[NewsletterOut]:
    return [_out(n) for n in Newsletter.objects.filter(is_public=True).select_related("genre")]


@router.get(
    "/newsletters/{slug}", response={200: NewsletterOut, **ERRORS}, summary="One newsletter"
)
def get_newsletter(request: HttpRequest, slug: str) -> NewsletterOut:
    newsletter = (
        Newsletter.objects.filter(is_public=True, slug=slug).select_related("genre").first()
    )
    if newsletter is None:
        raise ApiError(404, "not_found", f"No newsletter {slug!r}.")
    return _out(newsletter)
