"""Features chosen together: a project with several of them passes its own checks.

The matrix proves each feature on cells of its own (tests/test_matrix.py). What one
feature's tests assume can be broken by another one beside it (the cache's test counted
every Redis warning, and the rate limiter warns too). Here each framework gets a
project with every feature it can take at once on SQLite (k8s aside: it needs a server
database and changes nothing the service runs), and runs its setup, lint, typecheck
and test commands, as verify does before it serves.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from toolkit import Catalog, generate
from toolkit._model import build_model
from toolkit._verify import REDIS_DEFAULT, REDIS_ENV, _service_env, _uv

from .test_matrix import node_prebuilds, prepare, require_redis

__all__ = ["node_prebuilds"]  # the fixture that prepare() asks for on Express

pytestmark = pytest.mark.slow

#: kind, framework, features: the features each kind offers, with all their Redis uses
#: together, and jwks beside the features it is offered with.
COMBINATIONS = [
    ("payments", "fastapi", ("metrics", "ratelimit", "queue")),
    ("task-api", "flask", ("metrics", "ratelimit", "cache")),
    ("blog-api", "django", ("metrics", "ratelimit", "cache")),
    ("auth-service", "express", ("metrics", "ratelimit", "queue")),
    ("inventory", "django", ("jwks", "metrics", "ratelimit", "cache")),
    ("task-api", "express", ("jwks", "metrics", "ratelimit", "cache")),
]


@pytest.mark.parametrize(
    ("kind", "framework", "features"),
    COMBINATIONS,
    ids=[f"{k}/{fw}+{'+'.join(f)}" for k, fw, f in COMBINATIONS],
)
def test_features_together_pass_the_projects_own_checks(
    kind: str,
    framework: str,
    features: tuple[str, ...],
    catalog: Catalog,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    require_redis()
    prepare(catalog, framework, request)
    chosen = [*catalog.default_features(), *features]
    spec = catalog.resolve(
        kind, "together", framework=framework, database="sqlite", features=chosen
    )
    project = generate(spec, tmp_path / spec.name, git=False, catalog=catalog).path
    model = build_model(catalog.layer_paths(spec))
    commands = {n: v.format(package=spec.package) for n, v in model.commands.items()}
    with tempfile.TemporaryDirectory(prefix="scaffold-together-") as scratch:
        env = _service_env(project, model.vars, Path(scratch))
        env["REDIS_URL"] = os.environ.get(REDIS_ENV, REDIS_DEFAULT)
        steps = ["setup" if _uv() else "setup_pip", "lint", "typecheck", "test"]
        for step in [s for s in steps if s in commands]:
            done = subprocess.run(
                ["bash", "-c", commands[step]],
                cwd=project,
                env=env,
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
            output = (done.stdout + done.stderr)[-4000:]
            assert done.returncode == 0, f"{step}: {commands[step]}\n{output}"
