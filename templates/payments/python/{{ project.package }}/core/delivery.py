"""Webhook delivery without the database: the retry schedule, the signed POST, the rounds.

A 2xx answer delivers an event; anything else is retried after
``WEBHOOK_BACKOFF_SECONDS``, doubling each time, until ``WEBHOOK_MAX_ATTEMPTS``
attempts have failed. The worker's database side (claiming due deliveries with a
token and a lease, recording attempts) is the framework's; it hands this module the
deliveries it claimed and a function that records one attempt.
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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from .. import __version__
from .outbox import DeliveryStatus
from .signatures import SIGNATURE_HEADER, sign

logger = logging.getLogger(__name__)

#: How many deliveries one round claims.
BATCH_SIZE = 10
#: The longest wait between two attempts, however many have failed.
MAX_BACKOFF_SECONDS = 3600
#: The longest error message kept for an attempt.
MAX_ERROR_LENGTH = 500
PACKAGE = __package__.partition(".")[0] if __package__ else "service"


@dataclass(frozen=True)
class DeliveryConfig:
    """The worker's settings: ``WEBHOOK_*`` in the environment."""

    max_attempts: int
    backoff_seconds: float
    timeout_seconds: float
    allow_private_urls: bool


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


@dataclass(frozen=True)
class Attempt:
    """One attempt, and what it changes on its delivery."""

    attempted_at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int
    #: The delivery's attempts so far, this one included.
    attempt_count: int
    #: ``succeeded``, ``failed`` (attempts used up), or still ``pending``.
    status: DeliveryStatus
    #: When to try again; None once the delivery succeeded or failed.
    next_attempt_at: datetime | None
    delivered_at: datetime | None

    @property
    def outcome(self) -> str:
        """The status code, or the error that prevented one (for the log)."""
        return f"status {self.status_code}" if self.status_code is not None else str(self.error)


def backoff(attempts: int, base_seconds: float) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: the base, doubling, capped at 1 h."""
    seconds = base_seconds * 2 ** (attempts - 1)
    return timedelta(seconds=min(seconds, MAX_BACKOFF_SECONDS))


def lease(config: DeliveryConfig, limit: int) -> timedelta:
    """How long a claim lasts: enough to try every claimed delivery with time to spare."""
    return timedelta(seconds=config.timeout_seconds * limit + 60)


def settle(
    claimed: Claimed,
    config: DeliveryConfig,
    *,
    attempted_at: datetime,
    status_code: int | None,
    error: str | None,
    duration_ms: int,
) -> Attempt:
    """What an attempt makes of its delivery: delivered, given up, or due again later."""
    attempts = claimed.attempt_count + 1
    status, next_attempt_at, delivered_at = DeliveryStatus.PENDING, None, None
    if status_code is not None and 200 <= status_code < 300:
        status, delivered_at = DeliveryStatus.SUCCEEDED, attempted_at
    elif attempts >= config.max_attempts:
        status = DeliveryStatus.FAILED
    else:
        next_attempt_at = attempted_at + backoff(attempts, config.backoff_seconds)
    return Attempt(
        attempted_at=attempted_at,
        status_code=status_code,
        error=error,
        duration_ms=duration_ms,
        attempt_count=attempts,
        status=status,
        next_attempt_at=next_attempt_at,
        delivered_at=delivered_at,
    )


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


def post(claimed: Claimed, config: DeliveryConfig) -> tuple[int | None, str | None]:
    """POST one signed event; return the status code, or the error that prevented one."""
    if not config.allow_private_urls:
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
            "User-Agent": f"{PACKAGE}-webhooks/{__version__}",
            SIGNATURE_HEADER: sign(claimed.secret, body),
            "Scaffold-Event-Id": str(claimed.event_id),
            "Scaffold-Event-Type": claimed.event_type,
            "Scaffold-Delivery-Id": str(claimed.delivery_id),
        },
    )
    try:
        with _OPENER.open(request, timeout=config.timeout_seconds) as response:
            response.read(1024)
            return response.status, None
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code, f"the endpoint answered {exc.code}"
    except (OSError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]


#: Claims up to ``limit`` due deliveries for a token: ``claim(now, token, limit, hold)``.
Claim = Callable[[datetime, str, int, timedelta], list[Claimed]]
#: Records an attempt if the token still holds the claim: ``record(claimed, token, attempt)``.
Record = Callable[[Claimed, str, Attempt], bool]


def run_round(
    config: DeliveryConfig,
    *,
    claim: Claim,
    record: Record,
    clock: Callable[[], datetime],
    now: datetime | None = None,
    limit: int = BATCH_SIZE,
) -> int:
    """Claim the due deliveries, attempt each once, record the outcomes.

    Args:
        config: Attempts, backoff and timeout.
        claim: The database side: claims due deliveries under a fresh token.
        record: The database side: records an attempt; False if the claim was lost.
        clock: The current time, timezone-aware.
        now: The time to decide what is due and to schedule retries from (tests);
            the clock's by default.
        limit: How many deliveries to claim.

    Returns:
        How many deliveries were attempted.
    """
    token = uuid.uuid4().hex
    claimed = claim(now or clock(), token, limit, lease(config, limit))
    for item in claimed:
        attempted_at = now or clock()
        started = time.perf_counter()
        status_code, error = post(item, config)
        attempt = settle(
            item,
            config,
            attempted_at=attempted_at,
            status_code=status_code,
            error=error,
            duration_ms=int((time.perf_counter() - started) * 1000),
        )
        kept = record(item, token, attempt)
        logger.info(
            "delivery %s (event %s %s) to webhook %s, attempt %s: %s%s",
            item.delivery_id,
            item.event_id,
            item.event_type,
            item.webhook_id,
            attempt.attempt_count,
            attempt.outcome,
            "" if kept else " (claim lost, not recorded)",
        )
    return len(claimed)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The worker's command line: ``python -m <package>.worker [--once]``."""
    parser = argparse.ArgumentParser(prog=f"python -m {PACKAGE}.worker")
    parser.add_argument("--once", action="store_true", help="deliver what is due, then exit")
    return parser.parse_args(argv)


def serve(
    deliver: Callable[[], int],
    *,
    once: bool,
    poll_seconds: float,
    unavailable: tuple[type[Exception], ...],
    reconnect: Callable[[], None] = lambda: None,
) -> int:
    """Run rounds until SIGTERM or Ctrl-C (one round with ``once``); return the exit code.

    Args:
        deliver: One round; returns how many deliveries it attempted.
        once: Stop after the first round.
        poll_seconds: The wait after a round that found nothing due.
        unavailable: The database's errors: logged, and the round is tried again later.
        reconnect: Called after such an error, to drop broken connections.
    """
    # Logged as the server logs (core/logs.py): the worker configured it, from the settings.
    stopping = threading.Event()

    def stop(_signal: int, _frame: Any) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    logger.info("webhook worker started")
    while not stopping.is_set():
        try:
            attempted = deliver()
        except unavailable as exc:
            # The database may be starting or not migrated yet: try again later.
            logger.warning("database unavailable: %s", str(exc).splitlines()[0])
            reconnect()
            attempted = 0
        if once:
            break
        if attempted == 0:
            stopping.wait(poll_seconds)
    logger.info("webhook worker stopped")
    return 0
