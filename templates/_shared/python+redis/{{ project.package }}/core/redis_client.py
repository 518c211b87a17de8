"""The Redis of the features that use it (rate limits, cache), failing open.

A request never waits long for Redis, nor fails because of it: each command has
:data:`REDIS_TIMEOUT` seconds; when Redis does not answer, the caller goes on without it
(its feature is off for that request), a warning is logged once, and Redis is left
alone for :data:`RETRY_AFTER_FAILURE` seconds, so an outage costs no request more than a
timeout. One :class:`FailOpenRedis` per feature and process (it holds the connections).
"""

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

#: Seconds without asking Redis after it failed to answer.
RETRY_AFTER_FAILURE = 5.0
#: How long a request waits for Redis before it goes on without it.
REDIS_TIMEOUT = 0.5

T = TypeVar("T")


class FailOpenRedis:
    """A Redis client that a feature uses while Redis answers, and does without when not.

    Args:
        url: ``REDIS_URL``; empty: no Redis (:attr:`enabled` is false).
        off: What an outage turns off, for the warning (``rate limits are off``).
        clock: Seconds, for the pause after a failure (tests pass their own).
    """

    def __init__(self, url: str, off: str, *, clock: Callable[[], float] = time.monotonic):
        self.off = off
        self._clock = clock
        self._paused_until = 0.0
        self._lock = threading.Lock()
        self.client: redis.Redis | None = None
        if url:
            self.client = redis.Redis.from_url(
                url,
                socket_timeout=REDIS_TIMEOUT,
                socket_connect_timeout=REDIS_TIMEOUT,
                # One more try at once (a pooled connection Redis closed), no backoff:
                # redis-py's default retries would keep a request waiting for seconds.
                retry=Retry(NoBackoff(), 1),
            )

    @property
    def enabled(self) -> bool:
        """Whether there is a Redis at all (``REDIS_URL`` is set)."""
        return self.client is not None

    def run(self, command: Callable[[redis.Redis], T]) -> T | None:
        """Run ``command`` on the client; None when there is no Redis or it did not answer."""
        if self.client is None or self._clock() < self._paused_until:
            return None
        try:
            return command(self.client)
        except (redis.RedisError, OSError) as exc:
            self._pause(exc)
            return None

    def _pause(self, exc: BaseException) -> None:
        with self._lock:
            if self._clock() < self._paused_until:
                return
            self._paused_until = self._clock() + RETRY_AFTER_FAILURE
        logger.warning(
            "%s for %.0f s in process %d: Redis cannot be reached (%s: %s)",
            self.off,
            RETRY_AFTER_FAILURE,
            os.getpid(),
            type(exc).__name__,
            exc,
        )

    def close(self) -> None:
        """Close the connections to Redis."""
        if self.client is not None:
            self.client.close()
