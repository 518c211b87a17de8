"""What every response carries, whatever the framework: a request id and security headers.

Each framework layer calls these from its own middleware, so FastAPI, Flask and
Django answer alike (and as the Express stack does):

- ``X-Request-ID``: the client's, when it is 1 to 128 letters, digits, dots,
  underscores or hyphens; a fresh uuid4 (hex) otherwise. Every answer returns it.
- ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY`` and
  ``Referrer-Policy: no-referrer`` on every answer; ``Strict-Transport-Security``
  only on a request that came over TLS (as the server tells it: gunicorn believes
  ``X-Forwarded-Proto`` from the proxies in ``FORWARDED_ALLOW_IPS``).
"""

import re
import uuid

REQUEST_ID_HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{1,128}")

SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def request_id(incoming: str | None) -> str:
    """The client's request id when it is well formed, else a new one."""
    if incoming is not None and _WELL_FORMED.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def response_headers(request_id: str, *, secure: bool) -> list[tuple[str, str]]:
    """The headers every answer carries (HSTS only when the request came over TLS)."""
    headers = [(REQUEST_ID_HEADER, request_id), *SECURITY_HEADERS]
    if secure:
        headers.append(HSTS)
    return headers
