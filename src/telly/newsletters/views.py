"""Newsletter pages: the lists and sign-up, confirmation, preference centre and unsubscribe.

Only ``index`` and ``signup`` are anonymous; the others open from a signed link in an email and
need no login. No response ever says whether an address is subscribed: every valid sign-up
lands on the same "check your inbox" page whatever happened behind it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from telly.newsletters import consent, ratelimit, subscriptions, tasks
from telly.newsletters.forms import PreferencesForm, SignupForm
from telly.newsletters.models import Newsletter, Subscriber, SubscriberStatus
from telly.newsletters.tokens import BadToken, Purpose, make_token, subscriber_for


def signup_form(
    request: HttpRequest, data: dict | None = None, source: str | None = None, form_id: str = "main"
) -> SignupForm:
    """The sign-up form for this visitor; ``form_id`` keeps element ids unique when a page has
    more than one form."""
    initial = {
        "region": getattr(request, "region", settings.TELLY_DEFAULT_REGION),
        "source": source or request.path,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.email:
        initial["email"] = user.email
    return SignupForm(data, initial=initial, auto_id=f"nl-{form_id}-%s")


def index(request: HttpRequest) -> HttpResponse:
    newsletters = Newsletter.objects.filter(is_public=True)
    return render(
        request,
        "newsletters/index.html",
        {
            "newsletters": newsletters,
            "form": signup_form(request),
            "wording": consent.current_wording(),
        },
    )


@require_POST
def signup(request: HttpRequest) -> HttpResponse:
    client = consent.client_hash(consent.client_address(request))
    partial = request.headers.get("HX-Request") == "true"
    if not ratelimit.allow(
        "client", client or "unknown", settings.TELLY_NEWSLETTER_SIGNUPS_PER_CLIENT, 3600
    ):
        return render(
            request, "newsletters/too_many.html", {"partial": partial}, status=_status(429, partial)
        )
    form = signup_form(request, request.POST)
    if not form.is_valid():
        context = {
            "form": form,
            "wording": consent.current_wording(),
            "newsletters": Newsletter.objects.filter(is_public=True),
        }
        template = "newsletters/_signup.html" if partial else "newsletters/index.html"
        return render(request, template, context, status=_status(400, partial))
    data = form.cleaned_data
    if data["website"]:
        return _sent(request, partial)  # a bot: look the same, do nothing
    email = subscriptions.normalise_email(data["email"])
    if ratelimit.allow("address", email, settings.TELLY_NEWSLETTER_SIGNUPS_PER_ADDRESS, 86400):
        subscriber = subscriptions.request_signup(
            subscriptions.SignupRequest(
                email=email,
                newsletters=list(data["newsletters"]),
                region=data["region"],
                source_page=data["source"],
                client_hash=client,
                wording_version=data["wording_version"],
            )
        )
        if subscriber is not None:
            transaction.on_commit(lambda: tasks.send_confirmation.enqueue(subscriber.pk))
    return _sent(request, partial)


def _status(code: int, partial: bool) -> int:
    """htmx leaves the page alone on a 4xx answer; its form swaps in the message only on a 200
    (the page without JavaScript gets the true status)."""
    return 200 if partial else code


def _sent(request: HttpRequest, partial: bool) -> HttpResponse:
    if partial:
        return render(request, "newsletters/_signup_sent.html")
    return redirect("newsletters:sent", permanent=False)


def sent(request: HttpRequest) -> HttpResponse:
    return render(
        request, "newsletters/sent.html", {"days": settings.TELLY_NEWSLETTER_CONFIRM_DAYS}
    )


def _bad_link(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "newsletters/bad_link.html",
        {"days": settings.TELLY_NEWSLETTER_CONFIRM_DAYS},
        status=400,
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: link scanners that open every URL in an email
    must not be able to confirm a sign-up on the reader's behalf."""
    try:
        subscriber, _ = subscriber_for(Purpose.CONFIRM, token)
    except BadToken:
        return _bad_link(request)
    if request.method == "POST":
        subscriptions.confirm(subscriber)
        subscriber.refresh_from_db()
        return render(
            request,
            "newsletters/confirmed.html",
            {
                "subscriber": subscriber,
                "newsletters": _active_lists(subscriber),
                "preferences_url": _preferences_url(subscriber),
            },
        )
    pending = subscriptions.pending_newsletters(subscriber)
    return render(
        request, "newsletters/confirm.html", {"subscriber": subscriber, "newsletters": pending}
    )


def _active_lists(subscriber: Subscriber) -> list[Newsletter]:
    return list(
        Newsletter.objects.filter(
            subscriptions__subscriber=subscriber,
            subscriptions__confirmed_at__isnull=False,
            subscriptions__ended_at__isnull=True,
        )
    )


def _preferences_url(subscriber: Subscriber) -> str:
    return reverse("newsletters:preferences", args=[make_token(Purpose.PREFERENCES, subscriber)])


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber, _ = subscriber_for(Purpose.PREFERENCES, token)
    except BadToken:
        return _bad_link(request)
    active = _active_lists(subscriber)
    subscribed_ids = {n.pk for n in active}
    initial = {
        "newsletters": active,
        "region": subscriber.region,
        "frequency": subscriber.frequency,
        "providers": list(subscriber.providers.all()),
    }
    form = PreferencesForm(request.POST or None, initial=initial, subscribed_ids=subscribed_ids)
    if request.method == "POST":
        if form.is_valid():
            subscriptions.update_preferences(
                subscriber,
                newsletters=form.cleaned_data["newsletters"],
                region=form.cleaned_data["region"],
                frequency=form.cleaned_data["frequency"],
                providers=form.cleaned_data["providers"],
            )
            messages.success(request, "Your preferences are saved.")
            return redirect(request.path)
        status = 400
    else:
        status = 200
    context = {
        "subscriber": subscriber,
        "form": form,
        "unsubscribe_url": reverse(
            "newsletters:unsubscribe", args=[make_token(Purpose.UNSUBSCRIBE, subscriber)]
        ),
        "suspended": subscriber.status == SubscriberStatus.SUSPENDED,
    }
    return render(request, "newsletters/preferences.html", context, status=status)


@csrf_exempt  # RFC 8058: the mail provider POSTs without cookies; the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber, newsletter = subscriber_for(Purpose.UNSUBSCRIBE, token)
    except BadToken:
        if request.method == "POST" and request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(
                "This unsubscribe link is not valid.", status=400, content_type="text/plain"
            )
        return _bad_link(request)
    if request.method == "POST":
        if request.POST.get("List-Unsubscribe") == "One-Click":
            subscriptions.unsubscribe(subscriber, newsletter, source="one-click (RFC 8058)")
            return HttpResponse("Unsubscribed.", content_type="text/plain")
        everything = request.POST.get("scope") == "all" or newsletter is None
        left = subscriptions.unsubscribe(
            subscriber, None if everything else newsletter, source="unsubscribe page"
        )
        return render(
            request,
            "newsletters/unsubscribed.html",
            {
                "left": left,
                "everything": everything,
                "preferences_url": _preferences_url(subscriber),
            },
        )
    return render(
        request,
        "newsletters/unsubscribe.html",
        {
            "subscriber": subscriber,
            "newsletter": newsletter,
            "other_lists": [n for n in _active_lists(subscriber) if n != newsletter],
        },
    )
