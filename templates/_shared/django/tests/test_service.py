"""Health, readiness, the OpenAPI document, and JSON errors for unknown routes and methods."""

from typing import Any
from unittest import mock

from django.db import DatabaseError, OperationalError


def test_health_is_liveness_without_the_database(client: Any) -> None:
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=DatabaseError):
        response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_when_the_database_answers_migrated(client: Any) -> None:
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}


def test_not_ready_while_the_database_is_down(client: Any) -> None:
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=DatabaseError):
        response = client.get("/ready")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "error",
        "migrations": "unknown",
    }


def test_a_request_that_needs_the_database_answers_503_while_it_is_down(client: Any) -> None:
    # What the drivers raise when the server is gone or the connection was lost.
    down = OperationalError("connection refused")
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=down):
        response = client.post(
            "/auth/login", json={"email": "someone@example.com", "password": "a-password-1"}
        )
    assert response.status_code == 503
    assert response.json() == {"detail": "Service unavailable: the database cannot be reached"}


def test_not_ready_while_a_migration_is_pending(client: Any) -> None:
    plan = [("a migration", False)]
    with mock.patch(
        "django.db.migrations.executor.MigrationExecutor.migration_plan", return_value=plan
    ):
        response = client.get("/ready")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "migrations": "pending",
    }


def test_openapi_lists_the_endpoints(client: Any) -> None:
    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert {"/health", "/auth/register", "/auth/login", "/auth/refresh", "/users/me"} <= set(
        document["paths"]
    )
    assert set(document["paths"]["/users/{user_id}"]) == {"get", "patch"}


def test_unknown_routes_and_methods_are_json(client: Any) -> None:
    for method in ("get", "post", "delete"):
        response = getattr(client, method)("/no-such-route")
        assert response.status_code == 404 and response.json() == {"detail": "Not found"}
    assert client.get("/users/me/").status_code == 404
    wrong = client.delete("/auth/login")
    assert wrong.status_code == 405 and isinstance(wrong.json()["detail"], str)
