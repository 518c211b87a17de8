"""The optional signed-in user of public routes: anonymous, or a valid bearer token.

A request without an Authorization header is anonymous; one with a header must
carry a valid access token (401 otherwise), as on the routes that need a user.
"""

import functools
from collections.abc import Callable
from typing import Any

from flask import request

from ..models.users import User
from .deps import current_user

# For the OpenAPI document of public routes: a token is optional, but a bad one is a 401.
BAD_TOKEN = {401: "Invalid token (a token is optional here)"}


def viewer() -> User | None:
    """The user whose token came with the request, or None without an Authorization header."""
    if "Authorization" not in request.headers:
        return None
    return current_user()


def optional_auth(view: Callable[..., Any]) -> Callable[..., Any]:
    """Check a token that came with the request before anything else, as FastAPI does.

    Put it above ``@endpoint``, so that a bad token is a 401 even when the query is
    invalid too; the view reads the user with ``viewer()`` (looked up once per request).
    """

    @functools.wraps(view)
    def wrapper(**path_args: Any) -> Any:
        viewer()
        return view(**path_args)

    return wrapper
