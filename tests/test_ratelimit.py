"""The feature ratelimit: what it adds to a project, and only with it (no server here).

The matrix (tests/test_matrix.py, RATELIMIT_CELLS) runs such projects for real: their
tests against Redis and verify's step ``ratelimit``.
"""

import pytest
import yaml

from toolkit import Catalog, ProjectSpec, render

from .test_render import fixed_secret

FRAMEWORK_GLUE = {
    "fastapi": "api/rate_limits.py",
    "flask": "api/rate_limits.py",
    "django": "core/rate_limits.py",
}


def files_of(catalog: Catalog, framework: str, features: list[str]) -> dict[str, str]:
    spec: ProjectSpec = catalog.resolve(
        "task-api", "limits", framework=framework, database="postgres", features=features
    )
    project = render(spec, catalog=catalog, make_secret=fixed_secret)
    return {str(path): file.content.decode() for path, file in project.files.items()}


@pytest.mark.parametrize("framework", sorted(FRAMEWORK_GLUE))
def test_the_feature_adds_the_limiter_redis_and_its_settings(
    catalog: Catalog, framework: str
) -> None:
    files = files_of(catalog, framework, ["docker", "ci", "ratelimit"])
    assert "limits/core/ratelimit.py" in files
    # Redis is what the feature uses (catalog: uses = ["redis"]): its client, from python+redis.
    assert "limits/core/redis_client.py" in files and "tests/redis_server.py" in files
    assert f"limits/{FRAMEWORK_GLUE[framework]}" in files
    assert "tests/ratelimit/test_http.py" in files and "tests/ratelimit/conftest.py" in files
    assert '"redis>=' in files["pyproject.toml"]
    for name in ("REDIS_URL", "RATE_LIMIT_PER_MINUTE", "RATE_LIMIT_ACCOUNT_PER_MINUTE"):
        assert f"\n{name}=" in files[".env.example"]
    compose = yaml.safe_load(files["compose.yaml"])
    assert compose["services"]["redis"]["image"].startswith("redis:")
    assert compose["services"]["app"]["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    job = yaml.safe_load(files[".github/workflows/ci.yml"])["jobs"]["test"]
    assert set(job["services"]) == {"db", "redis"}
    assert "## Rate limits" in files["README.md"]


@pytest.mark.parametrize("framework", sorted(FRAMEWORK_GLUE))
def test_without_the_feature_there_is_no_trace_of_it(catalog: Catalog, framework: str) -> None:
    files = files_of(catalog, framework, ["docker", "ci"])
    assert not any("rate_limit" in path or "ratelimit" in path for path in files)
    assert not any("redis" in path for path in files)
    assert "redis" not in files["pyproject.toml"] and "REDIS_URL" not in files[".env.example"]
    assert "redis" not in yaml.safe_load(files["compose.yaml"])["services"]
    ci = yaml.safe_load(files[".github/workflows/ci.yml"])
    assert "redis" not in ci["jobs"]["test"]["services"]
    assert "RateLimit" not in "".join(files.values())


def test_sqlite_projects_get_a_services_block_for_redis_alone(catalog: Catalog) -> None:
    spec = catalog.resolve(
        "task-api", "limits", framework="flask", database="sqlite", features=["ci", "ratelimit"]
    )
    files = render(spec, catalog=catalog, make_secret=fixed_secret).files
    ci = yaml.safe_load(files[next(p for p in files if p.name == "ci.yml")].content)
    assert set(ci["jobs"]["test"]["services"]) == {"redis"}


def test_express_gets_the_limiter_through_its_feature_hooks(catalog: Catalog) -> None:
    files = files_of(catalog, "express", ["docker", "ci", "ratelimit"])
    assert "src/http/ratelimit.js" in files and "test/ratelimit.test.js" in files
    assert "src/core/redis.js" in files and '"ioredis"' in files["package.json"]
    assert "require('./features/ratelimit')" in files["src/features.js"]
    assert "ratelimit.fromSettings" in files["src/features/ratelimit.js"]
    assert "limitsRequests = true" in files["src/features/ratelimit.js"]
    assert "require('../features/ratelimit-settings')" in files["src/core/feature-settings.js"]
    assert "REDIS_URL" in files["src/core/redis.js"]
    assert '"ioredis"' in files["package.json"]
    assert "node_modules/ioredis" in files["package-lock.json"]
    for name in ("REDIS_URL", "RATE_LIMIT_ACCOUNT_PER_MINUTE", "FORWARDED_ALLOW_IPS"):
        assert f"\n{name}=" in files[".env.example"]
    job = yaml.safe_load(files[".github/workflows/ci.yml"])["jobs"]["test"]
    assert set(job["services"]) == {"db", "redis"}
    assert "test/ratelimit.test.js" in files["README.md"]


def test_express_without_the_feature_keeps_its_in_memory_limit(catalog: Catalog) -> None:
    files = files_of(catalog, "express", ["docker", "ci"])
    assert "const chosen = [];" in files["src/features.js"]
    assert "ioredis" not in files["package.json"] and "REDIS_URL" not in files[".env.example"]
    assert not any("ratelimit" in path for path in files)
