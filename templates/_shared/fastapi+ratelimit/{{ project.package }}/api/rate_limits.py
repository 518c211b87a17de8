"""ASGI middleware: the shared rate limits of core/ratelimit.py on every request.

Inside api/operations.py's middleware, so a 429 has the request id and its log line.
Redis is asked, and the account's token verified (core/rate_limiter.py), on AnyIO's
thread pool: the event loop never waits for them.
"""

from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..core.config import Settings
from ..core.rate_limiter import account_of
from ..core.ratelimit import RateLimiter, Verdict, client_address


class RateLimits:
    """Count each request; answer 429 past a limit, add the ``RateLimit-*`` headers."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter, settings: Settings) -> None:
        self.app = app
        self.limiter = limiter
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count the request, then refuse it or pass it on."""
        if scope["type"] != "http" or not self.limiter.applies_to(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        peer = scope["client"][0] if scope.get("client") else None
        client = client_address(peer, headers.get("x-forwarded-for"), self.limiter.trusted)
        verdict = await run_in_threadpool(self._check, client, headers.get("authorization"))
        if verdict is None:
            await self.app(scope, receive, send)
            return
        if not verdict.allowed:
            refusal = JSONResponse(verdict.body(), status_code=429, headers=verdict.headers())
            await refusal(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer = MutableHeaders(scope=message)
                for name, value in verdict.headers().items():
                    answer[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _check(self, client: str, authorization: str | None) -> Verdict | None:
        # The account's token is verified here too: with the feature jwks that may fetch
        # the issuer's keys, a wait the event loop must not make.
        return self.limiter.check(client, account_of(authorization, self.settings))
