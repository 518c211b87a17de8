"""What the outbox jobs of every kind share on SQLAlchemy (feature "queue").

A kind's ``jobs.py`` subclasses :class:`OutboxJobs`: it names its outbox's model and
declares its job (``run(row_id)``, on ``self.queue``). This class enqueues one job per
outbox row that a session of the database commits (after the commit, never before),
and its sweeper enqueues again the pending rows that are overdue: enqueued while Redis
was down, held by a worker that died, or retries the queue no longer holds.
"""

from datetime import timedelta
from typing import Any, ClassVar

import dramatiq
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from .core.config import Settings
from .core.queue import JobQueue
from .db import Database, utcnow

#: The most rows one sweep enqueues (the next sweep takes the rest).
SWEEP_LIMIT = 1000


class OutboxJobs:
    """The job of one outbox, on ``database``, with ``settings``."""

    #: The outbox's model: its rows have ``id``, ``status`` and ``next_attempt_at``.
    model: ClassVar[Any]
    #: The status of the rows still to attempt.
    pending: ClassVar[Any]
    #: The job (a subclass declares it on :attr:`queue`, running :meth:`run`).
    job: dramatiq.Actor[Any, Any]

    def __init__(self, database: Database, settings: Settings):
        self.database = database
        self.settings = settings
        self.queue = JobQueue(settings.redis_url, settings.queue_prefix)
        self._swept = False

    def run(self, row_id: int) -> None:
        """The job: attempt row ``row_id`` if it is due and free."""
        raise NotImplementedError

    def enqueue(self, row_ids: list[int]) -> int:
        """Enqueue a job per row; how many were (none while Redis is away)."""
        return sum(self.queue.enqueue(self.job, row_id) for row_id in row_ids)

    def sweep(self) -> int:
        """Enqueue the pending rows the queue may have lost; how many were.

        The first sweep of a worker takes every due row; the next ones those overdue by
        a sweep interval (a row due just now is most likely in the queue).
        """
        grace = self.settings.queue_sweep_seconds if self._swept else 0.0
        self._swept = True
        overdue = utcnow() - timedelta(seconds=grace)
        model = self.model
        with self.database.session() as session:
            ids = list(
                session.scalars(
                    select(model.id)
                    .where(model.status == self.pending, model.next_attempt_at <= overdue)
                    .order_by(model.next_attempt_at, model.id)
                    .limit(SWEEP_LIMIT)
                )
            )
        return self.enqueue(ids)

    def enqueue_after_commit(self) -> None:
        """Make the database's sessions enqueue the rows they commit."""
        sessions = self.database.sessions
        key = f"queue.{self.model.__tablename__}"  # the rows a session wrote, until its commit

        @event.listens_for(sessions, "after_flush")
        def remember(session: Session, _context: Any) -> None:
            written = [item.id for item in session.new if isinstance(item, self.model)]
            if written:
                session.info.setdefault(key, []).extend(written)

        @event.listens_for(sessions, "after_commit")
        def send(session: Session) -> None:
            written = session.info.pop(key, None)
            if written:
                self.enqueue(written)

        @event.listens_for(sessions, "after_rollback")
        def forget(session: Session) -> None:
            session.info.pop(key, None)
