"""The load module's bursts: every request in flight at once, and every bad answer named.

A small threaded HTTP server stands in for a service: it answers at once, fails some
requests with a 500 or a 4xx that is not JSON, or holds an answer back past the
burst's time limit.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from toolkit.contracts.common.load import Call, burst

_Failed: Any = pytest.fail.Exception  # the exception pytest.fail raises


class Handler(BaseHTTPRequestHandler):
    """``/ok`` echoes the body, ``/boom`` is a 500, ``/html`` a 400 page, ``/slow`` waits.

    ``/gather`` echoes too, once ``GATHER`` requests are in flight together (or after
    ``GATHER_WAIT`` seconds): a client that sent them one after another would never
    get there, whatever the machine's load, which a fixed pause could not tell.
    """

    protocol_version = "HTTP/1.1"
    in_flight = 0
    most_in_flight = 0
    lock = threading.Condition()

    def do_GET(self) -> None:
        self.answer()

    def do_POST(self) -> None:
        self.answer()

    def answer(self) -> None:
        with Handler.lock:
            Handler.in_flight += 1
            Handler.most_in_flight = max(Handler.most_in_flight, Handler.in_flight)
            Handler.lock.notify_all()
        try:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b"{}"
            if self.path == "/gather":
                with Handler.lock:
                    Handler.lock.wait_for(lambda: Handler.most_in_flight >= GATHER, GATHER_WAIT)
            if self.path == "/slow":
                time.sleep(3)
            if self.path == "/boom":
                self.send(500, b"Internal Server Error", "text/plain")
            elif self.path == "/html":
                self.send(400, b"<h1>bad</h1>", "text/html")
            elif self.path == "/missing":
                self.send(404, json.dumps({"detail": "Not found"}).encode(), "application/json")
            else:
                self.send(200, body, "application/json")
        finally:
            with Handler.lock:
                Handler.in_flight -= 1

    def send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


GATHER = 100
GATHER_WAIT = 10.0


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the listen backlog: room for a whole burst, as real servers have


@contextmanager
def serving() -> Iterator[str]:
    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Handler.most_in_flight = 0
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_burst_has_every_request_in_flight_at_once() -> None:
    with serving() as url:
        result = burst(url, [Call("POST", "/gather", {"n": n}) for n in range(GATHER)])
    result.assert_healthy({200})
    assert [answer.json() for answer in result.answers] == [{"n": n} for n in range(GATHER)]
    # The server held all of them at the same moment, not a few at a time.
    assert Handler.most_in_flight == GATHER, Handler.most_in_flight


def test_500s_and_error_pages_are_named() -> None:
    with serving() as url:
        calls = [Call("GET", path) for path in ["/ok", "/boom", "/html", "/missing"] * 5]
        result = burst(url, calls)
    with pytest.raises(_Failed) as failure:
        result.assert_healthy({200, 404})
    message = str(failure.value)
    assert "10 of 20 requests of a burst" in message
    assert "GET /boom: 500 b'Internal Server Error'" in message
    assert "GET /html: 400 is not JSON: b'<h1>bad</h1>'" in message
    with pytest.raises(_Failed) as failure:
        result.assert_healthy({200})
    assert "GET /missing: 404 (expected one of [200])" in str(failure.value)


def test_an_answer_that_does_not_come_in_time_is_a_failure() -> None:
    with serving() as url:
        started = time.monotonic()
        result = burst(url, [Call("GET", "/slow"), Call("GET", "/ok")], timeout=1)
        assert time.monotonic() - started < 2.5
    assert [answer.status for answer in result.answers] == [None, 200]
    with pytest.raises(_Failed, match=r"GET /slow: no answer \(none within 1 s\)"):
        result.assert_healthy({200})


def test_bursts_go_to_loopback_addresses_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="loopback addresses only"):
        burst("http://example.com:8000", [Call("GET", "/")])
    monkeypatch.setenv("CI", "true")
    with pytest.raises(_Failed, match="loopback addresses only"):
        burst("http://10.1.2.3:8000", [Call("GET", "/")])
