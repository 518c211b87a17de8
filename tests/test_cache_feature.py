"""The feature cache: what it adds to a project, where it is offered, and Redis shared with
ratelimit (no server here).

The matrix (tests/test_matrix.py, CACHE_CELLS) runs such projects for real: their tests
against Redis and verify's step ``cache``.
"""

import pytest
import yaml

from toolkit import Catalog, NotOfferedError, ProjectSpec, render

from .test_render import fixed_secret

FRAMEWORK_GLUE = {
    "fastapi": "api/response_cache.py",
    "flask": "api/response_cache.py",
    "django": "core/response_cache.py",
}


def files_of(
    catalog: Catalog, framework: str, features: list[str], kind: str = "task-api"
) -> dict[str, str]:
    spec: ProjectSpec = catalog.resolve(
        kind, "cached", framework=framework, database="postgres", features=features
    )
    project = render(spec, catalog=catalog, make_secret=fixed_secret)
    return {str(path): file.content.decode() for path, file in project.files.items()}


@pytest.mark.parametrize("framework", sorted(FRAMEWORK_GLUE))
def test_the_feature_adds_the_cache_redis_and_its_settings(
    catalog: Catalog, framework: str
) -> None:
    files = files_of(catalog, framework, ["docker", "ci", "cache"])
    assert "cached/core/cache.py" in files and "cached/core/redis_client.py" in files
    assert f"cached/{FRAMEWORK_GLUE[framework]}" in files
    assert "tests/api/cache/test_cache.py" in files and "tests/redis_server.py" in files
    assert '"/projects": ("projects",),' in files["cached/core/cache.py"]
    assert '"redis>=' in files["pyproject.toml"]
    for name in ("REDIS_URL", "CACHE_TTL_SECONDS", "CACHE_KEY_PREFIX"):
        assert f"\n{name}=" in files[".env.example"]
    compose = yaml.safe_load(files["compose.yaml"])
    assert compose["services"]["redis"]["image"].startswith("redis:")
    assert compose["services"]["app"]["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    job = yaml.safe_load(files[".github/workflows/ci.yml"])["jobs"]["test"]
    assert set(job["services"]) == {"db", "redis"}
    assert "## Cache" in files["README.md"] and "`GET /projects`" in files["README.md"]
    assert "RateLimit" not in "".join(files.values())


def test_with_ratelimit_too_there_is_one_redis(catalog: Catalog) -> None:
    files = files_of(catalog, "fastapi", ["docker", "ci", "cache", "ratelimit"], "blog-api")
    assert files["compose.yaml"].count("  redis:\n") == 1
    assert files[".env.example"].count("\nREDIS_URL=") == 1
    assert files["cached/core/config.py"].count("redis_url: str") == 1
    assert files["pyproject.toml"].count('"redis>=') == 1
    assert "## Cache" in files["README.md"] and "## Rate limits" in files["README.md"]
    job = yaml.safe_load(files[".github/workflows/ci.yml"])["jobs"]["test"]
    assert set(job["services"]) == {"db", "redis"}


@pytest.mark.parametrize("framework", sorted(FRAMEWORK_GLUE))
def test_without_the_feature_there_is_no_trace_of_it(catalog: Catalog, framework: str) -> None:
    files = files_of(catalog, framework, ["docker", "ci"])
    assert not any(path.endswith(("response_cache.py", "core/cache.py")) for path in files)
    assert not any("/cache/" in path for path in files)
    assert "X-Cache" not in "".join(files.values())


@pytest.mark.parametrize("kind", ["auth-service", "payments"])
def test_kinds_without_public_lists_refuse_it(catalog: Catalog, kind: str) -> None:
    with pytest.raises(NotOfferedError, match="cache"):
        catalog.resolve(kind, "x", framework="fastapi", database="postgres", features=["cache"])


def test_the_catalog_says_what_it_uses(catalog: Catalog) -> None:
    feature = catalog.features["cache"]
    assert feature.uses == ("redis",) == catalog.features["ratelimit"].uses
    assert feature.to_dict()["uses"] == ["redis"]
    assert set(feature.not_offered["kind"]) == {"auth-service", "payments"}
