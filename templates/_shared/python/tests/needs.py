"""What the tests need from outside the project, and what happens when it is missing.

A test that needs a service this machine lacks (a database server, a Docker engine)
skips with the reason; under CI=true, where every test must run, it fails instead.
"""

import os
import shutil
import subprocess
from typing import NoReturn

import pytest


def in_ci() -> bool:
    """Whether this run is CI's (CI=true), where nothing may be skipped."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> NoReturn:
    """Skip with ``reason``, or fail under CI."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a missing service is a failure, not a skip)")
    pytest.skip(reason)


def _runs(argv: list[str]) -> bool:
    return subprocess.run(argv, capture_output=True, check=False).returncode == 0


def compose_command() -> str | None:
    """The Compose command of this machine's Docker engine, or None with no engine.

    Compose v2 (``docker compose``) where it is installed, else v1 (``docker-compose``,
    all that some distributions ship).
    """
    if shutil.which("docker") is None or not _runs(["docker", "info"]):
        return None
    if _runs(["docker", "compose", "version"]):
        return "docker compose"
    if shutil.which("docker-compose") is not None:
        return "docker-compose"
    return None
