"""Test cards, charging through the API, and a webhook receiver the suite runs itself."""

import hashlib
import hmac
import json
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from ..conftest import Account

CARD_OK = "4242424242424242"
CARD_MASTERCARD = "5555555555554444"
CARD_DECLINED = "4000000000000002"
CARD_NO_FUNDS = "4000000000009995"


def payment_body(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"amount": 1000, "currency": "USD", "card": {"number": CARD_OK}}
    body.update(fields)
    return body


def new_key() -> str:
    return uuid.uuid4().hex


def post_payment(
    api: httpx.Client, account: Account, body: dict[str, Any], key: str | None = None
) -> httpx.Response:
    headers = {**account.headers, "Idempotency-Key": key or new_key()}
    return api.post("/payments", json=body, headers=headers)


def charge(api: httpx.Client, account: Account, **fields: Any) -> dict[str, Any]:
    response = post_payment(api, account, payment_body(**fields))
    assert response.status_code == 201, response.text
    return response.json()


def refund(api: httpx.Client, account: Account, payment_id: int, **fields: Any) -> httpx.Response:
    return api.post(f"/payments/{payment_id}/refunds", json=fields, headers=account.headers)


def all_items(api: httpx.Client, account: Account, url: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        params = {"limit": 100, "offset": len(items)}
        page = api.get(url, params=params, headers=account.headers).json()
        items.extend(page["items"])
        if len(items) >= page["total"] or not page["items"]:
            return items


def verify(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """The documented scheme: t=<unix>,v1=<hex HMAC-SHA256 of f"{t}." + body>."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    if not fields.get("t", "").isdigit() or "v1" not in fields:
        return False
    timestamp = int(fields["t"])
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), fields["v1"])


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return {k.lower(): v for k, v in self.headers.items()}.get(name.lower())

    def json(self) -> Any:
        return json.loads(self.body)


#: How long a test waits for the worker's webhook. A polling worker delivers what is due
#: one at a time, after the retries due before it; on a loaded machine with SQLite (one
#: writer at a time) that took more than 20 s once in CI. A liveness bound, not a speed.
WEBHOOK_WAIT = 40.0


class Receiver:
    """An HTTP endpoint on 127.0.0.1 and a free port, answering ``statuses`` then 200.

    With ``hold``, the first request gets no answer until that event is set (the sender
    meanwhile waits, or dies, mid-attempt).
    """

    def __init__(self, statuses: tuple[int, ...] = (), hold: threading.Event | None = None):
        self.statuses = list(statuses)
        self.hold = hold
        self.requests: list[Received] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    receiver.requests.append(Received(dict(self.headers.items()), body))
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    held = receiver.hold if len(receiver.requests) == 1 else None
                if held is not None:
                    held.wait(timeout=120)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the sender is gone (a worker killed mid-attempt)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/webhooks"

    def wait_for(self, count: int, timeout: float = WEBHOOK_WAIT) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.requests) >= count:
                    return list(self.requests)
            time.sleep(0.1)
        with self.lock:
            return list(self.requests)

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
