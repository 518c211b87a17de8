"""Token pairs: a short-lived access token and a longer-lived refresh token, both JWTs.

Here refresh tokens are stateless: valid until they expire, checked against the
user's current status on every use. Every token carries the user's token epoch; ending
every session (disabling the account) moves the epoch on, so the tokens issued before
stop working for good, also once the account is enabled again. A service that must
revoke single sessions swaps this module for one that stores refresh tokens and
rotates them (same four functions).
"""

from typing import Any

from django.db.models import F, QuerySet

from ..core import statements
from ..core.errors import Unauthorized
from ..core.security import (
    EPOCH_CLAIM,
    REJECTED,
    TokenType,
    create_token,
    decode_token,
    in_epoch,
)
from ..core.serializers import is_valid_id
from .models import User


def issue_pair(user: User) -> dict[str, str]:
    """Return a new access and refresh token for ``user``, in its current epoch."""
    subject, claims = str(user.pk), {EPOCH_CLAIM: user.token_epoch}
    return {
        "access_token": create_token(subject, TokenType.ACCESS, claims=claims),
        "refresh_token": create_token(subject, TokenType.REFRESH, claims=claims),
        "token_type": "bearer",
    }


def rotate(refresh_token: str) -> dict[str, str]:
    """Exchange a valid refresh token of an active user for a new pair.

    The new pair is of the epoch the old token was checked against: when sessions end
    meanwhile, it is born dead.
    """
    claims = decode_token(refresh_token, TokenType.REFRESH)
    return issue_pair(user_for_claims(claims))


def user_for_claims(claims: dict[str, Any]) -> User:
    """Return the active user a token names, if it is of their epoch, or raise ``Unauthorized``."""
    subject = claims.get("sub")
    user: User | None = None
    if isinstance(subject, str) and subject.isascii() and is_valid_id(subject):
        found = statements.fetch("active user", _active_user, [int(subject)], limit=1)
        user = found[0] if found else None
    if user is None or not in_epoch(claims, user.token_epoch):
        raise Unauthorized(REJECTED)
    return user


def _active_user(pk: int) -> QuerySet[User]:
    return User.objects.filter(pk=pk, is_active=True)


def end_sessions(user: User) -> None:
    """End every session of ``user`` for good (call it in the transaction that causes it).

    One atomic ``UPDATE``: a token issued in the old epoch, even by a rotation racing
    this one, never works again.
    """
    User.objects.filter(pk=user.pk).update(token_epoch=F("token_epoch") + 1)
