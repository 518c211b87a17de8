"""Token pairs: a short-lived access token and a longer-lived refresh token, both JWTs.

Here refresh tokens are stateless: valid until they expire, checked against the
user's current status on every use. A service that must revoke sessions swaps this
module for one that stores refresh tokens and rotates them.
"""

from typing import Any

from sqlalchemy.orm import Session

from ..core.config import Settings
from ..core.errors import Unauthorized
from ..core.security import TokenType, create_token, decode_token
from ..models.users import User
from ..schemas.auth import TokenPair
from ..schemas.common import parse_id


def issue_pair(session: Session, user: User, settings: Settings) -> TokenPair:
    """Return a new access and refresh token for ``user``."""
    subject = str(user.id)
    return TokenPair(
        access_token=create_token(subject, TokenType.ACCESS, settings),
        refresh_token=create_token(subject, TokenType.REFRESH, settings),
    )


def rotate(session: Session, refresh_token: str, settings: Settings) -> TokenPair:
    """Exchange a valid refresh token of an active user for a new pair."""
    claims = decode_token(refresh_token, TokenType.REFRESH, settings)
    return issue_pair(session, user_for_claims(session, claims), settings)


def user_for_claims(session: Session, claims: dict[str, Any]) -> User:
    """Return the active user a token names, or raise ``Unauthorized``."""
    subject = claims.get("sub")
    # A subject out of the ids' range (2**80, "-1") names no one: 401, not an overflow.
    user_id = parse_id(subject) if isinstance(subject, str) else None
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not user.is_active:
        raise Unauthorized("Invalid or expired token")
    return user
