"""Failed-login throttling by normalized email: too many failures answer 429.

An attempt is recorded before the password is checked, so concurrent guesses count
against each other (a burst of parallel requests cannot slip past the limit), and it
is discarded when it turns out to be no failure. Unknown emails are recorded and
throttled like known ones, so a 429 says nothing about whether an account exists.

A success deletes only its own record: failures age out of the window and nothing
else lifts a lockout, so there is nothing an attacker could do to reset the count.
During a lockout the password is not even checked (no hashing work to force on us).
"""

import math
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..core.config import Settings
from ..core.errors import AppError
from ..db import utcnow
from ..models.login_attempts import LoginAttempt
from .users import normalize_email


class TooManyAttempts(AppError):
    """Too many failures for this email lately; ``Retry-After`` says when to try again."""

    status_code = 429
    detail = "Too many failed attempts; try again later"

    def __init__(self, retry_after: int):
        super().__init__(headers={"Retry-After": str(retry_after)})


def begin(session: Session, email: str, settings: Settings) -> int:
    """Record an attempt for ``email`` and return its id, or raise ``TooManyAttempts``.

    The record counts as a failure unless ``discard`` is called with the id.
    """
    email = normalize_email(email)
    now = utcnow()
    window = timedelta(minutes=settings.login_window_minutes)
    session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.email == email, LoginAttempt.created_at < now - window
        )
    )
    attempt = LoginAttempt(email=email, created_at=now)
    session.add(attempt)
    session.commit()
    earlier = session.scalars(
        select(LoginAttempt.created_at)
        .where(
            LoginAttempt.email == email,
            LoginAttempt.created_at >= now - window,
            LoginAttempt.id != attempt.id,
        )
        .order_by(LoginAttempt.created_at.desc())
        .limit(settings.login_max_failures)
    ).all()
    if len(earlier) >= settings.login_max_failures:
        # A refused attempt is no guess, so it does not prolong the lockout.
        discard(session, attempt.id)
        # Free again once the oldest of the latest failures leaves the window.
        free_at = earlier[-1] + window
        raise TooManyAttempts(max(1, math.ceil((free_at - now).total_seconds())))
    return attempt.id


def discard(session: Session, attempt_id: int) -> None:
    """Forget an attempt that was no failure (a success, or a question that was no guess)."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt_id))
    session.commit()
