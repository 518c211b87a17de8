"""Operations checks of a running service: a database outage, and a graceful stop.

Both run against the real server process that verify started:

* **outage**: the database goes away (for OUTAGE_SECONDS at least) while the service
  runs. ``/ready`` must answer 503 with its JSON body, a request that needs the
  database a 503 with ``detail`` (never a 500), and ``/health`` 200 throughout; once
  the database is back, ``/ready`` and that request answer 200 again (several times in
  a row), with no restart. A server database is cut with a TCP proxy of ours between
  the service and the server (the server itself is shared and stays up); a SQLite
  database, a file, is moved away and back.
* **ratelimit** (projects with the feature): a second server, whose per-client limit
  is small, gets N+1 requests of one client at once over its workers: exactly one 429,
  with the headers and the JSON body; one account's M+1 requests from as many clients:
  the last one refused, and a token that names that account under another token's
  signature is no account; then Redis is cut (a TCP proxy again) and it still answers
  200, logs a warning, and limits again once Redis is back.
* **graceful stop**: SIGTERM to the server's main process while a request is in
  flight (its body half sent): the request still gets its normal answer, the process
  exits 0 within the graceful timeout, and nothing answers on the port afterwards.
* **metrics** (a project with Prometheus metrics): ``/metrics`` refuses a request
  without its token, and ``http_requests_total`` of a route template grows by exactly
  the requests sent to it, on new connections that the server's worker processes
  share: the count is of every worker, whichever answers ``/metrics``.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

from .contracts.issuer import Issuer, b64url_decode

#: How long the service may take to notice that the database is gone, or back.
SETTLE_TIMEOUT = 10.0
#: How long the outage check keeps the database away, at least. A real outage (a
#: restart, a failover) lasts seconds; the Python services ping a pooled connection
#: only when it sat idle for a second, so a blink shorter than that could leave one
#: that broke unseen, and its next request would answer 503 with the database back.
OUTAGE_SECONDS = 2.0
#: How long a stopping server may take (gunicorn's graceful_timeout, Express's timer: 10 s).
GRACEFUL_TIMEOUT = 12.0
#: The SQLite files that move together (the database and its write-ahead log).
SQLITE_SUFFIXES = ("", "-wal", "-shm")
#: Where a URL without a port finds its server.
DEFAULT_PORTS = {"postgresql": 5432, "postgres": 5432, "mysql": 3306, "mariadb": 3306}
#: Requests the metrics check sends to one route template (each on a new connection).
METRICS_REQUESTS = 40
#: The text format of Prometheus that /metrics answers (before its parameters).
METRICS_CONTENT_TYPE = "text/plain; version=0.0.4"


class OperationsCheckFailed(Exception):
    """A check saw an answer it must not get; the message says which and why."""


class Outage(Protocol):
    """Takes the service's database away and brings it back."""

    def cut(self) -> None:
        """Take the database away."""

    def restore(self) -> None:
        """Bring it back as it was."""


