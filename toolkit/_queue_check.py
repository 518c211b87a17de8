"""The ``queue`` check of ``scaffold verify``: a payments service's webhooks through its job queue.

verify starts a second server and the project's worker (its real command) with Redis
behind a TCP proxy of its own (``DatabaseProxy``) and keys of this run, then, each phase
with a merchant of its own and a webhook receiver on loopback:

* **pushed**: with the worker's sweeper and its polling set to a minute, a payment's
  event arrives within seconds: the queue carried it, nothing looked for it;
* **Redis cut at the commit**: the payment still answers 201 (never a 5xx) while Redis
  is away; once Redis is back, the worker (restarted with a sweep every 2 s) finds the
  delivery in the outbox and sends it;
* **worker killed mid-attempt**: the receiver holds the first request, the worker's
  process group gets SIGKILL; a new worker sends the same event again (same
  ``Scaffold-Event-Id``), the delivery ends ``succeeded`` and the payment has one event;
* **dead-lettered**: an endpoint that always answers 500 gets exactly
  ``WEBHOOK_MAX_ATTEMPTS`` attempts, with backoff, and the delivery ends ``failed``;
* **health**: the worker's health command answers 0 while it runs, and SIGTERM stops
  the worker with status 0.
"""

from __future__ import annotations

import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from ._operations_checks import DatabaseProxy, OperationsCheckFailed
from .contracts.payments.helpers import CARD_OK, Receiver

#: Attempts and backoff the check's worker gets (WEBHOOK_MAX_ATTEMPTS, WEBHOOK_BACKOFF_SECONDS).
MAX_ATTEMPTS = 3
BACKOFF_SECONDS = 1
#: How long an endpoint may take (WEBHOOK_TIMEOUT_SECONDS): also what a claim's lease is made of.
TIMEOUT_SECONDS = 2
#: A sweep so rare that only the queue can deliver within the push phase.
SLOW_SWEEP_SECONDS = 60
#: The sweep of the later phases, which count on it.
FAST_SWEEP_SECONDS = 2
#: How long the worker is left to start before the push phase.
SETTLE_SECONDS = 3.0
#: How soon a pushed event must arrive.
PUSH_WITHIN = 8.0
#: How long a lost delivery may take to come back (a lease to end, a sweep, a retry).
RECOVER_WITHIN = 120.0
PASSWORD = "verify-queue-Passw0rd"


def worker_settings(sweep_seconds: int) -> dict[str, str]:
    """What the check's worker (and server) run with besides Redis and the prefix."""
    return {
        "QUEUE_SWEEP_SECONDS": str(sweep_seconds),
        "WORKER_POLL_SECONDS": str(SLOW_SWEEP_SECONDS),
        "WEBHOOK_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
        "WEBHOOK_BACKOFF_SECONDS": str(BACKOFF_SECONDS),
        "WEBHOOK_TIMEOUT_SECONDS": str(TIMEOUT_SECONDS),
        "WEBHOOK_ALLOW_PRIVATE_URLS": "true",
    }


@dataclass
class Worker:
    """Starts, stops and kills the project's worker, and asks its health command."""

    start: Callable[[Mapping[str, str]], subprocess.Popen[bytes]]
    stop: Callable[[subprocess.Popen[bytes]], int | None]
    kill: Callable[[subprocess.Popen[bytes]], None]
    healthy: Callable[[], bool] | None
    log: Callable[[], str]


class _Merchant:
    """A new account on the service, with its own webhook."""

    def __init__(self, api: httpx.Client):
        self.api = api
        email = f"queue-{uuid.uuid4().hex[:12]}@example.com"
        answer = api.post("/auth/register", json={"email": email, "password": PASSWORD})
        _expect(answer, 201, "POST /auth/register")
        answer = api.post("/auth/login", json={"email": email, "password": PASSWORD})
        _expect(answer, 200, "POST /auth/login")
        self.headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        self.webhook_id: int | None = None

    def register(self, url: str) -> None:
        answer = self.api.post("/webhooks", json={"url": url}, headers=self.headers)
        _expect(answer, 201, "POST /webhooks")
        self.webhook_id = int(answer.json()["id"])

    def charge(self) -> dict[str, Any]:
        headers = {**self.headers, "Idempotency-Key": uuid.uuid4().hex}
        body = {"amount": 1500, "currency": "USD", "card": {"number": CARD_OK}}
        answer = self.api.post("/payments", json=body, headers=headers)
        _expect(answer, 201, "POST /payments")
        return dict(answer.json())

    def deliveries(self) -> list[dict[str, Any]]:
        url = f"/webhooks/{self.webhook_id}/deliveries"
        answer = self.api.get(url, headers=self.headers)
        _expect(answer, 200, f"GET {url}")
        return list(answer.json()["items"])

    def events(self) -> list[dict[str, Any]]:
        answer = self.api.get("/events", headers=self.headers)
        _expect(answer, 200, "GET /events")
        return list(answer.json()["items"])

    def wait_delivery(self, status: str, within: float) -> dict[str, Any]:
        deadline = time.monotonic() + within
        while True:
            items = self.deliveries()
            if items and items[0]["status"] == status:
                return items[0]
            if time.monotonic() > deadline:
                raise OperationsCheckFailed(
                    f"the delivery is not {status} after {within:.0f} s: {items}"
                )
            time.sleep(0.3)


def _expect(answer: httpx.Response, status: int, what: str) -> None:
    if answer.status_code != status:
        raise OperationsCheckFailed(
            f"{what} answered {answer.status_code}, not {status}: {answer.text[:300]}"
        )


