"""Rate limits shared by every worker process and replica: the counters live in Redis.

Each request outside :data:`UNLIMITED_PATHS` counts against two fixed windows of
``window`` seconds, both in one Lua script (atomic: however many processes count at
once, request N+1 of a window is the first one refused):

- its client's (``RATE_LIMIT_PER_MINUTE``): the peer's address, or, when the peer is a
  trusted proxy (``FORWARDED_ALLOW_IPS``), the nearest address of ``X-Forwarded-For``
  that is not one; the header of any other peer is ignored, so a client cannot choose
  its own address;
- with a valid access token, its account's (``RATE_LIMIT_ACCOUNT_PER_MINUTE``): the
  token's subject, whichever address it comes from.

A window starts with its first request. The answer tells the tighter of the two in
``RateLimit-Limit``, ``RateLimit-Remaining`` and ``RateLimit-Reset`` (seconds), and a
refused request gets 429 with ``Retry-After``. When Redis cannot be reached, requests go
through unlimited (fail open) and a warning is logged; Redis is asked again after
:data:`RETRY_AFTER_FAILURE` seconds, so an outage costs no request more than a timeout.
An empty ``REDIS_URL`` turns the limits off.
"""

import ipaddress
import logging
import math
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

#: Never limited: the probes of the load balancer and the orchestrator.
UNLIMITED_PATHS = frozenset({"/health", "/ready"})
#: Seconds without asking Redis after it failed to answer.
RETRY_AFTER_FAILURE = 5.0
#: How long a request waits for Redis before it goes through unlimited.
REDIS_TIMEOUT = 0.5

# For each key: count this request, start the window on the first one, and return the
# count with the milliseconds left of the window.
_COUNT = """
local answers = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then
    redis.call('PEXPIRE', key, ARGV[1])
  end
  local left = redis.call('PTTL', key)
  if left < 0 then
    redis.call('PEXPIRE', key, ARGV[1])
    left = tonumber(ARGV[1])
  end
  answers[#answers + 1] = count
  answers[#answers + 1] = left
end
return answers
"""

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(setting: str) -> tuple[Network, ...]:
    """The proxies of ``FORWARDED_ALLOW_IPS``: comma-separated addresses or networks, ``*`` any."""
    networks: list[Network] = []
    for item in (part.strip() for part in setting.split(",")):
        if item == "*":
            networks += [ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0")]
        elif item:
            networks.append(ipaddress.ip_network(item, strict=False))
    return tuple(networks)


def _is_trusted(address: str, trusted: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        # A peer without an address (a Unix socket's): trusted where any peer is ("*").
        return any(network.prefixlen == 0 for network in trusted)
    return any(ip in network for network in trusted)


def client_address(peer: str | None, forwarded_for: str | None, trusted: Iterable[Network]) -> str:
    """The address a request's client is counted under.

    The peer's own, unless the peer is a trusted proxy: then the addresses of
    ``X-Forwarded-For`` are read from the nearest one back, and the first that is not a
    trusted proxy is the client's (one that is not an address ends the walk there).
    """
    trusted = tuple(trusted)
    address = peer or "unknown"
    if not forwarded_for or not _is_trusted(address, trusted):
        return address
    for hop in reversed(forwarded_for.split(",")):
        hop = hop.strip()
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return address
        address = hop
        if not _is_trusted(hop, trusted):
            return hop
    return address


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, else None."""
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


@dataclass(frozen=True)
class Verdict:
    """What the limits say of one request, and the headers that tell the client."""

    allowed: bool
    limit: int
    remaining: int
    reset: int

    def headers(self) -> dict[str, str]:
        """``RateLimit-*``, and ``Retry-After`` on a refusal."""
        headers = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.reset)
        return headers

    def body(self) -> dict[str, Any]:
        """The JSON body of the 429 (the project's error form)."""
        return {"detail": f"Too many requests: try again in {self.reset} s"}


@dataclass(frozen=True)
class Limits:
    """The settings of the limits (see the module's docstring)."""

    redis_url: str
    per_client: int
    per_account: int
    trusted_proxies: str = "127.0.0.1"
    key_prefix: str = "ratelimit"
    window: int = 60


class RateLimiter:
    """Counts requests in Redis; one per app (it holds the connection pool)."""

    def __init__(self, limits: Limits, *, clock: Callable[[], float] = time.monotonic):
        self.limits = limits
        self.trusted = trusted_networks(limits.trusted_proxies)
        self._clock = clock
        self._paused_until = 0.0
        self._lock = threading.Lock()
        self._redis: redis.Redis | None = None
        if limits.redis_url:
            self._redis = redis.Redis.from_url(
                limits.redis_url,
                socket_timeout=REDIS_TIMEOUT,
                socket_connect_timeout=REDIS_TIMEOUT,
                # One more try at once (a pooled connection Redis closed), no backoff:
                # redis-py's default retries would keep a request waiting for seconds.
                retry=Retry(NoBackoff(), 1),
            )
            self._count = self._redis.register_script(_COUNT)

    @property
    def enabled(self) -> bool:
        """Whether there are limits at all (``REDIS_URL`` is set)."""
        return self._redis is not None

    def applies_to(self, method: str, path: str) -> bool:
        """Whether a request counts: not the probes, nor a CORS preflight."""
        return self.enabled and method != "OPTIONS" and path not in UNLIMITED_PATHS

    def check(self, client: str, account: str | None = None) -> Verdict | None:
        """Count a request of ``client`` (and of ``account``, if signed in).

        Returns:
            The verdict, or None when Redis did not answer (the request goes through).
        """
        if self._redis is None or self._clock() < self._paused_until:
            return None
        prefix = self.limits.key_prefix or "ratelimit"
        checks = [(f"{prefix}:client:{client}", self.limits.per_client)]
        if account is not None:
            checks.append((f"{prefix}:account:{account}", self.limits.per_account))
        window_ms = self.limits.window * 1000
        try:
            answers = self._count(keys=[key for key, _ in checks], args=[window_ms])
        except (redis.RedisError, OSError) as exc:
            self._pause(exc)
            return None
        verdicts = []
        for (_, limit), count, left in zip(checks, answers[::2], answers[1::2], strict=True):
            reset = max(1, math.ceil(int(left) / 1000))
            allowed = int(count) <= limit
            verdicts.append(Verdict(allowed, limit, max(0, limit - int(count)), reset))
        refused = [v for v in verdicts if not v.allowed]
        if refused:
            return max(refused, key=lambda v: v.reset)
        return min(verdicts, key=lambda v: (v.remaining, -v.reset))

    def _pause(self, exc: BaseException) -> None:
        with self._lock:
            if self._clock() < self._paused_until:
                return
            self._paused_until = self._clock() + RETRY_AFTER_FAILURE
        logger.warning(
            "rate limits are off for %.0f s in process %d: Redis cannot be reached (%s: %s)",
            RETRY_AFTER_FAILURE,
            os.getpid(),
            type(exc).__name__,
            exc,
        )

    def close(self) -> None:
        """Close the connections to Redis."""
        if self._redis is not None:
            self._redis.close()
