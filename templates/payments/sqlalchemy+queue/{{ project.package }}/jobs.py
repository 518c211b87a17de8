"""The webhook jobs (feature "queue"): enqueued after the commit, run by the worker.

``install_jobs`` (called by the app factory) makes every session of the app's database
enqueue one job per delivery it committed; the worker (``python -m <package>.worker``)
runs them (``core/delivery_jobs.py``) and its sweeper enqueues again the pending
deliveries that are overdue (``outbox_jobs.py``: enqueued while Redis was down, held by
a worker that died, or retries the queue no longer holds). A duplicate job finds its
delivery claimed or done and does nothing.
"""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from .core.config import Settings
from .core.delivery import Claimed
from .core.delivery_jobs import declare_delivery_job, deliver_one
from .core.outbox import DeliveryStatus
from .db import Database, rows_matched, utcnow
from .models.webhooks import Delivery
from .outbox_jobs import OutboxJobs
from .services.delivery import delivery_config, held_by, record_attempt


class WebhookJobs(OutboxJobs):
    """The delivery job of one process, on ``database``, with ``settings``."""

    model = Delivery
    pending = DeliveryStatus.PENDING

    def __init__(self, database: Database, settings: Settings):
        super().__init__(database, settings)
        self.job = declare_delivery_job(self.queue, self.run, delivery_config(settings))

    def run(self, row_id: int) -> None:
        """The job: attempt delivery ``row_id`` if it is due and free."""

        def claim(delivery: int, now: datetime, token: str, hold: timedelta) -> Claimed | None:
            with self.database.session() as session:
                return claim_one(session, delivery, now=now, token=token, hold=hold)

        def record(claimed: Claimed, token: str, attempt: Any) -> bool:
            with self.database.session() as session:
                return record_attempt(session, claimed, token, attempt)

        deliver_one(
            row_id, delivery_config(self.settings), claim=claim, record=record, clock=utcnow
        )


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
    held = held_by(session, token, Delivery.id == delivery_id)
    session.rollback()
    return held[0] if held else None


def install_jobs(database: Database, settings: Settings) -> WebhookJobs:
    """The app's jobs: deliveries are enqueued after the commit that writes them."""
    jobs = WebhookJobs(database, settings)
    jobs.enqueue_after_commit()
    return jobs
