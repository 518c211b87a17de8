"""Webhook signatures: HMAC-SHA256 over ``timestamp + "." + body``, with a per-endpoint secret.

Every webhook request carries a header (the hex digest shortened here)::

    Scaffold-Signature: t=1767225600,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e7...

``t`` is the Unix time of the attempt and ``v1`` the hex HMAC-SHA256, keyed with the
endpoint's secret (``whsec_...``, as UTF-8 bytes), of ``f"{t}.".encode() + raw_body``.
A receiver checks it with :func:`verify_signature` on the raw body, before parsing
it; this module needs only the standard library, so it can be copied as it is.
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "Scaffold-Signature"
SCHEME = "v1"
DEFAULT_TOLERANCE = 300


def compute_signature(secret: str, timestamp: int, body: bytes) -> str:
    """Return the hex HMAC-SHA256 of ``timestamp + "." + body`` keyed with ``secret``."""
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """Return the ``Scaffold-Signature`` header value for ``body``, signed now by default."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},{SCHEME}={compute_signature(secret, timestamp, body)}"


def verify_signature(
    secret: str,
    header: str,
    body: bytes | str,
    tolerance: int = DEFAULT_TOLERANCE,
    *,
    now: float | None = None,
) -> bool:
    """Tell whether ``header`` signs ``body`` with ``secret``, within ``tolerance`` seconds.

    Args:
        secret: The endpoint's signing secret, as ``POST /webhooks`` returned it.
        header: The value of the ``Scaffold-Signature`` header.
        body: The raw request body, exactly as received (bytes; str is UTF-8 encoded).
        tolerance: The largest accepted distance, in seconds, between ``t`` and now;
            it stops replays of old requests. 0 or less skips the check.
        now: The current Unix time (for tests).

    Any ``v1`` entry may match (several appear while a secret is being rotated).
    The comparison takes constant time.
    """
    raw = body.encode() if isinstance(body, str) else body
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isascii() and value.isdigit():
            timestamp = int(value)
        elif name == SCHEME and value:
            candidates.append(value)
    if timestamp is None or not candidates:
        return False
    current = time.time() if now is None else now
    if tolerance > 0 and abs(current - timestamp) > tolerance:
        return False
    expected = compute_signature(secret, timestamp, raw)
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)
