"""Disabling an account ends its tokens for good: enabling it again brings none of them back."""

from typing import Any

from tests.utils import bearer, login, register, unique_email

Tokens = dict[str, str]


def works(client: Any, tokens: Tokens) -> tuple[int, int]:
    """The status of a call with the access token, and of a refresh with the refresh token."""
    me = client.get("/users/me", headers=bearer(tokens["access_token"])).status_code
    refresh = client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    return me, refresh.status_code


def test_enabling_a_disabled_account_brings_no_token_back(client: Any, admin_headers: Any) -> None:
    email = unique_email()
    user_id = register(client, email)["id"]
    laptop, phone = login(client, email), login(client, email)
    rotated = client.post("/auth/refresh", json={"refresh_token": laptop["refresh_token"]})
    assert rotated.status_code == 200
    for active in (False, True):
        response = client.patch(
            f"/users/{user_id}", json={"is_active": active}, headers=admin_headers
        )
        assert response.status_code == 200 and response.json()["is_active"] is active
    assert works(client, rotated.json()) == (401, 401)
    assert works(client, phone) == (401, 401)
    assert works(client, login(client, email)) == (200, 200)


def test_changing_a_role_ends_no_session(client: Any, admin_headers: Any) -> None:
    email = unique_email()
    user_id = register(client, email)["id"]
    tokens = login(client, email)
    response = client.patch(f"/users/{user_id}", json={"role": "admin"}, headers=admin_headers)
    assert response.status_code == 200
    assert works(client, tokens) == (200, 200)
