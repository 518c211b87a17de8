"""Prometheus metrics of the HTTP requests, written once for FastAPI, Flask and Django.

Each framework's glue times a request, finds its route template (the path as the
OpenAPI document spells it, ``/tasks/{task_id}``; ``unmatched`` when no route took the
request, so scanners make no new series) and calls :func:`observe`; it answers
``GET /metrics`` with :func:`exposition`, after :func:`allowed` checked the token.

Under gunicorn every worker process counts its own requests into files of
``PROMETHEUS_MULTIPROC_DIR`` (gunicorn.conf.py makes a private one when it is unset),
and ``/metrics`` adds them up, whichever worker answers it. Without that variable (the
tests, a development server) the counts live in the process.
"""

import hmac
import os
import re

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

METRICS_PATH = "/metrics"
#: The Prometheus text format, version 0.0.4 (what every Prometheus server reads).
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
#: The route label of a request that no route answered (a 404 of an unknown path, a 405).
UNMATCHED = "unmatched"
UNAUTHORIZED = "a valid bearer token is required to read the metrics"

REQUESTS = Counter(
    "http_requests_total",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
)
DURATION = Histogram(
    "http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template",
    ["method", "route"],
)

# A path argument as Flask and Django's path() write it (<int:task_id>, <name>), or as
# a regular expression of Django's re_path() and DRF's routers write it ((?P<pk>[0-9]+)).
_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)")


def route_template(pattern: str) -> str:
    """The OpenAPI spelling of a framework's route pattern: ``/tasks/{task_id}``."""
    path = _ARGUMENT.sub(lambda m: "{" + (m["name"] or m["group"]) + "}", pattern)
    path = path.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    return path if path.startswith("/") else f"/{path}"


def observe(method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request and its duration.

    A 405 is a request that no route answers, as a 404 is (and on every stack alike:
    some frameworks route it to the path's template first, others do not).
    """
    route = UNMATCHED if status == 405 else route
    REQUESTS.labels(method, route, str(status)).inc()
    DURATION.labels(method, route).observe(seconds)


def allowed(authorization: str | None, token: str) -> bool:
    """Whether a request may read the metrics: any, without a token; else its bearer."""
    if not token:
        return True
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def exposition() -> bytes:
    """The metrics in the text format: of every worker process, or of this one."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        # prometheus-client declares no types for this constructor.
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)
