"""The ledger and the balance reconcile with the payments and refunds."""

from collections import defaultdict
from typing import Any

from tests.payment_utils import CARD_DECLINED, CARD_NO_FUNDS, charge, refund

Headers = dict[str, str]


def all_items(client: Any, headers: Headers, url: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = client.get(url, params={"limit": 2, "offset": len(items)}, headers=headers).json()
        items.extend(page["items"])
        if len(items) >= page["total"]:
            return items


def test_the_balance_reconciles_with_payments_refunds_and_the_ledger(
    client: Any, user_headers: Headers, other_headers: Headers
) -> None:
    usd = [charge(client, user_headers, amount=amount) for amount in (1000, 2500, 399)]
    eur = charge(client, user_headers, amount=5000, currency="EUR")
    jpy = charge(client, user_headers, amount=700, currency="JPY")
    charge(client, user_headers, card={"number": CARD_DECLINED}, amount=9999)
    charge(client, user_headers, card={"number": CARD_NO_FUNDS}, amount=8888, currency="EUR")
    charge(client, other_headers, amount=123456)  # someone else's money
    assert refund(client, user_headers, usd[0]["id"], amount=250).status_code == 201
    assert refund(client, user_headers, usd[1]["id"]).status_code == 201
    assert refund(client, user_headers, eur["id"], amount=1).status_code == 201
    assert refund(client, user_headers, jpy["id"], amount=701).status_code == 409

    payments = all_items(client, user_headers, "/payments")
    expected: dict[str, dict[str, int]] = defaultdict(lambda: {"captured": 0, "refunded": 0})
    for payment in payments:
        if payment["amount_captured"]:
            expected[payment["currency"]]["captured"] += payment["amount_captured"]
            expected[payment["currency"]]["refunded"] += payment["amount_refunded"]
    balance = client.get("/balance", headers=user_headers).json()["balances"]
    assert balance == [
        {"currency": currency, **sums, "net": sums["captured"] - sums["refunded"]}
        for currency, sums in sorted(expected.items())
    ]
    assert balance == [
        {"currency": "EUR", "captured": 5000, "refunded": 1, "net": 4999},
        {"currency": "JPY", "captured": 700, "refunded": 0, "net": 700},
        {"currency": "USD", "captured": 3899, "refunded": 2750, "net": 1149},
    ]

    entries = all_items(client, user_headers, "/ledger")
    assert len(entries) == 5 + 3  # one per captured charge, one per refund
    net: dict[str, int] = defaultdict(int)
    for entry in entries:
        net[entry["currency"]] += entry["amount"]
        assert (entry["amount"] > 0) == (entry["type"] == "charge")
        assert (entry["refund_id"] is None) == (entry["type"] == "charge")
    assert dict(net) == {row["currency"]: row["net"] for row in balance}
    usd_only = client.get("/ledger", params={"currency": "USD"}, headers=user_headers).json()
    assert usd_only["total"] == 5
    one = client.get("/ledger", params={"payment_id": usd[0]["id"]}, headers=user_headers).json()
    assert sorted(entry["amount"] for entry in one["items"]) == [-250, 1000]


def test_a_new_merchant_has_an_empty_balance(client: Any, user_headers: Headers) -> None:
    assert client.get("/balance", headers=user_headers).json() == {"balances": []}
    assert client.get("/ledger", headers=user_headers).json()["total"] == 0
    assert client.get("/balance").status_code == 401


def test_ledger_queries_are_validated(client: Any, user_headers: Headers) -> None:
    for params in ({"currency": "usd"}, {"payment_id": "x"}, {"limit": 500}):
        assert client.get("/ledger", params=params, headers=user_headers).status_code == 422
