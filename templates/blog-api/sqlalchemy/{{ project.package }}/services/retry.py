"""Retry a write that lost a race, and answer 409 if it keeps losing.

Unique constraints (a post's slug, a tag's name) decide who wins when two requests
write the same value at once; the loser rolls back and tries again with fresh reads.
"""

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from ..core.errors import Conflict

T = TypeVar("T")

ATTEMPTS = 10
# Serialization failure and deadlock (PostgreSQL); lock wait timeout and deadlock (MySQL).
_RETRY_SQLSTATES = frozenset({"40001", "40P01"})
_RETRY_MYSQL_CODES = frozenset({1205, 1213})


def lost_a_race(error: DBAPIError) -> bool:
    """Whether ``error`` means another transaction got there first."""
    if isinstance(error, IntegrityError):
        return True
    original = error.orig
    if getattr(original, "sqlstate", None) in _RETRY_SQLSTATES:
        return True
    args = getattr(original, "args", ())
    if args and args[0] in _RETRY_MYSQL_CODES:
        return True
    return "database is locked" in str(original)


def commit_with_retry(session: Session, write: Callable[[], T], *, conflict: str) -> T:
    """Run ``write`` (which reads and changes objects) and commit, retrying lost races.

    ``write`` runs again from scratch after a rollback, so it must read what it needs.
    """
    for _ in range(ATTEMPTS):
        result = write()
        try:
            session.commit()
        except (IntegrityError, OperationalError) as error:
            session.rollback()
            if not lost_a_race(error):
                raise
            continue
        return result
    raise Conflict(conflict)
