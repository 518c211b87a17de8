"""Role dependencies beyond user and admin: a manager (or an admin) moves stock."""

from typing import Annotated, Any

from fastapi import Depends

from ..models.users import Role, User
from ..schemas.common import ErrorBody
from ..services.access import require_role
from .deps import CurrentUser


def get_current_manager(user: CurrentUser) -> User:
    """The current user if they are a manager or an admin, or 403."""
    return require_role(user, Role.MANAGER)


CurrentManager = Annotated[User, Depends(get_current_manager)]

ADMIN_ONLY: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorBody, "description": "Admin role required"}
}
MANAGER_ONLY: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorBody, "description": "Manager role required"}
}
