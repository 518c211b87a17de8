"""ASGI middleware: the Prometheus metrics of every request, and ``GET /metrics``.

The route label is the template of the route that took the request (FastAPI's router
leaves it in ``scope["route"]``; an OPTIONS of a documented path gets its template
too), ``unmatched`` when none did. ``/metrics`` is answered here, before the router:
it is no route of the API and stays out of the OpenAPI document, and its own requests
are not counted.
"""

import time

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..core.metrics import (
    CONTENT_TYPE,
    METRICS_PATH,
    UNAUTHORIZED,
    UNMATCHED,
    allowed,
    exposition,
    observe,
)
from .methods import path_pattern


class Metrics:
    """Count and time every HTTP request; answer ``GET /metrics`` (``token``: its bearer)."""

    def __init__(self, app: ASGIApp, token: str = "") -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer /metrics, or pass the request on and count its answer."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == METRICS_PATH and scope["method"] in {"GET", "HEAD"}:
            await self._metrics(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets when the app fails before answering

        async def send_counted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_counted)
        finally:
            observe(scope["method"], _template(scope), status, time.perf_counter() - started)

    async def _metrics(self, scope: Scope, receive: Receive, send: Send) -> None:
        response: Response
        if allowed(Headers(scope=scope).get("authorization"), self.token):
            response = Response(exposition(), media_type=CONTENT_TYPE)
        else:
            response = JSONResponse(
                {"detail": UNAUTHORIZED}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
            )
        await response(scope, receive, send)


def _template(scope: Scope) -> str:
    """The template of the route that took the request, or ``unmatched``."""
    route = scope.get("route")
    if isinstance(route, Route):
        return route.path_format
    if scope["method"] == "OPTIONS":
        # AnswerOptions (api/methods.py) answers OPTIONS before the router, for the paths
        # of the OpenAPI document: the template is the document's path that matches.
        app = scope["app"]
        table = getattr(app.state, "metrics_templates", None)
        if table is None:
            table = [(path_pattern(template), template) for template in app.openapi()["paths"]]
            app.state.metrics_templates = table
        for pattern, template in table:
            if pattern.match(scope["path"]):
                return str(template)
    return UNMATCHED
