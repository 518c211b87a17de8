"""Every error becomes {"detail": ...} (and "errors" for 422); nothing leaks as a bare 500."""

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException

from ..core.errors import AppError, DatabaseUnavailable, NotFound, ValidationFailed
from ..core.validation_errors import field_errors
from .methods import allowed_methods

logger = logging.getLogger(__name__)


def _json(error: AppError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status_code, headers=error.headers)


async def _app_error(_request: Request, exc: AppError) -> JSONResponse:
    if exc.status_code >= 500:
        # The service's own fault (a missing key, say): clients get the detail, the
        # log gets what went wrong.
        logger.error("%s: %s", type(exc).__name__, exc)
    return _json(exc)


async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    # A malformed id in the path names no resource: that is a 404, as in every framework.
    if errors and all(error["loc"][:1] == ("path",) for error in errors):
        return _json(NotFound())
    return _json(ValidationFailed(field_errors(errors)))


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    if exc.status_code == 400:
        # FastAPI's own 400: a body it could not read as JSON (not UTF-8, say). Invalid
        # JSON is a 422 in every framework, and the document says so.
        return _json(ValidationFailed([{"field": "body", "message": "Invalid JSON"}]))
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(allowed_methods(request.app, request.url.path))
    return JSONResponse({"detail": str(exc.detail)}, status_code=exc.status_code, headers=headers)


async def _database_error(_request: Request, exc: Exception) -> JSONResponse:
    # The database is down or the connection was lost: a 503, logged for the operator.
    logger.error("database unavailable: %s", exc)
    return _json(DatabaseUnavailable())


async def _unexpected_error(_request: Request, _exc: Exception) -> JSONResponse:
    # Logged once, with the request id, by the middleware around (api/operations.py).
    return JSONResponse({"detail": "Internal server error"}, status_code=500)


E = TypeVar("E", bound=Exception)
Handler = Callable[[Request, Exception], Awaitable[Response]]


def _on(app: FastAPI, kind: type[E], handler: Callable[[Request, E], Awaitable[Response]]) -> None:
    # Starlette calls the handler of a class with instances of that class only, which
    # its signature cannot say (it takes any Exception): the cast says it.
    app.add_exception_handler(kind, cast(Handler, handler))


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    _on(app, AppError, _app_error)
    _on(app, RequestValidationError, _validation_error)
    _on(app, HTTPException, _http_error)
    _on(app, OperationalError, _database_error)
    _on(app, InterfaceError, _database_error)
    _on(app, Exception, _unexpected_error)
