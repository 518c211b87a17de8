"""Outbox mail through the job queue (feature "queue"), without the database.

A job carries one outbox message id. It claims that message (only while it is
pending, due, and held by no live lease: the lease lasts twice the SMTP timeout and a
margin), sends it with ``core/mail.py``, and records the attempt. A failed attempt
that leaves the message pending raises :class:`dramatiq.Retry` with the wait until its
``next_attempt_at`` (``MAIL_BACKOFF_SECONDS``, doubling), so the queue and the database
agree on when it is due; the last one (``MAIL_MAX_ATTEMPTS``) marks it failed and
raises :class:`GaveUp`, which Dramatiq does not retry: the job goes to the dead-letter
queue. A job that finds its message sent, failed, held or not due yet (a duplicate,
or one the sweeper enqueued again) does nothing, so a message is sent once per id
unless a worker dies between the server's answer and the record (then it is sent again,
with the same Message-ID).
"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import dramatiq

from .mail import MailError, Outgoing, SmtpServer, build_message, parse_smtp_url, send
from .queue import JobQueue, declare_outbox_job, retry_or_give_up

logger = logging.getLogger(__name__)

#: The name of the job in the queue's messages.
ACTOR_NAME = "send_mail"
#: The states of an outbox message.
PENDING, SENT, FAILED = "pending", "sent", "failed"
#: A claim lasts twice the SMTP timeout (connect, then the exchange) and this margin.
LEASE_MARGIN_SECONDS = 10.0


@dataclass(frozen=True)
class MailConfig:
    """The worker's mail settings (``SMTP_URL`` parsed; None: mail is not sent)."""

    server: SmtpServer | None
    sender: str
    max_attempts: int
    backoff_seconds: float
    timeout_seconds: float


def mail_config(
    smtp_url: str, sender: str, max_attempts: int, backoff_seconds: float, timeout_seconds: float
) -> MailConfig:
    """The config of the settings (raises ValueError on a bad ``SMTP_URL``)."""
    return MailConfig(
        parse_smtp_url(smtp_url), sender, max_attempts, backoff_seconds, timeout_seconds
    )


@dataclass(frozen=True)
class Claimed:
    """An outbox message this job holds, and how many attempts it had before."""

    message: Outgoing
    attempts: int


@dataclass(frozen=True)
class Attempt:
    """What one attempt leaves on the message's row."""

    status: str
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str | None


#: Claims one message for a token if it is pending, due and not held:
#: ``claim(message_id, now, token, hold)``; None when it is not to be sent now.
ClaimOne = Callable[[int, datetime, str, timedelta], Claimed | None]
#: Records an attempt if the token still holds the claim: ``record(message_id, token, attempt)``.
Record = Callable[[int, str, Attempt], bool]


def job_lease(config: MailConfig) -> timedelta:
    """How long one job holds its message."""
    return timedelta(seconds=2 * config.timeout_seconds + LEASE_MARGIN_SECONDS)


def settle(attempts: int, config: MailConfig, now: datetime, error: str | None) -> Attempt:
    """The row after attempt number ``attempts + 1``, which ended with ``error`` (None: sent)."""
    count = attempts + 1
    if error is None:
        return Attempt(SENT, count, now, now, None)
    if count >= config.max_attempts:
        return Attempt(FAILED, count, now, None, error)
    wait = timedelta(seconds=config.backoff_seconds * 2 ** (count - 1))
    return Attempt(PENDING, count, now + wait, None, error)


def send_one(
    message_id: int,
    config: MailConfig,
    *,
    claim: ClaimOne,
    record: Record,
    clock: Callable[[], datetime],
) -> Attempt | None:
    """Send one outbox message; the attempt, or None if it was not this job's to make.

    Raises:
        dramatiq.Retry: The attempt failed; the message is due again later.
        GaveUp: The attempt failed and was the last one.
    """
    if config.server is None:
        return None  # SMTP_URL is empty: the message stays in the outbox.
    token = uuid.uuid4().hex
    claimed = claim(message_id, clock(), token, job_lease(config))
    if claimed is None:
        return None
    error: str | None = None
    try:
        send(
            config.server,
            build_message(claimed.message, config.sender),
            timeout=config.timeout_seconds,
        )
    except MailError as exc:
        error = str(exc)
    attempt = settle(claimed.attempts, config, clock(), error)
    kept = record(message_id, token, attempt)
    logger.info(
        "outbox message %s, attempt %s: %s%s",
        message_id,
        attempt.attempts,
        attempt.status if error is None else f"{attempt.status} ({error})",
        "" if kept else " (claim lost, not recorded)",
    )
    if kept:
        retry_or_give_up(
            f"outbox message {message_id}",
            attempts=attempt.attempts,
            failed=attempt.status == FAILED,
            due_again=attempt.next_attempt_at if attempt.status == PENDING else None,
            reason=error,
            clock=clock,
        )
    return attempt


def declare_mail_job(
    queue: JobQueue, run: Callable[[int], Any], config: MailConfig
) -> dramatiq.Actor[Any, Any]:
    """The mail job on ``queue``'s broker; ``run(message_id)`` runs it."""
    return declare_outbox_job(queue, ACTOR_NAME, run, job_lease(config))
