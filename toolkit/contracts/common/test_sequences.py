"""Every kind: what disabling an account ends stays ended, also when it is enabled again.

Disabling ends every token issued before it for good: enabling the account again
brings none of them back, not even a pair that a refresh racing the disable handed
out. The race is repeated (``TRIALS``), each time on a fresh session, the two requests
released together on connections of their own.
"""

import httpx
import pytest

from ..conftest import Account, assert_error, sign_in
from ..races import Call, racing

TRIALS = 5

pytestmark = pytest.mark.admin


def refresh(api: httpx.Client, refresh_token: str) -> httpx.Response:
    return api.post("/auth/refresh", json={"refresh_token": refresh_token})


def refreshing(account: Account) -> Call:
    """The call that exchanges the refresh token of ``account``."""
    return lambda client: refresh(client, account.refresh_token)


def set_active(api: httpx.Client, admin: Account, user_id: int, active: bool) -> httpx.Response:
    return api.patch(f"/users/{user_id}", json={"is_active": active}, headers=admin.headers)


def assert_dead(api: httpx.Client, access_token: str, refresh_token: str) -> None:
    """Neither token of a pair works."""
    me = api.get("/users/me", headers={"Authorization": f"Bearer {access_token}"})
    assert_error(me, 401)
    assert_error(refresh(api, refresh_token), 401)


def test_enabling_an_account_again_brings_no_old_token_back(
    api: httpx.Client, admin: Account, user: Account
) -> None:
    phone = sign_in(api, user.email, user.password)
    user_id = api.get("/users/me", headers=user.headers).json()["id"]
    assert set_active(api, admin, user_id, False).status_code == 200
    assert set_active(api, admin, user_id, True).status_code == 200
    for account in (user, phone):
        assert_dead(api, account.access_token, account.refresh_token)
    fresh = sign_in(api, user.email, user.password)
    assert api.get("/users/me", headers=fresh.headers).status_code == 200
    assert refresh(api, fresh.refresh_token).status_code == 200


def test_a_refresh_racing_the_disable_hands_out_nothing_that_lasts(
    api: httpx.Client, base_url: str, admin: Account, user: Account
) -> None:
    user_id = api.get("/users/me", headers=user.headers).json()["id"]
    with racing(base_url) as at_once:
        for trial in range(TRIALS):
            session = sign_in(api, user.email, user.password)
            disabled, refreshed = at_once(
                lambda client: set_active(client, admin, user_id, False),
                refreshing(session),
            )
            assert disabled.status_code == 200, (trial, disabled.text)
            assert refreshed.status_code in {200, 401}, (trial, refreshed.text)
            assert set_active(api, admin, user_id, True).status_code == 200
            if refreshed.status_code == 200:
                pair = refreshed.json()
                assert_dead(api, pair["access_token"], pair["refresh_token"])
            me = api.get("/users/me", headers=session.headers)
            assert_error(me, 401)
