"""Bursts of concurrent requests against the service, for every kind's load checks.

A kind's ``test_load.py`` says what to send (its main read and write endpoints) and
what must hold afterwards (its invariant); this module sends it all at once and
judges the answers: no 5xx, no request without an answer, every 4xx with the JSON
error body.

A burst is real: every request gets a connection of its own, all of them are opened
first, and then every request is written at once, on one event loop. A client that
builds each request in turn (httpx, about a millisecond each here) spreads 200
requests over a second or more, and a server then never holds more than a few at
once; that hid FastAPI's pool deadlock, which 200 requests written together find at
once. So the burst speaks HTTP/1.1 itself on asyncio streams: a request line,
headers and a JSON body out; a status line, headers and a body of Content-Length
(or chunks) back. Everything else (signing up, reading the invariants) uses httpx.

Bursts go to loopback addresses only, and each is bounded in time (``TIMEOUT``):
a request with no answer by then counts as a failure, not a hang. With
``SCAFFOLD_LOAD_LOG`` set to a file, each burst appends its figures there (one JSON
line: requests, seconds, statuses).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import os
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest

from ..conftest import in_ci

#: Requests in one burst, all in flight at once.
BURST = 200
#: Seconds a burst may take, answers included (FastAPI's old deadlock took 30 s per
#: round); healthy services answer 200 requests in one to three seconds here.
TIMEOUT = 20.0
#: Failures a report shows (all are counted).
SHOWN = 10


@dataclass(frozen=True)
class Call:
    """One request of a burst: method, path (with its query string), JSON body, headers."""

    method: str
    path: str
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Answer:
    """What came back for one call: a status and a body, or why nothing came."""

    call: Call
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None

    def json(self) -> Any:
        return json.loads(self.body)

    def problem(self) -> str | None:
        """What is wrong with this answer whatever the kind: none, a 5xx, a bad 4xx."""
        if self.status is None:
            return f"no answer ({self.error})"
        if self.status >= 500:
            return f"{self.status} {self.body[:200]!r}"
        if self.status >= 400:
            if not self.headers.get("content-type", "").startswith("application/json"):
                return f"{self.status} is not JSON: {self.body[:200]!r}"
            try:
                detail = self.json().get("detail")
            except (ValueError, AttributeError):
                detail = None
            if not (isinstance(detail, str) and detail):
                return f"{self.status} without a detail string: {self.body[:200]!r}"
        return None


@dataclass
class Burst:
    """The answers of one burst, in the order of its calls, and how long it took."""

    answers: list[Answer]
    seconds: float

    def statuses(self) -> Counter[int | None]:
        return Counter(answer.status for answer in self.answers)

    def with_status(self, status: int) -> list[Answer]:
        return [answer for answer in self.answers if answer.status == status]

    def assert_healthy(self, allowed: Iterable[int]) -> None:
        """Every answer is one of ``allowed`` and none has a problem; else fail with them."""
        allowed = set(allowed)
        failures = []
        for answer in self.answers:
            problem = answer.problem()
            if problem is None and answer.status not in allowed:
                problem = (
                    f"{answer.status} (expected one of {sorted(allowed)}): {answer.body[:200]!r}"
                )
            if problem is not None:
                failures.append(f"{answer.call.method} {answer.call.path}: {problem}")
        if failures:
            shown = "\n".join(failures[:SHOWN])
            pytest.fail(
                f"{len(failures)} of {len(self.answers)} requests of a burst "
                f"({self.seconds:.1f} s, statuses {dict(self.statuses())}):\n{shown}"
            )


def burst(base_url: str, calls: Sequence[Call], *, timeout: float = TIMEOUT) -> Burst:
    """Send every call at once, each on a connection of its own; return the answers.

    Args:
        base_url: The service, on a loopback address (``http://127.0.0.1:8000``).
        calls: What to send; their count is the burst's size.
        timeout: Seconds for the whole burst; calls unanswered by then fail.

    Returns:
        The answers in the order of ``calls``, and the seconds from the first write to
        the last answer.
    """
    host, port = loopback_address(base_url)
    result = asyncio.run(_burst(host, port, list(calls), timeout))
    _log(calls, result)
    return result


def _log(calls: Sequence[Call], result: Burst) -> None:
    """Append the burst's figures to $SCAFFOLD_LOAD_LOG as one JSON line, if it is set."""
    path = os.environ.get("SCAFFOLD_LOAD_LOG")
    if not path:
        return
    kinds = Counter(f"{call.method} {call.path.split('?')[0]}" for call in calls)
    line = {
        "test": os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0],
        "requests": len(calls),
        "calls": dict(kinds.most_common(3)),
        "seconds": round(result.seconds, 3),
        "statuses": {str(k): v for k, v in result.statuses().items()},
    }
    with open(path, "a", encoding="utf-8") as log:
        log.write(json.dumps(line) + "\n")


def loopback_address(base_url: str) -> tuple[str, int]:
    """The host and port of ``base_url``; skips the test unless it is plain HTTP on loopback."""
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if parts.scheme != "http" or not loopback:
        message = f"bursts go to plain HTTP on loopback addresses only, not {base_url}"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return host, parts.port or 80


async def _burst(host: str, port: int, calls: list[Call], timeout: float) -> Burst:
    answers = [Answer(call) for call in calls]
    go = asyncio.Event()
    connected = 0

    async def one(answer: Answer) -> None:
        nonlocal connected
        writer: asyncio.StreamWriter | None = None
        try:
            reader, writer = await asyncio.open_connection(host, port)
            connected += 1
            if connected == len(calls):
                go.set()
            await go.wait()
            writer.write(_request(host, port, answer.call))
            await writer.drain()
            await _read_response(reader, answer)
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            answer.error = f"{type(exc).__name__}: {exc}"
            go.set()  # a connection that failed must not hold the others back
        finally:
            if writer is not None:
                writer.close()

    tasks = [asyncio.create_task(one(answer)) for answer in answers]
    opening = time.perf_counter()
    if tasks:
        # Connecting is not part of the burst, but it is part of the time allowed.
        waiter = asyncio.create_task(go.wait())
        await asyncio.wait([waiter], timeout=timeout)
        waiter.cancel()
    started = time.perf_counter()
    remaining = max(0.0, timeout - (started - opening))
    _done, pending = await asyncio.wait(tasks, timeout=remaining) if tasks else (set(), set())
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    for answer in answers:
        if answer.status is None and answer.error is None:
            answer.error = f"none within {timeout:.0f} s"
    return Burst(answers, time.perf_counter() - started)


def _request(host: str, port: int, call: Call) -> bytes:
    body = b"" if call.body is None else json.dumps(call.body).encode()
    lines = [f"{call.method} {call.path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in call.headers.items()]
    if call.body is not None or call.method in {"POST", "PUT", "PATCH"}:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader, answer: Answer) -> None:
    status_line = await reader.readline()
    parts = status_line.split()
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/"):
        raise ValueError(f"not an HTTP response: {status_line[:80]!r}")
    headers: dict[str, str] = {}
    while True:
        line = await reader.readline()
        if line in {b"\r\n", b"\n", b""}:
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = bytearray()
        while True:
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                break
            body += await reader.readexactly(size)
            await reader.readline()
        answer.body = bytes(body)
    elif "content-length" in headers:
        answer.body = await reader.readexactly(int(headers["content-length"]))
    else:
        answer.body = await reader.read()
    answer.headers = headers
    answer.status = int(parts[1])
