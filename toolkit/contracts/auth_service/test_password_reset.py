"""Password reset: always 202; a single-use token (read from the admin outbox) sets it."""

import re

import httpx
import pytest

from ..conftest import PASSWORD, Account, assert_error, error_fields, sign_in, unique_email
from .tokens import bearer, refresh

NEW_PASSWORD = "contract-password-3"


def ask(api: httpx.Client, email: str) -> httpx.Response:
    return api.post("/auth/password-reset", json={"email": email})


def confirm(api: httpx.Client, token: str, password: str = NEW_PASSWORD) -> httpx.Response:
    return api.post("/auth/password-reset/confirm", json={"token": token, "new_password": password})


def test_asking_answers_alike_for_every_email(api: httpx.Client, user: Account) -> None:
    known, unknown = ask(api, user.email), ask(api, unique_email())
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()


def test_bad_requests(api: httpx.Client) -> None:
    assert error_fields(ask(api, "not-an-email")) == {"email"}
    assert error_fields(confirm(api, "no-such-token")) == {"token"}
    assert "new_password" in error_fields(confirm(api, "no-such-token", "short"))


@pytest.mark.admin
def test_a_mailed_token_sets_the_password_once_and_ends_every_session(
    api: httpx.Client, admin: Account, user: Account
) -> None:
    assert ask(api, user.email).status_code == 202
    outbox = api.get("/admin/outbox", params={"recipient": user.email}, headers=admin.headers)
    assert outbox.status_code == 200
    page = outbox.json()
    assert set(page) == {"items", "total", "limit", "offset"} and page["total"] == 1
    [message] = page["items"]
    assert message["recipient"] == user.email
    found = re.search(r"Reset token: (\S+)", message["body"])
    assert found, message["body"]
    assert confirm(api, found[1]).status_code == 204
    assert_error(confirm(api, found[1], "another-password-1"), 422)
    assert_error(refresh(api, user.refresh_token), 401)
    assert_error(api.get("/users/me", headers=bearer(user.access_token)), 401)
    assert_error(api.post("/auth/login", json={"email": user.email, "password": PASSWORD}), 401)
    assert sign_in(api, user.email, NEW_PASSWORD).access_token


@pytest.mark.admin
def test_the_outbox_is_for_admins_and_paginates(
    api: httpx.Client, admin: Account, user: Account
) -> None:
    assert_error(api.get("/admin/outbox"), 401)
    assert_error(api.get("/admin/outbox", headers=user.headers), 403)
    page = api.get("/admin/outbox", params={"limit": 1}, headers=admin.headers).json()
    assert page["limit"] == 1 and len(page["items"]) <= 1
    assert error_fields(api.get("/admin/outbox", params={"limit": 101}, headers=admin.headers)) == {
        "limit"
    }
