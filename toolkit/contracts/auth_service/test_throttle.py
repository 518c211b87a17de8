"""Failed logins: after 5 for an email within 15 minutes, 429 with Retry-After, for any email."""

import httpx

from ..conftest import PASSWORD, Account, assert_error, unique_email

LIMIT = 5
WINDOW_SECONDS = 15 * 60


def attempt(api: httpx.Client, email: str, password: str) -> httpx.Response:
    return api.post("/auth/login", json={"email": email, "password": password})


def lock(api: httpx.Client, email: str) -> httpx.Response:
    """Fail LIMIT times, then return the next answer."""
    for _ in range(LIMIT):
        assert_error(attempt(api, email, "wrong-password"), 401)
    return attempt(api, email, "wrong-password")


def test_failures_lock_the_account_even_for_the_right_password(
    api: httpx.Client, user: Account
) -> None:
    locked = lock(api, user.email)
    assert_error(locked, 429)
    assert 0 < int(locked.headers["Retry-After"]) <= WINDOW_SECONDS
    assert_error(attempt(api, user.email, PASSWORD), 429)
    assert_error(attempt(api, user.email.upper(), PASSWORD), 429)
    # Tokens issued before stay good: the lock is on logins, not on the account.
    assert api.get("/users/me", headers=user.headers).status_code == 200


def test_unknown_emails_are_locked_alike(api: httpx.Client, user: Account) -> None:
    known, unknown = lock(api, user.email), lock(api, unique_email())
    assert assert_error(known, 429) == assert_error(unknown, 429)
    assert "Retry-After" in unknown.headers


def test_a_success_does_not_reset_the_count(api: httpx.Client, user: Account) -> None:
    for _ in range(LIMIT - 1):
        assert_error(attempt(api, user.email, "wrong-password"), 401)
    assert attempt(api, user.email, PASSWORD).status_code == 200
    assert_error(attempt(api, user.email, "wrong-password"), 401)
    assert_error(attempt(api, user.email, PASSWORD), 429)
