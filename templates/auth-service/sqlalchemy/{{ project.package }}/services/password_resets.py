"""Password resets: tokens stored as digests, sent through the outbox (core/reset_tokens.py)."""

from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from ..core import reset_tokens
from ..core.config import Settings
from ..core.crypto import new_token
from ..core.security import hash_password
from ..db import utcnow
from ..models.password_resets import PasswordResetToken
from ..schemas.auth import PasswordResetConfirm
from . import outbox, tokens, users


def _digest(token: str, settings: Settings) -> str:
    return reset_tokens.token_digest(token, settings.secret_key)


def request_reset(session: Session, email: str, settings: Settings) -> str:
    """Send a reset token to an active account; return the one answer for every email."""
    found = users.get_by_email(session, email)
    # The user's row first, as every change to the user's reset tokens takes it.
    user = tokens.lock_user(session, found.id, shared=True) if found is not None else None
    if user is None or not user.is_active:
        session.rollback()
        return reset_tokens.ACCEPTED
    now = utcnow()
    # Only the newest token works: earlier unused ones are spent.
    session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
    )
    token = new_token()
    minutes = settings.password_reset_expire_minutes
    session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=_digest(token, settings),
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    outbox.enqueue(session, recipient=user.email, **reset_tokens.message(token, minutes))
    session.commit()
    return reset_tokens.ACCEPTED


def confirm_reset(session: Session, data: PasswordResetConfirm, settings: Settings) -> None:
    """Set the new password if the token is valid, once; end every session.

    Ending every session also voids the user's other unused reset tokens.
    """
    invalid = reset_tokens.invalid_token()
    now = utcnow()
    stored = session.scalar(
        select(PasswordResetToken).where(
            PasswordResetToken.token_hash == _digest(data.token, settings)
        )
    )
    if stored is None or stored.used_at is not None or stored.expires_at <= now:
        raise invalid
    # Hashed before any lock is taken: argon2 takes its time.
    password_hash = hash_password(data.new_password, settings)
    # The user's row first, as every change to the user's sessions takes it.
    user = tokens.lock_user(session, stored.user_id)
    if user is None or not user.is_active:
        session.rollback()
        raise invalid
    # Of two concurrent uses of one token, only one can spend it.
    spent = cast(
        CursorResult[Any],
        session.execute(
            update(PasswordResetToken)
            .where(PasswordResetToken.id == stored.id, PasswordResetToken.used_at.is_(None))
            .values(used_at=now)
        ),
    )
    if spent.rowcount != 1:
        session.rollback()
        raise invalid
    user.password_hash = password_hash
    tokens.end_sessions(session, user)
    session.commit()
