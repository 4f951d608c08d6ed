"""``{% load newsletters %}{% newsletter_signup %}``: the sign-up form on any page.

{% newsletter_signup %}                                  every public list, none ticked
{% newsletter_signup lists="drama" heading="Love drama?" %}  only these lists, ticked
"""

from __future__ import annotations

from django import template

from telly.newsletters import consent
from telly.newsletters.models import Newsletter

register = template.Library()


@register.inclusion_tag("newsletters/_signup.html", takes_context=True)
def newsletter_signup(
    context: template.Context,
    lists: str = "",
    heading: str = "Get our newsletters",
    form_id: str = "",
) -> dict:
    from telly.newsletters.views import signup_form

    request = context.get("request")
    form_id = form_id or "inline"
    form = signup_form(request, form_id=form_id)
    slugs = [s.strip() for s in lists.split(",") if s.strip()]
    if slugs:
        chosen = Newsletter.objects.filter(is_public=True, slug__in=slugs)
        form.fields["newsletters"].queryset = chosen
        form.initial["newsletters"] = list(chosen)
    return {
        "form": form,
        "wording": consent.current_wording(),
        "heading": heading,
        "form_id": form_id,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
