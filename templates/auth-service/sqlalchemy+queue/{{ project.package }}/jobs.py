"""The mail job (feature "queue"): enqueued after the commit, run by the worker.

``install_jobs`` (called by the app factory) makes every session of the app's database
enqueue one job per outbox message it committed; the worker (``python -m
<package>.worker``) sends them (``core/mail_jobs.py``) and its sweeper enqueues again
the pending messages that are overdue (``outbox_jobs.py``: enqueued while Redis was
down, held by a worker that died, or retries the queue no longer holds). A duplicate
job finds its message claimed or sent and does nothing.
"""

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .core.config import Settings
from .core.mail import Outgoing
from .core.mail_jobs import (
    PENDING,
    Attempt,
    Claimed,
    MailConfig,
    declare_mail_job,
    mail_config,
    send_one,
)
from .db import Database, rows_matched, utcnow
from .models.outbox import OutboxMessage
from .outbox_jobs import OutboxJobs


def config_of(settings: Settings) -> MailConfig:
    """The mail part of the settings."""
    return mail_config(
        settings.smtp_url,
        settings.mail_from,
        settings.mail_max_attempts,
        settings.mail_backoff_seconds,
        settings.mail_timeout_seconds,
    )


class MailJobs(OutboxJobs):
    """The mail job of one process, on ``database``, with ``settings``."""

    model = OutboxMessage
    pending = PENDING

    def __init__(self, database: Database, settings: Settings):
        super().__init__(database, settings)
        self.config = config_of(settings)
        self.job = declare_mail_job(self.queue, self.run, self.config)

    def run(self, row_id: int) -> None:
        """The job: send outbox message ``row_id`` if it is due and free."""

        def claim(message: int, now: datetime, token: str, hold: timedelta) -> Claimed | None:
            with self.database.session() as session:
                return claim_one(session, message, now=now, token=token, hold=hold)

        def record(message: int, token: str, attempt: Attempt) -> bool:
            with self.database.session() as session:
                return record_attempt(session, message, token, attempt)

        send_one(row_id, self.config, claim=claim, record=record, clock=utcnow)

    def sweep(self) -> int:
        """Enqueue the pending messages the queue may have lost (``OutboxJobs.sweep``).

        Nothing while ``SMTP_URL`` is empty (the messages stay in the outbox).
        """
        if self.config.server is None:
            return 0
        return super().sweep()


def claim_one(
    session: Session, message_id: int, *, now: datetime, token: str, hold: timedelta
) -> Claimed | None:
    """Claim one message for ``token`` if it is pending, due and not held; else None."""
    taken = rows_matched(
        session,
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == PENDING,
            # A live claim keeps next_attempt_at in the future.
            OutboxMessage.next_attempt_at <= now,
        )
        .values(claim_token=token, next_attempt_at=now + hold)
        .execution_options(synchronize_session=False),
    )
    session.commit()
    if taken != 1:
        return None
    row = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.id == message_id, OutboxMessage.claim_token == token
        )
    ).one_or_none()
    session.rollback()
    if row is None:
        return None
    outgoing = Outgoing(row.id, row.recipient, row.subject, row.body, row.created_at)
    return Claimed(outgoing, row.attempts)


def record_attempt(session: Session, message_id: int, token: str, attempt: Attempt) -> bool:
    """Record an attempt if ``token`` still holds the message; False if the claim was lost."""
    changed = rows_matched(
        session,
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claim_token == token)
        .values(
            status=attempt.status,
            attempts=attempt.attempts,
            next_attempt_at=attempt.next_attempt_at,
            claim_token=None,
            sent_at=attempt.sent_at,
            last_error=attempt.last_error,
        )
        .execution_options(synchronize_session=False),
    )
    if changed != 1:
        session.rollback()
        return False
    session.commit()
    return True


def install_jobs(database: Database, settings: Settings) -> MailJobs:
    """The app's jobs: outbox messages are enqueued after the commit that writes them."""
    jobs = MailJobs(database, settings)
    jobs.enqueue_after_commit()
    return jobs
