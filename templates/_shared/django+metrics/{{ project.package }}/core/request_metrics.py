"""Middleware: the Prometheus metrics of every request, and ``GET /metrics``.

The route label is the pattern of the URL that took the request, as the OpenAPI
document spells it (``tasks/(?P<task_id>[0-9]+)$`` is ``/tasks/{task_id}``); the
catch-all that answers the JSON 404 (an empty pattern) is ``unmatched``; an answer
made before URL resolution (OPTIONS) gets the pattern its path resolves to.
``/metrics`` is answered here, before URL resolution: it is no route of the API and
stays out of the OpenAPI document, and its own requests are not counted. The token is
``settings.METRICS_TOKEN``.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import resolve

from .metrics import (
    CONTENT_TYPE,
    METRICS_PATH,
    UNAUTHORIZED,
    UNMATCHED,
    allowed,
    exposition,
    observe,
    route_template,
)


class RequestMetrics:
    """Count and time every request; answer ``GET /metrics``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Answer /metrics, or pass the request on and count its answer."""
        # HttpRequest.method is None only on a request built by hand, never on a served one.
        method = request.method or ""
        if request.path == METRICS_PATH and method in {"GET", "HEAD"}:
            return self._metrics(request)
        started = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        if match is None:
            # Answered before URL resolution (an OPTIONS of core/methods.py): the URL of its
            # path. The catch-all 404 resolves every path.
            match = resolve(request.path_info)
        route = route_template(match.route) if match.route else UNMATCHED
        observe(method, route, response.status_code, time.perf_counter() - started)
        return response

    def _metrics(self, request: HttpRequest) -> HttpResponse:
        if allowed(request.headers.get("Authorization"), settings.METRICS_TOKEN):
            return HttpResponse(exposition(), content_type=CONTENT_TYPE)
        response = JsonResponse({"detail": UNAUTHORIZED}, status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response
