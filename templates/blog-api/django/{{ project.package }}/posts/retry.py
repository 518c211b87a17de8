"""Retry a write that lost a race, and answer 409 if it keeps losing.

Unique constraints (a post's slug, a tag's name) decide who wins when two requests
write the same value at once; the loser's transaction rolls back and it tries again
with fresh reads.
"""

from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, OperationalError, transaction

from ..core.errors import Conflict

T = TypeVar("T")

ATTEMPTS = 10
# Serialization failure and deadlock (PostgreSQL); lock wait timeout and deadlock (MySQL).
_RETRY_SQLSTATES = frozenset({"40001", "40P01"})
_RETRY_MYSQL_CODES = frozenset({1205, 1213})


def lost_a_race(error: OperationalError) -> bool:
    """Whether ``error`` means another transaction got there first."""
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in _RETRY_SQLSTATES:
        return True
    args = getattr(cause, "args", None) or error.args
    if args and args[0] in _RETRY_MYSQL_CODES:
        return True
    return "database is locked" in str(error)


def atomic_with_retry(write: Callable[[], T], *, conflict: str) -> T:
    """Run ``write`` in a transaction, again from scratch when it loses a race.

    ``write`` must read what it needs itself: a retry sees what the winner committed.
    """
    for _ in range(ATTEMPTS):
        try:
            with transaction.atomic():
                return write()
        except IntegrityError:
            continue
        except OperationalError as error:
            if not lost_a_race(error):
                raise
    raise Conflict(conflict)
