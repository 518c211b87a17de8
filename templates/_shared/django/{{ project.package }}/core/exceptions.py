"""Every error becomes {"detail": ...} (and "errors" for 422); nothing leaks as a bare 500.

``exception_handler`` is DRF's EXCEPTION_HANDLER; the views at the end answer what
never reaches DRF (unknown routes, bad Host headers, crashes) in the same shape.
"""

import logging
from collections.abc import Iterator
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import AppError, DatabaseUnavailable, NotFound, ValidationFailed

logger = logging.getLogger(__name__)


def _flatten(detail: Any, field: str) -> Iterator[dict[str, str]]:
    """Turn DRF's nested error details into [{"field", "message"}], dotted for nesting."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key == api_settings.NON_FIELD_ERRORS_KEY:
                yield from _flatten(value, field)
            else:
                yield from _flatten(value, f"{field}.{key}" if field else str(key))
    elif isinstance(detail, list):
        # A list of messages for one field, or (list fields) one entry per item.
        if all(isinstance(item, str) for item in detail):
            for message in detail:
                yield {"field": field or "body", "message": str(message)}
        else:
            for index, item in enumerate(detail):
                if item:
                    yield from _flatten(item, f"{field}.{index}" if field else str(index))
    else:
        yield {"field": field or "body", "message": str(detail)}


def validation_failed(detail: Any) -> ValidationFailed:
    """The 422 error for a DRF validation error's detail."""
    return ValidationFailed(list(_flatten(detail, "")))


def _response(error: AppError) -> Response:
    return Response(error.body(), status=error.status_code, headers=error.headers)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler, giving every error the common body."""
    if isinstance(exc, AppError):
        if exc.status_code >= 500:
            # The service's own fault (a missing key, say): clients get the detail, the
            # log gets what went wrong.
            logger.error("%s: %s", type(exc).__name__, exc)
        return _response(exc)
    if isinstance(exc, OperationalError | InterfaceError):
        # The database is down or the connection was lost: a 503, logged for the operator.
        logger.error("database unavailable: %s", exc)
        return _response(DatabaseUnavailable())
    if isinstance(exc, exceptions.ValidationError):
        return _response(validation_failed(exc.detail))
    if isinstance(exc, exceptions.ParseError):
        return _response(ValidationFailed([{"field": "body", "message": "Invalid JSON"}]))
    if isinstance(exc, exceptions.UnsupportedMediaType):
        # A body that is not JSON is invalid input, as in every framework of scaffold.
        message = "Send a JSON body (Content-Type: application/json)"
        return _response(ValidationFailed([{"field": "body", "message": message}]))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # Django's 500 handler below answers, and the error is logged.
    detail = response.data.get("detail") if isinstance(response.data, dict) else None
    response.data = {"detail": str(detail or response.status_text)}
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = "Bearer"
    return response


def _json(detail: str, status_code: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status_code)


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown routes (and malformed ids in paths): a JSON 404 for any method."""
    return _json(NotFound.detail, status.HTTP_404_NOT_FOUND)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """Django's 400 handler (a Host header not in ALLOWED_HOSTS, say)."""
    return _json("Bad request", status.HTTP_400_BAD_REQUEST)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """Django's 403 handler."""
    return _json("Not allowed", status.HTTP_403_FORBIDDEN)


def server_error(request: HttpRequest) -> JsonResponse:
    """Django's 500 handler; Django has logged the exception."""
    return _json("Internal server error", status.HTTP_500_INTERNAL_SERVER_ERROR)
