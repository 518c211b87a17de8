"""What every response carries, whatever the framework: a request id and security headers.

Each framework layer calls these from its own middleware, so FastAPI, Flask and
Django answer alike (and as the Express stack does):

- ``X-Request-ID``: the client's, when it is 1 to 128 letters, digits, dots,
  underscores or hyphens; a fresh uuid4 (hex) otherwise. Every answer returns it.
- ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY`` and
  ``Referrer-Policy: no-referrer`` on every answer; ``Strict-Transport-Security``
  only on a request that came over TLS (as the server tells it: gunicorn believes
  ``X-Forwarded-Proto`` from the proxies in ``FORWARDED_ALLOW_IPS``).
- CORS, off unless ``CORS_ORIGINS`` lists origins: a request from a listed origin gets
  ``Access-Control-Allow-Origin`` (and ``Vary: Origin``, which the framework adds), a
  preflight (``OPTIONS`` with ``Access-Control-Request-Method``) also the methods and
  headers it may use. Other origins get nothing, so browsers refuse them.
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


CORS_METHODS = "GET, POST, PUT, PATCH, DELETE"
CORS_HEADERS = "Authorization, Content-Type, X-Request-ID"
CORS_MAX_AGE = "600"


def cors_origins(setting: str) -> frozenset[str]:
    """The origins of a comma-separated ``CORS_ORIGINS`` (empty: CORS is off)."""
    return frozenset(part.strip().rstrip("/") for part in setting.split(",") if part.strip())


def cors_headers(
    origin: str | None, allowed: frozenset[str], *, preflight: bool
) -> list[tuple[str, str]]:
    """The CORS headers of an answer to ``origin`` (none unless it is allowed)."""
    if origin is None or origin not in allowed:
        return []
    headers = [("Access-Control-Allow-Origin", origin)]
    if preflight:
        headers += [
            ("Access-Control-Allow-Methods", CORS_METHODS),
            ("Access-Control-Allow-Headers", CORS_HEADERS),
            ("Access-Control-Max-Age", CORS_MAX_AGE),
        ]
    else:
        headers.append(("Access-Control-Expose-Headers", REQUEST_ID_HEADER))
    return headers
