"""Token pairs: a short-lived access token and a longer-lived refresh token, both JWTs.

Here refresh tokens are stateless: valid until they expire, checked against the
user's current status on every use. Every token carries the user's token epoch; ending
every session (disabling the account) moves the epoch on, so the tokens issued before
stop working for good, also once the account is enabled again. A service that must
revoke single sessions swaps this module for one that stores refresh tokens and
rotates them.
"""

from typing import Any

from sqlalchemy.orm import Session

from ..core.config import Settings
from ..core.errors import Unauthorized
from ..core.security import EPOCH_CLAIM, TokenType, create_token, decode_token, in_epoch
from ..models.users import User
from ..schemas.auth import TokenPair
from ..schemas.common import parse_id


def issue_pair(session: Session, user: User, settings: Settings) -> TokenPair:
    """Return a new access and refresh token for ``user``, in its current epoch."""
    subject, claims = str(user.id), {EPOCH_CLAIM: user.token_epoch}
    return TokenPair(
        access_token=create_token(subject, TokenType.ACCESS, settings, claims=claims),
        refresh_token=create_token(subject, TokenType.REFRESH, settings, claims=claims),
    )


def rotate(session: Session, refresh_token: str, settings: Settings) -> TokenPair:
    """Exchange a valid refresh token of an active user for a new pair.

    The new pair is of the epoch the old token was checked against: when sessions end
    meanwhile, it is born dead.
    """
    claims = decode_token(refresh_token, TokenType.REFRESH, settings)
    return issue_pair(session, user_for_claims(session, claims), settings)


def user_for_claims(session: Session, claims: dict[str, Any]) -> User:
    """Return the active user a token names, if it is of their epoch, or raise ``Unauthorized``."""
    subject = claims.get("sub")
    # A subject out of the ids' range (2**80, "-1") names no one: 401, not an overflow.
    user_id = parse_id(subject) if isinstance(subject, str) else None
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not user.is_active or not in_epoch(claims, user.token_epoch):
        raise Unauthorized("Invalid or expired token")
    return user


def end_sessions(session: Session, user: User) -> None:
    """End every session of ``user`` for good; the caller commits (with what caused it).

    One atomic ``UPDATE``: a token issued in the old epoch, even by a rotation racing
    this one, never works again.
    """
    user.token_epoch = User.token_epoch + 1
