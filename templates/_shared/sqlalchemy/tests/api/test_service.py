"""Health, the OpenAPI document and the error format of unknown routes."""

from typing import Any


def test_health(client: Any) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_openapi_document_lists_the_api(client: Any) -> None:
    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert {"/auth/register", "/auth/login", "/auth/refresh", "/users/me"} <= set(document["paths"])


def test_unknown_route_is_a_json_404(client: Any) -> None:
    response = client.get("/no-such-route")
    assert response.status_code == 404
    assert isinstance(response.json()["detail"], str)


def test_wrong_method_is_a_json_405(client: Any) -> None:
    response = client.delete("/auth/login")
    assert response.status_code == 405
    assert isinstance(response.json()["detail"], str)


def test_nul_characters_are_refused_not_stored(client: Any) -> None:
    payload = {"email": "a@example.com", "password": "x\u0000" * 8}
    response = client.post("/auth/register", json=payload)
    assert response.status_code == 422
