"""Every error becomes {"detail": ...} (and "errors" for 422); nothing leaks as a bare 500."""

import logging

from flask import Flask, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from ..core.errors import AppError, DatabaseUnavailable
from .methods import allow_header

logger = logging.getLogger(__name__)


def _app_error(error: AppError) -> ResponseReturnValue:
    if error.status_code >= 500:
        # The service's own fault (a missing key, say): clients get the detail, the
        # log gets what went wrong.
        logger.error("%s: %s", type(error).__name__, error)
    return jsonify(error.body()), error.status_code, error.headers


def _http_error(error: HTTPException) -> ResponseReturnValue:
    # Keep headers such as Allow (405), but not werkzeug's HTML content type.
    headers = [(k, v) for k, v in error.get_headers() if k.lower() not in {"content-type", "allow"}]
    valid_methods = getattr(error, "valid_methods", None)
    if valid_methods:
        headers.append(("Allow", allow_header(valid_methods)))
    return jsonify({"detail": error.name}), error.code or 500, headers


def _database_error(error: Exception) -> ResponseReturnValue:
    # The database is down or the connection was lost: a 503, logged for the operator.
    logger.error("database unavailable: %s", error)
    return _app_error(DatabaseUnavailable())


def _unexpected_error(error: Exception) -> ResponseReturnValue:
    logger.exception("unhandled error", exc_info=error)
    return jsonify({"detail": "Internal server error"}), 500


def register_error_handlers(app: Flask) -> None:
    """Register the handlers on ``app``."""
    app.register_error_handler(AppError, _app_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_error)
    app.register_error_handler(InterfaceError, _database_error)
    app.register_error_handler(Exception, _unexpected_error)
