"""Token pairs: a short-lived access token, and a refresh token stored and rotated.

Each login starts a session: a family of refresh tokens sharing one id, which every
token of the session carries as its ``sid`` claim. A refresh token works once, and is
stored only as a keyed digest. Using it again means it was copied: the whole family
is revoked, so the thief's and the owner's newest tokens both stop working. An access
token is accepted only while its session is alive, so a logout, a password change or
a detected reuse ends it at once, not when it expires.
"""

import uuid
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, select, update
from sqlalchemy.orm import Session

from ..core.config import Settings
from ..core.crypto import digest
from ..core.errors import Unauthorized
from ..core.security import TokenType, create_token, decode_token
from ..db import utcnow
from ..models.refresh_tokens import RefreshToken
from ..models.users import User
from ..schemas.auth import TokenPair
from ..schemas.common import parse_id

# The one answer for every refused token, whatever the reason.
REFUSED = "Invalid or expired token"


def _digest(token: str, settings: Settings) -> str:
    return digest(token, settings.secret_key, purpose="refresh-token")


def issue_pair(
    session: Session, user: User, settings: Settings, *, family_id: str | None = None
) -> TokenPair:
    """Return a new access and refresh token for ``user``, in a new session by default."""
    family_id = family_id or uuid.uuid4().hex
    subject, claims = str(user.id), {"sid": family_id}
    refresh_token = create_token(subject, TokenType.REFRESH, settings, claims=claims)
    session.add(
        RefreshToken(
            user_id=user.id,
            family_id=family_id,
            token_hash=_digest(refresh_token, settings),
            expires_at=utcnow() + timedelta(minutes=settings.refresh_token_expire_minutes),
        )
    )
    session.commit()
    return TokenPair(
        access_token=create_token(subject, TokenType.ACCESS, settings, claims=claims),
        refresh_token=refresh_token,
    )


def rotate(session: Session, refresh_token: str, settings: Settings) -> TokenPair:
    """Exchange a refresh token, once, for a new pair of the same session."""
    decode_token(refresh_token, TokenType.REFRESH, settings)
    stored = session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == _digest(refresh_token, settings))
    )
    if stored is None:
        raise Unauthorized(REFUSED)
    now = utcnow()
    if stored.used_at is not None or stored.revoked_at is not None:
        _revoke(session, RefreshToken.family_id == stored.family_id, now)
        raise Unauthorized(REFUSED)
    user = session.get(User, stored.user_id)
    if stored.expires_at <= now or user is None or not user.is_active:
        raise Unauthorized(REFUSED)
    # Only one of two concurrent uses can mark the token used; the other is a reuse.
    claimed = cast(
        CursorResult[Any],
        session.execute(
            update(RefreshToken)
            .where(
                RefreshToken.id == stored.id,
                RefreshToken.used_at.is_(None),
                RefreshToken.revoked_at.is_(None),
            )
            .values(used_at=now)
        ),
    )
    if claimed.rowcount != 1:
        session.rollback()
        _revoke(session, RefreshToken.family_id == stored.family_id, now)
        raise Unauthorized(REFUSED)
    return issue_pair(session, user, settings, family_id=stored.family_id)


def user_for_claims(session: Session, claims: dict[str, Any]) -> User:
    """Return the active user of an access token whose session is alive, or raise."""
    subject, family_id = claims.get("sub"), claims.get("sid")
    # A subject out of the ids' range (2**80, "-1") names no one: 401, not an overflow.
    user_id = parse_id(subject) if isinstance(subject, str) else None
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not user.is_active or not isinstance(family_id, str):
        raise Unauthorized(REFUSED)
    alive = session.scalar(
        select(RefreshToken.id)
        .where(
            RefreshToken.family_id == family_id,
            RefreshToken.user_id == user.id,
            RefreshToken.revoked_at.is_(None),
        )
        .limit(1)
    )
    if alive is None:
        raise Unauthorized(REFUSED)
    return user


def revoke_session(session: Session, user: User, refresh_token: str, settings: Settings) -> None:
    """End the session of one of ``user``'s refresh tokens (unknown tokens change nothing)."""
    family_id = session.scalar(
        select(RefreshToken.family_id).where(
            RefreshToken.token_hash == _digest(refresh_token, settings),
            RefreshToken.user_id == user.id,
        )
    )
    if family_id is not None:
        _revoke(session, RefreshToken.family_id == family_id, utcnow())


def revoke_all(session: Session, user_id: int) -> None:
    """End every session of a user; the caller commits (with what caused it)."""
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def _revoke(session: Session, which: ColumnElement[bool], now: datetime) -> None:
    session.execute(
        update(RefreshToken).where(which, RefreshToken.revoked_at.is_(None)).values(revoked_at=now)
    )
    session.commit()
