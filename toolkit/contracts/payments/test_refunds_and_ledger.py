"""payments: refunds never exceed the capture (also concurrently); the ledger reconciles."""

from collections import Counter, defaultdict

import httpx
import pytest

from ..common.load import BURST, Call, burst
from ..conftest import Account, assert_error, error_fields, is_utc_timestamp
from .helpers import CARD_DECLINED, CARD_NO_FUNDS, all_items, charge, refund


def test_partial_then_full_refund(api: httpx.Client, user: Account) -> None:
    payment = charge(api, user, amount=1000)
    first = refund(api, user, payment["id"], amount=400, reason="late")
    assert first.status_code == 201, first.text
    body = first.json()
    assert (body["amount"], body["currency"], body["payment_id"]) == (400, "USD", payment["id"])
    assert is_utc_timestamp(body["created_at"])
    read = api.get(f"/payments/{payment['id']}", headers=user.headers).json()
    assert (read["status"], read["amount_refunded"]) == ("partially_refunded", 400)
    rest = refund(api, user, payment["id"])
    assert rest.status_code == 201 and rest.json()["amount"] == 600
    read = api.get(f"/payments/{payment['id']}", headers=user.headers).json()
    assert (read["status"], read["amount_refunded"]) == ("refunded", 1000)
    listed = api.get(f"/payments/{payment['id']}/refunds", headers=user.headers).json()
    assert sorted(r["amount"] for r in listed["items"]) == [400, 600]
    assert_error(refund(api, user, payment["id"], amount=1), 409)
    assert_error(refund(api, user, payment["id"]), 409)


def test_refunds_never_exceed_the_capture(api: httpx.Client, user: Account) -> None:
    payment = charge(api, user, amount=500)
    assert_error(refund(api, user, payment["id"], amount=501), 409)
    assert refund(api, user, payment["id"], amount=300).status_code == 201
    assert_error(refund(api, user, payment["id"], amount=201), 409)
    failed = charge(api, user, card={"number": CARD_DECLINED})
    assert_error(refund(api, user, failed["id"], amount=1), 409)
    assert_error(refund(api, user, failed["id"]), 409)


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"amount": 1.5}, "amount"), ({"amount": "5"}, "amount"), ({"amount": 0}, "amount")],
)
def test_refunds_are_validated(
    api: httpx.Client, merchant: Account, payload: dict, field: str
) -> None:
    payment = charge(api, merchant)
    assert field in error_fields(refund(api, merchant, payment["id"], **payload))


def test_concurrent_refunds_never_exceed_the_capture(
    base_url: str, api: httpx.Client, user: Account
) -> None:
    payment = charge(api, user, amount=1000)
    url = f"/payments/{payment['id']}/refunds"
    refunds = burst(base_url, [Call("POST", url, {"amount": 300}, user.headers)] * BURST)
    refunds.assert_healthy({201, 409})
    assert refunds.statuses() == Counter({201: 3, 409: BURST - 3})
    read = api.get(f"/payments/{payment['id']}", headers=user.headers).json()
    assert read["amount_refunded"] == 900
    entries = all_items(api, user, f"/ledger?payment_id={payment['id']}")
    assert sum(entry["amount"] for entry in entries) == 100


def test_the_balance_reconciles_with_payments_and_the_ledger(
    api: httpx.Client, user: Account, other: Account
) -> None:
    usd = [charge(api, user, amount=amount) for amount in (1500, 250)]
    eur = charge(api, user, amount=990, currency="EUR")
    charge(api, user, card={"number": CARD_NO_FUNDS}, amount=5000)
    charge(api, other, amount=424242)
    assert refund(api, user, usd[0]["id"], amount=500).status_code == 201
    assert refund(api, user, eur["id"]).status_code == 201

    balance = api.get("/balance", headers=user.headers).json()
    assert balance == {
        "balances": [
            {"currency": "EUR", "captured": 990, "refunded": 990, "net": 0},
            {"currency": "USD", "captured": 1750, "refunded": 500, "net": 1250},
        ]
    }
    expected: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for payment in all_items(api, user, "/payments"):
        expected[payment["currency"]][0] += payment["amount_captured"]
        expected[payment["currency"]][1] += payment["amount_refunded"]
    for row in balance["balances"]:
        assert [row["captured"], row["refunded"]] == expected[row["currency"]]
    net: dict[str, int] = defaultdict(int)
    entries = all_items(api, user, "/ledger")
    assert len(entries) == 3 + 2
    for entry in entries:
        net[entry["currency"]] += entry["amount"]
    assert dict(net) == {row["currency"]: row["net"] for row in balance["balances"]}
    assert_error(api.get("/balance"), 401)


def test_the_balance_is_exact_beyond_2_to_the_53(api: httpx.Client, user: Account) -> None:
    # 9 x 10**15 + 7199254740993 is 2**53 + 1: a float (a JavaScript number) rounds it;
    # JSON integers parse exactly here, so only exact sums compare equal.
    amounts = [10**15] * 9 + [7_199_254_740_993]
    payments = [charge(api, user, amount=amount) for amount in amounts]
    assert refund(api, user, payments[0]["id"], amount=2).status_code == 201
    response = api.get("/balance", headers=user.headers)
    assert response.status_code == 200
    captured = 2**53 + 1
    assert response.json() == {
        "balances": [{"currency": "USD", "captured": captured, "refunded": 2, "net": captured - 2}]
    }
