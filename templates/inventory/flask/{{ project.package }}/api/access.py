"""Role checks beyond user and admin, made before the body is validated (as in FastAPI)."""

import functools
from collections.abc import Callable
from typing import Any

from ..models.users import Role
from ..services.access import require_role
from .deps import current_user


def requires(role: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Answer 401 without a token and 403 without ``role``, before the view runs.

    Put it between the route and ``@endpoint``; ``functools.wraps`` keeps the endpoint
    spec for the OpenAPI document.
    """

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(**path_args: Any) -> Any:
            require_role(current_user(), role)
            return view(**path_args)

        return wrapper

    return decorate
