"""The database proxy of the outage check; the metrics check against good and flawed services."""

import collections
import http.server
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit._operations_checks import (
    DatabaseProxy,
    OperationsCheckFailed,
    check_metrics,
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

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

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
