"""Registration, login, token refresh, logout, password change and password reset."""

from flask import Blueprint

from ...models.users import User
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
from ...schemas.users import UserPublic
from ...services import auth, password_resets, users
from ..deps import app_settings, db_session
from ..endpoint import endpoint

bp = Blueprint("auth", __name__, url_prefix="/auth")
THROTTLED = {429: "Too many failed attempts (see Retry-After)"}


@bp.post("/register")
@endpoint(
    summary="Create an account",
    body=Credentials,
    response=UserPublic,
    status=201,
    errors={409: "Email already registered"},
)
def register(data: Credentials) -> User:
    """Create an account with an email and a password of at least 8 characters."""
    return users.register(db_session(), data, app_settings())


@bp.post("/login")
@endpoint(
    summary="Exchange credentials for tokens",
    body=LoginIn,
    response=TokenPair,
    errors={
        401: "Incorrect credentials, or MFA code required",
        403: "Account disabled",
        **THROTTLED,
    },
)
def login(data: LoginIn) -> TokenPair:
    """Return an access token and a refresh token (with MFA on, send otp_code too)."""
    return auth.login(db_session(), data.email, data.password, app_settings(), data.otp_code)


@bp.post("/refresh")
@endpoint(
    summary="Exchange a refresh token for new tokens",
    body=RefreshIn,
    response=TokenPair,
    errors={401: "Invalid, used or expired token"},
)
def refresh(data: RefreshIn) -> TokenPair:
    """Return a new token pair; the refresh token works once (reuse ends the session)."""
    return auth.refresh(db_session(), data.refresh_token, app_settings())


@bp.post("/logout")
@endpoint(summary="End a session, or every session", body=LogoutIn, status=204, auth="user")
def logout(user: User, data: LogoutIn) -> None:
    """End the session of the refresh token given, or every session with ``{}``."""
    auth.logout(db_session(), user, data.refresh_token, app_settings())


@bp.post("/password")
@endpoint(
    summary="Change your password",
    body=PasswordChange,
    status=204,
    auth="user",
    errors=THROTTLED,
)
def change_password(user: User, data: PasswordChange) -> None:
    """Set a new password (the current one is checked); every session ends."""
    auth.change_password(db_session(), user, data, app_settings())


@bp.post("/password-reset")
@endpoint(
    summary="Ask for a password reset token",
    body=PasswordResetRequest,
    response=Message,
    status=202,
)
def request_password_reset(data: PasswordResetRequest) -> Message:
    """Always 202: an active account gets a single-use token through the outbox."""
    return Message(detail=password_resets.request_reset(db_session(), data.email, app_settings()))


@bp.post("/password-reset/confirm")
@endpoint(summary="Set a new password with a reset token", body=PasswordResetConfirm, status=204)
def confirm_password_reset(data: PasswordResetConfirm) -> None:
    """Set the new password; the token works once, and every session ends."""
    password_resets.confirm_reset(db_session(), data, app_settings())
