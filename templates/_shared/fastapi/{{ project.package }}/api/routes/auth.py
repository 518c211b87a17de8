"""Registration, login and token refresh."""

from fastapi import APIRouter, status

from ...schemas.auth import Credentials, LoginIn, RefreshIn, TokenPair
from ...schemas.common import ErrorBody
from ...schemas.users import UserPublic
from ...services import auth, users
from ..deps import SessionDep, SettingsDep

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    responses={409: {"model": ErrorBody, "description": "Email already registered"}},
    summary="Create an account",
)
def register(data: Credentials, session: SessionDep, settings: SettingsDep) -> UserPublic:
    """Create an account with an email and a password of at least 8 characters."""
    return UserPublic.model_validate(users.register(session, data, settings))


@router.post(
    "/login",
    responses={
        401: {"model": ErrorBody, "description": "Incorrect email or password"},
        403: {"model": ErrorBody, "description": "Account disabled"},
    },
    summary="Exchange credentials for tokens",
)
def login(data: LoginIn, session: SessionDep, settings: SettingsDep) -> TokenPair:
    """Return an access token and a refresh token."""
    return auth.login(session, data.email, data.password, settings)


@router.post(
    "/refresh",
    responses={401: {"model": ErrorBody, "description": "Invalid or expired token"}},
    summary="Exchange a refresh token for new tokens",
)
def refresh(data: RefreshIn, session: SessionDep, settings: SettingsDep) -> TokenPair:
    """Return a new token pair for a valid refresh token."""
    return auth.refresh(session, data.refresh_token, settings)
