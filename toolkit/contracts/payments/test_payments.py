"""payments: the simulated processor, cards, money, idempotency (also under concurrency)."""

import json

import httpx
import pytest

from ..common.load import BURST, Call, burst
from ..conftest import (
    Account,
    assert_cursors_refused,
    assert_error,
    error_fields,
    is_utc_timestamp,
    walk_cursor,
)
from .helpers import (
    CARD_DECLINED,
    CARD_MASTERCARD,
    CARD_NO_FUNDS,
    CARD_OK,
    charge,
    new_key,
    payment_body,
    post_payment,
)


@pytest.mark.parametrize(
    ("number", "status", "brand", "failure_code"),
    [
        (CARD_OK, "succeeded", "visa", None),
        (CARD_MASTERCARD, "succeeded", "mastercard", None),
        (CARD_DECLINED, "failed", "visa", "card_declined"),
        (CARD_NO_FUNDS, "failed", "visa", "insufficient_funds"),
    ],
)
def test_test_cards_decide_the_outcome(
    api: httpx.Client, merchant: Account, number: str, status: str, brand: str, failure_code: str
) -> None:
    user = merchant
    response = post_payment(api, user, payment_body(amount=1999, card={"number": number}))
    assert response.status_code == 201, response.text
    payment = response.json()
    assert (payment["status"], payment["failure_code"]) == (status, failure_code)
    assert payment["card"]["brand"] == brand and payment["card"]["last4"] == number[-4:]
    assert (payment["amount"], payment["currency"]) == (1999, "USD")
    assert payment["amount_captured"] == (1999 if status == "succeeded" else 0)
    assert is_utc_timestamp(payment["created_at"]) and is_utc_timestamp(payment["updated_at"])
    assert number not in response.text
    read = api.get(f"/payments/{payment['id']}", headers=user.headers)
    assert read.status_code == 200 and read.json() == payment


def test_the_card_number_is_never_shown(api: httpx.Client, merchant: Account) -> None:
    user = merchant
    card = {"number": "4242 4242 4242 4242", "exp_month": 12, "exp_year": 2099, "cvc": "913"}
    payment = charge(api, user, card=card)
    assert payment["card"] == {"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2099}
    for url in ("/payments", f"/payments/{payment['id']}", "/events"):
        text = api.get(url, headers=user.headers).text
        assert CARD_OK not in text and "cvc" not in text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (payment_body(card={"number": "4242424242424241"}), "card.number"),
        (payment_body(card={"number": "12"}), "card.number"),
        (payment_body(card={"number": 4242424242424242}), "card.number"),
        (payment_body(card={"number": CARD_OK, "exp_month": 1, "exp_year": 2001}), "card"),
        (payment_body(card={"number": CARD_OK, "cvc": "1"}), "card.cvc"),
        (payment_body(amount=10.5), "amount"),
        (payment_body(amount=10.0), "amount"),
        (payment_body(amount="1000"), "amount"),
        (payment_body(amount=0), "amount"),
        (payment_body(amount=-1), "amount"),
        (payment_body(currency="usd"), "currency"),
        (payment_body(currency="ABC"), "currency"),
        (payment_body(status="succeeded"), "status"),
        (payment_body(description="nul \u0000"), "description"),
        ({"amount": 100, "currency": "USD"}, "card"),
    ],
)
def test_payments_are_validated(
    api: httpx.Client, merchant: Account, body: dict, field: str
) -> None:
    before = api.get("/payments", headers=merchant.headers).json()["total"]
    assert field in error_fields(post_payment(api, merchant, body))
    assert api.get("/payments", headers=merchant.headers).json()["total"] == before


def test_bad_bodies_are_4xx_not_500(api: httpx.Client, merchant: Account) -> None:
    user = merchant
    before = api.get("/payments", headers=user.headers).json()["total"]
    headers = {**user.headers, "Idempotency-Key": new_key(), "Content-Type": "application/json"}
    for content in (b"{", b"[]", b"null", b'"x"', b'{"amount": 1e400}'):
        response = api.post("/payments", content=content, headers=headers)
        assert_error(response, 422)
    assert api.get("/payments", headers=user.headers).json()["total"] == before


