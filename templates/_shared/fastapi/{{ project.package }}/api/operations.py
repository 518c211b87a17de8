"""ASGI middleware: the request id, security and CORS headers of core/operations.py.

It wraps the whole application, Starlette's error middleware included, so a 500 carries
them too, and logs the request's line (core/logs.py) and, once, the error of a request
that failed: Starlette's error middleware answers 500 through the app's handler, then
raises again for the server to log, which would say it a second time without the
request id. Handlers read the id from ``request.state.request_id``.
"""

import logging

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..core.logs import bind_request, log_request
from ..core.operations import REQUEST_ID_HEADER, cors_headers, request_id, response_headers

logger = logging.getLogger(__name__)


class Operations:
    """Give every HTTP answer its request id, the security and the CORS headers."""

    def __init__(self, app: ASGIApp, cors: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.cors = cors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the answer's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        rid = request_id(request_headers.get(REQUEST_ID_HEADER))
        scope.setdefault("state", {})["request_id"] = rid
        started = bind_request(rid)
        status = 0  # no answer started yet
        extra = response_headers(rid, secure=scope.get("scheme") == "https")
        if self.cors:
            asks = "access-control-request-method" in request_headers
            preflight = scope["method"] == "OPTIONS" and asks
            extra += cors_headers(request_headers.get("origin"), self.cors, preflight=preflight)

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                for name, value in extra:
                    headers[name] = value
                if self.cors:
                    headers.add_vary_header("Origin")
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            logger.error("unhandled error", exc_info=exc)
            if not status:
                raise
        finally:
            log_request(scope["method"], scope["path"], status or 500, started)
