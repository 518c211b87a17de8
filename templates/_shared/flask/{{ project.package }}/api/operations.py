"""The request id and security headers of core/operations.py on every answer.

The id is chosen before the request is routed (``g.request_id`` for the handlers) and
the headers are set after every answer, the error handlers' included.
"""

from flask import Flask, Response, g, request

from ..core.operations import REQUEST_ID_HEADER, request_id, response_headers


def _choose_request_id() -> None:
    g.request_id = request_id(request.headers.get(REQUEST_ID_HEADER))


def _add_headers(response: Response) -> Response:
    rid = g.get("request_id") or request_id(request.headers.get(REQUEST_ID_HEADER))
    for name, value in response_headers(rid, secure=request.is_secure):
        response.headers[name] = value
    return response


def install_operations(app: Flask) -> None:
    """Register the hooks on ``app``."""
    app.before_request(_choose_request_id)
    app.after_request(_add_headers)
