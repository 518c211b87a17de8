"""Password resets: a single-use token, valid for a short time, sent through the outbox.

Asking always answers the same, so it tells nobody whether an email has an account.
Only the newest token of a user works; setting the password ends every session.
"""

from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from ..core.config import Settings
from ..core.crypto import digest, new_token
from ..core.errors import ValidationFailed
from ..core.security import hash_password
from ..db import utcnow
from ..models.password_resets import PasswordResetToken
from ..models.users import User
from ..schemas.auth import PasswordResetConfirm
from . import outbox, tokens, users

ACCEPTED = "If the email has an account, a reset token is on its way"
SUBJECT = "Reset your password"
BODY = """Someone asked to reset the password of your account.

Reset token: {token}

It works once, within {minutes} minutes: POST /auth/password-reset/confirm with
{{"token": "<the token>", "new_password": "<your new password>"}}.
If you did not ask for it, ignore this message; your password stays as it is.
"""


def _digest(token: str, settings: Settings) -> str:
    return digest(token, settings, purpose="password-reset")


def request_reset(session: Session, email: str, settings: Settings) -> str:
    """Send a reset token to an active account; return the one answer for every email."""
    user = users.get_by_email(session, email)
    if user is None or not user.is_active:
        return ACCEPTED
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
    outbox.enqueue(
        session,
        recipient=user.email,
        subject=SUBJECT,
        body=BODY.format(token=token, minutes=minutes),
    )
    session.commit()
    return ACCEPTED


def confirm_reset(session: Session, data: PasswordResetConfirm, settings: Settings) -> None:
    """Set the new password if the token is valid, once; end every session."""
    invalid = ValidationFailed([{"field": "token", "message": "Invalid or expired reset token"}])
    now = utcnow()
    stored = session.scalar(
        select(PasswordResetToken).where(
            PasswordResetToken.token_hash == _digest(data.token, settings)
        )
    )
    if stored is None or stored.used_at is not None or stored.expires_at <= now:
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
    user = session.get(User, stored.user_id)
    if spent.rowcount != 1 or user is None or not user.is_active:
        session.rollback()
        raise invalid
    user.password_hash = hash_password(data.new_password, settings)
    tokens.revoke_all(session, user.id)
    session.commit()
