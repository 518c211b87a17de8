"""Sending the outbox: claim due deliveries, post each signed event, record the attempt.

A 2xx answer delivers it; anything else is retried after ``WEBHOOK_BACKOFF_SECONDS``,
doubling each time, until ``WEBHOOK_MAX_ATTEMPTS`` attempts have failed.

Several workers may run: a claim takes rows with ``SELECT ... FOR UPDATE SKIP
LOCKED`` (PostgreSQL, MySQL 8, MariaDB 10.6) and marks them with a token and a
lease in a conditional update, which alone keeps SQLite's workers apart. A worker
that dies mid-round leaves its claims to others once the lease ends.
"""

import ipaddress
import logging
import socket
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .. import __version__
from ..core.signatures import SIGNATURE_HEADER, sign
from .models import Delivery, DeliveryAttempt, DeliveryStatus

logger = logging.getLogger(__name__)

BATCH_SIZE = 10
MAX_BACKOFF_SECONDS = 3600
MAX_ERROR_LENGTH = 500
PACKAGE = __package__.rpartition(".")[0] if __package__ else "service"


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


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: the base, doubling, capped at 1 h."""
    seconds = settings.WEBHOOK_BACKOFF_SECONDS * 2 ** (attempts - 1)
    return timedelta(seconds=min(seconds, MAX_BACKOFF_SECONDS))


def lease(limit: int) -> timedelta:
    """How long a claim lasts: enough to try every claimed delivery with time to spare."""
    return timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * limit + 60)


def _due(now: datetime) -> Q:
    return Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)


def claim_due(*, now: datetime, token: str, limit: int, hold: timedelta) -> list[Claimed]:
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


def post(claimed: Claimed) -> tuple[int | None, str | None]:
    """POST one signed event; return the status code, or the error that prevented one."""
    if not settings.WEBHOOK_ALLOW_PRIVATE_URLS:
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
        with _OPENER.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            response.read(1024)
            return response.status, None
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code, f"the endpoint answered {exc.code}"
    except (OSError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]


def record_attempt(
    claimed: Claimed,
    token: str,
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
        "updated_at": timezone.now(),
    }
    if status_code is not None and 200 <= status_code < 300:
        values.update(
            status=DeliveryStatus.SUCCEEDED, delivered_at=attempted_at, next_attempt_at=None
        )
    elif attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        values.update(status=DeliveryStatus.FAILED, next_attempt_at=None)
    else:
        values.update(next_attempt_at=attempted_at + backoff(attempts))
    with transaction.atomic():
        changed = Delivery.objects.filter(pk=claimed.delivery_id, claim_token=token).update(
            **values
        )
        if changed != 1:
            # The lease ran out and another worker took it over, or the endpoint is gone.
            return False
        DeliveryAttempt.objects.create(
            delivery_id=claimed.delivery_id,
            attempted_at=attempted_at,
            status_code=status_code,
            error=error,
            duration_ms=duration_ms,
        )
    return True


def run_once(*, now: datetime | None = None, limit: int = BATCH_SIZE) -> int:
    """Claim the due deliveries, attempt each once, record the outcomes.

    Args:
        now: The time to decide what is due and to schedule retries from (tests);
            the current time by default.
        limit: How many deliveries to claim.

    Returns:
        How many deliveries were attempted.
    """
    token = uuid.uuid4().hex
    claimed = claim_due(now=now or timezone.now(), token=token, limit=limit, hold=lease(limit))
    for item in claimed:
        attempted_at = now or timezone.now()
        started = time.perf_counter()
        status_code, error = post(item)
        duration_ms = int((time.perf_counter() - started) * 1000)
        kept = record_attempt(
            item,
            token,
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
