"""The shared rate limits of core/ratelimit.py on every request of the app.

Counted before the request is routed (a 429 goes out without running the view); the
``RateLimit-*`` headers are added to whatever the view answered.
"""

from flask import Flask, Response, g, jsonify, request

from ..core.config import Settings
from ..core.errors import AppError
from ..core.ratelimit import Limits, RateLimiter, bearer_token, client_address
from ..core.security import TokenType, decode_token


def limiter_for(settings: Settings) -> RateLimiter:
    """The limiter of ``settings`` (``REDIS_URL`` empty: no limits)."""
    return RateLimiter(
        Limits(
            redis_url=settings.redis_url,
            per_client=settings.rate_limit_per_minute,
            per_account=settings.rate_limit_account_per_minute,
            trusted_proxies=settings.forwarded_allow_ips,
            key_prefix=settings.rate_limit_key_prefix,
        )
    )


def install_rate_limits(app: Flask, settings: Settings) -> None:
    """Register the hooks that count each request on ``app``."""
    limiter = limiter_for(settings)
    app.extensions["rate_limiter"] = limiter

    def account() -> str | None:
        token = bearer_token(request.headers.get("Authorization"))
        if token is None:
            return None
        try:
            return str(decode_token(token, TokenType.ACCESS, settings)["sub"])
        except AppError:
            return None  # the route answers 401 where it needs a user

    def count() -> Response | None:
        if not limiter.applies_to(request.method, request.path):
            return None
        forwarded = request.headers.get("X-Forwarded-For")
        client = client_address(request.remote_addr, forwarded, limiter.trusted)
        verdict = limiter.check(client, account())
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
