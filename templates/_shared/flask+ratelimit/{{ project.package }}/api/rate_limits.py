"""The shared rate limits of core/ratelimit.py on every request of the app.

Counted before the request is routed (a 429 goes out without running the view); the
``RateLimit-*`` headers are added to whatever the view answered.
"""

from flask import Flask, Response, g, jsonify, request

from ..core.config import Settings
from ..core.rate_limiter import account_of, limiter_for
from ..core.ratelimit import client_address


def install_rate_limits(app: Flask, settings: Settings) -> None:
    """Register the hooks that count each request on ``app``."""
    limiter = limiter_for(settings)
    app.extensions["rate_limiter"] = limiter

    def count() -> Response | None:
        if not limiter.applies_to(request.method, request.path):
            return None
        forwarded = request.headers.get("X-Forwarded-For")
        client = client_address(request.remote_addr, forwarded, limiter.trusted)
        verdict = limiter.check(client, account_of(request.headers.get("Authorization"), settings))
        if verdict is None:
            return None
        g.rate_limit_headers = verdict.headers()
        if verdict.allowed:
            return None
        response = jsonify(verdict.body())
        response.status_code = 429
        return response

    def add_headers(response: Response) -> Response:
        for name, value in g.get("rate_limit_headers", {}).items():
            response.headers[name] = value
        return response

    app.before_request(count)
    app.after_request(add_headers)