@dataclass(frozen=True)
class DatabaseRequest:
    """A request that needs the database and answers 200 while it is there."""

    method: str
    path: str
    body: bytes
    headers: Mapping[str, str]

    def name(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class Login:
    """The admin's account on a service of its own credentials."""

    email: str
    password: str

    def body(self) -> bytes:
        return json.dumps({"email": self.email, "password": self.password}).encode()

    def database_request(self, port: int) -> DatabaseRequest:
        """The admin's login: a read of their row and a password check."""
        return DatabaseRequest("POST", "/auth/login", self.body(), {})

    def admin_token(self, port: int) -> str:
        return _token(port, self.email, self.password)

    def user_token(self, port: int) -> str:
        """A new account's token: registered, then signed in."""
        email = f"check-{secrets.token_hex(6)}@example.com"
        return _token(port, email, secrets.token_urlsafe(12), register=True)

    def as_admin(self, port: int, token: str) -> str | None:
        """None: the role is stored here, and changes by a write under /users.

        The cache's generations follow such writes; the token stays the same.
        """
        return None


@dataclass(frozen=True)
class IssuedAdmin:
    """The admin of a service that trusts an issuer's tokens (the feature jwks)."""

    issuer: Issuer

    def admin_token(self, port: int) -> str:
        return self.issuer.mint("verify-admin", "verify-admin@example.com", ["admin"])

    def user_token(self, port: int) -> str:
        """A token of a subject the service has not seen yet."""
        subject = f"check-{secrets.token_hex(6)}"
        return self.issuer.mint(subject, f"{subject}@example.com")

    def as_admin(self, port: int, token: str) -> str | None:
        """The same subject's token with the role "admin" too: its requests are an admin's."""
        claims = json.loads(b64url_decode(token.split(".")[1]))
        return self.issuer.mint(claims["sub"], claims["email"], [*claims["roles"], "admin"])

    def database_request(self, port: int) -> DatabaseRequest:
        """The admin confirming their own account active: a read and a write of their row.

        The admin's first request (made here) also makes their local user.
        """
        token = self.admin_token(port)
        status, _, text = _call(port, "GET", "/users/me", token)
        if status != 200:
            raise OperationsCheckFailed(f"GET /users/me as the issued admin: {status} {text[:300]}")
        user_id = json.loads(text)["id"]
        headers = {"Authorization": f"Bearer {token}"}
        body = json.dumps({"is_active": True}).encode()
        return DatabaseRequest("PATCH", f"/users/{user_id}", body, headers)


#: Who the operations checks act as: an admin with a password, or with an issued token.
Admin = Login | IssuedAdmin


class Accounts(Protocol):
    """Makes new accounts of a service (an :data:`Admin` does)."""

    def user_token(self, port: int) -> str:
        """A new account's access token."""


class DatabaseProxy:
    """A TCP forwarder between the service and its database server, that can be cut.

    :meth:`cut` closes the listening socket and every open connection: the service's
    pooled connections break and new ones are refused, as when the server goes away.
    :meth:`restore` listens again on the same port.
    """

    def __init__(self, host: str, port: int):
        self.upstream = (host, port)
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self.port = 0
        self._listen()

    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        with self._lock:
            self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed by cut() or close()
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                if self._listener is not listener:
                    # cut() came between the accept and here: this pair is cut too.
                    client.close()
                    server.close()
                    continue
                self._sockets.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                self._drop(sock)

    def _drop(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def cut(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            open_sockets = list(self._sockets)
        if listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would not,
            # and the kernel would go on accepting connections for it.
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for sock in open_sockets:
            self._drop(sock)

    def restore(self) -> None:
        if self._listener is None:
            self._listen()

    def close(self) -> None:
        self.cut()


class SqliteFileOutage:
    """The SQLite database file (with its write-ahead log) moved away, then moved back."""

    def __init__(self, path: Path):
        self.path = path

    def _files(self) -> list[tuple[Path, Path]]:
        here = [Path(f"{self.path}{suffix}") for suffix in SQLITE_SUFFIXES]
        return [(file, file.with_name(f"{file.name}.away")) for file in here]

    def cut(self) -> None:
        for here, away in self._files():
            # The log may vanish under us: the last connection to close checkpoints it
            # into the database and deletes it.
            with contextlib.suppress(FileNotFoundError):
                os.replace(here, away)

    def restore(self) -> None:
        # What a connection made in its place meanwhile (an empty database) goes first.
        for here, away in self._files():
            here.unlink(missing_ok=True)
            if away.exists():
                os.replace(away, here)


@contextmanager
def database_outage(url: str) -> Iterator[tuple[Outage, str]]:
    """The outage of the database at ``url``, and the URL the service must use for it.

    A server database is reached through a :class:`DatabaseProxy` for the time of the
    block (the URL names the proxy). A SQLite database is its file, at the same URL: it
    goes away as a file does, and a new connection finds no database there (SQLite
    makes an empty one, whose migrations are not applied).
    """
    if url.startswith("sqlite"):
        yield SqliteFileOutage(Path(url.split(":///", 1)[1])), url
        return
    parts = urlsplit(url)
    assert parts.hostname is not None
    proxy = DatabaseProxy(parts.hostname, parts.port or DEFAULT_PORTS[parts.scheme.split("+")[0]])
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@127.0.0.1:{proxy.port}" if credentials else f"127.0.0.1:{proxy.port}"
    try:
        yield proxy, urlunsplit(parts._replace(netloc=netloc))
    finally:
        proxy.close()


def _request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, str, dict[str, object] | None]:
    """One request on a new connection: the status, the raw text, the JSON body if any."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=SETTLE_TIMEOUT)
    try:
        sent = {"Content-Type": "application/json"} if body is not None else {}
        connection.request(method, path, body=body, headers={**sent, **(headers or {})})
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
    finally:
        connection.close()
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    return response.status, text, parsed if isinstance(parsed, dict) else None


def _expect(seen: tuple[int, str, dict[str, object] | None], status: int, what: str) -> None:
    code, text, body = seen
    if code != status or body is None:
        raise OperationsCheckFailed(
            f"{what}: expected {status} with a JSON body, got {code} {text[:300]}"
        )


def _until(
    port: int,
    method: str,
    path: str,
    status: int,
    what: str,
    body: bytes | None = None,
    times: int = 1,
    headers: Mapping[str, str] | None = None,
) -> None:
    """Ask until the answer is ``status`` ``times`` in a row, or fail with the last one.

    Each worker process may learn of the change on a request of its own.
    """
    deadline = time.monotonic() + SETTLE_TIMEOUT
    streak = 0
    seen: tuple[int, str, dict[str, object] | None] = (0, "no answer", None)
    while time.monotonic() < deadline:
        seen = _request(port, method, path, body, headers)
        streak = streak + 1 if seen[0] == status and seen[2] is not None else 0
        if streak >= times:
            return
        time.sleep(0.05 if streak else 0.1)
    _expect(seen, status, f"{what} (for {SETTLE_TIMEOUT:.0f} s)")


def check_outage(port: int, outage: Outage, admin: Admin) -> str:
    """Cut the database, check the answers, restore it, check them again.

    Returns:
        A one-line summary.

    Raises:
        OperationsCheckFailed: An answer was not the one the service owes.
    """
    needs = admin.database_request(port)
    _expect(_request(port, "GET", "/ready"), 200, "/ready before the outage")
    started = time.perf_counter()
    try:
        outage.cut()
        _until(port, "GET", "/ready", 503, "/ready while the database is down", times=3)
        down = _request(port, "GET", "/ready")
        _expect(down, 503, "/ready while the database is down")
        # A request that needs the database: 503 and a detail, never a 500 or a page.
        data = _request(port, needs.method, needs.path, needs.body, needs.headers)
        _expect(data, 503, f"{needs.name()} while the database is down")
        if "detail" not in (data[2] or {}):
            raise OperationsCheckFailed(f"503 without a detail: {data[1][:300]}")
        _expect(_request(port, "GET", "/health"), 200, "/health while the database is down")
        time.sleep(max(0.0, started + OUTAGE_SECONDS - time.perf_counter()))
    finally:
        outage.restore()
    _until(port, "GET", "/ready", 200, "/ready once the database is back", times=3)
    back = f"{needs.name()} once the database is back"
    # Several in a row: every worker process has a pool of its own to renew.
    _until(port, needs.method, needs.path, 200, back, needs.body, times=3, headers=needs.headers)
    _expect(_request(port, "GET", "/health"), 200, "/health after the outage")
    seconds = time.perf_counter() - started
    return (
        f"while down /ready {down[0]} {down[2]}, {needs.name()} {data[0]}; "
        f"200 again {seconds:.1f} s after the cut, no restart"
    )


def check_graceful_stop(process: subprocess.Popen[bytes], port: int, admin: Admin) -> str:
    """SIGTERM the server while a request's body is half sent; see it end well.

    The body arrives in two parts: the server has the request (its headers and half
    the body) when the signal comes, and must wait for the rest, answer it, and only
    then exit.

    Raises:
        OperationsCheckFailed: The request was cut, or the process did not exit 0 in time,
            or something still answers on the port.
    """
    needs = admin.database_request(port)
    body = needs.body
    half = len(body) // 2
    extra = "".join(f"{name}: {value}\r\n" for name, value in needs.headers.items())
    head = (
        f"{needs.method} {needs.path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    client = socket.create_connection(("127.0.0.1", port), timeout=GRACEFUL_TIMEOUT)
    try:
        client.sendall(head + body[:half])
        time.sleep(0.3)  # the server has read the headers: the request is in flight
        started = time.perf_counter()
        os.kill(process.pid, signal.SIGTERM)
        time.sleep(0.3)  # the signal has reached every process: they are stopping
        try:
            client.sendall(body[half:])
            response = http.client.HTTPResponse(client)
            response.begin()
            text = response.read().decode(errors="replace")
        except (OSError, http.client.HTTPException) as exc:
            raise OperationsCheckFailed(
                f"the request in flight was cut by SIGTERM: {exc!r}"
            ) from exc
    finally:
        client.close()
    if response.status != 200:
        raise OperationsCheckFailed(
            f"the request in flight answered {response.status}, not 200: {text[:300]}"
        )
    try:
        code = process.wait(timeout=GRACEFUL_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise OperationsCheckFailed(
            f"still running {GRACEFUL_TIMEOUT:.0f} s after SIGTERM"
        ) from None
    seconds = time.perf_counter() - started
    if code != 0:
        raise OperationsCheckFailed(f"exit status {code} after SIGTERM, not 0")
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        pass
    else:
        raise OperationsCheckFailed(f"port {port} still accepts connections after the exit")
    return f"in-flight request answered 200, exit 0 {seconds:.1f} s after SIGTERM"


#: One sample line of the Prometheus text format: its name, its labels, its value.
_SAMPLE = re.compile(
    r'^(?P<name>[A-Za-z_:][A-Za-z0-9_:]*)(?:\{(?P<labels>(?:\s*\w+="(?:[^"\\]|\\.)*"\s*,?)*)\})?'
    r"\s+(?P<value>\S+)"
)
_LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')
_ESCAPES = {"\\\\": "\\", '\\"': '"', "\\n": "\n"}


def metric_sum(text: str, name: str, **labels: str) -> float:
    """Add up the samples ``name`` of a Prometheus text whose labels include ``labels``."""
    total = 0.0
    for line in text.splitlines():
        found = _SAMPLE.match(line)
        if found is None or found["name"] != name:
            continue
        seen = {
            key: re.sub(r"\\.", lambda m: _ESCAPES.get(m[0], m[0]), value)
            for key, value in _LABEL.findall(found["labels"] or "")
        }
        if all(seen.get(key) == value for key, value in labels.items()):
            total += float(found["value"])
    return total


def _get(port: int, path: str, headers: Mapping[str, str]) -> tuple[int, str, str]:
    """A GET on a new connection: the status, the Content-Type, the text."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=SETTLE_TIMEOUT)
    try:
        connection.request("GET", path, headers=dict(headers))
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        return response.status, response.getheader("Content-Type", ""), text
    finally:
        connection.close()


def check_metrics(
    port: int, path: str, token: str, template: str, requests: int = METRICS_REQUESTS
) -> str:
    """Read ``path`` (the metrics), send ``requests`` GETs to ``template``, read it again.

    Each request fills the template's parameters with another value, on a new connection
    (the kernel hands them to whichever worker accepts first); ``http_requests_total``
    of the template must then have grown by exactly ``requests``, and no raw path may be
    a route label. A request to no route must count as ``route="unmatched"``.

    Raises:
        OperationsCheckFailed: ``/metrics`` answered without the token or not the text
            format, or a count is not what was sent.
    """
    refused = _request(port, "GET", path)
    _expect(refused, 401, f"GET {path} without the token")
    bearer = {"Authorization": f"Bearer {token}"}

    def read(moment: str) -> str:
        status, content_type, text = _get(port, path, bearer)
        if status != 200 or not content_type.startswith(METRICS_CONTENT_TYPE):
            raise OperationsCheckFailed(
                f"GET {path} {moment}: expected 200 {METRICS_CONTENT_TYPE}, "
                f"got {status} {content_type!r} {text[:300]}"
            )
        return text

    before = read("before the requests")
    paths = [re.sub(r"\{\w+\}", str(900_000 + n), template) for n in range(requests)]
    unknown = f"/no-such-route-{os.getpid()}"
    for sent in [*paths, unknown]:
        _request(port, "GET", sent)
    after = read("after the requests")
    counts = [metric_sum(text, "http_requests_total", route=template) for text in (before, after)]
    unmatched = [
        metric_sum(text, "http_requests_total", route="unmatched") for text in (before, after)
    ]
    grown = counts[1] - counts[0]
    if grown != requests:
        raise OperationsCheckFailed(
            f"sent {requests} GETs to {template}, but http_requests_total{{route={template!r}}} "
            f"went from {counts[0]:g} to {counts[1]:g}"
        )
    if unmatched[1] - unmatched[0] != 1:
        raise OperationsCheckFailed(
            f'GET {unknown} (no route) is not counted once as route="unmatched": '
            f"{unmatched[0]:g} then {unmatched[1]:g}"
        )
    leaked = [sent for sent in [*paths, unknown, path] if f'route="{sent}"' in after]
    if leaked:
        raise OperationsCheckFailed(f"raw paths are route labels: {leaked[:3]}")
    return (
        f"http_requests_total{{route={template!r}}} {counts[0]:g} -> {counts[1]:g}: "
        f'+{grown:g} for {requests} requests over the workers; no route: "unmatched"; '
        f"401 without the token"
    )


#: The per-client limit of the server that the ratelimit check starts.
RATE_LIMIT = 20
#: The per-account limit of that server (below the per-client one: each its own 429).
ACCOUNT_RATE_LIMIT = 10
#: How many answers in a row must count a warm-up account before the account check.
WARM_ANSWERS = 4
#: A route of every project that needs neither the database nor a user.
LIMITED_PATH = "/openapi.json"
#: The process that logged the warning of the limits going off (core/ratelimit.py).
_WARNING_PID = re.compile(r"in process (\d+)")
# A JSON log line at level warning: Python's logging writes "warning", pino "warn".
_WARNING_LEVEL = re.compile(r'"level":\s*"warn(?:ing)?"')


def _limited_request(
    port: int, client: str, token: str | None = None
) -> tuple[int, dict[str, str], str]:
    """GET the limited route as ``client`` (the trusted proxy's X-Forwarded-For)."""
    headers = {"X-Forwarded-For": client}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=SETTLE_TIMEOUT)
    try:
        connection.request("GET", LIMITED_PATH, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        headers = {name.lower(): value for name, value in response.getheaders()}
    finally:
        connection.close()
    return response.status, headers, text


def _documentation_address() -> str:
    """A client address of this run alone (198.18.0.0/15, the benchmarking network)."""
    number = secrets.randbelow(2**17 - 2) + 1
    return f"198.{18 + (number >> 16)}.{(number >> 8) & 255}.{number & 255}"


def check_rate_limits(port: int, redis: Outage, log: Path, limit: int = RATE_LIMIT) -> str:
    """N+1 requests of one client at once, over the workers: exactly one 429; Redis cut.

    The server runs with ``RATE_LIMIT_PER_MINUTE=limit``, trusts 127.0.0.1 as a proxy
    and reaches Redis through ``redis`` (a :class:`DatabaseProxy`). Each request comes
    on a connection of its own, eight at a time, so that both worker processes count.

    Raises:
        OperationsCheckFailed: Not exactly one 429, a header or the body missing, a
            5xx while Redis is down, or the limits not back once it is.
    """
    client = _documentation_address()
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: _limited_request(port, client), range(limit + 1)))
    refused = [a for a in answers if a[0] == 429]
    passed = [a for a in answers if a[0] == 200]
    if len(refused) != 1 or len(passed) != limit:
        statuses = sorted(a[0] for a in answers)
        hint = "" if refused else " (none refused: does Redis answer at REDIS_URL?)"
        raise OperationsCheckFailed(
            f"{limit + 1} requests at a limit of {limit}: expected {limit} 200 and one 429, "
            f"got {statuses}{hint}"
        )
    for status, headers, _ in answers:
        if headers.get("ratelimit-limit") != str(limit) or "ratelimit-reset" not in headers:
            raise OperationsCheckFailed(f"{status} without the RateLimit-* headers: {headers}")
    _, headers, text = refused[0]
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if not isinstance(body, dict) or "detail" not in body:
        raise OperationsCheckFailed(f"429 without a JSON detail: {text[:300]}")
    if headers.get("ratelimit-remaining") != "0" or not headers.get("retry-after", "").isdigit():
        raise OperationsCheckFailed(f"429 without Retry-After and Remaining 0: {headers}")
    other = _limited_request(port, _documentation_address())
    if other[0] != 200:
        raise OperationsCheckFailed(f"another client (X-Forwarded-For) got {other[0]}, not 200")
    redis.cut()
    try:
        down = [_limited_request(port, client)[0] for _ in range(limit + 1)]
        if any(status != 200 for status in down):
            raise OperationsCheckFailed(
                f"with Redis cut, answers were {sorted(set(down))}, not 200"
            )
        _expect(_request(port, "GET", "/health"), 200, "/health with Redis cut")
    finally:
        redis.restore()
    warned = [
        line
        for line in log.read_text(errors="replace").splitlines()
        if _WARNING_LEVEL.search(line) and "Redis cannot be reached" in line
    ]
    if not warned:
        raise OperationsCheckFailed("no JSON warning logged while Redis was cut")
    # Each worker process warns once (then leaves Redis alone for a few seconds).
    processes = {found.group(1) for line in warned if (found := _WARNING_PID.search(line))}
    deadline = time.monotonic() + SETTLE_TIMEOUT
    back = _limited_request(port, client)
    while back[0] != 429 and time.monotonic() < deadline:
        time.sleep(0.5)
        back = _limited_request(port, client)
    if back[0] != 429:
        raise OperationsCheckFailed(f"the limit is not back once Redis is: {back[0]}")
    return (
        f"{limit + 1} requests at once at {limit}/min: {limit} x 200, one 429 "
        f"(Retry-After {headers['retry-after']}); Redis cut: {len(down)} x 200, "
        f"a warning logged by {len(processes)} worker process(es); limit back once Redis is"
    )


