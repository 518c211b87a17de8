"""The mail job (feature "queue"): enqueued after the commit, run by the worker.

``enqueue`` (after the commit of an outbox message, apps.py) enqueues one job per
message; the worker (``python -m <package>.worker``) sends them (``core/mail_jobs.py``)
and its sweeper enqueues again the pending messages that are overdue: enqueued while
Redis was down, held by a worker that died, or retries the queue no longer holds. A
duplicate job finds its message claimed or sent and does nothing.
"""

from datetime import datetime, timedelta
from functools import cache
from typing import Any

import dramatiq
from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

from ..core.mail import Outgoing
from ..core.mail_jobs import (
    PENDING,
    Attempt,
    Claimed,
    MailConfig,
    declare_mail_job,
    mail_config,
    send_one,
)
from ..core.queue import JobQueue
from ..outbox.models import OutboxMessage

#: The most messages one sweep enqueues (the next sweep takes the rest).
SWEEP_LIMIT = 1000


def config() -> MailConfig:
    """The mail part of the settings."""
    return mail_config(
        settings.SMTP_URL,
        settings.MAIL_FROM,
        settings.MAIL_MAX_ATTEMPTS,
        settings.MAIL_BACKOFF_SECONDS,
        settings.MAIL_TIMEOUT_SECONDS,
    )


class MailJobs:
    """The mail job on the queue of ``url`` and ``prefix``."""

    def __init__(self, url: str, prefix: str):
        self.queue = JobQueue(url, prefix)
        self.config = config()
        self.send: dramatiq.Actor[Any, Any] = declare_mail_job(self.queue, run, self.config)
        self._swept = False

    def enqueue(self, message_ids: list[int]) -> int:
        """Enqueue a job per message; how many were (none while Redis is away)."""
        return sum(self.queue.enqueue(self.send, message_id) for message_id in message_ids)

    def sweep(self) -> int:
        """Enqueue the pending messages the queue may have lost; how many were.

        Nothing while ``SMTP_URL`` is empty (the messages stay in the outbox). The first
        sweep of a worker takes every due message; the next ones those overdue by a
        sweep interval (a message due just now is most likely in the queue).
        """
        if self.config.server is None:
            return 0
        grace = settings.QUEUE_SWEEP_SECONDS if self._swept else 0.0
        self._swept = True
        overdue = timezone.now() - timedelta(seconds=grace)
        ids = OutboxMessage.objects.filter(status=PENDING, next_attempt_at__lte=overdue).order_by(
            "next_attempt_at", "pk"
        )
        return self.enqueue(list(ids.values_list("pk", flat=True)[:SWEEP_LIMIT]))


@cache
def _jobs_for(url: str, prefix: str) -> MailJobs:
    return MailJobs(url, prefix)


def jobs() -> MailJobs:
    """This process's jobs, on the queue the settings name."""
    return _jobs_for(settings.REDIS_URL, settings.QUEUE_PREFIX)


def enqueue(message_ids: list[int]) -> int:
    """Enqueue messages that were just committed; never raises."""
    return jobs().enqueue(message_ids)


def claim_one(message_id: int, now: datetime, token: str, hold: timedelta) -> Claimed | None:
    """Claim one message for ``token`` if it is pending, due and not held; else None."""
    with transaction.atomic():
        taken = OutboxMessage.objects.filter(
            pk=message_id,
            status=PENDING,
            # A live claim keeps next_attempt_at in the future.
            next_attempt_at__lte=now,
        ).update(claim_token=token, next_attempt_at=now + hold)
    if taken != 1:
        return None
    row = OutboxMessage.objects.filter(pk=message_id, claim_token=token).first()
    if row is None:
        return None
    outgoing = Outgoing(row.pk, row.recipient, row.subject, row.body, row.created_at)
    return Claimed(outgoing, row.attempts)


def record_attempt(message_id: int, token: str, attempt: Attempt) -> bool:
    """Record an attempt if ``token`` still holds the message; False if the claim was lost."""
    with transaction.atomic():
        changed = OutboxMessage.objects.filter(pk=message_id, claim_token=token).update(
            status=attempt.status,
            attempts=attempt.attempts,
            next_attempt_at=attempt.next_attempt_at,
            claim_token=None,
            sent_at=attempt.sent_at,
            last_error=attempt.last_error,
        )
    return changed == 1


def run(message_id: int) -> None:
    """The job: send outbox message ``message_id`` if it is due and free."""
    # A job is to its thread what a request is to a server's: connections that broke
    # or outlived CONN_MAX_AGE are dropped before and after.
    close_old_connections()
    try:
        send_one(
            message_id, jobs().config, claim=claim_one, record=record_attempt, clock=timezone.now
        )
    finally:
        close_old_connections()
