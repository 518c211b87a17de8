"""task-api under load: a burst of task writes, then of reads; every task made is listed."""

from collections.abc import Callable

import httpx

from ..common.load import BURST, Call, burst
from ..conftest import Account

#: Accounts sharing a burst (signing up costs a password hash; tokens are reused).
ACCOUNTS = 4


def listed_ids(api: httpx.Client, account: Account) -> list[int]:
    ids: list[int] = []
    while True:
        params = {"limit": 100, "offset": len(ids)}
        response = api.get("/tasks", params=params, headers=account.headers)
        assert response.status_code == 200, response.text
        page = response.json()
        ids.extend(task["id"] for task in page["items"])
        if len(ids) >= page["total"] or not page["items"]:
            return ids


def test_a_burst_of_writes_then_reads_keeps_every_task(
    base_url: str, api: httpx.Client, new_account: Callable[[], Account]
) -> None:
    owners = [new_account() for _ in range(ACCOUNTS)]
    writes = burst(
        base_url,
        [
            Call("POST", "/tasks", {"title": f"Load {i}", "priority": "high"}, owner.headers)
            for i in range(BURST)
            for owner in [owners[i % ACCOUNTS]]
        ],
    )
    writes.assert_healthy({201})
    made: dict[str, set[int]] = {owner.email: set() for owner in owners}
    for answer in writes.answers:
        owner = next(o for o in owners if o.headers == answer.call.headers)
        made[owner.email].add(answer.json()["id"])
    assert sum(len(ids) for ids in made.values()) == BURST  # no id given twice

    reads = burst(
        base_url,
        [
            Call("GET", path, headers=owner.headers)
            for i in range(BURST)
            for owner in [owners[i % ACCOUNTS]]
            for path in [f"/tasks?priority=high&offset={i % 3}"]
        ],
    )
    reads.assert_healthy({200})
    for answer in reads.answers:
        owner = next(o for o in owners if o.headers == answer.call.headers)
        assert answer.json()["total"] == len(made[owner.email])
    for owner in owners:
        ids = listed_ids(api, owner)
        assert sorted(ids) == sorted(made[owner.email])