def check_account_limit(
    port: int, accounts: Accounts, limit: int = ACCOUNT_RATE_LIMIT, settle: float = SETTLE_TIMEOUT
) -> str:
    """N+1 requests of one account, each from another client: the last one is refused.

    The server runs with ``RATE_LIMIT_ACCOUNT_PER_MINUTE=limit``. The account is a new
    one of ``accounts`` (registered and signed in, or a token of the issuer with the
    feature jwks). A token that names the spent account under another token's signature
    must count for its client alone: the account comes from a verified token only.

    A worker may know the accounts only some time after it starts: on Express with the
    feature jwks the limiter never waits for the issuer, and reads tokens with the keys
    each worker fetches as it starts. So first, within ``settle`` seconds, a warm-up
    account's token must be counted :data:`WARM_ANSWERS` times in a row (new
    connections, which the workers take in turn).

    Raises:
        OperationsCheckFailed: The account not limited, or a forged token taken for it.
    """
    warm_up = accounts.user_token(port)
    counted, deadline = 0, time.monotonic() + settle
    while counted < WARM_ANSWERS:
        _, headers, _ = _limited_request(port, _documentation_address(), warm_up)
        counted = counted + 1 if headers.get("ratelimit-limit") == str(limit) else 0
        if counted == 0 and time.monotonic() > deadline:
            raise OperationsCheckFailed(
                f"a token's account is not counted within {settle:g} s: "
                f"RateLimit-Limit {headers.get('ratelimit-limit')}, not {limit}"
            )
        if counted == 0:
            time.sleep(0.2)
    token = accounts.user_token(port)
    statuses = [
        _limited_request(port, _documentation_address(), token)[0] for _ in range(limit + 1)
    ]
    if statuses != [200] * limit + [429]:
        raise OperationsCheckFailed(
            f"{limit + 1} requests of one account from as many clients at a limit of "
            f"{limit}: expected {limit} x 200 then a 429, got {statuses}"
        )
    signature = accounts.user_token(port).rsplit(".", 1)[1]
    forged = f"{token.rsplit('.', 1)[0]}.{signature}"
    status, headers, _ = _limited_request(port, _documentation_address(), forged)
    if status != 200 or headers.get("ratelimit-limit") == str(limit):
        raise OperationsCheckFailed(
            f"a token naming the spent account under another's signature got {status} "
            f"(RateLimit-Limit {headers.get('ratelimit-limit')}): counted as that account"
        )
    return (
        f"{limit + 1} requests of one account from {limit + 1} clients: one 429; "
        "a forged token of it counts for its client alone"
    )


