"""The signed-in user."""

from flask import Blueprint

from ...models.users import User
from ...schemas.users import UserPublic
from ..endpoint import endpoint

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.get("/me")
@endpoint(summary="The signed-in user", response=UserPublic, auth="user")
def read_me(user: User) -> User:
    """Return the user the access token belongs to."""
    return user
