"""payments under load: payments, their retries and reads at once; each key charges once."""

import json

import httpx

from ..common.load import BURST, Call, burst
from ..conftest import Account
from .helpers import all_items, new_key, payment_body

#: Idempotency keys of the burst: each is sent RETRIES times, spread over the burst.
KEYS = 15
RETRIES = 10
AMOUNT = 1234


def test_a_burst_of_payments_and_retries_charges_each_key_once(
    base_url: str, api: httpx.Client, user: Account
) -> None:
    keys = [new_key() for _ in range(KEYS)]
    writes = [
        Call(
            "POST",
            "/payments",
            payment_body(amount=AMOUNT),
            {**user.headers, "Idempotency-Key": key},
        )
        for key in keys
    ] * RETRIES
    reads = ["/payments?limit=5", "/balance", "/ledger?limit=5", "/customers"]
    calls = writes + [
        Call("GET", reads[i % len(reads)], headers=user.headers) for i in range(BURST - len(writes))
    ]
    result = burst(base_url, calls)
    result.assert_healthy({200, 201, 409})
    by_key: dict[str, set[str]] = {key: set() for key in keys}
    for answer in result.with_status(201):
        by_key[answer.call.headers["Idempotency-Key"]].add(
            json.dumps(answer.json(), sort_keys=True)
        )
    # A key's first answer is replayed to its retries; a retry may also find it in progress.
    assert all(len(bodies) <= 1 for bodies in by_key.values()), by_key

    payments = all_items(api, user, "/payments")
    assert len(payments) == KEYS
    assert {p["amount_captured"] for p in payments} == {AMOUNT}
    created = {json.loads(next(iter(bodies)))["id"] for bodies in by_key.values() if bodies}
    assert created <= {p["id"] for p in payments}
    balance = api.get("/balance", headers=user.headers).json()["balances"]
    assert balance == [
        {"currency": "USD", "captured": KEYS * AMOUNT, "refunded": 0, "net": KEYS * AMOUNT}
    ]
    assert len(all_items(api, user, "/ledger")) == KEYS
