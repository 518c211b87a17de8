"""Refresh tokens rotate, a replay revokes the session, logout and password changes end it."""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from ..conftest import PASSWORD, Account, assert_error, error_fields, sign_in
from .tokens import bearer, refresh

NEW_PASSWORD = "contract-password-2"


def alive(api: httpx.Client, access_token: str) -> bool:
    status = api.get("/users/me", headers=bearer(access_token)).status_code
    assert status in {200, 401}, status
    return status == 200


def test_a_refresh_token_works_once_and_a_replay_ends_the_session(
    api: httpx.Client, user: Account
) -> None:
    rotated = refresh(api, user.refresh_token)
    assert rotated.status_code == 200
    newest = rotated.json()
    assert newest["refresh_token"] != user.refresh_token
    assert alive(api, newest["access_token"])
    assert_error(refresh(api, user.refresh_token), 401)
    # The replay revoked the whole family: the newest tokens stop working too.
    assert_error(refresh(api, newest["refresh_token"]), 401)
    assert not alive(api, newest["access_token"])


def test_concurrent_uses_of_one_refresh_token_let_one_through(base_url: str, user: Account) -> None:
    def use(_: int) -> int:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            return refresh(client, user.refresh_token).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(use, range(6)))
    assert statuses == [200] + [401] * 5, statuses


def test_a_replay_ends_only_its_own_session(
    api: httpx.Client, new_account: Callable[[], Account]
) -> None:
    laptop = new_account()
    phone = sign_in(api, laptop.email, PASSWORD)
    assert refresh(api, laptop.refresh_token).status_code == 200
    assert_error(refresh(api, laptop.refresh_token), 401)
    assert alive(api, phone.access_token)
    assert refresh(api, phone.refresh_token).status_code == 200


def test_logout_ends_the_session_of_the_refresh_token(
    api: httpx.Client, new_account: Callable[[], Account]
) -> None:
    laptop = new_account()
    phone = sign_in(api, laptop.email, PASSWORD)
    payload = {"refresh_token": laptop.refresh_token}
    response = api.post("/auth/logout", json=payload, headers=laptop.headers)
    assert response.status_code == 204
    assert_error(refresh(api, laptop.refresh_token), 401)
    assert not alive(api, laptop.access_token)
    assert alive(api, phone.access_token)


def test_logout_with_no_token_ends_every_session(
    api: httpx.Client, new_account: Callable[[], Account]
) -> None:
    laptop = new_account()
    phone = sign_in(api, laptop.email, PASSWORD)
    assert api.post("/auth/logout", json={}, headers=phone.headers).status_code == 204
    for account in (laptop, phone):
        assert not alive(api, account.access_token)
        assert_error(refresh(api, account.refresh_token), 401)
    assert alive(api, sign_in(api, laptop.email, PASSWORD).access_token)


def test_logout_needs_a_token(api: httpx.Client) -> None:
    assert_error(api.post("/auth/logout", json={}), 401)


def test_changing_the_password_checks_it_and_ends_every_session(
    api: httpx.Client, user: Account
) -> None:
    wrong = {"current_password": "not-the-password", "new_password": NEW_PASSWORD}
    response = api.post("/auth/password", json=wrong, headers=user.headers)
    assert error_fields(response) == {"current_password"}
    short = {"current_password": PASSWORD, "new_password": "short"}
    assert "new_password" in error_fields(
        api.post("/auth/password", json=short, headers=user.headers)
    )
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert api.post("/auth/password", json=change, headers=user.headers).status_code == 204
    assert not alive(api, user.access_token)
    assert_error(refresh(api, user.refresh_token), 401)
    old = api.post("/auth/login", json={"email": user.email, "password": PASSWORD})
    assert_error(old, 401)
    assert alive(api, sign_in(api, user.email, NEW_PASSWORD).access_token)
    assert_error(api.post("/auth/password", json=change), 401)


@pytest.mark.admin
def test_a_disabled_users_access_and_refresh_tokens_stop_working(
    api: httpx.Client, admin: Account, user: Account
) -> None:
    me = api.get("/users/me", headers=user.headers).json()
    response = api.patch(f"/users/{me['id']}", json={"is_active": False}, headers=admin.headers)
    assert response.status_code == 200
    assert not alive(api, user.access_token)
    assert_error(refresh(api, user.refresh_token), 401)
