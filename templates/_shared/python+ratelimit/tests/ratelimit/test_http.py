"""The rate limits on the HTTP answers: headers, the 429, accounts, probes, Redis down.

``limited_client(**limits)`` (tests/ratelimit/conftest.py of each framework) makes a
client of an app with these limits, counting in the test Redis under keys of its own.
"""

import logging
from collections.abc import Callable
from typing import Any

import pytest

from tests.redis_server import UNREACHABLE_REDIS_URL

Limited = Callable[..., Any]
#: A route every project has, that needs neither the database nor a user.
ROUTE = "/openapi.json"


def test_answers_tell_the_limit_and_the_429_says_when_to_come_back(
    limited_client: Limited,
) -> None:
    client = limited_client(per_client=2)
    first, second, third = (client.get(ROUTE) for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (200, 200, 429)
    assert first.headers["RateLimit-Limit"] == "2"
    assert first.headers["RateLimit-Remaining"] == "1"
    assert second.headers["RateLimit-Remaining"] == "0"
    assert 0 < int(first.headers["RateLimit-Reset"]) <= 60
    assert "Retry-After" not in second.headers
    assert third.headers["RateLimit-Remaining"] == "0"
    assert third.headers["Retry-After"] == third.headers["RateLimit-Reset"]
    assert third.headers["Content-Type"].startswith("application/json")
    wait = third.headers["Retry-After"]
    assert third.json() == {"detail": f"Too many requests: try again in {wait} s"}
    assert third.headers["X-Request-ID"]


def test_health_and_ready_are_never_limited(limited_client: Limited) -> None:
    client = limited_client(per_client=1)
    assert client.get(ROUTE).status_code == 200
    assert client.get(ROUTE).status_code == 429
    for _ in range(3):
        health = client.get("/health")
        assert health.status_code == 200
        assert "RateLimit-Limit" not in health.headers


def test_an_account_has_its_own_limit(
    limited_client: Limited, sign_access_token: Callable[..., str]
) -> None:
    client = limited_client(per_client=100, per_account=2)
    token = sign_access_token("7")
    signed_in = {"Authorization": f"Bearer {token}"}
    answers = [client.get(ROUTE, headers=signed_in) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[0].headers["RateLimit-Limit"] == "2"
    # The same client without the token is within its own limit.
    anonymous = client.get(ROUTE)
    assert anonymous.status_code == 200 and anonymous.headers["RateLimit-Limit"] == "100"
    # A token that is not valid counts for the client alone.
    forged = client.get(ROUTE, headers={"Authorization": "Bearer not.a.token"})
    assert forged.status_code == 200 and forged.headers["RateLimit-Limit"] == "100"
    # Nor does one that names the spent account under another token's signature: the
    # account is read from a verified token only, so none can spend another's requests.
    signature = sign_access_token("8").rsplit(".", 1)[1]
    named = {"Authorization": f"Bearer {token.rsplit('.', 1)[0]}.{signature}"}
    forged = client.get(ROUTE, headers=named)
    assert forged.status_code == 200 and forged.headers["RateLimit-Limit"] == "100"


def test_x_forwarded_for_counts_only_from_a_trusted_proxy(limited_client: Limited) -> None:
    ignored = limited_client(per_client=1, trusted_proxies="192.0.2.250")
    assert ignored.get(ROUTE, headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 200
    # Another address in the header is no other client: the peer is counted.
    assert ignored.get(ROUTE, headers={"X-Forwarded-For": "203.0.113.2"}).status_code == 429
    trusted = limited_client(per_client=1, trusted_proxies="*")
    assert trusted.get(ROUTE, headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 200
    assert trusted.get(ROUTE, headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 429
    assert trusted.get(ROUTE, headers={"X-Forwarded-For": "203.0.113.2"}).status_code == 200


def test_redis_down_the_service_answers_unlimited_and_logs_a_warning(
    limited_client: Limited, caplog: pytest.LogCaptureFixture
) -> None:
    client = limited_client(per_client=1, redis_url=UNREACHABLE_REDIS_URL)
    with caplog.at_level(logging.WARNING):
        answers = [client.get(ROUTE) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert all("RateLimit-Limit" not in a.headers for a in answers)
    assert any("Redis cannot be reached" in r.getMessage() for r in caplog.records)
