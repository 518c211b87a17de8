"""The signed-in user."""

from fastapi import APIRouter

from ...schemas.common import ErrorBody
from ...schemas.users import UserPublic
from ..deps import CurrentUser

router = APIRouter(prefix="/users", tags=["users"])


@router.get(
    "/me",
    responses={401: {"model": ErrorBody, "description": "Not authenticated"}},
    summary="The signed-in user",
)
def read_me(user: CurrentUser) -> UserPublic:
    """Return the user the access token belongs to."""
    return UserPublic.model_validate(user)
