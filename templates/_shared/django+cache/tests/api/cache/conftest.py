"""``cached_client``: a test client whose middleware caches in the test Redis."""

from collections.abc import Callable, Iterator

import pytest
from django.test import override_settings

from tests.client import Client
from tests.redis_server import reachable_redis_url, unique_prefix


@pytest.fixture
def cached_client() -> Iterator[Callable[..., Client]]:
    """Make clients caching in the test Redis, under keys of their own.

    A client loads the middleware (and its cache) at its first request: each one gets
    the settings in force then.
    """
    overrides: list[override_settings] = []

    def make(redis_url: str | None = None, prefix: str | None = None) -> Client:
        changed = override_settings(
            REDIS_URL=redis_url or reachable_redis_url(),
            CACHE_KEY_PREFIX=prefix or unique_prefix(),
        )
        changed.enable()
        overrides.append(changed)
        client = Client()
        client.get("/health")  # loads the middleware with these settings
        return client

    yield make
    for changed in reversed(overrides):
        changed.disable()
