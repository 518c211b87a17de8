"""Token pairs: a short-lived access token and a longer-lived refresh token, both JWTs.

Here refresh tokens are stateless: valid until they expire, checked against the
user's current status on every use. A service that must revoke sessions swaps this
module for one that stores refresh tokens and rotates them (same three functions).
"""

from typing import Any

from ..core.errors import Unauthorized
from ..core.security import REJECTED, TokenType, create_token, decode_token
from ..core.serializers import is_valid_id
from .models import User


def issue_pair(user: User) -> dict[str, str]:
    """Return a new access and refresh token for ``user``."""
    subject = str(user.pk)
    return {
        "access_token": create_token(subject, TokenType.ACCESS),
        "refresh_token": create_token(subject, TokenType.REFRESH),
        "token_type": "bearer",
    }


def rotate(refresh_token: str) -> dict[str, str]:
    """Exchange a valid refresh token of an active user for a new pair."""
    claims = decode_token(refresh_token, TokenType.REFRESH)
    return issue_pair(user_for_claims(claims))


def user_for_claims(claims: dict[str, Any]) -> User:
    """Return the active user a token names, or raise ``Unauthorized``."""
    subject = claims.get("sub")
    user = None
    if isinstance(subject, str) and subject.isascii() and is_valid_id(subject):
        user = User.objects.filter(pk=int(subject), is_active=True).first()
    if user is None:
        raise Unauthorized(REJECTED)
    return user
