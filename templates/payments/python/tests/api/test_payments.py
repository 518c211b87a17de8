"""Payments: the simulated processor, card handling, money, idempotency, visibility."""

from typing import Any

import pytest

from tests.payment_utils import (
    CARD_DECLINED,
    CARD_MASTERCARD,
    CARD_NO_FUNDS,
    CARD_OK,
    TEST_CARDS,
    charge,
    json_values,
    new_key,
    payment_body,
)

Headers = dict[str, str]


def post(client: Any, headers: Headers, body: dict[str, Any], key: str | None = None) -> Any:
    return client.post(
        "/payments", json=body, headers={**headers, "Idempotency-Key": key or new_key()}
    )


@pytest.mark.parametrize(
    ("number", "status", "brand", "failure_code"),
    [
        (CARD_OK, "succeeded", "visa", None),
        (CARD_MASTERCARD, "succeeded", "mastercard", None),
        (CARD_DECLINED, "failed", "visa", "card_declined"),
        (CARD_NO_FUNDS, "failed", "visa", "insufficient_funds"),
        ("378282246310005", "succeeded", "amex", None),
    ],
)
def test_test_cards_decide_the_outcome(
    client: Any, user_headers: Headers, number: str, status: str, brand: str, failure_code: Any
) -> None:
    payment = charge(client, user_headers, card={"number": number})
    assert payment["status"] == status
    assert payment["failure_code"] == failure_code
    assert payment["card"]["brand"] == brand
    assert payment["card"]["last4"] == number[-4:]
    assert payment["amount"] == 1000 and payment["currency"] == "USD"
    assert payment["amount_captured"] == (1000 if status == "succeeded" else 0)
    assert payment["amount_refunded"] == 0
    assert payment["created_at"].endswith(("Z", "+00:00"))


def test_the_card_number_is_never_shown_or_logged(
    client: Any, user_headers: Headers, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    numbers = [*TEST_CARDS, "4242 4242 4242 4242"]
    for number in numbers:
        response = post(client, user_headers, payment_body(card={"number": number, "cvc": "7391"}))
        assert response.status_code == 201
        assert number.replace(" ", "") not in response.text
    listed = client.get("/payments", headers=user_headers).text
    events = client.get("/events", headers=user_headers).text
    for number in {n.replace(" ", "") for n in numbers}:
        for text_seen in (listed, events, caplog.text):
            assert number not in text_seen
            assert number[:12] not in text_seen
    # Nor the cvc, as a field or a value: its bare digits may be part of a timestamp.
    assert '"cvc"' not in listed + events
    assert '"7391"' not in listed + events


@pytest.mark.parametrize(
    ("card", "field"),
    [
        ({"number": "4242424242424241"}, "card.number"),  # fails the Luhn check
        ({"number": "4242"}, "card.number"),
        ({"number": "4242-4242-4242-424x"}, "card.number"),
        ({"number": 4242424242424242}, "card.number"),
        ({"number": CARD_OK, "exp_month": 13, "exp_year": 2030}, "card.exp_month"),
        ({"number": CARD_OK, "exp_month": 1}, "card"),
        ({"number": CARD_OK, "exp_month": 1, "exp_year": 2001}, "card"),
        ({"number": CARD_OK, "cvc": "12"}, "card.cvc"),
        ({"number": CARD_OK, "cvc": 123}, "card.cvc"),
        ({}, "card.number"),
    ],
)
def test_cards_are_validated(
    client: Any, user_headers: Headers, card: dict[str, Any], field: str
) -> None:
    response = post(client, user_headers, payment_body(card=card))
    assert response.status_code == 422, response.text
    assert field in {error["field"] for error in response.json()["errors"]}
    assert client.get("/payments", headers=user_headers).json()["total"] == 0


def test_expiry_and_cvc_are_optional_and_kept_without_the_cvc(
    client: Any, user_headers: Headers
) -> None:
    card = {"number": "4242-4242-4242-4242", "exp_month": 12, "exp_year": 2099, "cvc": "987"}
    payment = charge(client, user_headers, card=card)
    assert payment["card"] == {"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2099}
    # The CVC is never stored nor answered, as a field or a value (its bare digits may be
    # part of a timestamp or an id).
    assert "cvc" not in str(payment)
    assert "987" not in json_values(payment)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount": 10.5}, "amount"),
        ({"amount": 10.0}, "amount"),
        ({"amount": "1000"}, "amount"),
        ({"amount": 0}, "amount"),
        ({"amount": -5}, "amount"),
        ({"amount": 10**16}, "amount"),
        ({"currency": "usd"}, "currency"),
        ({"currency": "XXX"}, "currency"),
        ({"description": "x" * 501}, "description"),
        ({"description": "nul \u0000 byte"}, "description"),
        ({"customer_id": "abc"}, "customer_id"),
        ({"status": "succeeded"}, "status"),
    ],
)
def test_money_and_fields_are_validated(
    client: Any, user_headers: Headers, fields: dict[str, Any], field: str
) -> None:
    response = post(client, user_headers, payment_body(**fields))
    assert response.status_code == 422, response.text
    assert field in {error["field"] for error in response.json()["errors"]}


