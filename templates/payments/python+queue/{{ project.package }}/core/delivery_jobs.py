"""Webhook deliveries through the job queue (feature "queue"), without the database.

A job carries one delivery id. It claims that delivery (only while it is pending, due,
and held by no live lease; the lease lasts the endpoint's timeout and a margin), posts
it with ``core/delivery.py``, and records the attempt as the polling worker did. A
failed attempt that leaves the delivery pending raises :class:`dramatiq.Retry` with the
wait until its ``next_attempt_at`` (``WEBHOOK_BACKOFF_SECONDS``, doubling), so the queue
and the database agree on when it is due; the last one raises :class:`GaveUp`, which
Dramatiq does not retry: the message goes to the dead-letter queue. A job that finds
its delivery done, failed, held or not due yet (a duplicate) does nothing.
"""

import logging
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import dramatiq

from .delivery import Attempt, Claimed, DeliveryConfig, post, settle
from .outbox import DeliveryStatus
from .queue import JobQueue, declare_outbox_job, retry_or_give_up

logger = logging.getLogger(__name__)

#: The name of the job in the queue's messages.
ACTOR_NAME = "deliver_webhook"
#: A claim lasts the endpoint's timeout and this margin (the lookup, the record).
LEASE_MARGIN_SECONDS = 10.0

#: Claims one delivery for a token if it is pending, due and not held:
#: ``claim(delivery_id, now, token, hold)``; None when it is not to be attempted now.
ClaimOne = Callable[[int, datetime, str, timedelta], Claimed | None]
#: Records an attempt if the token still holds the claim: ``record(claimed, token, attempt)``.
Record = Callable[[Claimed, str, Attempt], bool]


def job_lease(config: DeliveryConfig) -> timedelta:
    """How long one job holds its delivery."""
    return timedelta(seconds=config.timeout_seconds + LEASE_MARGIN_SECONDS)


def deliver_one(
    delivery_id: int,
    config: DeliveryConfig,
    *,
    claim: ClaimOne,
    record: Record,
    clock: Callable[[], datetime],
) -> Attempt | None:
    """Attempt one delivery; the attempt, or None if it was not this job's to make.

    Raises:
        dramatiq.Retry: The attempt failed; the delivery is due again later.
        GaveUp: The attempt failed and was the last one.
    """
    token = uuid.uuid4().hex
    claimed = claim(delivery_id, clock(), token, job_lease(config))
    if claimed is None:
        return None
    attempted_at = clock()
    started = time.perf_counter()
    status_code, error = post(claimed, config)
    attempt = settle(
        claimed,
        config,
        attempted_at=attempted_at,
        status_code=status_code,
        error=error,
        duration_ms=int((time.perf_counter() - started) * 1000),
    )
    kept = record(claimed, token, attempt)
    logger.info(
        "delivery %s (event %s %s) to webhook %s, attempt %s: %s%s",
        claimed.delivery_id,
        claimed.event_id,
        claimed.event_type,
        claimed.webhook_id,
        attempt.attempt_count,
        attempt.outcome,
        "" if kept else " (claim lost, not recorded)",
    )
    if kept:
        retry_or_give_up(
            f"delivery {delivery_id}",
            attempts=attempt.attempt_count,
            failed=attempt.status == DeliveryStatus.FAILED,
            due_again=attempt.next_attempt_at if attempt.status == DeliveryStatus.PENDING else None,
            reason=attempt.outcome,
            clock=clock,
        )
    return attempt


def declare_delivery_job(
    queue: JobQueue, deliver: Callable[[int], Any], config: DeliveryConfig
) -> dramatiq.Actor[Any, Any]:
    """The delivery job on ``queue``'s broker; ``deliver(delivery_id)`` runs it."""
    return declare_outbox_job(queue, ACTOR_NAME, deliver, job_lease(config))
