"""Login (throttled, with MFA), token refresh, logout and password changes."""

from sqlalchemy.orm import Session

from ..core.config import Settings
from ..core.errors import Forbidden, Unauthorized, ValidationFailed
from ..core.security import (
    TokenType,
    burn_password_check,
    decode_token,
    hash_password,
    verify_password,
)
from ..models.users import User
from ..schemas.auth import PasswordChange, TokenPair
from . import login_attempts, mfa, tokens, users

BAD_CREDENTIALS = "Incorrect email or password"
MFA_REQUIRED = "MFA code required: send otp_code with the email and password"
BAD_MFA_CODE = "Invalid or expired MFA code"


def authenticate(
    session: Session, email: str, password: str, settings: Settings, otp_code: str | None = None
) -> User:
    """Return the user with these credentials, or raise.

    Raises ``TooManyAttempts`` (429) after too many failures for the email, before
    any check; ``Unauthorized`` for wrong credentials or a missing or wrong MFA code;
    ``Forbidden`` for a disabled account.
    """
    attempt = login_attempts.begin(session, email, settings)
    user = users.get_by_email(session, email)
    if user is None:
        # Verify against a dummy hash anyway, so response time does not reveal
        # whether the email has an account.
        burn_password_check(password, settings)
        raise Unauthorized(BAD_CREDENTIALS)
    if not verify_password(password, user.password_hash, settings):
        raise Unauthorized(BAD_CREDENTIALS)
    if not user.is_active:
        login_attempts.discard(session, attempt)
        raise Forbidden("Account disabled")
    if mfa.is_enabled(session, user):
        if otp_code is None:
            # The client asked without a code: no guess, so no failure.
            login_attempts.discard(session, attempt)
            raise Unauthorized(MFA_REQUIRED)
        if not mfa.accept_code(session, user, otp_code, settings):
            raise Unauthorized(BAD_MFA_CODE)
    login_attempts.discard(session, attempt)
    return user


def login(
    session: Session, email: str, password: str, settings: Settings, otp_code: str | None = None
) -> TokenPair:
    """Check the credentials (and the MFA code) and return a token pair of a new session."""
    user = authenticate(session, email, password, settings, otp_code)
    return tokens.issue_pair(session, user, settings)


def refresh(session: Session, refresh_token: str, settings: Settings) -> TokenPair:
    """Exchange a refresh token, once, for a new pair."""
    return tokens.rotate(session, refresh_token, settings)


def logout(session: Session, user: User, refresh_token: str | None, settings: Settings) -> None:
    """End the session of ``refresh_token``, or every session of ``user`` without one."""
    if refresh_token is None:
        tokens.end_sessions(session, user)
        session.commit()
    else:
        tokens.revoke_session(session, user, refresh_token, settings)


def change_password(session: Session, user: User, data: PasswordChange, settings: Settings) -> None:
    """Set a new password; a wrong current one is a failed login.

    Every session ends, the caller's own included (the client signs in again with the
    new password), and reset tokens already mailed stop working.
    """
    attempt = login_attempts.begin(session, user.email, settings)
    if not verify_password(data.current_password, user.password_hash, settings):
        raise ValidationFailed([{"field": "current_password", "message": "Incorrect password"}])
    login_attempts.discard(session, attempt)
    user.password_hash = hash_password(data.new_password, settings)
    tokens.end_sessions(session, user)
    session.commit()


def user_from_access_token(session: Session, token: str, settings: Settings) -> User:
    """Return the active user an access token was issued to, or raise ``Unauthorized``."""
    return tokens.user_for_claims(session, decode_token(token, TokenType.ACCESS, settings))