def test_a_body_that_is_not_json_is_a_422(client: Any, user_headers: Headers) -> None:
    response = client.post(
        "/payments",
        content=b"amount=5",
        headers={**user_headers, "Idempotency-Key": new_key(), "Content-Type": "application/json"},
    )
    assert response.status_code == 422


def test_payments_need_a_token(client: Any) -> None:
    assert client.get("/payments").status_code == 401
    assert post(client, {}, payment_body()).status_code == 401


def test_a_customer_must_be_your_own(
    client: Any, user_headers: Headers, other_headers: Headers
) -> None:
    customer = client.post(
        "/customers", json={"name": "Bo", "email": "bo@example.com"}, headers=user_headers
    ).json()
    payment = charge(client, user_headers, customer_id=customer["id"])
    assert payment["customer_id"] == customer["id"]
    response = post(client, other_headers, payment_body(customer_id=customer["id"]))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "customer_id"
    listed = client.get("/payments", params={"customer_id": customer["id"]}, headers=user_headers)
    assert [p["id"] for p in listed.json()["items"]] == [payment["id"]]


@pytest.mark.parametrize("key", [None, "", " ", "k" * 256])
def test_the_idempotency_key_is_required(client: Any, user_headers: Headers, key: Any) -> None:
    headers = dict(user_headers)
    if key is not None:
        headers["Idempotency-Key"] = key
    response = client.post("/payments", json=payment_body(), headers=headers)
    assert response.status_code == 400, response.text
    assert "Idempotency-Key" in response.json()["detail"]
    assert client.get("/payments", headers=user_headers).json()["total"] == 0


