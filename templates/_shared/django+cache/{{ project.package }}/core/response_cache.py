"""Middleware: the read-through cache of core/cache.py around the views.

The innermost middleware: a cached read is answered from Redis or by its view, whose
200 is then stored; a write's generations are bumped once its view (and transaction)
is done, before its answer goes out, so the next read sees it.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .cache import HEADER, CacheSettings, ResponseCache, caller_scope
from .security import TokenType, decode_token


def cache_from_settings() -> ResponseCache:
    """The cache of the settings (``REDIS_URL`` empty: no cache)."""
    return ResponseCache(
        CacheSettings(
            redis_url=settings.REDIS_URL,
            ttl=settings.CACHE_TTL_SECONDS,
            key_prefix=settings.CACHE_KEY_PREFIX,
        )
    )


class ResponseCaching:
    """Answer cached reads from Redis, store their 200s, and bump what writes change."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.cache = cache_from_settings()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Serve, pass on and store, or pass on and bump."""
        method = request.method or ""
        if self.cache.reads(method, request.path) is None:
            answer = self.get_response(request)
            self.cache.changed(method, request.path, answer.status_code)
            return answer
        caller = caller_scope(
            request.headers.get("Authorization"),
            lambda token: decode_token(token, TokenType.ACCESS),
        )
        lookup = self.cache.lookup(request.path, request.META.get("QUERY_STRING", ""), caller)
        if lookup.state == "hit" and lookup.body is not None:
            hit = HttpResponse(lookup.body, content_type="application/json")
            hit[HEADER] = "hit"
            return hit
        answer = self.get_response(request)
        answer[HEADER] = lookup.state
        if not answer.streaming:
            self.cache.store(lookup, answer.status_code, answer.content)
        return answer
