"""The database proxy of the outage check: it forwards, it cuts, it comes back."""

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit._operations_checks import DatabaseProxy, database_outage


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
