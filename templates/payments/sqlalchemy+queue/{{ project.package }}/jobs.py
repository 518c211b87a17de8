"""The webhook jobs (feature "queue"): enqueued after the commit, run by the worker.

``install_jobs`` (called by the app factory) makes every session of the app's database
enqueue one job per delivery it committed; the worker (``python -m <package>.worker``)
runs them (``core/delivery_jobs.py``) and its sweeper enqueues again the pending
deliveries that are overdue: enqueued while Redis was down, held by a worker that died,
or retries the queue no longer holds. A duplicate job finds its delivery claimed or
done and does nothing.
"""

from datetime import datetime, timedelta
from typing import Any

import dramatiq
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from .core.config import Settings
from .core.delivery import Claimed
from .core.delivery_jobs import declare_delivery_job, deliver_one
from .core.outbox import DeliveryStatus
from .core.queue import JobQueue
from .db import Database, rows_matched, utcnow
from .models.webhooks import Delivery, Event, WebhookEndpoint
from .worker import delivery_config, record_attempt

#: The most deliveries one sweep enqueues (the next sweep takes the rest).
SWEEP_LIMIT = 1000
#: Where a session keeps the deliveries it wrote until its commit.
_PENDING_KEY = "queue.deliveries"


class WebhookJobs:
    """The delivery job of one process, on ``database``, with ``settings``."""

    def __init__(self, database: Database, settings: Settings):
        self.database = database
        self.settings = settings
        self.queue = JobQueue(settings.redis_url, settings.queue_prefix)
        self.deliver: dramatiq.Actor[Any, Any] = declare_delivery_job(
            self.queue, self.run, delivery_config(settings)
        )
        self._swept = False

    def run(self, delivery_id: int) -> None:
        """The job: attempt delivery ``delivery_id`` if it is due and free."""

        def claim(delivery: int, now: datetime, token: str, hold: timedelta) -> Claimed | None:
            with self.database.session() as session:
                return claim_one(session, delivery, now=now, token=token, hold=hold)

        def record(claimed: Claimed, token: str, attempt: Any) -> bool:
            with self.database.session() as session:
                return record_attempt(session, claimed, token, attempt)

        deliver_one(
            delivery_id, delivery_config(self.settings), claim=claim, record=record, clock=utcnow
        )

    def enqueue(self, delivery_ids: list[int]) -> int:
        """Enqueue a job per delivery; how many were (none while Redis is away)."""
        return sum(self.queue.enqueue(self.deliver, delivery_id) for delivery_id in delivery_ids)

    def sweep(self) -> int:
        """Enqueue the pending deliveries the queue may have lost; how many were.

        The first sweep of a worker takes every due delivery; the next ones those
        overdue by a sweep interval (a job due just now is most likely in the queue).
        """
        grace = self.settings.queue_sweep_seconds if self._swept else 0.0
        self._swept = True
        overdue = utcnow() - timedelta(seconds=grace)
        with self.database.session() as session:
            ids = list(
                session.scalars(
                    select(Delivery.id)
                    .where(
                        Delivery.status == DeliveryStatus.PENDING,
                        Delivery.next_attempt_at <= overdue,
                    )
                    .order_by(Delivery.next_attempt_at, Delivery.id)
                    .limit(SWEEP_LIMIT)
                )
            )
        return self.enqueue(ids)

    def enqueue_after_commit(self) -> None:
        """Make the database's sessions enqueue the deliveries they commit."""
        sessions = self.database.sessions

        @event.listens_for(sessions, "after_flush")
        def remember(session: Session, _context: Any) -> None:
            written = [item.id for item in session.new if isinstance(item, Delivery)]
            if written:
                session.info.setdefault(_PENDING_KEY, []).extend(written)

        @event.listens_for(sessions, "after_commit")
        def send(session: Session) -> None:
            written = session.info.pop(_PENDING_KEY, None)
            if written:
                self.enqueue(written)

        @event.listens_for(sessions, "after_rollback")
        def forget(session: Session) -> None:
            session.info.pop(_PENDING_KEY, None)


def claim_one(
    session: Session, delivery_id: int, *, now: datetime, token: str, hold: timedelta
) -> Claimed | None:
    """Claim one delivery for ``token`` if it is pending, due and not held; else None."""
    taken = rows_matched(
        session,
        update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.status == DeliveryStatus.PENDING,
            # A live lease keeps next_attempt_at in the future.
            Delivery.next_attempt_at <= now,
        )
        .values(claim_token=token, next_attempt_at=now + hold)
        .execution_options(synchronize_session=False),
    )
    session.commit()
    if taken != 1:
        return None
    row = session.execute(
        select(
            Delivery.id,
            Delivery.attempt_count,
            WebhookEndpoint.id,
            WebhookEndpoint.url,
            WebhookEndpoint.secret,
            Event.id,
            Event.type,
            Event.body,
        )
        .join(Event, Event.id == Delivery.event_id)
        .join(WebhookEndpoint, WebhookEndpoint.id == Delivery.endpoint_id)
        .where(Delivery.id == delivery_id, Delivery.claim_token == token)
    ).one_or_none()
    session.rollback()
    if row is None:
        return None
    return Claimed(row[0], row[1], row[2], row[3], row[4], row[5], row[6].value, row[7])


def install_jobs(database: Database, settings: Settings) -> WebhookJobs:
    """The app's jobs: deliveries are enqueued after the commit that writes them."""
    jobs = WebhookJobs(database, settings)
    jobs.enqueue_after_commit()
    return jobs
