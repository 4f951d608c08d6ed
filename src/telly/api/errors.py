"""The API's one error shape, and the schema that documents it in OpenAPI."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema


class ErrorBody(Schema):
    code: str
    message: str


class Error(Schema):
    """Every 4xx/5xx answer of the API."""

    error: ErrorBody


# Responses every endpoint may give besides its success, for `@router.get(..., response=...)`.
ERRORS = {400: Error, 404: Error, 422: Error}


class ApiError(Exception):
    """Raise from an endpoint to answer with the error shape: ``raise ApiError(400, "bad_region", "...")``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str
) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message}}, status=status
    )
