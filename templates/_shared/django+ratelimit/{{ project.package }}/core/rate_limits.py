"""Middleware: the shared rate limits of core/ratelimit.py on every request.

Right inside core/answer_headers.py's middleware, so a 429 has the request id and its
log line, and no other middleware or view runs for it.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from .errors import AppError
from .ratelimit import Limits, RateLimiter, bearer_token, client_address
from .security import TokenType, decode_token


def limiter_from_settings() -> RateLimiter:
    """The limiter of the settings (``REDIS_URL`` empty: no limits)."""
    return RateLimiter(
        Limits(
            redis_url=settings.REDIS_URL,
            per_client=settings.RATE_LIMIT_PER_MINUTE,
            per_account=settings.RATE_LIMIT_ACCOUNT_PER_MINUTE,
            trusted_proxies=settings.FORWARDED_ALLOW_IPS,
            key_prefix=settings.RATE_LIMIT_KEY_PREFIX,
        )
    )


def _account(request: HttpRequest) -> str | None:
    token = bearer_token(request.headers.get("Authorization"))
    if token is None:
        return None
    try:
        return str(decode_token(token, TokenType.ACCESS)["sub"])
    except AppError:
        return None  # the view answers 401 (503: no key) where it needs a user


class RateLimits:
    """Count each request; answer 429 past a limit, add the ``RateLimit-*`` headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.limiter = limiter_from_settings()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Count the request, then refuse it or pass it on."""
        if not self.limiter.applies_to(request.method or "", request.path):
            return self.get_response(request)
        peer = request.META.get("REMOTE_ADDR")
        forwarded = request.headers.get("X-Forwarded-For")
        client = client_address(peer, forwarded, self.limiter.trusted)
        verdict = self.limiter.check(client, _account(request))
        if verdict is None:
            return self.get_response(request)
        if not verdict.allowed:
            response: HttpResponse = JsonResponse(verdict.body(), status=429)
        else:
            response = self.get_response(request)
        for name, value in verdict.headers().items():
            response[name] = value
        return response