def test_payments_need_a_token(api: httpx.Client) -> None:
    assert_error(api.get("/payments"), 401)
    assert_error(api.post("/payments", json=payment_body(), headers={"Idempotency-Key": "k"}), 401)


@pytest.mark.parametrize("key", [None, "", "k" * 256])
def test_the_idempotency_key_is_required(
    api: httpx.Client, merchant: Account, key: str | None
) -> None:
    user = merchant
    before = api.get("/payments", headers=user.headers).json()["total"]
    headers = dict(user.headers)
    if key is not None:
        headers["Idempotency-Key"] = key
    response = api.post("/payments", json=payment_body(), headers=headers)
    assert "Idempotency-Key" in assert_error(response, 400)["detail"]
    assert api.get("/payments", headers=user.headers).json()["total"] == before


def test_the_openapi_document_names_the_idempotency_key_header(api: httpx.Client) -> None:
    operation = api.get("/openapi.json").json()["paths"]["/payments"]["post"]
    headers = [p for p in operation.get("parameters", []) if p.get("in") == "header"]
    assert [p["name"] for p in headers] == ["Idempotency-Key"], operation.get("parameters")


def test_a_retry_replays_the_first_response(api: httpx.Client, user: Account) -> None:
    key = new_key()
    body = payment_body(amount=4321, description="order 9")
    first = post_payment(api, user, body, key)
    again = post_payment(api, user, body, key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    declined = payment_body(card={"number": CARD_DECLINED})
    failed_key = new_key()
    first_failed = post_payment(api, user, declined, failed_key)
    again_failed = post_payment(api, user, declined, failed_key)
    assert again_failed.json() == first_failed.json()
    assert api.get("/payments", headers=user.headers).json()["total"] == 2


def test_a_key_reused_with_another_body_is_a_conflict(api: httpx.Client, user: Account) -> None:
    key = new_key()
    assert post_payment(api, user, payment_body(amount=100), key).status_code == 201
    assert_error(post_payment(api, user, payment_body(amount=101), key), 409)
    changed_card = payment_body(amount=100, card={"number": CARD_MASTERCARD})
    assert_error(post_payment(api, user, changed_card, key), 409)
    assert api.get("/payments", headers=user.headers).json()["total"] == 1


def test_keys_are_scoped_per_user(api: httpx.Client, user: Account, other: Account) -> None:
    key = new_key()
    mine = post_payment(api, user, payment_body(), key).json()
    theirs = post_payment(api, other, payment_body(), key).json()
    assert mine["id"] != theirs["id"]


def test_concurrent_retries_charge_once(base_url: str, api: httpx.Client, user: Account) -> None:
    headers = {**user.headers, "Idempotency-Key": new_key()}
    retry = Call("POST", "/payments", payment_body(amount=777), headers)
    retries = burst(base_url, [retry] * BURST)
    retries.assert_healthy({201, 409})
    created = retries.with_status(201)
    assert created, retries.statuses()
    assert len({json.dumps(r.json(), sort_keys=True) for r in created}) == 1
    page = api.get("/payments", headers=user.headers).json()
    assert page["total"] == 1
    ledger = api.get("/ledger", headers=user.headers).json()
    assert ledger["total"] == 1


def test_payments_are_private(
    api: httpx.Client, user: Account, other: Account, admin: Account
) -> None:
    payment = charge(api, user)
    url = f"/payments/{payment['id']}"
    assert_error(api.get(url, headers=other.headers), 404)
    assert_error(api.get(f"{url}/refunds", headers=other.headers), 404)
    assert_error(api.post(f"{url}/refunds", json={}, headers=other.headers), 404)
    assert api.get("/payments", headers=other.headers).json()["total"] == 0
    assert api.get(url, headers=admin.headers).status_code == 200
    assert api.get("/payments", params={"limit": 100}, headers=admin.headers).json()["total"] >= 1


def test_missing_and_malformed_ids_are_404(api: httpx.Client, merchant: Account) -> None:
    for payment_id in ("999999999", "abc", str(2**70)):
        assert_error(api.get(f"/payments/{payment_id}", headers=merchant.headers), 404)


def test_a_customer_must_be_yours(api: httpx.Client, user: Account, other: Account) -> None:
    response = api.post(
        "/customers", json={"name": "Grace", "email": "grace@example.com"}, headers=user.headers
    )
    assert response.status_code == 201, response.text
    customer = response.json()
    assert customer["email"] == "grace@example.com" and is_utc_timestamp(customer["created_at"])
    assert_error(api.get(f"/customers/{customer['id']}", headers=other.headers), 404)
    payment = charge(api, user, customer_id=customer["id"])
    assert payment["customer_id"] == customer["id"]
    assert "customer_id" in error_fields(
        post_payment(api, other, payment_body(customer_id=customer["id"]))
    )
    changed = api.patch(
        f"/customers/{customer['id']}", json={"name": "Grace H."}, headers=user.headers
    )
    assert changed.status_code == 200 and changed.json()["name"] == "Grace H."
    assert "email" in error_fields(
        api.post("/customers", json={"name": "x", "email": "nope"}, headers=user.headers)
    )


def test_lists_filter_and_paginate(api: httpx.Client, user: Account) -> None:
    charge(api, user, currency="EUR")
    charge(api, user, card={"number": CARD_DECLINED})
    for _ in range(2):
        charge(api, user)
    page = api.get("/payments", params={"limit": 2, "offset": 1}, headers=user.headers).json()
    assert set(page) == {"items", "total", "limit", "offset", "next_cursor"}
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (4, 2, 1, 2)
    failed = api.get("/payments", params={"status": "failed"}, headers=user.headers).json()
    assert failed["total"] == 1
    euros = api.get("/payments", params={"currency": "EUR"}, headers=user.headers).json()
    assert euros["total"] == 1
    for url in ("/payments", "/customers", "/webhooks", "/events", "/ledger"):
        for params in ({"limit": 101}, {"limit": 0}, {"offset": -1}, {"offset": 10**30}):
            response = api.get(url, params=params, headers=user.headers)
            assert error_fields(response) == set(params), url


def test_payments_cursor_pagination(api: httpx.Client, user: Account) -> None:
    """?cursor= (the next_cursor of a page) gives the page after it, newest first, with the
    same filters; next_cursor is null on the last page; a cursor with an offset, or one
    the service did not make, is a 422 naming ``cursor``."""
    charge(api, user, card={"number": CARD_DECLINED})
    for currency in ("EUR", "USD", "EUR", "USD", "EUR"):
        charge(api, user, currency=currency)
    for filters in ({}, {"currency": "EUR"}, {"status": "succeeded"}):
        everything = api.get("/payments", params=filters, headers=user.headers).json()
        assert everything["next_cursor"] is None
        total = len(everything["items"])
        walked = walk_cursor(api, "/payments", filters, user.headers, total)
        assert [p["id"] for p in walked] == [p["id"] for p in everything["items"]], filters
    first = api.get("/payments", params={"limit": 2, "offset": 1}, headers=user.headers).json()
    after_offset = api.get(
        "/payments", params={"limit": 2, "cursor": first["next_cursor"]}, headers=user.headers
    ).json()
    everything = api.get("/payments", headers=user.headers).json()["items"]
    assert [p["id"] for p in after_offset["items"]] == [p["id"] for p in everything[3:5]]
    forged = [["-created_at", 1, 2], ["-created_at"], ["sku", "A"], {"id": 1}]
    assert_cursors_refused(api, "/payments", user.headers, first["next_cursor"], forged)
