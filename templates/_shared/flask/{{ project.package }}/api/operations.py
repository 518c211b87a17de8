"""The request id, security and CORS headers of core/operations.py on every answer.

The id is chosen before the request is routed (``g.request_id`` for the handlers) and
the headers are set after every answer, the error handlers' included; then the
request's line is logged (core/logs.py).
"""

from flask import Flask, Response, g, request

from ..core.logs import bind_request, log_request
from ..core.operations import (
    REQUEST_ID_HEADER,
    cors_headers,
    cors_origins,
    request_id,
    response_headers,
)


def _choose_request_id() -> None:
    g.request_id = request_id(request.headers.get(REQUEST_ID_HEADER))
    g.request_started = bind_request(g.request_id)


def install_operations(app: Flask, cors_setting: str) -> None:
    """Register the hooks on ``app``; ``cors_setting`` is ``CORS_ORIGINS``."""
    cors = cors_origins(cors_setting)

    def add_headers(response: Response) -> Response:
        rid = g.get("request_id") or request_id(request.headers.get(REQUEST_ID_HEADER))
        extra = response_headers(rid, secure=request.is_secure)
        if cors:
            asks = "Access-Control-Request-Method" in request.headers
            preflight = request.method == "OPTIONS" and asks
            extra += cors_headers(request.headers.get("Origin"), cors, preflight=preflight)
            response.vary.add("Origin")
        for name, value in extra:
            response.headers[name] = value
        started = g.get("request_started") or bind_request(rid)
        log_request(request.method, request.path, response.status_code, started)
        return response

    app.before_request(_choose_request_id)
    app.after_request(add_headers)
