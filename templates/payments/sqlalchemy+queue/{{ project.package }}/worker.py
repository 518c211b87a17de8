"""The webhook worker with the job queue: ``python -m <package>.worker``.

One process: a Dramatiq worker with a few threads runs the delivery jobs (``jobs.py``,
``core/delivery_jobs.py``), enqueued after each commit that writes deliveries; the main
thread sweeps (at start, then every ``QUEUE_SWEEP_SECONDS``) for pending deliveries the
queue lost and keeps a heartbeat for ``--health``. SIGTERM or Ctrl-C stops it after the
jobs that run. ``--once`` sweeps, waits for the queue to drain, and exits.

The database side is the polling worker's: ``claim_due`` and ``run_once`` (a round
without the queue, used by the tests) claim with ``SELECT ... FOR UPDATE SKIP LOCKED``
and a token with a lease; ``record_attempt`` records an attempt while the token holds.
"""

import argparse
from datetime import datetime, timedelta

from sqlalchemy import and_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from .core import logs
from .core.config import Settings, get_settings
from .core.delivery import (
    BATCH_SIZE,
    Attempt,
    Claimed,
    DeliveryConfig,
    run_round,
)
from .core.outbox import DeliveryStatus
from .core.queue import healthy, heartbeat_path, run_worker
from .db import Database, rows_matched, utcnow
from .models.webhooks import Delivery, DeliveryAttempt, Event, WebhookEndpoint


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
        .where(Delivery.claim_token == token)
        .order_by(Delivery.next_attempt_at, Delivery.id)
    ).all()
    session.rollback()
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


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The worker's command line: ``python -m <package>.worker [--once | --health]``."""
    parser = argparse.ArgumentParser(prog=f"python -m {__package__}.worker")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="sweep, drain the queue, then exit")
    mode.add_argument(
        "--health", action="store_true", help="exit 0 if a worker runs (its heartbeat is fresh)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the delivery jobs until SIGTERM or Ctrl-C (``--once``: sweep and drain)."""
    args = parse_arguments(argv)
    settings = get_settings()
    heartbeat = heartbeat_path(f"{__package__}-worker", settings.queue_prefix)
    if args.health:
        return 0 if healthy(heartbeat) else 1
    logs.configure(settings.log_level, settings.log_format)
    from .jobs import WebhookJobs

    database = Database(settings.database_url)
    jobs = WebhookJobs(database, settings)
    try:
        return run_worker(
            jobs.queue,
            sweep=jobs.sweep,
            sweep_seconds=settings.queue_sweep_seconds,
            heartbeat=heartbeat,
            once=args.once,
            stop_seconds=settings.webhook_timeout_seconds + 5,
            unavailable=(SQLAlchemyError,),
        )
    finally:
        jobs.queue.close()
        database.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
