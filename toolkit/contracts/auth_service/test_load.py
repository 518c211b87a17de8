"""auth-service under load: reads all answer; refresh races let one use of a token through."""

from collections.abc import Callable

import httpx

from ..common.load import BURST, Call, burst
from ..conftest import Account
from .tokens import bearer, refresh

#: Sessions (of fresh accounts) read from, then spent: BURST / SESSIONS uses of each token.
SESSIONS = 2


def test_a_burst_of_reads_then_refreshes_rotates_each_token_once(
    base_url: str, api: httpx.Client, new_account: Callable[[], Account]
) -> None:
    accounts = [new_account() for _ in range(SESSIONS)]
    paths = ["/users/me", "/.well-known/jwks.json"]
    reads = burst(
        base_url,
        [
            Call("GET", paths[i % 2], headers=bearer(accounts[i // 2 % SESSIONS].access_token))
            for i in range(BURST)
        ],
    )
    reads.assert_healthy({200})
    for answer in reads.answers:
        if answer.call.path == "/users/me":
            assert answer.json()["email"] in {account.email for account in accounts}

    uses = burst(
        base_url,
        [
            Call("POST", "/auth/refresh", {"refresh_token": accounts[i % SESSIONS].refresh_token})
            for i in range(BURST)
        ],
    )
    uses.assert_healthy({200, 401})
    for account in accounts:
        winners = [
            answer
            for answer in uses.with_status(200)
            if answer.call.body == {"refresh_token": account.refresh_token}
        ]
        assert len(winners) == 1, f"{len(winners)} uses of one refresh token got a new pair"
        # The other uses replayed a spent token: the session ended, its newest pair too.
        newest = winners[0].json()
        assert refresh(api, newest["refresh_token"]).status_code == 401
