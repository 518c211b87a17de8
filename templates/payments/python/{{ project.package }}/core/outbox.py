"""The webhook outbox without the database: event types, bodies, endpoint URLs and secrets.

An event's body is built once, when the change it reports is written, and stored:
every endpoint receives (and every signature covers) exactly those bytes.
"""

import json
import secrets
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

SECRET_PREFIX = "whsec_"  # noqa: S105  (a prefix, not a secret)
MAX_URL_LENGTH = 2000
NOT_HTTP = "must be an http or https URL"


class EventType(StrEnum):
    """What happened; webhook endpoints receive every type."""

    PAYMENT_SUCCEEDED = "payment.succeeded"
    PAYMENT_FAILED = "payment.failed"
    REFUND_CREATED = "refund.created"


class DeliveryStatus(StrEnum):
    """pending (due at next_attempt_at) -> succeeded | failed (attempts used up)."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


def event_body(event_id: int, event_type: str, created_at: datetime, data: dict[str, Any]) -> str:
    """The JSON every endpoint receives: compact, keys sorted, the time in UTC with a Z."""
    payload = {
        "id": event_id,
        "type": str(event_type),
        "created_at": created_at.isoformat().replace("+00:00", "Z"),
        "data": data,
    }
    return json.dumps(payload, separators=(",", ":"), sort_keys=True)


def event_data(body: str) -> dict[str, Any]:
    """The object an event is about (a payment or a refund), read from its body."""
    return dict(json.loads(body)["data"])


def new_secret() -> str:
    """A fresh signing secret (256 bits)."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def url_problem(value: str) -> str | None:
    """Why ``value`` cannot be a webhook URL, or None.

    It must be an absolute http(s) URL with a host, without credentials or white
    space, and with a port (if any) between 1 and 65535.
    """
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError when out of range
    except ValueError:
        return NOT_HTTP
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return NOT_HTTP
    if parts.username or parts.password or any(c.isspace() for c in value):
        return f"{NOT_HTTP} without credentials or spaces"
    if port == 0:
        return "must name a port between 1 and 65535"
    return None
