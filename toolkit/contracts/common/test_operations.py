"""Every kind: liveness and readiness; the request id and security headers on every answer.

``X-Request-ID`` comes back as the client sent it when it is well formed (1 to 128
letters, digits, ``.``, ``_``, ``-``), and as a new uuid4 (hex) otherwise. Over plain
HTTP no answer may claim HSTS; CORS is off unless ``CORS_ORIGINS`` turns it on.
"""

import re
import uuid

import httpx
import pytest

from ..conftest import NO_DELETE, assert_error, unprocessable

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
GENERATED = re.compile(r"[0-9a-f]{32}")


def _answers(api: httpx.Client) -> dict[str, httpx.Response]:
    """One answer of each kind: 200, 404, 405, 422."""
    answers = {
        "200": api.get("/ready"),
        "404": api.get("/no-such-route"),
        "405": api.delete(NO_DELETE),
        "422": unprocessable(api),
    }
    for status, response in answers.items():
        assert str(response.status_code) == status, (status, response.text)
    return answers


def test_health_is_alive_and_ready_says_the_database_is_migrated(api: httpx.Client) -> None:
    health = api.get("/health")
    assert health.status_code == 200 and health.json() == {"status": "ok"}, health.text
    ready = api.get("/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"status": "ok", "database": "ok", "migrations": "ok"}


def test_security_headers_on_every_answer(api: httpx.Client) -> None:
    for status, response in _answers(api).items():
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (status, name, dict(response.headers))
        # Plain HTTP: a browser must not be told to insist on TLS by this answer.
        assert "strict-transport-security" not in response.headers, status


def test_a_request_id_is_generated_for_every_answer(api: httpx.Client) -> None:
    ids = set()
    for status, response in _answers(api).items():
        rid = response.headers.get("x-request-id", "")
        assert GENERATED.fullmatch(rid), (status, rid)
        assert uuid.UUID(hex=rid).version == 4, (status, rid)
        ids.add(rid)
    assert len(ids) == 4, ids


@pytest.mark.parametrize("rid", ["abc-123", "A.b_c-9", "x" * 128, uuid.uuid4().hex])
def test_a_well_formed_request_id_is_echoed(api: httpx.Client, rid: str) -> None:
    assert api.get("/health", headers={"X-Request-ID": rid}).headers["x-request-id"] == rid
    error = api.get("/no-such-route", headers={"X-Request-ID": rid})
    assert_error(error, 404)
    assert error.headers["x-request-id"] == rid


@pytest.mark.parametrize("rid", ["", "x" * 129, "has space", "semi;colon", "slash/ed"])
def test_a_malformed_request_id_is_replaced(api: httpx.Client, rid: str) -> None:
    response = api.get("/health", headers={"X-Request-ID": rid})
    assert response.status_code == 200
    answered = response.headers["x-request-id"]
    assert answered != rid and GENERATED.fullmatch(answered), answered


def test_cors_is_off_by_default(api: httpx.Client) -> None:
    origin = {"Origin": "https://elsewhere.example"}
    simple = api.get("/health", headers=origin)
    preflight = api.options(
        "/auth/login", headers={**origin, "Access-Control-Request-Method": "POST"}
    )
    for response in (simple, preflight):
        allowed = [name for name in response.headers if name.startswith("access-control-")]
        assert allowed == [], (response.status_code, allowed)
