"""Helpers shared by the tests: users and tokens through the API."""

import uuid
from typing import Any

PASSWORD = "correct-horse-battery"
Headers = dict[str, str]


def unique_email(prefix: str = "user") -> str:
    """An email no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def register(client: Any, email: str | None = None, password: str = PASSWORD) -> dict[str, Any]:
    """Register a user through the API and return the response body."""
    payload = {"email": email or unique_email(), "password": password}
    response = client.post("/auth/register", json=payload)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def login(client: Any, email: str, password: str = PASSWORD) -> dict[str, Any]:
    """Log in through the API and return the token pair."""
    response = client.post("/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def bearer(token: str) -> Headers:
    """The Authorization header for an access token."""
    return {"Authorization": f"Bearer {token}"}
