"""Errors the services raise, and the one JSON error body every response uses.

Services raise these without knowing about HTTP; each framework layer turns them
into responses of the form {"detail": "..."} (plus "errors" for 422).
"""

from collections.abc import Iterable, Mapping
from typing import Any


class AppError(Exception):
    """An error with an HTTP status and a message safe to show to clients."""

    status_code = 400
    detail = "Bad request"

    def __init__(self, detail: str | None = None, *, headers: Mapping[str, str] | None = None):
        self.detail = detail or self.detail
        self.headers = dict(headers or {})
        super().__init__(self.detail)

    def body(self) -> dict[str, Any]:
        """Return the JSON body of the response."""
        return {"detail": self.detail}


class Unauthorized(AppError):
    """The request has no valid access token (or the credentials are wrong)."""

    status_code = 401
    detail = "Not authenticated"

    def __init__(self, detail: str | None = None):
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(AppError):
    """The user is known but may not do this."""

    status_code = 403
    detail = "Not allowed"


class NotFound(AppError):
    """The resource does not exist, or the user may not know that it does."""

    status_code = 404
    detail = "Not found"


class Conflict(AppError):
    """The request clashes with the current state (a taken email, say)."""

    status_code = 409
    detail = "Conflict"


class DatabaseUnavailable(AppError):
    """The database cannot be reached (it is down, or the connection to it was lost).

    Not the client's fault and not a bug: a 503, which says "try again later".
    """

    status_code = 503
    detail = "Service unavailable: the database cannot be reached"


class ValidationFailed(AppError):
    """The request is well-formed but its content is invalid."""

    status_code = 422
    detail = "Validation failed"

    def __init__(self, errors: Iterable[Mapping[str, str]], detail: str | None = None):
        self.errors = [{"field": e["field"], "message": e["message"]} for e in errors]
        super().__init__(detail)

    def body(self) -> dict[str, Any]:
        """Return the JSON body, with one entry per invalid field."""
        return {"detail": self.detail, "errors": self.errors}