#: How many reads on new connections must each see a write (spread over the workers).
CACHE_READS_AFTER_WRITE = 6


def _call(
    port: int,
    method: str,
    path: str,
    token: str | None = None,
    body: Mapping[str, object] | None = None,
) -> tuple[int, dict[str, str], str]:
    """One request on a new connection: the status, the headers (lower-case), the text."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    payload = None if body is None else json.dumps(body).encode()
    if payload is not None:
        headers["Content-Type"] = "application/json"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=SETTLE_TIMEOUT)
    try:
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        answer = {name.lower(): value for name, value in response.getheaders()}
    finally:
        connection.close()
    return response.status, answer, text


def _token(port: int, email: str, password: str, *, register: bool = False) -> str:
    """Sign in (registering first if asked) and return the access token."""
    account = {"email": email, "password": password}
    if register:
        status, _, text = _call(port, "POST", "/auth/register", body=account)
        if status != 201:
            raise OperationsCheckFailed(f"registering {email}: {status} {text[:300]}")
    status, _, text = _call(port, "POST", "/auth/login", body=account)
    try:
        token = json.loads(text)["access_token"]
    except (ValueError, KeyError, TypeError):
        token = None
    if status != 200 or not isinstance(token, str):
        raise OperationsCheckFailed(f"signing in {email}: {status} {text[:300]}")
    return token


def _cached_read(port: int, path: str, token: str | None, what: str) -> tuple[str, str]:
    """GET a cached read: its ``X-Cache`` and its text; a 200 is required."""
    status, headers, text = _call(port, "GET", path, token)
    if status != 200:
        raise OperationsCheckFailed(f"{what}: GET {path} answered {status}: {text[:300]}")
    return headers.get("x-cache", ""), text


def _check_roles_apart(port: int, read: str, token: str, as_admin: str | None) -> str:
    """The same account with an admin's token (``as_admin``) has entries of its own.

    ``token``'s read was just stored. Returns what the summary says of it ("" when the
    account's role cannot come with a token: see ``Login.as_admin``).
    """
    if as_admin is None:
        return ""
    plain = _cached_read(port, read, token, "a user's read")
    first, second = (
        _cached_read(port, read, as_admin, "the same user's reads as an admin") for _ in range(2)
    )
    again = _cached_read(port, read, token, "a user's read after their admin's reads")
    states = [plain[0], first[0], second[0], again[0]]
    if states != ["hit", "miss", "hit", "hit"] or again[1] != plain[1]:
        raise OperationsCheckFailed(
            f"reads of {read} by one user, with a plain token, then one whose roles hold "
            f"admin, then the plain one again: X-Cache {states} (expected hit, miss, hit, "
            f"hit), the plain answer {'kept' if again[1] == plain[1] else 'changed'}"
        )
    return ", and as an admin (token roles) entries apart from its plain token's"


def check_cache(port: int, redis: Outage, log: Path, check: Mapping[str, str], admin: Admin) -> str:
    """Miss then hit; a write seen by every next read; callers apart; Redis cut and back.

    Callers apart: two users, and one user with a plain token and with an admin's when
    the role comes with the token (``Admin.as_admin``).

    The server caches in Redis through ``redis`` (a :class:`DatabaseProxy`). ``check`` is
    the kind's ``[vars.cache_check]``: ``read`` (a path, ``{marker}`` in it replaced by a
    code of this run), ``write`` (the path a POST of ``body`` goes to) and ``writer``
    (``admin`` or ``user``, a new account).

    Raises:
        OperationsCheckFailed: A wrong ``X-Cache``, a hit with another body, a read that
            does not show the write, a caller answered from another's entry (or from
            the entry of the same user with other roles), a 5xx (or
            no bypass) while Redis is cut, no warning logged, or no hit once it is back.
    """
    marker = f"CACHE-{secrets.token_hex(6).upper()}"
    users = [admin.user_token(port) for _ in range(2)]
    writer = admin.admin_token(port) if check["writer"] == "admin" else users[0]
    other = users[1]
    read = check["read"].replace("{marker}", marker)
    states = [_cached_read(port, read, writer, "the first reads") for _ in range(2)]
    if [state for state, _ in states] != ["miss", "hit"] or states[0][1] != states[1][1]:
        raise OperationsCheckFailed(
            f"two reads of {read}: expected a miss then a hit of the same body, got "
            f"{[state for state, _ in states]}"
        )
    other_state, other_text = _cached_read(port, read, other, "another user's read")
    if other_state != "miss":
        raise OperationsCheckFailed(f"another user's first read of {read} was a {other_state}")
    body = json.loads(check["body"].replace("{marker}", marker))
    status, _, text = _call(port, "POST", check["write"], writer, body)
    if not 200 <= status < 300:
        raise OperationsCheckFailed(f"POST {check['write']} answered {status}: {text[:300]}")
    seen = [
        _cached_read(port, read, writer, "the reads after a write")
        for _ in range(CACHE_READS_AFTER_WRITE)
    ]
    stale = [state for state, text in seen if marker not in text]
    if stale or seen[0][0] != "miss" or seen[-1][0] != "hit":
        raise OperationsCheckFailed(
            f"reads of {read} after POST {check['write']}: {len(stale)} of {len(seen)} "
            f"did not show it; X-Cache {[state for state, _ in seen]}"
        )
    other_state, other_text = _cached_read(port, read, other, "another user's read")
    if check["writer"] == "user" and marker in other_text:
        raise OperationsCheckFailed(f"another user's read of {read} shows the first one's data")
    roles = _check_roles_apart(port, read, other, admin.as_admin(port, other))
    redis.cut()
    try:
        down = [_call(port, "GET", read, writer) for _ in range(4)]
        if any(status != 200 or headers.get("x-cache") != "bypass" for status, headers, _ in down):
            got = [(status, headers.get("x-cache")) for status, headers, _ in down]
            raise OperationsCheckFailed(f"with Redis cut, reads of {read} answered {got}")
    finally:
        redis.restore()
    warned = [
        line
        for line in log.read_text(errors="replace").splitlines()
        if _WARNING_LEVEL.search(line) and "Redis cannot be reached" in line
    ]
    if not warned:
        raise OperationsCheckFailed("no JSON warning logged while Redis was cut")
    processes = {found.group(1) for line in warned if (found := _WARNING_PID.search(line))}
    deadline = time.monotonic() + SETTLE_TIMEOUT
    back, _ = _cached_read(port, read, writer, "a read once Redis is back")
    while back != "hit" and time.monotonic() < deadline:
        time.sleep(0.5)
        back, _ = _cached_read(port, read, writer, "a read once Redis is back")
    if back != "hit":
        raise OperationsCheckFailed(f"no hit once Redis is back: X-Cache {back}")
    return (
        f"{read}: miss then hit; after POST {check['write']}, {len(seen)} reads on new "
        f"connections saw it; another user had entries of its own{roles}; Redis cut: {len(down)} "
        f"x 200 bypass, a warning logged by {len(processes)} worker process(es); hits again "
        "once Redis is back"
    )
