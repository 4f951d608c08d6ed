"""The JSON API at /api/v1/: each app's ``api.py`` router, one error shape everywhere.

Every error, ours or the framework's, is ``{"error": {"code": ..., "message": ...}}``.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from telly.accounts.api import router as accounts_router
from telly.alerts.api import router as alerts_router
from telly.api.errors import ApiError, error_response
from telly.catalog.api import router as catalog_router
from telly.editorial.api import router as editorial_router
from telly.listings.api import router as listings_router
from telly.newsletters.api import router as newsletters_router
from telly.releases.api import router as releases_router
from telly.search.api import router as search_router
from telly.streaming.api import router as streaming_router

api = NinjaAPI(
    title="Telly API",
    version="1",
    description=(
        "The TV & streaming guide as JSON. Every error has the shape "
        '`{"error": {"code": "...", "message": "..."}}` with a 4xx or 5xx status.'
    ),
    urls_namespace="api",
)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(api, request, exc.status, exc.code, exc.message)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for error in exc.errors:
        where = ".".join(
            str(part) for part in error.get("loc", []) if part not in ("query", "body", "path")
        )
        problems.append(
            f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg", "invalid")
        )
    return error_response(api, request, 422, "invalid", "; ".join(problems) or "Invalid request.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(api, request, exc.status_code, "http_error", str(exc))


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        api,
        request,
        401,
        "unauthorized",
        "Authentication required: send 'Authorization: Bearer <token>'.",
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(api, request, 404, "not_found", str(exc) or "Not found.")


@api.exception_handler(ObjectDoesNotExist)
def _does_not_exist(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    return error_response(api, request, 404, "not_found", "Not found.")


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(api, request, 403, "forbidden", str(exc) or "Forbidden.")


api.add_router("", catalog_router)
api.add_router("", streaming_router)
api.add_router("", listings_router)
api.add_router("", releases_router)
api.add_router("", search_router)
api.add_router("", accounts_router)
api.add_router("", alerts_router)
api.add_router("", editorial_router)
api.add_router("", newsletters_router)
