"""ASGI middleware: the read-through cache of core/cache.py around the routes.

A cached read is answered from Redis or passed on and its 200 stored; a write's
generations are bumped before its answer starts, so the next read sees it. Redis is
asked, and the caller's token checked, on AnyIO's thread pool: the event loop never
waits for them.
"""

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..core.cache import HEADER, Lookup, ResponseCache
from ..core.cache_for import scope_of
from ..core.config import Settings


class ResponseCaching:
    """Answer cached reads from Redis, store their 200s, and bump what writes change."""

    def __init__(self, app: ASGIApp, cache: ResponseCache, settings: Settings) -> None:
        self.app = app
        self.cache = cache
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve, pass on and store, or pass on and bump."""
        if scope["type"] != "http" or not self.cache.enabled:
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        if self.cache.reads(method, path) is None:
            await self.app(scope, receive, self._bumping(method, path, send))
            return
        authorization = Headers(scope=scope).get("authorization")
        query = scope.get("query_string", b"").decode("latin-1")
        lookup = await run_in_threadpool(self._lookup, path, query, authorization)
        if lookup.state == "hit" and lookup.body is not None:
            hit = Response(lookup.body, media_type="application/json", headers={HEADER: "hit"})
            await hit(scope, receive, send)
            return
        status = 0
        body: list[bytes] = []

        async def send_and_keep(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[HEADER] = lookup.state
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await run_in_threadpool(self.cache.store, lookup, status, b"".join(body))
            await send(message)

        await self.app(scope, receive, send_and_keep)

    def _lookup(self, path: str, query: str, authorization: str | None) -> Lookup:
        # The caller's token is checked here too: with the feature jwks that may fetch
        # the issuer's keys, which the event loop must not wait for.
        return self.cache.lookup(path, query, scope_of(authorization, self.settings))

    def _bumping(self, method: str, path: str, send: Send) -> Send:
        async def send_after_bump(message: Message) -> None:
            if message["type"] == "http.response.start":
                await run_in_threadpool(self.cache.changed, method, path, message["status"])
            await send(message)

        return send_after_bump
