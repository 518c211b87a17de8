"""Login, token refresh and the user behind an access token."""

from sqlalchemy.orm import Session

from ..core.access_tokens import verified_claims
from ..core.config import Settings
from ..core.errors import Forbidden, Unauthorized
from ..core.security import burn_password_check, verify_password
from ..models.users import User
from ..schemas.auth import TokenPair
from . import tokens, users

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


def login(session: Session, email: str, password: str, settings: Settings) -> TokenPair:
    """Check the credentials and return a token pair."""
    return tokens.issue_pair(session, authenticate(session, email, password, settings), settings)


def refresh(session: Session, refresh_token: str, settings: Settings) -> TokenPair:
    """Exchange a refresh token for a new pair."""
    return tokens.rotate(session, refresh_token, settings)


def user_from_access_token(session: Session, token: str, settings: Settings) -> User:
    """Return the active user an access token was issued to, or raise ``Unauthorized``."""
    return tokens.user_for_claims(session, verified_claims(token, settings))
