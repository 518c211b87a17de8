"""A user registers on a generated auth-service and works on a generated task-api that
trusts it (feature jwks); a key rotation on auth-service is taken without a restart.

Both projects are generated, installed and served by their production commands (two
workers each) on PostgreSQL, side by side on this machine: the pair that
docs/jwks.md describes, without the Docker engine (tests/test_docker.py builds images).
"""

from __future__ import annotations

import base64
import json
import socket
import sys
import time
from pathlib import Path

import httpx
import pytest

from .test_matrix import skip_or_fail

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
ISSUER = "http://auth.pair.test"
AUDIENCE = "scaffold-services"


def kid(token: str) -> str:
    header = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"]


def require_postgres() -> None:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=3).close()
    except OSError as exc:
        skip_or_fail(f"no PostgreSQL at 127.0.0.1:5432: {exc}")


def sign_up(auth: httpx.Client, email: str) -> str:
    """Register on auth-service and sign in: the access token."""
    password = "pair-password-1"
    registered = auth.post("/auth/register", json={"email": email, "password": password})
    assert registered.status_code == 201, registered.text
    return login(auth, email, password)


def login(auth: httpx.Client, email: str, password: str = "pair-password-1") -> str:
    answer = auth.post("/auth/login", json={"email": email, "password": password})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def works_on_both(auth: httpx.Client, tasks: httpx.Client, email: str) -> str:
    """A user signs up on auth-service and makes the project "Pair" on task-api; the token."""
    token = sign_up(auth, email)
    me = tasks.get("/users/me", headers=bearer(token))
    assert me.status_code == 200, me.text
    assert me.json()["email"] == email
    made = tasks.post("/projects", json={"name": "Pair"}, headers=bearer(token))
    assert made.status_code == 201, made.text
    return token


def taken_soon(base: str, token: str, projects: list[str]) -> None:
    """task-api takes a token of a rotated key within 10 s, with no restart.

    Each worker asks auth-service again for an unknown key at most every 10 s
    (docs/jwks.md): within that, every request is a 200 listing ``projects`` (each on a
    new connection, so that they reach every worker, and every replica behind nginx).
    """
    deadline, streak = time.monotonic() + 15, 0
    while streak < 12:
        listed = httpx.get(f"{base}/projects", headers=bearer(token), timeout=15)
        if listed.status_code != 200:
            assert listed.status_code == 401 and time.monotonic() < deadline, listed.text
            streak = 0
            time.sleep(0.5)
            continue
        streak += 1
        assert [p["name"] for p in listed.json()["items"]] == projects


def test_a_user_of_auth_service_works_on_task_api_across_a_key_rotation(tmp_path: Path) -> None:
    require_postgres()
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench._project import run, served

    issued = {"JWT_ISSUER": ISSUER, "JWT_AUDIENCE": AUDIENCE}
    with served(
        "auth-service", "fastapi", "pair-auth", tmp_path, label="auth", workers=2,
        settings=issued,
    ) as auth_service:  # fmt: skip
        trusting = {
            "AUTH_JWKS_URL": f"{auth_service.base}/.well-known/jwks.json",
            "AUTH_ISSUER": ISSUER,
            "AUTH_AUDIENCE": AUDIENCE,
        }
        with (
            served(
                "task-api",
                "fastapi",
                "pair-tasks",
                tmp_path,
                label="tasks",
                workers=2,
                features=["jwks"],
                settings=trusting,
            ) as task_api,  # fmt: skip
            httpx.Client(base_url=auth_service.base, timeout=15) as auth,
            httpx.Client(base_url=task_api.base, timeout=15) as tasks,
        ):
            email = "ada@pair.example.com"
            token = works_on_both(auth, tasks, email)
            # task-api has no credentials of its own.
            assert (
                tasks.post("/auth/login", json={"email": email, "password": "x"}).status_code == 404
            )

            # The key rotates on auth-service, which keeps running; so does task-api.
            project = tmp_path / "pair-auth"
            run(auth_service.commands["rotate_keys"], project, auth_service.env, "rotate keys")
            fresh = login(auth, email)
            assert kid(fresh) != kid(token)
            taken_soon(task_api.base, fresh, ["Pair"])
            # The retired key stays published while its tokens live.
            assert tasks.get("/users/me", headers=bearer(token)).status_code == 200
