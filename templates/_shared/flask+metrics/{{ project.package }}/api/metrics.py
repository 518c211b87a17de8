"""The Prometheus metrics of every request, and ``GET /metrics``.

The route label is the template of the rule that took the request, as the OpenAPI
document spells it (``/tasks/<int:task_id>`` is ``/tasks/{task_id}``), ``unmatched``
when none did. ``/metrics`` is answered before routing: it is no route of the API and
stays out of the OpenAPI document, and its own requests are not counted.
"""

import time

from flask import Flask, Response, g, jsonify, request

from ..core.metrics import (
    CONTENT_TYPE,
    METRICS_PATH,
    UNAUTHORIZED,
    UNMATCHED,
    allowed,
    exposition,
    observe,
    route_template,
)


def install_metrics(app: Flask, token: str) -> None:
    """Register the hooks on ``app``; ``token`` is the bearer /metrics asks for, if any."""

    def answer_metrics() -> Response | None:
        if request.path != METRICS_PATH or request.method not in {"GET", "HEAD"}:
            g.metrics_started = time.perf_counter()
            return None
        if allowed(request.headers.get("Authorization"), token):
            return Response(exposition(), content_type=CONTENT_TYPE)
        response = jsonify({"detail": UNAUTHORIZED})
        response.status_code = 401
        response.headers["WWW-Authenticate"] = "Bearer"
        return response

    def count(response: Response) -> Response:
        started = g.get("metrics_started")
        if started is not None:
            rule = request.url_rule
            route = UNMATCHED if rule is None else route_template(rule.rule)
            observe(request.method, route, response.status_code, time.perf_counter() - started)
        return response

    app.before_request(answer_metrics)
    app.after_request(count)
