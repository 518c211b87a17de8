"""The database proxy of the outage check: it forwards, it cuts, it comes back."""

import socket
import threading
from collections.abc import Iterator

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


def test_a_server_url_goes_through_the_proxy_and_sqlite_has_no_outage(echo_port: int) -> None:
    url = f"postgresql+psycopg://user:secret@127.0.0.1:{echo_port}/verify_x?sslmode=disable"
    with database_outage(url) as (outage, service_url):
        assert isinstance(outage, DatabaseProxy)
        assert (
            service_url
            == f"postgresql+psycopg://user:secret@127.0.0.1:{outage.port}/verify_x?sslmode=disable"
        )
    with database_outage("sqlite:////tmp/x/verify.db") as (outage, service_url):
        assert outage is None and service_url == "sqlite:////tmp/x/verify.db"
