"""Helpers of the payment tests: test cards, charging through the API, a webhook receiver.

What differs between the stacks (running the worker, reading the database) is in
``tests/payment_stack.py``, one per stack, behind the shapes defined here.
"""

import json
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

# The simulated processor's documented test numbers.
CARD_OK = "4242424242424242"
CARD_MASTERCARD = "5555555555554444"
CARD_DECLINED = "4000000000000002"
CARD_NO_FUNDS = "4000000000009995"
TEST_CARDS = [CARD_OK, CARD_MASTERCARD, CARD_DECLINED, CARD_NO_FUNDS]

Headers = dict[str, str]


def payment_body(**fields: Any) -> dict[str, Any]:
    """A valid ``POST /payments`` body, with ``fields`` replacing the defaults."""
    body: dict[str, Any] = {"amount": 1000, "currency": "USD", "card": {"number": CARD_OK}}
    body.update(fields)
    return body


def new_key() -> str:
    """A fresh Idempotency-Key."""
    return uuid.uuid4().hex


def charge(
    client: Any, headers: Headers, *, key: str | None = None, **fields: Any
) -> dict[str, Any]:
    """Create a payment through the API (201 expected) and return it."""
    response = client.post(
        "/payments",
        json=payment_body(**fields),
        headers={**headers, "Idempotency-Key": key or new_key()},
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def json_values(data: Any) -> list[Any]:
    """Every value of a JSON document, at any depth (keys excluded).

    To tell that a secret such as a cvc is not answered, look for it as a value: its
    bare digits may well be part of a timestamp or an id.
    """
    if isinstance(data, dict):
        return [item for value in data.values() for item in json_values(value)]
    if isinstance(data, list):
        return [item for value in data for item in json_values(value)]
    return [data]


def refund(client: Any, headers: Headers, payment_id: int, **fields: Any) -> Any:
    """Ask for a refund through the API and return the response."""
    return client.post(f"/payments/{payment_id}/refunds", json=fields, headers=headers)


class Worker(Protocol):
    """The webhook worker of the stack under test, on the test database."""

    def configure(self, **changes: Any) -> None:
        """Change its settings for this test, by the names of ``core.delivery.DeliveryConfig``
        (``max_attempts``, ``backoff_seconds``, ``timeout_seconds``, ``allow_private_urls``).
        """

    def run_once(self, *, now: datetime | None = None, limit: int = 10) -> int:
        """One round: attempt the due deliveries; return how many were attempted."""


@dataclass
class Received:
    """One request the receiver got."""

    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        """A header's value; names are case-insensitive."""
        found = {key.lower(): value for key, value in self.headers.items()}
        return found.get(name.lower())


class Receiver:
    """A webhook endpoint on a free local port, in a thread.

    It answers the given status codes in turn, then 200, and keeps every request.
    """

    def __init__(self, statuses: tuple[int, ...] = ()):
        self.statuses = list(statuses)
        self.requests: list[Received] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with receiver._lock:
                    receiver.requests.append(Received(dict(self.headers.items()), body))
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # A short poll interval: shutdown() waits for the next poll.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hooks"

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
