"""Fixtures for the Docker integration tests (pytest-docker).

They run only when asked (`pytest -m docker`) and need a Docker engine with Compose:
v2 (`docker compose`) or v1 (`docker-compose`, all that some distributions ship).
Without one they skip with the reason; under CI=true that is a failure instead.
"""

import re
import secrets
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_docker.plugin import Services

from tests.integration.stack import healthy
from tests.needs import compose_command, skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
#: A network of compose.yaml that another stack makes.
EXTERNAL = re.compile(r"^\s+external: true\s*$", re.MULTILINE)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def docker_compose_command() -> Iterator[str]:
    """The Compose command this machine has; also publishes nginx and the database on free ports."""
    command = compose_command()
    if command is None:
        skip_or_fail("no Docker engine with Compose (`docker info`, `docker compose version`)")
    if not (ROOT / ".env").is_file():
        skip_or_fail("no .env: copy .env.example to .env and set SECRET_KEY")
    with pytest.MonkeyPatch.context() as patch:
        # compose.yaml publishes nginx on ${HOST_PORT:-8000} and the database on
        # ${DB_PORT}; free ports keep yours free.
        patch.setenv("HOST_PORT", str(_free_port()))
        patch.setenv("DB_PORT", str(_free_port()))
        # The network an auth-service stack shares with the services trusting it: one
        # of the test stack's own, apart from yours.
        network = f"{ROOT.name}-it-auth-{secrets.token_hex(3)}"
        patch.setenv("AUTH_NETWORK", network)
        # A stack that joins another stack's network (external: a service trusting an
        # auth-service) gets an empty one of that name here: no auth-service on it.
        joins = EXTERNAL.search((ROOT / "compose.yaml").read_text()) is not None
        if joins:
            subprocess.run(["docker", "network", "create", network], check=True, timeout=60)
        try:
            yield command
        finally:
            if joins:
                subprocess.run(["docker", "network", "rm", network], check=False, timeout=60)


@pytest.fixture(scope="session")
def docker_compose_file() -> str:
    return str(ROOT / "compose.yaml")


@pytest.fixture(scope="session")
def docker_compose_project_name() -> str:
    return f"{ROOT.name}-it-{secrets.token_hex(3)}"


@pytest.fixture(scope="session")
def compose(
    docker_compose_command: str, docker_compose_file: str, docker_compose_project_name: str
) -> list[str]:
    """The argv prefix of a compose command on the test stack."""
    return [
        *docker_compose_command.split(),
        "-f",
        docker_compose_file,
        "-p",
        docker_compose_project_name,
    ]


@pytest.fixture(scope="session")
def docker_setup() -> list[str]:
    # Compose v1 has no `up --wait`; the tests wait for /health through nginx instead.
    return ["up --build -d"]


@pytest.fixture(scope="session")
def base_url(docker_ip: str, docker_services: Services) -> str:
    """nginx of the test stack, once the app answers through it."""
    url = f"http://{docker_ip}:{docker_services.port_for('nginx', 80)}"
    docker_services.wait_until_responsive(check=lambda: healthy(url), timeout=180, pause=1)
    return url
