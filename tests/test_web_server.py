"""`scaffold serve` as a command: a real server with workers, access logs, graceful shutdown."""

import http.client
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import cli

from .web_support import free_port

WEB_MODULES = ("starlette", "uvicorn", "pygments", "toolkit.web")


def test_help_lists_serve_and_its_options(runner: CliRunner) -> None:
    assert "serve" in runner.invoke(cli, ["--help"]).output
    result = runner.invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--workers", "--max-renders", "scaffold-toolkit[web]"):
        assert option in result.output


def test_without_the_web_extra_serve_says_how_to_get_it(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if it were not installed
    result = runner.invoke(cli, ["serve", "--port", "1"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: scaffold serve needs uvicorn: pip install 'scaffold-toolkit[web]'\n"
    )


def test_serve_takes_its_options_from_the_environment_too(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The image sets them (Dockerfile): SCAFFOLD_SERVE_HOST, _PORT, _WORKERS, _RENDERS.
    import toolkit.web

    asked: list[dict[str, object]] = []
    monkeypatch.setattr(toolkit.web, "serve", lambda **options: asked.append(options))
    env = {
        "SCAFFOLD_SERVE_HOST": "0.0.0.0",
        "SCAFFOLD_SERVE_PORT": "9000",
        "SCAFFOLD_SERVE_WORKERS": "3",
        "SCAFFOLD_SERVE_RENDERS": "2",
    }
    assert runner.invoke(cli, ["serve"], env=env).exit_code == 0
    assert asked == [{"host": "0.0.0.0", "port": 9000, "workers": 3, "renders": 2}]
    assert runner.invoke(cli, ["serve", "--port", "8001"], env=env).exit_code == 0
    assert asked[-1]["port"] == 8001, "an option given wins"
    bad = runner.invoke(cli, ["serve"], env={"SCAFFOLD_SERVE_PORT": "http"})
    assert bad.exit_code == 2 and "'http' is not a valid integer" in bad.stderr


@pytest.mark.parametrize("args", [["--help"], ["new", "task-api", "--no-input", "--no-git"]])
def test_the_web_stack_loads_only_for_serve(tmp_path: Path, args: list[str]) -> None:
    """`scaffold --help` and `new` pay nothing for the web extra (bench/bench_new.py times them)."""
    if args[0] == "new":
        args = [*args, "-o", str(tmp_path)]
    program = (
        "import json, sys\n"
        "from toolkit.cli import main\n"
        f"sys.argv = ['scaffold', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.startswith({WEB_MODULES!r}))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout.splitlines()[-1]) == []


def wait_for(url: str, timeout: float = 60) -> None:
    host, port = url.removeprefix("http://").split(":")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(host, int(port), timeout=2)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout} s")


def test_serve_runs_workers_logs_requests_and_stops_gracefully(tmp_path: Path) -> None:
    port = free_port()
    out, err = tmp_path / "access.log", tmp_path / "server.log"
    with out.open("w") as stdout, err.open("w") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-m", "toolkit", "serve", "--port", str(port), "--workers", "2"],
            stdout=stdout,
            stderr=stderr,
            env={**os.environ, "SCAFFOLD_SERVE_RENDERS": "1"},
        )
    try:
        wait_for(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 30
        while err.read_text().count("Application startup complete") < 2:
            assert time.monotonic() < deadline, err.read_text()
            time.sleep(0.1)

        # Downloads in flight (one render at a time per worker, each with a Git
        # repository) when SIGTERM arrives: every one is still answered in full.
        answers: list[tuple[int, bytes, float]] = []
        sent = threading.Semaphore(0)

        def download(n: int) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            connection.request("GET", f"/starter.zip?kind=task-api&name=p{n}&git=true")
            sent.release()
            response = connection.getresponse()
            answers.append((response.status, response.read(), time.monotonic()))

        clients = [threading.Thread(target=download, args=(n,)) for n in range(6)]
        for thread in clients:
            thread.start()
        for _ in clients:
            assert sent.acquire(timeout=30)
        time.sleep(0.3)  # accepted by the workers
        stopped_at = time.monotonic()
        server.send_signal(signal.SIGTERM)
        for thread in clients:
            thread.join(120)
        assert server.wait(60) == 0, err.read_text()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    assert sorted(status for status, _, _ in answers) == [200] * 6
    for _, body, _ in answers:
        names = zipfile.ZipFile(io.BytesIO(body)).namelist()
        assert any(name.endswith("/.git/HEAD") for name in names)
    assert max(at for _, _, at in answers) > stopped_at, "some were still in flight at SIGTERM"
    log = err.read_text()
    workers = set(re.findall(r"Started server process \[(\d+)\]", log))
    assert len(workers) == 2, log
    assert log.count("Finished server process") == 2, log
    access = out.read_text()
    assert re.search(r'127\.0\.0\.1:\d+ "GET /health HTTP/1\.1" 200', access), access
    assert access.count('"GET /starter.zip?kind=task-api&name=p') == 6, access


def hostile_hosts_are_no_500(port: int) -> None:
    """The page and /spec build links from the Host header: odd ones are no 500."""
    hosts = ["[bad", "a]b", "::::", "a b", "\xc3\xbc", "x:99999999", "", "e.com/p?x=", '"><s>']
    for host in hosts:
        for path in ("/", "/spec?kind=task-api"):
            with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
                request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
                raw.sendall(request.encode("latin-1"))
                answer = b""
                while chunk := raw.recv(65536):
                    answer += chunk
            status = int(answer.split(b" ", 2)[1])
            assert status < 500, (host, path, answer[:300])
            if path == "/":
                assert b'"><s>' not in answer.split(b"\r\n\r\n", 1)[1], "the page escapes it"


def test_one_worker_stops_with_status_0_on_sigterm(tmp_path: Path) -> None:
    # uvicorn serves one worker in the process itself and raises the SIGTERM again
    # after its graceful shutdown; the exit status is 0 all the same, as with several.
    port = free_port()
    with (tmp_path / "server.log").open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "toolkit", "serve", "--port", str(port), "--workers", "1"],
            stdout=log,
            stderr=log,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}")
        hostile_hosts_are_no_500(port)
        server.send_signal(signal.SIGTERM)
        assert server.wait(30) == 0, (tmp_path / "server.log").read_text()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert "Finished server process" in (tmp_path / "server.log").read_text()


@pytest.mark.slow
def test_fifty_downloads_of_different_cells_at_once(tmp_path: Path) -> None:
    """The burst of bench/bench_serve.py, bounded in time: every one a 200 and whole.

    bench/bench_serve.py reports its p99 and the server's memory (docs/benchmarks.md).
    """
    from toolkit import load_catalog

    cells = load_catalog().combinations()
    queries = [
        f"kind={c.kind}&name=p{n}&framework={c.framework}&database={c.database}"
        for n, c in enumerate(cells[:50])
    ]
    port = free_port()
    with (tmp_path / "server.log").open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "toolkit", "serve", "--port", str(port), "--workers", "2"],
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    answers: dict[str, tuple[int, bytes]] = {}
    try:
        wait_for(f"http://127.0.0.1:{port}")
        gate = threading.Barrier(len(queries))

        def download(query: str) -> None:
            gate.wait()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            connection.request("GET", f"/starter.zip?{query}")
            response = connection.getresponse()
            answers[query] = (response.status, response.read())

        clients = [threading.Thread(target=download, args=(q,)) for q in queries]
        started = time.monotonic()
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join(180)
        seconds = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
    assert sorted(status for status, _ in answers.values()) == [200] * len(queries)
    # 3 to 5 s with 2 workers on a busy 2-core machine; the bound leaves room for CI.
    assert seconds < 120, f"{seconds:.0f} s for {len(queries)} downloads"
    for n, query in enumerate(queries):
        names = zipfile.ZipFile(io.BytesIO(answers[query][1])).namelist()
        assert f"p{n}/.scaffold.json" in names
