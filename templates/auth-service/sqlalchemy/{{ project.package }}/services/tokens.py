"""Token pairs: a short-lived access token, and a refresh token stored and rotated.

Each login starts a session: a family of refresh tokens sharing one id, which every
token of the session carries as its ``sid`` claim. A refresh token works once, and is
stored only as a keyed digest. Using it again means it was copied: the whole family
is revoked, so the thief's and the owner's newest tokens both stop working. An access
token is accepted only while its session is alive, so a logout, a password change or
a detected reuse ends it at once, not when it expires.

Ending a session and rotating its refresh token may run at the same instant; neither
order may leave a working token behind:

- Every token carries the user's token epoch (the ``epoch`` claim). Ending every
  session (log out everywhere, a password change or reset, disabling the account)
  updates the user's row first, moving the epoch on; a rotation locks that row
  (shared) before it claims the old token. So the two serialize on the user's row, and
  a token of the old epoch never works again. Every transaction that changes a user's
  sessions or reset tokens takes the user's row first, so they cannot deadlock.
- A session is over once any of its tokens is revoked. Of a logout of one session and
  a rotation, the conditional ``UPDATE`` of the presented token decides: either the
  rotation marks it used first, and the logout then revokes it (so the new token
  belongs to an ended session), or the logout revokes it first, and the rotation finds
  it taken.
"""

import uuid
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, func, select, update
from sqlalchemy.orm import Session

from ..core.config import Settings
from ..core.crypto import digest
from ..core.errors import Unauthorized
from ..core.security import EPOCH_CLAIM, TokenType, create_token, decode_token, in_epoch
from ..db import utcnow
from ..models.password_resets import PasswordResetToken
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
    """Return a new access and refresh token for ``user``, in a new session by default.

    The access token also tells the services that accept it who the user is now: the
    ``email`` and ``roles`` claims (core/security.py adds ``iss`` and ``aud``).
    """
    family_id = family_id or uuid.uuid4().hex
    subject, claims = str(user.id), {"sid": family_id, EPOCH_CLAIM: user.token_epoch}
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
        access_token=create_token(
            subject,
            TokenType.ACCESS,
            settings,
            claims={**claims, "email": user.email, "roles": [str(user.role)]},
        ),
        refresh_token=refresh_token,
    )


def rotate(session: Session, refresh_token: str, settings: Settings) -> TokenPair:
    """Exchange a refresh token, once, for a new pair of the same session."""
    claims = decode_token(refresh_token, TokenType.REFRESH, settings)
    stored = session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == _digest(refresh_token, settings))
    )
    if stored is None:
        raise Unauthorized(REFUSED)
    now = utcnow()
    if stored.used_at is not None or stored.revoked_at is not None:
        _revoke(session, RefreshToken.family_id == stored.family_id, now)
        raise Unauthorized(REFUSED)
    user = lock_user(session, stored.user_id, shared=True)
    if (
        stored.expires_at <= now
        or user is None
        or not user.is_active
        or not in_epoch(claims, user.token_epoch)
        or not _session_alive(session, stored.family_id, user.id)
    ):
        session.rollback()
        raise Unauthorized(REFUSED)
    # Only one of two concurrent uses can mark the token used; the other is a reuse.
    # The new token is added in the same transaction.
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


def lock_user(session: Session, user_id: int, *, shared: bool = False) -> User | None:
    """Read the user's row and lock it until the commit (SQLite serializes writes anyway).

    A transaction that changes the user's sessions or reset tokens takes this lock, or
    updates the row, before it touches them.
    """
    return session.get(User, user_id, with_for_update={"read": shared}, populate_existing=True)


def user_for_claims(session: Session, claims: dict[str, Any]) -> User:
    """Return the active user of an access token whose session is alive, or raise."""
    subject, family_id = claims.get("sub"), claims.get("sid")
    # A subject out of the ids' range (2**80, "-1") names no one: 401, not an overflow.
    user_id = parse_id(subject) if isinstance(subject, str) else None
    user = session.get(User, user_id) if user_id is not None else None
    if (
        user is None
        or not user.is_active
        or not in_epoch(claims, user.token_epoch)
        or not isinstance(family_id, str)
        or not _session_alive(session, family_id, user.id)
    ):
        raise Unauthorized(REFUSED)
    return user


def _session_alive(session: Session, family_id: str, user_id: int) -> bool:
    """Whether the session has tokens of the user and none of them is revoked."""
    tokens, revoked = session.execute(
        select(func.count(RefreshToken.id), func.count(RefreshToken.revoked_at)).where(
            RefreshToken.family_id == family_id, RefreshToken.user_id == user_id
        )
    ).one()
    return tokens > 0 and revoked == 0


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


def end_sessions(session: Session, user: User) -> None:
    """End every session of ``user`` for good, and void their unused reset tokens.

    Whoever ends every session suspects that someone else got in, and a reset token
    is another way in. The caller commits (with what caused it).
    """
    now = utcnow()
    user.token_epoch = User.token_epoch + 1
    # The user's row first (see the module's docstring): flushed before the tokens.
    session.flush()
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
    )


def _revoke(session: Session, which: ColumnElement[bool], now: datetime) -> None:
    session.execute(
        update(RefreshToken).where(which, RefreshToken.revoked_at.is_(None)).values(revoked_at=now)
    )
    session.commit()
