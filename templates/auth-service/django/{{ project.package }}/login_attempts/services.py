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

from django.conf import settings
from django.utils import timezone

from ..accounts.models import normalize_email
from ..core.errors import AppError
from .models import LoginAttempt


class TooManyAttempts(AppError):
    """Too many failures for this email lately; ``Retry-After`` says when to try again."""

    status_code = 429
    detail = "Too many failed attempts; try again later"

    def __init__(self, retry_after: int):
        super().__init__(headers={"Retry-After": str(retry_after)})


def begin(email: str) -> int:
    """Record an attempt for ``email`` and return its id, or raise ``TooManyAttempts``.

    The record counts as a failure unless ``discard`` is called with the id.
    """
    email = normalize_email(email)
    now = timezone.now()
    window = settings.LOGIN_WINDOW
    LoginAttempt.objects.filter(email=email, created_at__lt=now - window).delete()
    attempt = LoginAttempt.objects.create(email=email, created_at=now)
    earlier = list(
        LoginAttempt.objects.filter(email=email, created_at__gte=now - window)
        .exclude(pk=attempt.pk)
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)[: settings.LOGIN_MAX_FAILURES]
    )
    if len(earlier) >= settings.LOGIN_MAX_FAILURES:
        # A refused attempt is no guess, so it does not prolong the lockout.
        discard(attempt.pk)
        # Free again once the oldest of the latest failures leaves the window.
        free_at = earlier[-1] + window
        raise TooManyAttempts(max(1, math.ceil((free_at - now).total_seconds())))
    return attempt.pk


def discard(attempt_id: int) -> None:
    """Forget an attempt that was no failure (a success, or a question that was no guess)."""
    LoginAttempt.objects.filter(pk=attempt_id).delete()
