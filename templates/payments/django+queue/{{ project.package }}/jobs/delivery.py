"""The webhook jobs (feature "queue"): enqueued after the commit, run by the worker.

``enqueue_event`` (after the commit of an event, apps.py) enqueues one job per
delivery of the event; the worker (``python -m <package>.worker``) runs them
(``core/delivery_jobs.py``) and its sweeper enqueues again the pending deliveries that
are overdue: enqueued while Redis was down, held by a worker that died, or retries the
queue no longer holds. A duplicate job finds its delivery claimed or done and does
nothing. The database side of an attempt is ``webhooks/delivery.py``'s.
"""

import logging
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import dramatiq
from django.conf import settings
from django.db import DatabaseError, close_old_connections, transaction
from django.utils import timezone

from ..core.delivery import Attempt, Claimed
from ..core.delivery_jobs import declare_delivery_job, deliver_one
from ..core.queue import JobQueue
from ..webhooks.delivery import delivery_config, record_attempt
from ..webhooks.models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)

#: The most deliveries one sweep enqueues (the next sweep takes the rest).
SWEEP_LIMIT = 1000


class WebhookJobs:
    """The delivery job on the queue of ``url`` and ``prefix``."""

    def __init__(self, url: str, prefix: str):
        self.queue = JobQueue(url, prefix)
        self.deliver: dramatiq.Actor[Any, Any] = declare_delivery_job(
            self.queue, run, delivery_config()
        )
        self._swept = False

    def enqueue(self, delivery_ids: list[int]) -> int:
        """Enqueue a job per delivery; how many were (none while Redis is away)."""
        return sum(self.queue.enqueue(self.deliver, delivery_id) for delivery_id in delivery_ids)

    def sweep(self) -> int:
        """Enqueue the pending deliveries the queue may have lost; how many were.

        The first sweep of a worker takes every due delivery; the next ones those
        overdue by a sweep interval (a job due just now is most likely in the queue).
        """
        grace = settings.QUEUE_SWEEP_SECONDS if self._swept else 0.0
        self._swept = True
        overdue = timezone.now() - timedelta(seconds=grace)
        ids = Delivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=overdue
        ).order_by("next_attempt_at", "pk")
        return self.enqueue(list(ids.values_list("pk", flat=True)[:SWEEP_LIMIT]))


@cache
def _jobs_for(url: str, prefix: str) -> WebhookJobs:
    return WebhookJobs(url, prefix)


def jobs() -> WebhookJobs:
    """This process's jobs, on the queue the settings name."""
    return _jobs_for(settings.REDIS_URL, settings.QUEUE_PREFIX)


def enqueue_event(event_id: int) -> None:
    """Enqueue the deliveries of an event that was just committed; never raises."""
    try:
        ids = list(Delivery.objects.filter(event_id=event_id).values_list("pk", flat=True))
    except DatabaseError as exc:
        logger.warning("event %s not enqueued (the sweeper will): %s", event_id, exc)
        return
    jobs().enqueue(ids)


def claim_one(delivery_id: int, now: datetime, token: str, hold: timedelta) -> Claimed | None:
    """Claim one delivery for ``token`` if it is pending, due and not held; else None."""
    with transaction.atomic():
        taken = Delivery.objects.filter(
            pk=delivery_id,
            status=DeliveryStatus.PENDING,
            # A live lease keeps next_attempt_at in the future.
            next_attempt_at__lte=now,
        ).update(claim_token=token, next_attempt_at=now + hold)
    if taken != 1:
        return None
    row = (
        Delivery.objects.filter(pk=delivery_id, claim_token=token)
        .select_related("event", "endpoint")
        .first()
    )
    if row is None:
        return None
    return Claimed(
        delivery_id=row.pk,
        attempt_count=row.attempt_count,
        webhook_id=row.endpoint.pk,
        url=row.endpoint.url,
        secret=row.endpoint.secret,
        event_id=row.event.pk,
        event_type=row.event.type,
        body=row.event.body,
    )


def _record(claimed: Claimed, token: str, attempt: Attempt) -> bool:
    return record_attempt(claimed, token, attempt)


def run(delivery_id: int) -> None:
    """The job: attempt delivery ``delivery_id`` if it is due and free."""
    # A job is to its thread what a request is to a server's: connections that broke
    # or outlived CONN_MAX_AGE are dropped before and after.
    close_old_connections()
    try:
        deliver_one(
            delivery_id, delivery_config(), claim=claim_one, record=_record, clock=timezone.now
        )
    finally:
        close_old_connections()
