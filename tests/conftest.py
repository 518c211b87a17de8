"""Shared fixtures: an isolated HOME for every test, the real catalog, a fake template tree."""

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from toolkit import Catalog, load_catalog

# The lifecycle tests' fixtures: a catalog in two versions, generated projects to copy.
pytest_plugins = ["tests.lifecycle_support"]

# Captured before any test changes HOME, so that uv keeps using the warm cache.
_UV_CACHE = os.environ.get("UV_CACHE_DIR") or str(Path.home() / ".cache" / "uv")
# The same for npm: its cache holds the packages and the native prebuilds that
# scripts/node_prebuilds.py stores (docs/node.md), which `npm ci` finds through it.
_NPM_CACHE = os.environ.get("npm_config_cache") or str(Path.home() / ".npm")  # noqa: SIM112
# And for pre-commit: the environments it makes for the hooks of generated projects.
_PRE_COMMIT_HOME = os.environ.get("PRE_COMMIT_HOME") or str(Path.home() / ".cache" / "pre-commit")
_GIT_IDENTITY_VARS = [
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "EMAIL",
]


@pytest.fixture(scope="session")
def jinja_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("jinja-cache")


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, jinja_cache: Path
) -> Iterator[Path]:
    """HOME is an empty folder: no git identity, no user config (cookiecutter's habit).

    It lies outside tmp_path, so that tests can check tmp_path holds nothing else.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("GIT_CONFIG_GLOBAL", raising=False)
    for name in _GIT_IDENTITY_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("UV_CACHE_DIR", _UV_CACHE)
    monkeypatch.setenv("npm_config_cache", _NPM_CACHE)
    monkeypatch.setenv("PRE_COMMIT_HOME", _PRE_COMMIT_HOME)
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(jinja_cache))
    # Layer packs come only from what a test installs or names (tests/test_packs.py).
    monkeypatch.delenv("SCAFFOLD_TEMPLATES", raising=False)
    yield home


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def offered_projects(catalog: Catalog) -> dict[str, Any]:
    """Every offered combination with its default features, rendered once for the tests
    that read them, in any module (a render of all 60 is a few seconds)."""
    from tests.test_render import render_offered

    return render_offered(catalog)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def build_file_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: content}`` under ``root`` (copier's test helper, ours)."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return root


def git(path: Path, *args: str) -> str:
    completed = subprocess.run(["git", *args], cwd=path, capture_output=True, text=True, check=True)
    return completed.stdout.strip()


FAKE_CATALOG = """
[frameworks.alpha]
label = "Alpha"
language = "python"
layers = ["common", "alpha"]

[frameworks.beta]
label = "Beta"
language = "python"
layers = ["common", "beta"]

[databases.one]
label = "One"

[databases.two]
label = "Two"

[features.docs]
label = "Docs"
default = true

[features.extra]
label = "Extra"

[[endpoints]]
method = "GET"
path = "/health"
summary = "Health"
auth = "public"
"""

FAKE_KIND = """
title = "Demo"
summary = "A demo kind"
modules = ["things"]
uses = ["money"]

[[endpoints]]
method = "get"
path = "/things"
summary = "List things"

[offered]
alpha = ["one", "two"]
beta = ["one"]
"""


@pytest.fixture
def fake_templates(tmp_path: Path) -> Path:
    """A small template tree that exercises every composition rule."""
    return build_file_tree(
        tmp_path / "templates",
        {
            "catalog.toml": FAKE_CATALOG,
            "_shared/common/layer.toml": (
                '[dependencies]\nruntime = ["base-lib"]\n'
                '[env.SECRET_KEY]\ndescription = "secret"\nexample = "placeholder"\n'
                'generate = "token"\n'
                '[commands]\ntest = "pytest {package}"\n'
            ),
            "_shared/common/README.md.jinja": "# {{ project.name }} on {{ framework.label }}\n",
            "_shared/common/shared.txt": "same for all\n",
            "_shared/common/.env.example.jinja": (
                "{% for var in env %}{{ var.name }}={{ var.example }}\n{% endfor %}"
            ),
            "_shared/common+two/database.txt": "database two\n",
            "_shared/common+extra/extra.txt": "extra feature\n",
            "_shared/common+docs/docs/index.md": "docs\n",
            "_shared/alpha/layer.toml": (
                '[dependencies]\nruntime = ["alpha-lib", "base-lib"]\n'
                '[commands]\ntest = "alpha-test {package}"\n'
            ),
            "_shared/alpha/app.py.jinja": "# shared alpha app for {{ project.package }}\n",
            "_shared/alpha/{{ project.package }}/__init__.py": "",
            "_shared/alpha/bin/run": "#!/bin/sh\necho run\n",
            "_shared/alpha/logo.bin": b"\x89PNG\x00\xff{{ not a template }}",
            "_shared/alpha/deps.txt.jinja": "{{ dependencies | join(',') }}\n",
            "_shared/beta/app.py.jinja": "# beta app\n",
            "_shared/alpha+money/money.txt": "money for alpha kinds that use it\n",
            "demo/kind.toml": FAKE_KIND,
            "demo/common/kind.txt": "kind file\n",
            "demo/alpha/app.py.jinja": "# demo overrides the shared alpha app\n",
            "demo/alpha/{% if 'extra' in features %}extra_only.txt{% endif %}.jinja": "x\n",
        },
    )


@pytest.fixture
def fake_catalog(fake_templates: Path) -> Catalog:
    (fake_templates / "_shared/alpha/bin/run").chmod(0o755)
    return load_catalog(fake_templates)
