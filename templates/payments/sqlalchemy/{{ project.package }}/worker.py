"""The webhook worker: ``python -m <package>.worker`` sends due deliveries, with retries.

It runs beside the server as a process of its own. Each round claims up to
``BATCH_SIZE`` due deliveries, posts each signed event, and records the attempt:
a 2xx answer delivers it; anything else is retried after ``WEBHOOK_BACKOFF_SECONDS``,
doubling each time, until ``WEBHOOK_MAX_ATTEMPTS`` attempts have failed.

Several workers may run: a claim takes rows with ``SELECT ... FOR UPDATE SKIP
LOCKED`` (PostgreSQL, MySQL 8, MariaDB 10.6) and marks them with a token and a
lease in a conditional update, which alone keeps SQLite's workers apart. A worker
that dies mid-round leaves its claims to others once the lease ends.
"""

import argparse
import ipaddress
import logging
import signal
import socket
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import and_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from . import __version__
from .core.config import Settings, get_settings
from .core.signatures import SIGNATURE_HEADER, sign
from .db import Database, utcnow
from .models.webhooks import Delivery, DeliveryAttempt, DeliveryStatus, Event, WebhookEndpoint

logger = logging.getLogger(__name__)

BATCH_SIZE = 10
MAX_BACKOFF_SECONDS = 3600
MAX_ERROR_LENGTH = 500


@dataclass(frozen=True)
class Claimed:
    """A delivery this worker holds until its lease ends."""

    delivery_id: int
    attempt_count: int
    webhook_id: int
    url: str
    secret: str
    event_id: int
    event_type: str
    body: str


def backoff(attempts: int, settings: Settings) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: the base, doubling, capped at 1 h."""
    seconds = settings.webhook_backoff_seconds * 2 ** (attempts - 1)
    return timedelta(seconds=min(seconds, MAX_BACKOFF_SECONDS))


def lease(settings: Settings, limit: int) -> timedelta:
    """How long a claim lasts: enough to try every claimed delivery with time to spare."""
    return timedelta(seconds=settings.webhook_timeout_seconds * limit + 60)


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


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like any other non-2xx: the delivery failed."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# Direct connections only: no proxies from the environment, no redirects followed.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects)


def refused_address(url: str) -> str | None:
    """Why ``url`` may not be called when private addresses are refused, or None."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        return f"cannot resolve {host}: {exc}"
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return f"refused: {host} resolves to the non-public address {address}"
    return None


def post(claimed: Claimed, settings: Settings) -> tuple[int | None, str | None]:
    """POST one signed event; return the status code, or the error that prevented one."""
    if not settings.webhook_allow_private_urls:
        refusal = refused_address(claimed.url)
        if refusal is not None:
            return None, refusal
    body = claimed.body.encode()
    request = urllib.request.Request(  # noqa: S310  (the URL is checked to be http(s))
        claimed.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": f"{__package__}-webhooks/{__version__}",
            SIGNATURE_HEADER: sign(claimed.secret, body),
            "Scaffold-Event-Id": str(claimed.event_id),
            "Scaffold-Event-Type": claimed.event_type,
            "Scaffold-Delivery-Id": str(claimed.delivery_id),
        },
    )
    try:
        with _OPENER.open(request, timeout=settings.webhook_timeout_seconds) as response:
            response.read(1024)
            return response.status, None
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code, f"the endpoint answered {exc.code}"
    except (OSError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]


def record_attempt(
    session: Session,
    claimed: Claimed,
    token: str,
    settings: Settings,
    *,
    attempted_at: datetime,
    status_code: int | None,
    error: str | None,
    duration_ms: int,
) -> bool:
    """Record an attempt and schedule what follows; False if the claim was lost."""
    attempts = claimed.attempt_count + 1
    values: dict[str, Any] = {
        "attempt_count": attempts,
        "claim_token": None,
        "last_status_code": status_code,
        "last_error": error,
    }
    if status_code is not None and 200 <= status_code < 300:
        values.update(
            status=DeliveryStatus.SUCCEEDED, delivered_at=attempted_at, next_attempt_at=None
        )
    elif attempts >= settings.webhook_max_attempts:
        values.update(status=DeliveryStatus.FAILED, next_attempt_at=None)
    else:
        values.update(next_attempt_at=attempted_at + backoff(attempts, settings))
    changed = session.execute(
        update(Delivery)
        .where(Delivery.id == claimed.delivery_id, Delivery.claim_token == token)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        # The lease ran out and another worker took it over, or the endpoint is gone.
        session.rollback()
        return False
    session.add(
        DeliveryAttempt(
            delivery_id=claimed.delivery_id,
            attempted_at=attempted_at,
            status_code=status_code,
            error=error,
            duration_ms=duration_ms,
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
    """Claim the due deliveries, attempt each once, record the outcomes.

    Args:
        database: Where the outbox is.
        settings: Attempts, backoff and timeout.
        now: The time to decide what is due and to schedule retries from (tests);
            the current time by default.
        limit: How many deliveries to claim.

    Returns:
        How many deliveries were attempted.
    """
    token = uuid.uuid4().hex
    with database.session() as session:
        claimed = claim_due(
            session, now=now or utcnow(), token=token, limit=limit, hold=lease(settings, limit)
        )
    for item in claimed:
        attempted_at = now or utcnow()
        started = time.perf_counter()
        status_code, error = post(item, settings)
        duration_ms = int((time.perf_counter() - started) * 1000)
        with database.session() as session:
            kept = record_attempt(
                session,
                item,
                token,
                settings,
                attempted_at=attempted_at,
                status_code=status_code,
                error=error,
                duration_ms=duration_ms,
            )
        outcome = f"status {status_code}" if status_code is not None else error
        logger.info(
            "delivery %s (event %s %s) to webhook %s, attempt %s: %s%s",
            item.delivery_id,
            item.event_id,
            item.event_type,
            item.webhook_id,
            item.attempt_count + 1,
            outcome,
            "" if kept else " (claim lost, not recorded)",
        )
    return len(claimed)


def main(argv: list[str] | None = None) -> int:
    """Deliver until SIGTERM or Ctrl-C (or one round with ``--once``)."""
    parser = argparse.ArgumentParser(prog=f"python -m {__package__}.worker")
    parser.add_argument("--once", action="store_true", help="deliver what is due, then exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    settings = get_settings()
    database = Database(settings.database_url)
    stopping = threading.Event()

    def stop(_signal: int, _frame: Any) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    logger.info("webhook worker started")
    try:
        while not stopping.is_set():
            try:
                attempted = run_once(database, settings)
            except SQLAlchemyError as exc:
                # The database may be starting or not migrated yet: try again later.
                logger.warning("database unavailable: %s", str(exc).splitlines()[0])
                attempted = 0
            if args.once:
                break
            if attempted == 0:
                stopping.wait(settings.worker_poll_seconds)
    finally:
        database.dispose()
    logger.info("webhook worker stopped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