def _received(receiver: Receiver, count: int, within: float, what: str) -> float:
    """Wait for ``count`` requests at ``receiver``; the seconds it took."""
    started = time.monotonic()
    got = receiver.wait_for(count, timeout=within)
    if len(got) < count:
        raise OperationsCheckFailed(
            f"{what}: {len(got)} of {count} webhook request(s) arrived within {within:.0f} s"
        )
    return time.monotonic() - started


def _event_ids(receiver: Receiver) -> set[str | None]:
    with receiver.lock:
        return {request.header("Scaffold-Event-Id") for request in receiver.requests}


def check_payment_queue(base_url: str, proxy: DatabaseProxy, worker: Worker) -> str:
    """Run the phases of the module's docstring; a summary of what was seen."""
    notes: list[str] = []
    process = worker.start(worker_settings(SLOW_SWEEP_SECONDS))
    try:
        with httpx.Client(base_url=base_url, timeout=15) as api:
            if worker.healthy is not None:
                _wait_healthy(worker, process)
            # A worker that polls would have looked once, at its start, by now: what
            # arrives later came through the queue.
            time.sleep(SETTLE_SECONDS)
            notes.append(_pushed(api))
            process = _redis_cut_at_commit(api, proxy, worker, process, notes)
            process = _killed_mid_attempt(api, worker, process, notes)
            notes.append(_dead_lettered(api))
            if worker.healthy is not None and not worker.healthy():
                raise OperationsCheckFailed("the worker's health command failed while it ran")
        code = worker.stop(process)
        if code != 0:
            raise OperationsCheckFailed(f"SIGTERM stopped the worker with status {code}, not 0")
        notes.append("health 0 while running, stopped with 0 on SIGTERM")
    except OperationsCheckFailed as exc:
        raise OperationsCheckFailed(f"{exc}\nworker output:\n{worker.log()[-2000:]}") from None
    finally:
        if process.poll() is None:
            worker.kill(process)
    return "; ".join(notes)


def _wait_healthy(worker: Worker, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while worker.healthy is not None and not worker.healthy():
        if process.poll() is not None or time.monotonic() > deadline:
            raise OperationsCheckFailed("the worker's health command never answered 0")
        time.sleep(0.5)


def _pushed(api: httpx.Client) -> str:
    merchant = _Merchant(api)
    with Receiver() as receiver:
        merchant.register(receiver.url)
        merchant.charge()
        took = _received(receiver, 1, PUSH_WITHIN, "pushed through the queue")
    merchant.wait_delivery("succeeded", 10)
    return f"pushed in {took:.2f} s (sweep every {SLOW_SWEEP_SECONDS} s)"


def _redis_cut_at_commit(
    api: httpx.Client,
    proxy: DatabaseProxy,
    worker: Worker,
    process: subprocess.Popen[bytes],
    notes: list[str],
) -> subprocess.Popen[bytes]:
    merchant = _Merchant(api)
    with Receiver() as receiver:
        merchant.register(receiver.url)
        proxy.cut()
        try:
            started = time.monotonic()
            merchant.charge()
            answered = time.monotonic() - started
        finally:
            proxy.restore()
        code = worker.stop(process)
        if code != 0:
            raise OperationsCheckFailed(f"SIGTERM stopped the worker with status {code}, not 0")
        process = worker.start(worker_settings(FAST_SWEEP_SECONDS))
        took = _received(receiver, 1, RECOVER_WITHIN, "swept from the outbox after Redis came back")
    merchant.wait_delivery("succeeded", 10)
    notes.append(
        f"Redis cut at the commit: 201 in {answered:.2f} s, swept and sent {took:.1f} s later"
    )
    return process


def _killed_mid_attempt(
    api: httpx.Client, worker: Worker, process: subprocess.Popen[bytes], notes: list[str]
) -> subprocess.Popen[bytes]:
    merchant = _Merchant(api)
    hold = threading.Event()
    with Receiver(hold=hold) as receiver:
        merchant.register(receiver.url)
        payment = merchant.charge()
        _received(receiver, 1, RECOVER_WITHIN, "the first attempt (held)")
        worker.kill(process)
        hold.set()
        process = worker.start(worker_settings(FAST_SWEEP_SECONDS))
        took = _received(receiver, 2, RECOVER_WITHIN, "sent again after the worker was killed")
        ids = _event_ids(receiver)
    delivery = merchant.wait_delivery("succeeded", 20)
    if len(ids) != 1 or None in ids:
        raise OperationsCheckFailed(f"the attempts carried event ids {ids}, not one")
    events = [e for e in merchant.events() if e.get("payment_id") == payment["id"]]
    if len(events) != 1:
        raise OperationsCheckFailed(f"the payment has {len(events)} events, not 1")
    notes.append(
        f"worker killed mid-attempt: sent again {took:.1f} s later with the same event id,"
        f" {delivery['attempt_count']} attempt(s) recorded"
    )
    return process


def _dead_lettered(api: httpx.Client) -> str:
    merchant = _Merchant(api)
    with Receiver(statuses=(500,) * (MAX_ATTEMPTS + 3)) as receiver:
        merchant.register(receiver.url)
        merchant.charge()
        delivery = merchant.wait_delivery("failed", RECOVER_WITHIN)
        time.sleep(BACKOFF_SECONDS * 2**MAX_ATTEMPTS)  # a further attempt would come by now
        with receiver.lock:
            sent = len(receiver.requests)
    attempts = [attempt["status_code"] for attempt in delivery["attempts"]]
    if sent != MAX_ATTEMPTS or delivery["attempt_count"] != MAX_ATTEMPTS:
        raise OperationsCheckFailed(
            f"an endpoint answering 500 got {sent} request(s) and {delivery['attempt_count']}"
            f" recorded attempt(s) ({attempts}), not {MAX_ATTEMPTS}"
        )
    return f"dead-lettered after {MAX_ATTEMPTS} attempts ({attempts})"
