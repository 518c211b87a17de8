"""Refunds: partial and full, the status machine, never beyond the captured amount."""

from typing import Any

import pytest

from tests.payment_utils import CARD_DECLINED, charge, refund

Headers = dict[str, str]


def test_partial_then_full_refund(client: Any, user_headers: Headers) -> None:
    payment = charge(client, user_headers, amount=1000)
    first = refund(client, user_headers, payment["id"], amount=300, reason="damaged")
    assert first.status_code == 201, first.text
    assert first.json()["amount"] == 300 and first.json()["currency"] == "USD"
    assert first.json()["reason"] == "damaged"
    read = client.get(f"/payments/{payment['id']}", headers=user_headers).json()
    assert (read["status"], read["amount_refunded"]) == ("partially_refunded", 300)
    # No amount: what remains.
    rest = refund(client, user_headers, payment["id"])
    assert rest.status_code == 201
    assert rest.json()["amount"] == 700
    read = client.get(f"/payments/{payment['id']}", headers=user_headers).json()
    assert (read["status"], read["amount_refunded"]) == ("refunded", 1000)
    assert read["amount_captured"] == 1000
    refunds = client.get(f"/payments/{payment['id']}/refunds", headers=user_headers).json()
    assert [r["amount"] for r in refunds["items"]] == [700, 300]
    assert refunds["total"] == 2


def test_a_full_refund_at_once(client: Any, user_headers: Headers) -> None:
    payment = charge(client, user_headers, amount=1234)
    assert refund(client, user_headers, payment["id"], amount=1234).status_code == 201
    read = client.get(f"/payments/{payment['id']}", headers=user_headers).json()
    assert read["status"] == "refunded"


def test_refunds_never_exceed_what_was_captured(client: Any, user_headers: Headers) -> None:
    payment = charge(client, user_headers, amount=1000)
    too_much = refund(client, user_headers, payment["id"], amount=1001)
    assert too_much.status_code == 409
    assert too_much.json()["detail"]
    assert refund(client, user_headers, payment["id"], amount=600).status_code == 201
    assert refund(client, user_headers, payment["id"], amount=401).status_code == 409
    assert refund(client, user_headers, payment["id"], amount=400).status_code == 201
    assert refund(client, user_headers, payment["id"], amount=1).status_code == 409
    assert refund(client, user_headers, payment["id"]).status_code == 409
    read = client.get(f"/payments/{payment['id']}", headers=user_headers).json()
    assert read["amount_refunded"] == 1000


def test_a_failed_payment_cannot_be_refunded(client: Any, user_headers: Headers) -> None:
    payment = charge(client, user_headers, card={"number": CARD_DECLINED})
    response = refund(client, user_headers, payment["id"], amount=100)
    assert response.status_code == 409
    assert refund(client, user_headers, payment["id"]).status_code == 409
    listed = client.get(f"/payments/{payment['id']}/refunds", headers=user_headers).json()
    assert listed["total"] == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"amount": 1.5}, "amount"),
        ({"amount": "100"}, "amount"),
        ({"amount": 0}, "amount"),
        ({"amount": -100}, "amount"),
        ({"reason": "x" * 201}, "reason"),
        ({"currency": "EUR"}, "currency"),
    ],
)
def test_refunds_are_validated(
    client: Any, user_headers: Headers, payload: dict[str, Any], field: str
) -> None:
    payment = charge(client, user_headers)
    response = refund(client, user_headers, payment["id"], **payload)
    assert response.status_code == 422
    assert field in {error["field"] for error in response.json()["errors"]}


def test_an_admin_may_refund_any_payment(
    client: Any, user_headers: Headers, admin_headers: Headers
) -> None:
    payment = charge(client, user_headers, amount=500)
    response = refund(client, admin_headers, payment["id"], amount=200)
    assert response.status_code == 201
    assert response.json()["owner_id"] == payment["owner_id"]
    balance = client.get("/balance", headers=user_headers).json()
    assert balance["balances"] == [
        {"currency": "USD", "captured": 500, "refunded": 200, "net": 300}
    ]
