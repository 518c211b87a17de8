"""Failed-login records by normalized email; the rule is core/login_throttle.py."""

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from ..accounts.models import normalize_email
from ..core.login_throttle import TooManyAttempts, retry_after
from .models import LoginAttempt


def begin(email: str) -> int:
    """Record an attempt for ``email`` and return its id, or raise ``TooManyAttempts``.

    The record counts as a failure unless ``discard`` is called with the id.
    """
    email = normalize_email(email)
    now = timezone.now()
    window = settings.LOGIN_WINDOW
    forget_stale(email, before=now - window)
    attempt = LoginAttempt.objects.create(email=email, created_at=now)
    earlier = list(
        LoginAttempt.objects.filter(email=email, created_at__gte=now - window)
        .exclude(pk=attempt.pk)
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)[: settings.LOGIN_MAX_FAILURES]
    )
    wait = retry_after(earlier, now=now, window=window, max_failures=settings.LOGIN_MAX_FAILURES)
    if wait is not None:
        # A refused attempt is no guess, so it does not prolong the lockout.
        discard(attempt.pk)
        raise TooManyAttempts(wait)
    return attempt.pk


def discard(attempt_id: int) -> None:
    """Forget an attempt that was no failure (a success, or a question that was no guess)."""
    LoginAttempt.objects.filter(pk=attempt_id).delete()


def forget_stale(email: str, before: datetime) -> None:
    """Delete the attempts for ``email`` older than ``before``.

    By primary key, after a plain read: a ranged DELETE on (email, created_at) locks the
    index entry before the row, ``discard`` the row before the entry, and the two
    deadlock on MySQL when a burst of logins for one email meets.
    """
    stale = list(
        LoginAttempt.objects.filter(email=email, created_at__lt=before).values_list("pk", flat=True)
    )
    if stale:
        LoginAttempt.objects.filter(pk__in=stale).delete()
