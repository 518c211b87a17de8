"""payments: webhook endpoints, and signed events delivered by the worker process."""

import time

import httpx
import pytest

from ..conftest import Account, assert_error, error_fields
from .helpers import WEBHOOK_WAIT, Receiver, charge, refund, verify


def register(api: httpx.Client, account: Account, url: str) -> dict:
    response = api.post("/webhooks", json={"url": url}, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.parametrize(
    "url", ["ftp://example.com/x", "not a url", "http://", "mailto:a@example.com", ""]
)
def test_webhook_urls_must_be_http(api: httpx.Client, merchant: Account, url: str) -> None:
    response = api.post("/webhooks", json={"url": url}, headers=merchant.headers)
    assert "url" in error_fields(response)


def test_the_secret_is_shown_once_and_webhooks_are_private(
    api: httpx.Client, user: Account, other: Account
) -> None:
    webhook = register(api, user, "https://example.com/hooks")
    assert webhook["secret"]
    url = f"/webhooks/{webhook['id']}"
    read = api.get(url, headers=user.headers)
    assert read.status_code == 200 and "secret" not in read.json()
    assert "secret" not in api.get("/webhooks", headers=user.headers).json()["items"][0]
    assert_error(api.get(url, headers=other.headers), 404)
    assert_error(api.get(f"{url}/deliveries", headers=other.headers), 404)
    assert_error(api.delete(url, headers=other.headers), 404)
    assert api.delete(url, headers=user.headers).status_code == 204
    assert_error(api.get(url, headers=user.headers), 404)
    assert_error(api.get("/webhooks"), 401)


def test_events_are_recorded_with_each_change(api: httpx.Client, user: Account) -> None:
    payment = charge(api, user)
    assert refund(api, user, payment["id"], amount=10).status_code == 201
    events = api.get("/events", headers=user.headers).json()
    assert [event["type"] for event in events["items"]] == ["refund.created", "payment.succeeded"]
    assert all(event["payment_id"] == payment["id"] for event in events["items"])


def wait_for_delivery(api: httpx.Client, account: Account, webhook_id: int) -> list[dict]:
    deadline = time.monotonic() + 20
    while True:
        page = api.get(f"/webhooks/{webhook_id}/deliveries", headers=account.headers).json()
        done = [d for d in page["items"] if d["status"] != "pending"]
        if done or time.monotonic() > deadline:
            return page["items"]
        time.sleep(0.2)


def test_the_worker_delivers_signed_events(api: httpx.Client, user: Account) -> None:
    with Receiver() as receiver:
        webhook = register(api, user, receiver.url)
        payment = charge(api, user)
        received = receiver.wait_for(1)
        assert received, f"no webhook arrived within {WEBHOOK_WAIT:.0f} s: is the worker running?"
        request = received[0]
        signature = request.header("Scaffold-Signature")
        assert signature is not None
        assert verify(webhook["secret"], signature, request.body)
        assert not verify(webhook["secret"], signature, request.body + b"x")
        event = request.json()
        assert event["type"] == "payment.succeeded"
        assert event["data"]["id"] == payment["id"]
        assert request.header("Scaffold-Event-Type") == "payment.succeeded"
        deliveries = wait_for_delivery(api, user, webhook["id"])
    [delivery] = deliveries
    assert delivery["status"] == "succeeded" and delivery["attempt_count"] == 1
    assert [a["status_code"] for a in delivery["attempts"]] == [200]


def test_a_failed_delivery_is_recorded_and_retried(api: httpx.Client, user: Account) -> None:
    # The first attempt gets a 500; the retry comes after the backoff (10 s by default).
    with Receiver(statuses=(500,)) as receiver:
        webhook = register(api, user, receiver.url)
        charge(api, user, amount=5)
        first = receiver.wait_for(1)
        assert first, f"no webhook arrived within {WEBHOOK_WAIT:.0f} s: is the worker running?"
        deadline = time.monotonic() + 10
        delivery: dict = {}
        while time.monotonic() < deadline:
            page = api.get(f"/webhooks/{webhook['id']}/deliveries", headers=user.headers).json()
            delivery = page["items"][0]
            if delivery["attempts"]:
                break
            time.sleep(0.2)
    assert delivery["attempts"][0]["status_code"] == 500
    assert delivery["last_status_code"] == 500 and delivery["attempt_count"] >= 1
    assert delivery["status"] in {"pending", "succeeded"}
    if delivery["status"] == "pending":
        assert delivery["next_attempt_at"] is not None
