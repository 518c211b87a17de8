"""The pair of docs/jwks.md in Docker: two compose stacks, as a user runs them.

An auth-service and a task-api made with ``--feature jwks``, both generated on
PostgreSQL with their compose.yaml, are brought up side by side (Compose v1 or v2,
whichever is installed): auth-service's stack makes the network AUTH_NETWORK, where
its replicas answer as ``auth-service``; task-api's app joins it. A user registers and
signs in through auth-service's nginx and makes a project through task-api's; ``keys
rotate`` runs in a container of the running auth-service stack (its replicas share the
keys' volume), and task-api takes a token of the new key within 10 s, without a
restart, while the older token still works (tests/test_jwks_pair.py proves the same
without Docker).
"""

import os
import secrets
import shlex
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from toolkit import Catalog, generate
from toolkit._verify import _free_port

from .test_docker import (
    DATABASE_IMAGES,
    docker,
    engine,  # noqa: F401  (the fixture: a Docker engine and the base images, else skip)
    need_images,
    wait_healthy,
)
from .test_jwks_pair import bearer, kid, login, taken_soon, works_on_both

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("engine")]


def compose_command() -> list[str]:
    v2 = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    return ["docker", "compose"] if v2.returncode == 0 else ["docker-compose"]


@contextmanager
def stack(project: Path, name: str, env: dict[str, str]) -> Iterator[list[str]]:
    """Bring a project's compose.yaml up under ``name``; yield the compose argv prefix."""
    command = [*compose_command(), "-p", name]

    def run(*args: str, check: bool = True, timeout: float = 900) -> str:
        completed = subprocess.run(
            [*command, *args],
            cwd=project,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        output = completed.stdout + completed.stderr
        assert completed.returncode == 0 or not check, f"{name}: {args}\n{output[-4000:]}"
        return output

    try:
        run("up", "--build", "-d")
        wait_healthy(f"http://127.0.0.1:{env['HOST_PORT']}/health", timeout=180)
        yield command
    finally:
        logs = run("logs", "--no-color", "--tail", "40", check=False)
        print("\n".join(line for line in logs.splitlines() if '" 20' not in line)[-6000:])
        run("down", "-v", "--remove-orphans", check=False)
        docker("rmi", "-f", "--no-prune", f"{project.name}:latest", check=False)


def build_side_by_side(*projects: Path) -> None:
    """Build the projects' images at once (`compose build`): the builds wait on downloads."""
    builds = [
        subprocess.Popen(
            [*compose_command(), "build"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for project in projects
    ]
    try:
        for build in builds:
            output, _ = build.communicate(timeout=900)
            assert build.returncode == 0, output[-4000:]
    finally:
        for build in builds:
            if build.poll() is None:
                build.kill()
                build.wait()


def login_anew(base_url: str, email: str) -> str:
    """Sign in on a new connection (nginx may send it to either replica)."""
    with httpx.Client(base_url=base_url, timeout=15) as client:
        return login(client, email)


def test_a_user_works_across_two_compose_stacks_and_a_key_rotation(
    catalog: Catalog, tmp_path: Path
) -> None:
    need_images(DATABASE_IMAGES["postgres"], "nginx:1.27")
    started = time.perf_counter()
    tag = secrets.token_hex(3)
    made = {}
    for kind, features in (("auth-service", ["docker"]), ("task-api", ["docker", "jwks"])):
        spec = catalog.resolve(
            kind, f"pair{kind[:4]}", framework="fastapi", database="postgres", features=features
        )
        made[kind] = generate(spec, tmp_path / spec.name, git=False, catalog=catalog)
    auth_project = made["auth-service"].path
    # One network of this test's own (a user keeps .env's AUTH_NETWORK on both sides).
    network = {"AUTH_NETWORK": f"pair-auth-{tag}"}
    auth_env = {**network, "HOST_PORT": str(_free_port()), "DB_PORT": str(_free_port())}
    tasks_env = {**network, "HOST_PORT": str(_free_port()), "DB_PORT": str(_free_port())}
    auth_url = f"http://127.0.0.1:{auth_env['HOST_PORT']}"
    tasks_url = f"http://127.0.0.1:{tasks_env['HOST_PORT']}"
    # `up --build` then finds them built.
    build_side_by_side(auth_project, made["task-api"].path)

    with (
        stack(auth_project, f"pairauth-{tag}", auth_env) as auth_compose,
        stack(made["task-api"].path, f"pairtasks-{tag}", tasks_env),
        httpx.Client(base_url=auth_url, timeout=15) as auth,
        httpx.Client(base_url=tasks_url, timeout=15) as tasks,
    ):
        up = time.perf_counter()
        email = "ada@pair.example.com"
        token = works_on_both(auth, tasks, email)

        # `keys rotate` in a replica of the running stack, as the README says.
        rotate = shlex.split(made["auth-service"].commands["rotate_keys"])
        rotated = subprocess.run(
            [*auth_compose, "exec", "-T", "app", *rotate],
            cwd=auth_project,
            env={**os.environ, **auth_env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert rotated.returncode == 0, rotated.stdout + rotated.stderr
        # Every replica signs with the new key (nginx balances new connections).
        fresh = [login_anew(auth_url, email) for _ in range(6)]
        assert len({kid(t) for t in fresh}) == 1 and kid(fresh[0]) != kid(token)
        taken_soon(tasks_url, fresh[0], ["Pair"])
        # The retired key stays published while its tokens live.
        assert tasks.get("/users/me", headers=bearer(token)).status_code == 200
        print(
            f"built and up in {up - started:.0f} s, the pair's checks took"
            f" {time.perf_counter() - up:.0f} s"
        )
    leftovers = docker("network", "ls", "-q", "--filter", f"name={network['AUTH_NETWORK']}")
    assert leftovers == "", "auth-service's stack must remove the network it made"
