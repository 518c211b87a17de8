"""The outbox's database side: claim due deliveries, record each attempt.

``core/delivery.py`` sends (signed posts, the retry schedule, the rounds); this
module holds the rows. Several workers may run: a claim takes rows with ``SELECT
... FOR UPDATE SKIP LOCKED`` (PostgreSQL, MySQL 8, MariaDB 10.6) and marks them with
a token and a lease in a conditional update, which alone keeps SQLite's workers
apart. A worker that dies mid-round leaves its claims to others once the lease ends.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from ..core.delivery import BATCH_SIZE, Attempt, Claimed, DeliveryConfig, run_round
from .models import Delivery, DeliveryAttempt, DeliveryStatus


def delivery_config() -> DeliveryConfig:
    """The worker's part of the settings (read at each round: tests change them)."""
    return DeliveryConfig(
        max_attempts=settings.WEBHOOK_MAX_ATTEMPTS,
        backoff_seconds=settings.WEBHOOK_BACKOFF_SECONDS,
        timeout_seconds=settings.WEBHOOK_TIMEOUT_SECONDS,
        allow_private_urls=settings.WEBHOOK_ALLOW_PRIVATE_URLS,
    )


def _due(now: datetime) -> Q:
    return Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)


def claim_due(now: datetime, token: str, limit: int, hold: timedelta) -> list[Claimed]:
    """Claim up to ``limit`` pending deliveries that are due, for the worker of ``token``."""
    with transaction.atomic():
        candidates = Delivery.objects.filter(_due(now)).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            # Rows another worker is claiming are skipped, not waited for.
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        # Conditional: only rows still due are taken (SQLite has no row locks).
        Delivery.objects.filter(_due(now), pk__in=ids).update(
            claim_token=token, next_attempt_at=now + hold
        )
    rows = (
        Delivery.objects.filter(claim_token=token)
        .select_related("event", "endpoint")
        .order_by("next_attempt_at", "pk")
    )
    return [
        Claimed(
            delivery_id=row.pk,
            attempt_count=row.attempt_count,
            webhook_id=row.endpoint.pk,
            url=row.endpoint.url,
            secret=row.endpoint.secret,
            event_id=row.event.pk,
            event_type=row.event.type,
            body=row.event.body,
        )
        for row in rows
    ]


def record_attempt(claimed: Claimed, token: str, attempt: Attempt) -> bool:
    """Record an attempt and schedule what follows; False if the claim was lost."""
    with transaction.atomic():
        changed = Delivery.objects.filter(pk=claimed.delivery_id, claim_token=token).update(
            attempt_count=attempt.attempt_count,
            claim_token=None,
            status=DeliveryStatus(attempt.status),
            next_attempt_at=attempt.next_attempt_at,
            delivered_at=attempt.delivered_at,
            last_status_code=attempt.status_code,
            last_error=attempt.error,
            updated_at=timezone.now(),
        )
        if changed != 1:
            # The lease ran out and another worker took it over, or the endpoint is gone.
            return False
        DeliveryAttempt.objects.create(
            delivery_id=claimed.delivery_id,
            attempted_at=attempt.attempted_at,
            status_code=attempt.status_code,
            error=attempt.error,
            duration_ms=attempt.duration_ms,
        )
    return True


def run_once(*, now: datetime | None = None, limit: int = BATCH_SIZE) -> int:
    """One round (``core.delivery.run_round``); how many deliveries were attempted."""
    return run_round(
        delivery_config(),
        claim=claim_due,
        record=record_attempt,
        clock=timezone.now,
        now=now,
        limit=limit,
    )
