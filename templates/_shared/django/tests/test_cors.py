"""CORS_ORIGINS turns CORS on for the origins it lists, and for no other."""

from typing import Any

import pytest

ALLOWED = "https://app.example.com"


@pytest.fixture(autouse=True)
def _cors_on(settings: Any) -> None:
    settings.CORS_ORIGINS = f" {ALLOWED}/, https://b.example"  # spaces, a trailing slash


def test_a_listed_origin_may_call_and_read_the_request_id(client: Any) -> None:
    response = client.get("/health", headers={"Origin": ALLOWED})
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert response.headers["Access-Control-Expose-Headers"] == "X-Request-ID"
    assert "Origin" in response.headers["Vary"]


def test_a_preflight_from_a_listed_origin_names_methods_and_headers(client: Any) -> None:
    preflight = {"Origin": ALLOWED, "Access-Control-Request-Method": "POST"}
    response = client.request("OPTIONS", "/auth/login", headers=preflight)
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]


def test_another_origin_gets_no_cors_header(client: Any) -> None:
    response = client.get("/health", headers={"Origin": "https://evil.example"})
    assert response.status_code == 200
    assert not [name for name, _ in response.headers.items() if name.lower().startswith("access-")]
