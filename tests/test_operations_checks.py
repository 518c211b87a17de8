"""The outage check's database proxy; the metrics and ratelimit checks, good and flawed."""

import collections
import http.server
import json
import os
import re
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from toolkit._operations_checks import (
    DatabaseProxy,
    OperationsCheckFailed,
    check_account_limit,
    check_metrics,
    check_rate_limits,
    database_outage,
    metric_sum,
)


@pytest.fixture
def echo_port() -> Iterator[int]:
    """A server that sends back what it gets, one thread per connection."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve(conn: socket.socket) -> None:
        with conn:
            while data := conn.recv(1024):
                conn.sendall(data)

    def accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield listener.getsockname()[1]
    listener.shutdown(socket.SHUT_RDWR)
    listener.close()


def echo(port: int, message: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
        conn.sendall(message)
        return conn.recv(1024)


def test_the_proxy_forwards_cuts_and_comes_back_on_its_port(echo_port: int) -> None:
    proxy = DatabaseProxy("127.0.0.1", echo_port)
    try:
        assert echo(proxy.port, b"before") == b"before"
        held = socket.create_connection(("127.0.0.1", proxy.port), timeout=2)
        held.sendall(b"held")
        assert held.recv(1024) == b"held"
        proxy.cut()
        # The open connection is closed, and a new one is refused.
        assert held.recv(1024) == b""
        held.close()
        with pytest.raises(ConnectionRefusedError):
            echo(proxy.port, b"during")
        port = proxy.port
        proxy.restore()
        assert proxy.port == port
        assert echo(proxy.port, b"after") == b"after"
    finally:
        proxy.close()


def test_a_server_url_goes_through_the_proxy(echo_port: int) -> None:
    url = f"postgresql+psycopg://user:secret@127.0.0.1:{echo_port}/verify_x?sslmode=disable"
    with database_outage(url) as (outage, service_url):
        assert isinstance(outage, DatabaseProxy)
        proxied = f"postgresql+psycopg://user:secret@127.0.0.1:{outage.port}/verify_x"
        assert service_url == f"{proxied}?sslmode=disable"
        assert echo(outage.port, b"through") == b"through"


def test_a_sqlite_file_moves_away_with_its_log_and_comes_back(tmp_path: Path) -> None:
    database = tmp_path / "verify.db"
    for suffix, text in [("", "data"), ("-wal", "log"), ("-shm", "index")]:
        Path(f"{database}{suffix}").write_text(text)
    with database_outage(f"sqlite:///{database}") as (outage, service_url):
        assert service_url == f"sqlite:///{database}"
        outage.cut()
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            "verify.db-shm.away",
            "verify.db-wal.away",
            "verify.db.away",
        ]
        database.write_text("an empty database a connection made meanwhile")
        outage.restore()
    assert database.read_text() == "data"
    assert Path(f"{database}-wal").read_text() == "log"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "verify.db",
        "verify.db-shm",
        "verify.db-wal",
    ]


def test_a_log_that_vanishes_while_the_file_moves_is_no_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service's last connection may checkpoint and delete the log mid-cut (a real race)."""
    database = tmp_path / "verify.db"
    for suffix in ("", "-wal"):
        Path(f"{database}{suffix}").write_text("x")
    real_replace = os.replace

    def replace(source: str | Path, target: str | Path) -> None:
        if str(source) == f"{database}-wal":
            Path(source).unlink()  # the checkpoint, after the log was seen and before it moves
        real_replace(source, target)

    monkeypatch.setattr("toolkit._operations_checks.os.replace", replace)
    with database_outage(f"sqlite:///{database}") as (outage, _):
        outage.cut()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["verify.db.away"]
        outage.restore()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["verify.db"]


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A request handler of the fake services below: it logs nothing."""

    def log_message(self, *args: object) -> None:
        pass


class FakeMetricsService:
    """A service that counts its GETs the way a project with metrics must, or a flawed way.

    ``workers`` processes are played by counters that take turns answering; ``/metrics``
    reads all of them (``summed``) or only the one whose turn it is, as a service that
    kept each worker's counts in its memory would. ``raw_paths`` labels requests with
    their path instead of their route template, ``open`` serves /metrics without a token.
    """

    TOKEN = "fake-token"

    def __init__(self, *, summed: bool = True, raw_paths: bool = False, open: bool = False):
        self.summed, self.raw_paths, self.open = summed, raw_paths, open
        self.counts: list[collections.Counter[tuple[str, str]]] = [
            collections.Counter(),
            collections.Counter(),
        ]
        self.turn = 0
        self.lock = threading.Lock()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _route(self, path: str) -> str:
        if self.raw_paths:
            return path
        if re.fullmatch(r"/users/[0-9]+", path):
            return "/users/{user_id}"
        return "/health" if path == "/health" else "unmatched"

    def _text(self) -> str:
        worker = self.counts if self.summed else [self.counts[self.turn]]
        total: collections.Counter[tuple[str, str]] = sum(worker, collections.Counter())
        lines = ["# TYPE http_requests_total counter"]
        for (route, status), value in sorted(total.items()):
            lines.append(
                f'http_requests_total{{method="GET",route="{route}",status="{status}"}} {value}.0'
            )
        return "\n".join(lines) + "\n"

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        service = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                with service.lock:
                    service.turn = 1 - service.turn
                    if self.path == "/metrics":
                        allowed = service.open or (
                            self.headers.get("Authorization") == f"Bearer {service.TOKEN}"
                        )
                        status, kind = (200, "text/plain; version=0.0.4; charset=utf-8")
                        body = service._text().encode()
                        if not allowed:
                            status, kind = 401, "application/json"
                            body = b'{"detail": "a valid bearer token is required"}'
                    else:
                        status = 401 if self.path.startswith("/users/") else 404
                        route = service._route(self.path)
                        service.counts[service.turn][(route, str(status))] += 1
                        kind, body = "application/json", b'{"detail": "no"}'
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def metrics_service(request: pytest.FixtureRequest) -> Iterator[FakeMetricsService]:
    service = FakeMetricsService(**getattr(request, "param", {}))
    yield service
    service.close()


def check(service: FakeMetricsService) -> str:
    return check_metrics(service.port, "/metrics", service.TOKEN, "/users/{user_id}")


def test_metric_sum_reads_labels_with_braces_and_adds_up_the_statuses() -> None:
    text = (
        "# HELP http_requests_total HTTP requests\n"
        'http_requests_total{method="GET",route="/users/{user_id}",status="200"} 3.0\n'
        'http_requests_total{method="GET",route="/users/{user_id}",status="401"} 4.0\n'
        'http_requests_total{method="GET",route="/health",status="200"} 9.0\n'
        'http_request_duration_seconds_count{method="GET",route="/users/{user_id}"} 7.0\n'
        'http_requests_total{route="say \\"hi\\""} 1\n'
    )
    assert metric_sum(text, "http_requests_total", route="/users/{user_id}") == 7
    assert metric_sum(text, "http_requests_total", route="/health", status="200") == 9
    assert metric_sum(text, "http_requests_total", route='say "hi"') == 1
    assert metric_sum(text, "http_requests_total", route="/tasks/{task_id}") == 0


def test_the_metrics_check_passes_when_every_worker_is_counted(
    metrics_service: FakeMetricsService,
) -> None:
    detail = check(metrics_service)
    assert "0 -> 40: +40 for 40 requests" in detail
    assert "unmatched" in detail


@pytest.mark.parametrize(
    ("metrics_service", "message"),
    [
        ({"summed": False}, "but http_requests_total{route='/users/{user_id}'} went from"),
        ({"raw_paths": True}, "went from 0 to 0"),
        ({"open": True}, "without the token: expected 401"),
    ],
    indirect=["metrics_service"],
)
def test_the_metrics_check_fails_on_a_flawed_service(
    metrics_service: FakeMetricsService, message: str
) -> None:
    with pytest.raises(OperationsCheckFailed, match=re.escape(message)):
        check(metrics_service)


class FakeLimitedService:
    """A service with a per-client limit, like a project's with the feature ratelimit.

    ``redis`` is its outage: cut, it answers unlimited and logs the JSON warning.
    ``refusals`` makes it wrong on purpose: how many of the N+1 requests it refuses.
    """

    def __init__(self, log: Path, limit: int, refusals: int = 1, warning: str = "warning"):
        self.log, self.limit, self.refusals = log, limit, refusals
        self.warning = warning  # the level's name in the log line: "warn" is pino's
        self.counts: dict[str, int] = {}
        self.down = False
        self.lock = threading.Lock()
        service = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                client = self.headers.get("X-Forwarded-For", "peer")
                with service.lock:
                    down = service.down
                    if down:
                        with service.log.open("a") as log:
                            log.write(
                                f'{{"level": "{service.warning}", "message": "rate limits are'
                                ' off for 5 s in process 7: Redis cannot be reached"}\n'
                            )
                    count = service.counts[client] = service.counts.get(client, 0) + 1
                over = count > service.limit + 1 - service.refusals
                status = 429 if over and not down and self.path != "/health" else 200
                body = json.dumps({"detail": "Too many requests"} if status == 429 else {})
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                if not down and self.path != "/health":
                    self.send_header("RateLimit-Limit", str(service.limit))
                    self.send_header("RateLimit-Remaining", str(max(0, service.limit - count)))
                    self.send_header("RateLimit-Reset", "60")
                    if status == 429:
                        self.send_header("Retry-After", "60")
                self.end_headers()
                self.wfile.write(body.encode())

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def cut(self) -> None:
        self.down = True

    def restore(self) -> None:
        self.down = False

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def limited_service(tmp_path: Path) -> Iterator[Callable[..., FakeLimitedService]]:
    made: list[FakeLimitedService] = []

    def make(refusals: int = 1, warning: str = "warning") -> FakeLimitedService:
        log = tmp_path / "server.log"
        made.append(FakeLimitedService(log, limit=5, refusals=refusals, warning=warning))
        return made[-1]

    yield make
    for service in made:
        service.close()


@pytest.mark.parametrize("warning", ["warning", "warn"])  # Python's logging, pino
def test_the_ratelimit_check_passes_a_service_that_refuses_exactly_once(
    limited_service: Callable[..., FakeLimitedService], warning: str
) -> None:
    service = limited_service(warning=warning)
    summary = check_rate_limits(service.port, service, service.log, limit=5)
    assert summary.startswith("6 requests at once at 5/min: 5 x 200, one 429")
    assert "a warning logged by 1 worker process(es)" in summary


@pytest.mark.parametrize("refusals", [0, 2])
def test_the_ratelimit_check_fails_a_service_that_refuses_otherwise(
    limited_service: Callable[..., FakeLimitedService], refusals: int
) -> None:
    service = limited_service(refusals)
    with pytest.raises(OperationsCheckFailed, match="expected 5 200 and one 429"):
        check_rate_limits(service.port, service, service.log, limit=5)


class FakeAccountService:
    """A service with a per-account limit of ``limit``, counted on the token's payload.

    Tokens are ``header.payload.signature``; the service has signed those of
    :meth:`user_token`. ``verifies`` makes it wrong on purpose: False counts the payload
    of any token, its signature unchecked. ``limit`` None: no account limit at all.
    """

    def __init__(self, limit: int | None, verifies: bool = True):
        self.limit, self.verifies = limit, verifies
        self.signed: set[str] = set()
        self.counts: collections.Counter[str] = collections.Counter()
        self.lock = threading.Lock()
        service = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                valid = token in service.signed or not service.verifies
                account = token.split(".")[1] if token.count(".") == 2 and valid else None
                status, limit = 200, "600"
                if account is not None and service.limit is not None:
                    with service.lock:
                        service.counts[account] += 1
                        if service.counts[account] > service.limit:
                            status = 429
                    limit = str(service.limit)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("RateLimit-Limit", limit)
                self.end_headers()
                self.wfile.write(b"{}")

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def user_token(self, port: int) -> str:
        """A new account's token, signed by the service."""
        token = f"h.{os.urandom(4).hex()}.{os.urandom(8).hex()}"
        self.signed.add(token)
        return token

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize(
    ("limit", "verifies", "error"),
    [
        (3, True, None),
        (None, True, "account is not counted within 1 s"),
        (3, False, "under another's signature got 429"),
    ],
    ids=["verified", "no-account-limit", "unverified-subject"],
)
def test_the_account_check_wants_a_limit_of_verified_accounts_only(
    limit: int | None, verifies: bool, error: str | None
) -> None:
    service = FakeAccountService(limit, verifies)
    try:
        if error is None:
            summary = check_account_limit(service.port, service, limit=3, settle=1)
            assert summary.startswith("4 requests of one account from 4 clients: one 429")
        else:
            with pytest.raises(OperationsCheckFailed, match=error):
                check_account_limit(service.port, service, limit=3, settle=1)
    finally:
        service.close()
