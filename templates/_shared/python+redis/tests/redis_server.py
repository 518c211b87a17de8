"""The Redis of the tests that need one: TEST_REDIS_URL, else the one on localhost.

Each test keeps its keys under a prefix of its own, so runs may share one Redis.
"""

import os
import uuid

import redis

from tests.needs import skip_or_fail

#: Nothing listens there: the URL of a Redis that is down.
UNREACHABLE_REDIS_URL = "redis://127.0.0.1:1/0"


def reachable_redis_url() -> str:
    """The test Redis's URL, once it answers; else skip (fail under CI)."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        skip_or_fail(f"no Redis at {url} for these tests ({exc}); set TEST_REDIS_URL")
    finally:
        client.close()
    return url


def unique_prefix() -> str:
    """A key prefix no other test uses."""
    return f"test-{uuid.uuid4().hex}"
