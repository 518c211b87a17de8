"""Login, token refresh and the user behind an access token."""

from sqlalchemy.orm import Session

from ..core.config import Settings
from ..core.errors import Forbidden, Unauthorized
from ..core.security import (
    TokenType,
    burn_password_check,
    create_token,
    decode_token,
    verify_password,
)
from ..models.users import User
from ..schemas.auth import TokenPair
from . import users

BAD_CREDENTIALS = "Incorrect email or password"


def authenticate(session: Session, email: str, password: str, settings: Settings) -> User:
    """Return the user with these credentials, or raise ``Unauthorized``."""
    user = users.get_by_email(session, email)
    if user is None:
        # Verify against a dummy hash anyway, so response time does not reveal
        # whether the email has an account.
        burn_password_check(password, settings)
        raise Unauthorized(BAD_CREDENTIALS)
    if not verify_password(password, user.password_hash, settings):
        raise Unauthorized(BAD_CREDENTIALS)
    if not user.is_active:
        raise Forbidden("Account disabled")
    return user


def issue_tokens(user: User, settings: Settings) -> TokenPair:
    """Return a new access and refresh token for ``user``."""
    subject = str(user.id)
    return TokenPair(
        access_token=create_token(subject, TokenType.ACCESS, settings),
        refresh_token=create_token(subject, TokenType.REFRESH, settings),
    )


def login(session: Session, email: str, password: str, settings: Settings) -> TokenPair:
    """Check the credentials and return a token pair."""
    return issue_tokens(authenticate(session, email, password, settings), settings)


def refresh(session: Session, refresh_token: str, settings: Settings) -> TokenPair:
    """Exchange a valid refresh token of an active user for a new pair."""
    user = _user_from_claims(session, decode_token(refresh_token, TokenType.REFRESH, settings))
    return issue_tokens(user, settings)


def user_from_access_token(session: Session, token: str, settings: Settings) -> User:
    """Return the active user an access token was issued to, or raise ``Unauthorized``."""
    return _user_from_claims(session, decode_token(token, TokenType.ACCESS, settings))


def _user_from_claims(session: Session, claims: dict[str, object]) -> User:
    subject = claims.get("sub")
    user = None
    if isinstance(subject, str) and subject.isascii() and subject.isdecimal():
        user = session.get(User, int(subject))
    if user is None or not user.is_active:
        raise Unauthorized("Invalid or expired token")
    return user
