"""Every kind: admins list users, change roles, and disable accounts."""

import httpx

from ..conftest import ISSUER, Account, assert_error, error_fields, with_role


def test_only_admins_manage_users(api: httpx.Client, user: Account) -> None:
    assert_error(api.get("/users", headers=user.headers), 403)
    assert_error(api.patch("/users/1", json={"is_active": False}, headers=user.headers), 403)
    assert_error(api.get("/users"), 401)


def test_admin_lists_users(api: httpx.Client, admin: Account, user: Account) -> None:
    page = api.get("/users", params={"limit": 100}, headers=admin.headers).json()
    assert set(page) == {"items", "total", "limit", "offset"}
    assert page["total"] >= 2
    if ISSUER is not None:
        # The issuer's admin is one by its token's roles; its stored role stays the
        # kind's default. A user made admin through the API is one stored as such.
        with_role(api, admin, user, "admin")
    filtered = api.get("/users", params={"role": "admin"}, headers=admin.headers).json()
    assert {item["role"] for item in filtered["items"]} == {"admin"}


def test_admin_disables_a_user_and_their_tokens_stop_working(
    api: httpx.Client, admin: Account, user: Account
) -> None:
    me = api.get("/users/me", headers=user.headers).json()
    response = api.patch(f"/users/{me['id']}", json={"is_active": False}, headers=admin.headers)
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert_error(api.get("/users/me", headers=user.headers), 401)
    if user.password:  # a service of its own credentials: no new sign-in either
        again = api.post("/auth/login", json={"email": user.email, "password": user.password})
        assert again.status_code in {401, 403}


def test_admin_cannot_lock_themselves_out(api: httpx.Client, admin: Account) -> None:
    me = api.get("/users/me", headers=admin.headers).json()
    assert_error(
        api.patch(f"/users/{me['id']}", json={"is_active": False}, headers=admin.headers), 409
    )


def test_user_management_errors(api: httpx.Client, admin: Account, user: Account) -> None:
    assert_error(api.get("/users/999999999", headers=admin.headers), 404)
    me = api.get("/users/me", headers=user.headers).json()
    assert "role" in error_fields(
        api.patch(f"/users/{me['id']}", json={"role": "emperor"}, headers=admin.headers)
    )
