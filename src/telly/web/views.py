from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from telly.catalog.models import Title
from telly.catalog.panels import home_panels


def home(request: HttpRequest) -> HttpResponse:
    popular = list(Title.objects.popular().prefetch_related("genres")[:12])
    newest = list(
        Title.objects.newest()
        .exclude(pk__in=[t.pk for t in popular])
        .prefetch_related("genres")[:12]
    )
    context = {
        "popular": popular,
        "newest": newest,
        "panels": home_panels.render(request, None),
    }
    return render(request, "web/home.html", context)


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": {"code": "not_found", "message": "Not found."}}, status=404)
    return render(
        request,
        "web/error.html",
        {"status": 404, "message": "We could not find that page."},
        status=404,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            {"error": {"code": "bad_request", "message": "Bad request."}}, status=400
        )
    return render(
        request,
        "web/error.html",
        {"status": 400, "message": "That request did not make sense to us."},
        status=400,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            {"error": {"code": "server_error", "message": "Something went wrong on our side."}},
            status=500,
        )
    return render(
        request,
        "web/error.html",
        {"status": 500, "message": "Something went wrong on our side."},
        status=500,
    )


@cache_control(no_store=True)
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@cache_control(max_age=86400, public=True)
def robots(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /account/",
        "Disallow: /admin/",
        "Disallow: /feeds/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
