"""A generated project made ready for a benchmark: generated, installed, its PostgreSQL
database created and migrated, served by its own production command. Shared by
bench_services.py, bench_scale.py and bench_cache.py, with the process helpers they use.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib import request as urlrequest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def progress(message: str) -> None:
    """What the bench is doing, on stderr (stdout is the report, or its JSON)."""
    print(f"  {message}", file=sys.stderr, flush=True)


def psql(database: str, sql: str) -> str:
    done = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            database,
            "-v",
            "ON_ERROR_STOP=1",
            "-qAt",
            "-c",
            sql,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"psql failed on {database}: {done.stderr}\n{sql}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run(command: str, cwd: Path, env: dict[str, str], what: str) -> None:
    done = subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed: {command}\n{(done.stdout + done.stderr)[-3000:]}")


def start(command: str, cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as handle:
        return subprocess.Popen(
            ["bash", "-c", f"exec {command}"],
            cwd=cwd,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}) before answering {url}")
        try:
            with urlrequest.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"no answer from {url} within {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, 15)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(5)


@dataclass
class Served:
    """A project being served: where it answers, and what it was started with."""

    base: str
    pid: int
    database: str
    env: dict[str, str]
    commands: dict[str, str]


@contextmanager
def served(
    kind: str,
    framework: str,
    name: str,
    work: Path,
    *,
    label: str,
    features: Sequence[str] = (),
    workers: int = 1,
    settings: Mapping[str, str] | None = None,
    admin: bool = False,
) -> Iterator[Served]:
    """``kind`` on ``framework`` and PostgreSQL, project and database named ``name``.

    Generated under ``work``, installed by its setup command, its database (dropped first)
    created and migrated, its admin created if ``admin``, served by its serve command with
    ``workers`` workers and ``settings`` added to its environment; stopped and its database
    dropped on exit. ``label`` names it in the progress lines and errors.
    """
    from toolkit import generate, load_catalog
    from toolkit._model import build_model
    from toolkit._verify import _service_env, _url_with

    catalog = load_catalog()
    spec = catalog.resolve(
        kind, name, framework=framework, database="postgres", features=list(features)
    )
    project = generate(spec, work / spec.name, catalog=catalog, git=False).path
    model = build_model(catalog.layer_paths(spec))
    commands = {n: v.format(package=spec.package) for n, v in model.commands.items()}
    scratch = work / f"scratch-{label}"
    scratch.mkdir()
    env = _service_env(project, model.vars, scratch)
    database = name.replace("-", "_")
    server = catalog.databases["postgres"].server_url()
    assert server is not None
    env["DATABASE_URL"] = _url_with(
        server,
        scheme=model.vars["url_scheme"],
        path=f"/{database}",
        query=model.vars.get("url_query", ""),
    )
    env["WEB_CONCURRENCY"] = str(workers)
    env.update(settings or {})
    progress(f"{label}: setup, database, migrate" + (", admin" if admin else ""))
    run(commands["setup"], project, env, f"{label} setup")
    psql("postgres", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    run(commands["create_database"], project, env, f"{label} create-database")
    try:
        run(commands["migrate"], project, env, f"{label} migrate")
        if admin:
            run(commands["create_admin"], project, env, f"{label} create-admin")
        port = free_port()
        process = start(
            commands["serve"], project, {**env, "PORT": str(port)}, scratch / "server.log"
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_healthy(f"{base}/health", process)
            yield Served(base, process.pid, database, env, commands)
        finally:
            stop(process)
    finally:
        psql("postgres", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
