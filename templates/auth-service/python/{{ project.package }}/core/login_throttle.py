"""Failed-login throttling by normalized email: too many failures answer 429.

An attempt is recorded before the password is checked, so concurrent guesses count
against each other (a burst of parallel requests cannot slip past the limit), and it
is discarded when it turns out to be no failure. Unknown emails are recorded and
throttled like known ones, so a 429 says nothing about whether an account exists.

A success deletes only its own record: failures age out of the window and nothing
else lifts a lockout, so there is nothing an attacker could do to reset the count.
During a lockout the password is not even checked (no hashing work to force on us).

This module holds the rule; the login_attempts service keeps the records.
"""

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

from .errors import AppError


class TooManyAttempts(AppError):
    """Too many failures for this email lately; ``Retry-After`` says when to try again."""

    status_code = 429
    detail = "Too many failed attempts; try again later"

    def __init__(self, retry_after: int):
        super().__init__(headers={"Retry-After": str(retry_after)})


def retry_after(
    earlier: Sequence[datetime], *, now: datetime, window: timedelta, max_failures: int
) -> int | None:
    """Seconds until the email may try again, or None if this attempt may go on.

    ``earlier`` holds the times of the other attempts within the window, newest first
    (the newest ``max_failures`` are enough).
    """
    if len(earlier) < max_failures:
        return None
    # Free again once the oldest of the latest failures leaves the window.
    free_at = earlier[max_failures - 1] + window
    return max(1, math.ceil((free_at - now).total_seconds()))
