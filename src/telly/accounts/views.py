"""Account pages: sign-up, log-in (rate-limited), profile, watchlist, follows, progress,
my calendar, API tokens, data export and account deletion. Thin: they call ``lists``,
``progress``, ``calendar`` and ``privacy``."""

from __future__ import annotations

import zoneinfo

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from telly.accounts import calendar, lists, privacy, progress
from telly.accounts.forms import (
    DeleteAccountForm,
    ProfileForm,
    RateLimitedLoginForm,
    SignUpForm,
    TokenForm,
)
from telly.accounts.models import ApiToken, Follow, WatchlistItem, profile_for
from telly.catalog.models import Episode, Person, Title


def _next_url(request: HttpRequest, fallback: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, {request.get_host()}, request.is_secure()
    ):
        return wanted
    return fallback


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        profile = profile_for(user)
        profile.region = request.region  # type: ignore[attr-defined]
        profile.time_zone = str(request.tz)  # type: ignore[attr-defined]
        profile.save(update_fields=["region", "time_zone"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Follow shows and people to build your guide.")
        return redirect("accounts:profile")
    return render(
        request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200
    )


class LoginView(auth_views.LoginView):
    form_class = RateLimitedLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form: RateLimitedLoginForm) -> HttpResponse:
        response = super().form_invalid(form)
        limited = any(e.code == "rate_limited" for e in form.non_field_errors().as_data())
        response.status_code = 429 if limited else 400
        return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "up_next": progress.up_next(user)[:12],
        "coming_up": calendar.entries_for(user, days=7)[:8],
        "watchlist": WatchlistItem.objects.filter(user=user).select_related("title")[:12],
        "follows": Follow.objects.filter(user=user).select_related("title", "person")[:24],
        "profile": profile_for(user),
    }
    return render(request, "accounts/home.html", context)


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = profile_for(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Profile saved.")
            response = redirect("accounts:profile")
            # The region/tz cookies would otherwise outrank what was just saved.
            response.delete_cookie("region")
            response.delete_cookie("tz")
            return response
        return render(request, "accounts/profile.html", {"form": form}, status=400)
    return render(request, "accounts/profile.html", {"form": form})


def _title_buttons(request: HttpRequest, title: Title) -> HttpResponse:
    context = {
        "title": title,
        "state": lists.title_state(request.user, title),
        "next": _next_url(request, title.get_absolute_url()),
    }
    return render(request, "accounts/_title_buttons.html", context)


def _wants_on(request: HttpRequest) -> bool | None:
    """``action=add`` → True, ``action=remove`` → False, anything else → None (a 400)."""
    return {"add": True, "remove": False}.get(request.POST.get("action", ""))


BAD_ACTION = "action must be add or remove"


@login_required
@require_POST
def watchlist_toggle(request: HttpRequest, title_id: int) -> HttpResponse:
    title = get_object_or_404(Title, pk=title_id)
    on = _wants_on(request)
    if on is None:
        return HttpResponseBadRequest(BAD_ACTION)
    lists.set_watchlisted(request.user, title, on)
    if request.headers.get("HX-Request"):
        return _title_buttons(request, title)
    messages.success(
        request, f"{title.name} {'added to' if on else 'removed from'} your watchlist."
    )
    return redirect(_next_url(request, title.get_absolute_url()))


@login_required
@require_POST
def follow_title(request: HttpRequest, title_id: int) -> HttpResponse:
    title = get_object_or_404(Title, pk=title_id)
    on = _wants_on(request)
    if on is None:
        return HttpResponseBadRequest(BAD_ACTION)
    lists.set_following_title(request.user, title, on)
    if request.headers.get("HX-Request"):
        return _title_buttons(request, title)
    messages.success(request, f"{'Following' if on else 'No longer following'} {title.name}.")
    return redirect(_next_url(request, title.get_absolute_url()))


@login_required
@require_POST
def follow_person(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_id)
    on = _wants_on(request)
    if on is None:
        return HttpResponseBadRequest(BAD_ACTION)
    lists.set_following_person(request.user, person, on)
    if request.headers.get("HX-Request"):
        context = {
            "person": person,
            "state": lists.person_state(request.user, person),
            "next": _next_url(request, person.get_absolute_url()),
        }
        return render(request, "accounts/_person_buttons.html", context)
    messages.success(request, f"{'Following' if on else 'No longer following'} {person.name}.")
    return redirect(_next_url(request, person.get_absolute_url()))


def _get_follow_for_user(request: HttpRequest, follow_id: int) -> Follow:
    """The user's own follow, or 404 (another user's follow is not found, not forbidden)."""
    return get_object_or_404(
        Follow.objects.select_related("title", "person"), pk=follow_id, user=request.user
    )


@login_required
@require_POST
def unfollow(request: HttpRequest, follow_id: int) -> HttpResponse:
    follow = _get_follow_for_user(request, follow_id)
    follow.delete()
    messages.success(request, f"No longer following {follow.title or follow.person}.")
    return redirect(_next_url(request, reverse("accounts:follows")))


@login_required
def watchlist_page(request: HttpRequest) -> HttpResponse:
    items = WatchlistItem.objects.filter(user=request.user).select_related("title")
    return render(request, "accounts/watchlist.html", {"items": items})


@login_required
def follows_page(request: HttpRequest) -> HttpResponse:
    follows = Follow.objects.filter(user=request.user).select_related("title", "person")
    return render(
        request,
        "accounts/follows.html",
        {
            "titles": [f for f in follows if f.title_id],
            "people": [f for f in follows if f.person_id],
        },
    )


@login_required
def progress_page(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/progress.html", {"progress": progress.progress_for(request.user)}
    )


@login_required
@require_POST
def mark_watched(request: HttpRequest) -> HttpResponse:
    """Mark one episode (``episode``), a season (``title`` + ``season``) or a whole series
    (``title``) watched, or not (``action=unwatch``)."""
    action = request.POST.get("action", "watch")
    if action not in {"watch", "unwatch"}:
        return HttpResponseBadRequest("action must be watch or unwatch")
    raw_episode, raw_title, raw_season = (
        request.POST.get(k, "").strip() for k in ("episode", "title", "season")
    )
    if raw_episode:
        if not raw_episode.isdecimal():
            return HttpResponseBadRequest("episode must be an id")
        episode = get_object_or_404(Episode.objects.select_related("title"), pk=int(raw_episode))
        title, episodes = episode.title, [episode]
    elif raw_title:
        if not raw_title.isdecimal() or (raw_season and not raw_season.isdecimal()):
            return HttpResponseBadRequest("title and season must be numbers")
        title = get_object_or_404(Title, pk=int(raw_title))
        episodes = progress.episodes_to_mark(title, int(raw_season) if raw_season else None)
    else:
        return HttpResponseBadRequest("say which episode, or which title (and season)")
    changed = progress.mark_episodes(request.user, episodes, watched=action == "watch")
    if request.headers.get("HX-Request"):
        from telly.accounts.panels import title_panel_context

        data = title_panel_context(request, title) or {}
        return render(request, "accounts/_title_panel.html", {"data": data, "title": title})
    messages.success(
        request,
        f"{changed} episode{'s' if changed != 1 else ''} marked {'watched' if action == 'watch' else 'unwatched'}.",
    )
    return redirect(_next_url(request, title.get_absolute_url()))


@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    raw_days = request.GET.get("days", "30")
    if not raw_days.isdecimal() or not 1 <= int(raw_days) <= calendar.MAX_DAYS:
        return render(
            request,
            "accounts/calendar.html",
            {"error": f"days must be a number from 1 to {calendar.MAX_DAYS}", "days": 30},
            status=400,
        )
    premieres_only = request.GET.get("premieres") in {"1", "on", "true"}
    entries = calendar.entries_for(request.user, days=int(raw_days), premieres_only=premieres_only)
    tz = zoneinfo.ZoneInfo(profile_for(request.user).time_zone_or_default)
    context = {
        "days": int(raw_days),
        "premieres_only": premieres_only,
        "by_day": calendar.group_by_day(entries, tz),
        "tz": tz,
    }
    return render(request, "accounts/calendar.html", context)


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _, secret = ApiToken.issue(request.user, form.cleaned_data["name"])
            form = TokenForm()
        else:
            status = 400
    context = {"form": form, "secret": secret, "tokens": ApiToken.objects.filter(user=request.user)}
    return render(request, "accounts/tokens.html", context, status=status)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    token.delete()
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("accounts:tokens")


@login_required
def export_data(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(
        privacy.export(request.user), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = 'attachment; filename="telly-my-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = request.user
            logout(request)
            privacy.erase(user)
            messages.success(request, "Your account and personal data have been deleted.")
            return redirect("/")
        return render(request, "accounts/delete.html", {"form": form}, status=400)
    return render(request, "accounts/delete.html", {"form": form})
