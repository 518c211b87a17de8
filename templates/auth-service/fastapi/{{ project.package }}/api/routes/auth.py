"""Registration, login, token refresh, logout, password change and password reset."""

from typing import Any

from fastapi import APIRouter, status

from ...schemas.auth import (
    Credentials,
    LoginIn,
    LogoutIn,
    Message,
    PasswordChange,
    PasswordResetConfirm,
    PasswordResetRequest,
    RefreshIn,
    TokenPair,
)
from ...schemas.common import ErrorBody
from ...schemas.users import UserPublic
from ...services import auth, password_resets, users
from ..deps import CurrentUser, SessionDep, SettingsDep

router = APIRouter(prefix="/auth", tags=["auth"])
NOT_AUTHENTICATED: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Not authenticated"}
}
THROTTLED: dict[int | str, dict[str, Any]] = {
    429: {"model": ErrorBody, "description": "Too many failed attempts (see Retry-After)"}
}


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
        401: {"model": ErrorBody, "description": "Incorrect credentials, or MFA code required"},
        403: {"model": ErrorBody, "description": "Account disabled"},
        **THROTTLED,
    },
    summary="Exchange credentials for tokens",
)
def login(data: LoginIn, session: SessionDep, settings: SettingsDep) -> TokenPair:
    """Return an access token and a refresh token (with MFA on, send otp_code too)."""
    return auth.login(session, data.email, data.password, settings, data.otp_code)


@router.post(
    "/refresh",
    responses={401: {"model": ErrorBody, "description": "Invalid, used or expired token"}},
    summary="Exchange a refresh token for new tokens",
)
def refresh(data: RefreshIn, session: SessionDep, settings: SettingsDep) -> TokenPair:
    """Return a new token pair; the refresh token works once (reuse ends the session)."""
    return auth.refresh(session, data.refresh_token, settings)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=NOT_AUTHENTICATED,
    summary="End a session, or every session",
)
def logout(data: LogoutIn, user: CurrentUser, session: SessionDep, settings: SettingsDep) -> None:
    """End the session of the refresh token given, or every session with ``{}``."""
    auth.logout(session, user, data.refresh_token, settings)


@router.post(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**NOT_AUTHENTICATED, **THROTTLED},
    summary="Change your password",
)
def change_password(
    data: PasswordChange, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> None:
    """Set a new password (the current one is checked); every session ends."""
    auth.change_password(session, user, data, settings)


@router.post(
    "/password-reset",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Ask for a password reset token",
)
def request_password_reset(
    data: PasswordResetRequest, session: SessionDep, settings: SettingsDep
) -> Message:
    """Always 202: an active account gets a single-use token through the outbox."""
    return Message(detail=password_resets.request_reset(session, data.email, settings))


@router.post(
    "/password-reset/confirm",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Set a new password with a reset token",
)
def confirm_password_reset(
    data: PasswordResetConfirm, session: SessionDep, settings: SettingsDep
) -> None:
    """Set the new password; the token works once, and every session ends."""
    password_resets.confirm_reset(session, data, settings)
