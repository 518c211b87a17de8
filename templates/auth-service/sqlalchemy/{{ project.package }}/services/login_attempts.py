"""Failed-login records by normalized email; the rule is core/login_throttle.py."""

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..core.config import Settings
from ..core.login_throttle import TooManyAttempts, retry_after
from ..db import utcnow
from ..models.login_attempts import LoginAttempt
from .users import normalize_email


def begin(session: Session, email: str, settings: Settings) -> int:
    """Record an attempt for ``email`` and return its id, or raise ``TooManyAttempts``.

    The record counts as a failure unless ``discard`` is called with the id.
    """
    email = normalize_email(email)
    now = utcnow()
    window = timedelta(minutes=settings.login_window_minutes)
    forget_stale(session, email, before=now - window)
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
    wait = retry_after(earlier, now=now, window=window, max_failures=settings.login_max_failures)
    if wait is not None:
        # A refused attempt is no guess, so it does not prolong the lockout.
        discard(session, attempt.id)
        raise TooManyAttempts(wait)
    return attempt.id


def discard(session: Session, attempt_id: int) -> None:
    """Forget an attempt that was no failure (a success, or a question that was no guess)."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt_id))
    session.commit()


def forget_stale(session: Session, email: str, before: datetime) -> None:
    """Delete the attempts for ``email`` older than ``before`` (committed by the caller).

    By primary key, after a plain read: a ranged DELETE on (email, created_at) locks the
    index entry before the row, ``discard`` the row before the entry, and the two
    deadlock on MySQL when a burst of logins for one email meets.
    """
    stale = session.scalars(
        select(LoginAttempt.id).where(LoginAttempt.email == email, LoginAttempt.created_at < before)
    ).all()
    if stale:
        session.execute(delete(LoginAttempt).where(LoginAttempt.id.in_(stale)))