def test_a_retry_replays_the_first_response_without_charging_again(
    client: Any, user_headers: Headers
) -> None:
    key = new_key()
    body = payment_body(amount=2500, description="order 17")
    first = post(client, user_headers, body, key)
    again = post(client, user_headers, body, key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert client.get("/payments", headers=user_headers).json()["total"] == 1
    assert client.get("/ledger", headers=user_headers).json()["total"] == 1


def test_a_declined_charge_is_replayed_too(client: Any, user_headers: Headers) -> None:
    key = new_key()
    body = payment_body(card={"number": CARD_DECLINED})
    first = post(client, user_headers, body, key)
    again = post(client, user_headers, body, key)
    assert first.json()["status"] == "failed"
    assert (again.status_code, again.json()) == (first.status_code, first.json())


def test_a_key_reused_with_another_body_is_a_conflict(client: Any, user_headers: Headers) -> None:
    key = new_key()
    assert post(client, user_headers, payment_body(amount=100), key).status_code == 201
    for changed in (
        payment_body(amount=200),
        payment_body(amount=100, card={"number": CARD_MASTERCARD}),
        payment_body(amount=100, description="changed"),
    ):
        response = post(client, user_headers, changed, key)
        assert response.status_code == 409, response.text
        assert response.json()["detail"]
    assert client.get("/payments", headers=user_headers).json()["total"] == 1


def test_an_invalid_request_does_not_use_up_the_key(client: Any, user_headers: Headers) -> None:
    key = new_key()
    assert post(client, user_headers, payment_body(amount=1.5), key).status_code == 422
    assert post(client, user_headers, payment_body(), key).status_code == 201


def test_keys_are_scoped_per_user(
    client: Any, user_headers: Headers, other_headers: Headers
) -> None:
    key = new_key()
    mine = post(client, user_headers, payment_body(), key).json()
    theirs = post(client, other_headers, payment_body(), key).json()
    assert mine["id"] != theirs["id"]
    assert mine["owner_id"] != theirs["owner_id"]


def test_payments_are_private_and_admins_see_all(
    client: Any, user_headers: Headers, other_headers: Headers, admin_headers: Headers
) -> None:
    payment = charge(client, user_headers)
    url = f"/payments/{payment['id']}"
    assert client.get(url, headers=user_headers).json() == payment
    assert client.get(url, headers=other_headers).status_code == 404
    assert client.get(f"{url}/refunds", headers=other_headers).status_code == 404
    assert client.post(f"{url}/refunds", json={}, headers=other_headers).status_code == 404
    assert client.get("/payments", headers=other_headers).json()["total"] == 0
    assert client.get(url, headers=admin_headers).status_code == 200
    assert client.get("/payments", headers=admin_headers).json()["total"] >= 1


def test_malformed_and_huge_ids_are_404(client: Any, user_headers: Headers) -> None:
    for payment_id in ["abc", "999999", str(2**70), "-1"]:
        response = client.get(f"/payments/{payment_id}", headers=user_headers)
        assert response.status_code == 404, payment_id
        refund = client.post(f"/payments/{payment_id}/refunds", json={}, headers=user_headers)
        assert refund.status_code == 404, payment_id


def test_list_filters_and_paginates(client: Any, user_headers: Headers) -> None:
    charge(client, user_headers, currency="EUR")
    charge(client, user_headers, card={"number": CARD_DECLINED})
    for _ in range(3):
        charge(client, user_headers)

    def ids(**params: Any) -> list[int]:
        response = client.get("/payments", params=params, headers=user_headers)
        assert response.status_code == 200, response.text
        return [payment["id"] for payment in response.json()["items"]]

    assert len(ids(currency="EUR")) == 1
    assert len(ids(status="failed")) == 1
    assert len(ids(status="succeeded")) == 4
    newest_first = ids()
    assert newest_first == sorted(newest_first, reverse=True)
    page = client.get("/payments", params={"limit": 2, "offset": 2}, headers=user_headers).json()
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (5, 2, 2, 2)
    for params in (
        {"limit": 0},
        {"limit": 101},
        {"offset": -1},
        {"offset": 2**64},
        {"status": "lost"},
        {"customer_id": 2**64},
    ):
        response = client.get("/payments", params=params, headers=user_headers)
        assert response.status_code == 422, params


@pytest.mark.parametrize("value", [True, 10.0, "1000", 2**64])
@pytest.mark.parametrize("field", ["amount", "customer_id", "card.exp_month"])
def test_amounts_and_ids_are_json_integers(
    client: Any, user_headers: Headers, field: str, value: Any
) -> None:
    body = payment_body()
    if field == "card.exp_month":
        body["card"] = {**body["card"], "exp_month": value, "exp_year": 2040}
    else:
        body[field] = value
    response = post(client, user_headers, body)
    assert response.status_code == 422, response.text
    assert field in {error["field"] for error in response.json()["errors"]}
