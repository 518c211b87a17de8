"""The read-through cache of core/cache.py around the views of the app.

The app's dispatch is wrapped: it runs after every ``before_request`` hook and before
every ``after_request`` one. A cached read is answered from Redis or by its view, whose
200 is then stored; a write's generations are bumped before its answer goes out, so the
next read sees it.
"""

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, request

from ..core.cache import HEADER, ResponseCache
from ..core.cache_for import cache_for, scope_of
from ..core.config import Settings


def install_cache(app: Flask, settings: Settings) -> None:
    """Wrap the dispatch of ``app`` in the cache of ``settings`` (none without REDIS_URL)."""
    cache = cache_for(settings)
    app.extensions["response_cache"] = cache
    if cache.enabled:
        # Flask's way to wrap the dispatch of one app is to replace its method.
        app.dispatch_request = _caching(app, cache, settings, app.dispatch_request)  # type: ignore[method-assign]


def _caching(
    app: Flask, cache: ResponseCache, settings: Settings, dispatch: Callable[[], Any]
) -> Callable[[], Response]:
    def dispatch_with_cache() -> Response:
        if cache.reads(request.method, request.path) is None:
            answer = app.make_response(dispatch())
            cache.changed(request.method, request.path, answer.status_code)
            return answer
        caller = scope_of(request.headers.get("Authorization"), settings)
        query = request.query_string.decode("latin-1")
        lookup = cache.lookup(request.path, query, caller)
        if lookup.state == "hit" and lookup.body is not None:
            return Response(lookup.body, mimetype="application/json", headers={HEADER: "hit"})
        answer = app.make_response(dispatch())
        answer.headers[HEADER] = lookup.state
        cache.store(lookup, answer.status_code, answer.get_data())
        return answer

    return dispatch_with_cache
