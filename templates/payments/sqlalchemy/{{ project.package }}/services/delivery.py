"""The outbox's database side: claim due deliveries, record each attempt.

``core/delivery.py`` sends (signed posts, the retry schedule, the rounds); this
module holds the rows, for the polling worker and the queue's jobs alike. Several
workers may run: a claim takes rows with ``SELECT ... FOR UPDATE SKIP LOCKED``
(PostgreSQL, MySQL 8, MariaDB 10.6) and marks them with a token and a lease in a
conditional update, which alone keeps SQLite's workers apart. A worker that dies
mid-round leaves its claims to others once the lease ends.
"""

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.orm import Session

from ..core.config import Settings
from ..core.delivery import BATCH_SIZE, Attempt, Claimed, DeliveryConfig, run_round
from ..core.outbox import DeliveryStatus
from ..db import Database, rows_matched, utcnow
from ..models.webhooks import Delivery, DeliveryAttempt, Event, WebhookEndpoint


def delivery_config(settings: Settings) -> DeliveryConfig:
    """The worker's part of the settings."""
    return DeliveryConfig(
        max_attempts=settings.webhook_max_attempts,
        backoff_seconds=settings.webhook_backoff_seconds,
        timeout_seconds=settings.webhook_timeout_seconds,
        allow_private_urls=settings.webhook_allow_private_urls,
    )


def claim_due(
    session: Session, *, now: datetime, token: str, limit: int, hold: timedelta
) -> list[Claimed]:
    """Claim up to ``limit`` pending deliveries that are due, for the worker of ``token``."""
    due = and_(Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at <= now)
    candidates = (
        select(Delivery.id).where(due).order_by(Delivery.next_attempt_at, Delivery.id).limit(limit)
    )
    if session.get_bind().dialect.name != "sqlite":
        # Rows another worker is claiming are skipped, not waited for.
        candidates = candidates.with_for_update(skip_locked=True)
    ids = list(session.scalars(candidates))
    if not ids:
        session.rollback()
        return []
    # Conditional: only rows still due are taken (SQLite has no row locks).
    session.execute(
        update(Delivery)
        .where(Delivery.id.in_(ids), due)
        .values(claim_token=token, next_attempt_at=now + hold)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    rows = held_by(session, token)
    session.rollback()
    return rows


def held_by(session: Session, token: str, *where: ColumnElement[bool]) -> list[Claimed]:
    """The deliveries ``token`` holds (those ``where`` says), with endpoint and event."""
    rows = session.execute(
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
        .where(Delivery.claim_token == token, *where)
        .order_by(Delivery.next_attempt_at, Delivery.id)
    ).all()
    return [
        Claimed(row[0], row[1], row[2], row[3], row[4], row[5], row[6].value, row[7])
        for row in rows
    ]


def record_attempt(session: Session, claimed: Claimed, token: str, attempt: Attempt) -> bool:
    """Record an attempt and schedule what follows; False if the claim was lost."""
    changed = rows_matched(
        session,
        update(Delivery)
        .where(Delivery.id == claimed.delivery_id, Delivery.claim_token == token)
        .values(
            attempt_count=attempt.attempt_count,
            claim_token=None,
            status=attempt.status,
            next_attempt_at=attempt.next_attempt_at,
            delivered_at=attempt.delivered_at,
            last_status_code=attempt.status_code,
            last_error=attempt.error,
        )
        .execution_options(synchronize_session=False),
    )
    if changed != 1:
        # The lease ran out and another worker took it over, or the endpoint is gone.
        session.rollback()
        return False
    session.add(
        DeliveryAttempt(
            delivery_id=claimed.delivery_id,
            attempted_at=attempt.attempted_at,
            status_code=attempt.status_code,
            error=attempt.error,
            duration_ms=attempt.duration_ms,
        )
    )
    session.commit()
    return True


def run_once(
    database: Database,
    settings: Settings,
    *,
    now: datetime | None = None,
    limit: int = BATCH_SIZE,
) -> int:
    """One round (``core.delivery.run_round``) on ``database``; how many were attempted."""

    def claim(due: datetime, token: str, count: int, hold: timedelta) -> list[Claimed]:
        with database.session() as session:
            return claim_due(session, now=due, token=token, limit=count, hold=hold)

    def record(claimed: Claimed, token: str, attempt: Attempt) -> bool:
        with database.session() as session:
            return record_attempt(session, claimed, token, attempt)

    config = delivery_config(settings)
    return run_round(config, claim=claim, record=record, clock=utcnow, now=now, limit=limit)
