"""``limited_client``: a test client whose middleware has the limits a test asks for."""

from collections.abc import Callable, Iterator

import pytest
from django.test import override_settings

from tests.client import Client
from tests.redis_server import reachable_redis_url, unique_prefix


@pytest.fixture
def limited_client() -> Iterator[Callable[..., Client]]:
    """Make clients counting in the test Redis, under keys of their own.

    A client loads the middleware (and its limiter) at its first request: each one
    gets the settings in force then.
    """
    overrides: list[override_settings] = []

    def make(
        per_client: int = 600,
        per_account: int = 600,
        trusted_proxies: str = "127.0.0.1",
        redis_url: str | None = None,
    ) -> Client:
        changed = override_settings(
            REDIS_URL=redis_url or reachable_redis_url(),
            RATE_LIMIT_PER_MINUTE=per_client,
            RATE_LIMIT_ACCOUNT_PER_MINUTE=per_account,
            RATE_LIMIT_KEY_PREFIX=unique_prefix(),
            FORWARDED_ALLOW_IPS=trusted_proxies,
        )
        changed.enable()
        overrides.append(changed)
        client = Client()
        client.get("/health")  # loads the middleware with these settings
        return client

    yield make
    for changed in reversed(overrides):
        changed.disable()
