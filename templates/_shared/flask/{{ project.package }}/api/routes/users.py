"""The signed-in user, and user management for admins."""

from flask import Blueprint

from ...models.users import User
from ...schemas.common import Page
from ...schemas.users import UserAdminUpdate, UserPublic, UserQuery
from ...services import users
from ..deps import db_session
from ..endpoint import endpoint

bp = Blueprint("users", __name__, url_prefix="/users")
ADMIN_ONLY = {403: "Admin role required"}
NOT_FOUND = {403: "Admin role required", 404: "User not found"}


@bp.get("/me")
@endpoint(summary="The signed-in user", response=UserPublic, auth="user")
def read_me(user: User) -> User:
    """Return the user the access token belongs to."""
    return user


@bp.get("")
@endpoint(
    summary="List users (admin)",
    query=UserQuery,
    response=Page[UserPublic],
    auth="admin",
    errors=ADMIN_ONLY,
)
def list_users(user: User, query: UserQuery) -> Page[UserPublic]:
    """List users, oldest first, filtered by role and status."""
    return users.list_users(db_session(), query)


@bp.get("/<int:user_id>")
@endpoint(summary="Read a user (admin)", response=UserPublic, auth="admin", errors=NOT_FOUND)
def read_user(user: User, user_id: int) -> User:
    """Return one user."""
    return users.get(db_session(), user_id)


@bp.patch("/<int:user_id>")
@endpoint(
    summary="Change a user's role or status (admin)",
    body=UserAdminUpdate,
    response=UserPublic,
    auth="admin",
    errors={**NOT_FOUND, 409: "Admins cannot demote or disable themselves"},
)
def update_user(user: User, user_id: int, data: UserAdminUpdate) -> User:
    """Change a user's role, or disable them (their tokens stop working at once)."""
    return users.update_user(db_session(), user, user_id, data)
