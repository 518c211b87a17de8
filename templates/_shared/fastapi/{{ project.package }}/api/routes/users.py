"""The signed-in user, and user management for admins."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ...schemas.common import ErrorBody, Page
from ...schemas.users import UserAdminUpdate, UserPublic, UserQuery
from ...services import users
from ..deps import CurrentAdmin, CurrentUser, SessionDep
from ..responses import serialized

router = APIRouter(
    prefix="/users",
    tags=["users"],
    responses={401: {"model": ErrorBody, "description": "Not authenticated"}},
)
ADMIN_ONLY: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorBody, "description": "Admin role required"}
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "User not found"}
}


@router.get("/me", response_model=UserPublic, summary="The signed-in user")
def read_me(user: CurrentUser) -> Any:
    """Return the user the access token belongs to."""
    return user


@router.get("", responses=ADMIN_ONLY, summary="List users (admin)")
@serialized
def list_users(
    session: SessionDep, _admin: CurrentAdmin, query: Annotated[UserQuery, Query()]
) -> Page[UserPublic]:
    """List users, oldest first, filtered by role and status."""
    return users.list_users(session, query)


@router.get(
    "/{user_id:int}",
    response_model=UserPublic,
    responses={**ADMIN_ONLY, **NOT_FOUND},
    summary="Read a user (admin)",
)
def read_user(user_id: int, session: SessionDep, _admin: CurrentAdmin) -> Any:
    """Return one user."""
    return users.get(session, user_id)


@router.patch(
    "/{user_id:int}",
    response_model=UserPublic,
    responses={**ADMIN_ONLY, **NOT_FOUND, 409: {"model": ErrorBody}},
    summary="Change a user's role or status (admin)",
)
def update_user(
    user_id: int, data: UserAdminUpdate, session: SessionDep, admin: CurrentAdmin
) -> Any:
    """Change a user's role, or disable them (their tokens stop working at once)."""
    return users.update_user(session, admin, user_id, data)
