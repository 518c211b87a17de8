"""Helpers of the lifecycle tests: a small catalog in two versions, and exact project snapshots.

Version 1 is what a project is generated from; version 2 changes it in every way an
update must handle: an edited file, an added one, a removed one, a renamed one, a file
whose executable bit changes, a new environment variable (a secret) and a new key.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

from toolkit import Catalog, generate, load_catalog

from .conftest import build_file_tree

CATALOG = """
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

[databases.three]
label = "Three"

[features.docs]
label = "Docs"
default = true

[features.extra]
label = "Extra"
"""

KIND = """
title = "Demo"
summary = "A demo kind"
modules = ["things"]

[offered]
alpha = ["one", "two"]
beta = ["one"]
"""

ROUTES = "".join(f"def route_{n}():\n    return {n}\n\n\n" for n in range(1, 9))
RENAMED = "".join(f"helper line {n}\n" for n in range(1, 11))

V1: dict[str, str | bytes] = {
    "catalog.toml": CATALOG,
    "demo/kind.toml": KIND,
    "_shared/common/layer.toml": (
        '[ignore]\ngit = [".env", "secrets/", "*.db"]\n'
        '[env.SECRET_KEY]\ndescription = "signs tokens"\nexample = "change-me"\n'
        'generate = "token"\n'
        '[env.PORT]\ndescription = "the port"\nexample = "8000"\n'
    ),
    "_shared/common/.gitignore.jinja": "{% for p in ignore.git %}{{ p }}\n{% endfor %}",
    "_shared/common/.env.example.jinja": (
        "{% for var in env %}# {{ var.description }}\n{{ var.name }}={{ var.example }}\n"
        "{% endfor %}"
    ),
    "_shared/common/README.md.jinja": (
        "# {{ project.name }}\n\nA {{ database.label }} project.\n\n"
        + "".join(f"Paragraph {n}.\n\n" for n in range(1, 7))
    ),
    "_shared/common+one/layer.toml": (
        '[env.DATABASE_URL]\ndescription = "the database"\nexample = "one:///app.db"\n'
    ),
    "_shared/common+two/layer.toml": (
        '[env.DATABASE_URL]\ndescription = "the database"\nexample = "two://localhost/app"\n'
    ),
    "_shared/common+two/db_two.txt": "settings of database two\n",
    "_shared/common+docs/docs/index.md": "# Docs\n\nThe documentation.\n",
    "_shared/common+docs/docs/guide.md": "# Guide\n\nHow to.\n",
    "_shared/common+extra/extra.txt": "the extra feature\n",
    "_shared/alpha/{{ project.package }}/__init__.py": "",
    "_shared/alpha/{{ project.package }}/routes.py": ROUTES,
    "_shared/alpha/{{ project.package }}/old_name.py": RENAMED,
    "_shared/alpha/doomed.txt": "the template drops this file in version 2\n",
    "_shared/alpha/kept.txt": "the template keeps this file as it is\n",
    "_shared/alpha/bin/run": "#!/bin/sh\necho run\n",
    "_shared/alpha/bin/tool": "#!/bin/sh\necho tool\n",
    "_shared/beta/app.py": "beta\n",
}

EXECUTABLE_V1 = ["_shared/alpha/bin/run"]


def v2_changes(root: Path) -> None:
    """Turn a version 1 template tree into version 2."""
    package = root / "_shared/alpha/{{ project.package }}"
    routes = (package / "routes.py").read_text()
    (package / "routes.py").write_text(routes.replace("return 8\n", "return 80  # v2\n"))
    (package / "new_module.py").write_text("added in version 2\n")
    (root / "_shared/alpha/doomed.txt").unlink()
    (package / "old_name.py").rename(package / "new_name.py")
    (root / "_shared/alpha/bin/run").chmod(0o644)
    (root / "_shared/alpha/bin/tool").chmod(0o755)
    layer = root / "_shared/common/layer.toml"
    layer.write_text(
        layer.read_text()
        + '[env.NEW_TOKEN]\ndescription = "a new secret"\nexample = "x"\ngenerate = "token"\n'
        + '[env.NEW_SETTING]\ndescription = "a new setting"\nexample = "on"\n'
        + '[generate]\n"secrets/key.pem" = "rsa-private-key"\n'
    )
    readme = root / "_shared/common/README.md.jinja"
    readme.write_text(readme.read_text().replace("Paragraph 1.", "Paragraph 1, revised."))


def build_version(base: Path, version: int) -> Catalog:
    """Write the template tree of ``version`` (1 or 2) under ``base`` and load it."""
    root = build_file_tree(base / f"v{version}" / "templates", V1)
    for relative in EXECUTABLE_V1:
        (root / relative).chmod(0o755)
    if version >= 2:
        v2_changes(root)
    return load_catalog(root)


#: The tests' own commits need an identity (HOME is empty); the toolkit's never get this one.
IDENTITY = ["-c", "user.name=Tester", "-c", "user.email=tester@example.com"]


def git(path: Path, *args: str, check: bool = True) -> str:
    completed = subprocess.run(
        ["git", *IDENTITY, *args], cwd=path, capture_output=True, text=True, check=check
    )
    return completed.stdout.strip()


def snapshot(project: Path) -> dict[str, Any]:
    """Everything an update may change: files (content, mode), folders, git's state."""
    files: dict[str, tuple[bytes, int]] = {}
    folders: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(project):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        relative = os.path.relpath(dirpath, project)
        folders.add(relative)
        for name in filenames:
            path = Path(dirpath, name)
            info = path.lstat()
            content = os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
            files[os.path.normpath(os.path.join(relative, name))] = (
                content,
                stat.S_IMODE(info.st_mode),
            )
    state: dict[str, Any] = {"files": files, "folders": folders}
    if (project / ".git").exists():
        state["head"] = git(project, "rev-parse", "HEAD")
        state["refs"] = git(project, "for-each-ref")
        state["index"] = git(project, "ls-files", "-s")
        state["status"] = git(project, "status", "--porcelain")
        state["git_files"] = sorted(
            name
            for name in ("MERGE_HEAD", "MERGE_MSG", "MERGE_MODE", "index.lock")
            if (project / ".git" / name).exists()
        )
    state["beside"] = sorted(p.name for p in project.parent.iterdir())
    return state


def tracked(project: Path) -> dict[str, str]:
    """The committed files of HEAD: {path: mode}."""
    listing = git(project, "ls-tree", "-r", "HEAD")
    return {line.split("\t")[1]: line.split()[0] for line in listing.splitlines()}


@pytest.fixture
def fast_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Generated keys without the cost of RSA (0.16 s each), for tests that only count them."""
    monkeypatch.setattr(
        "toolkit._lifecycle.make_generated", lambda generator, path: b"a test key\n"
    )


@pytest.fixture(scope="session")
def v1(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return build_version(tmp_path_factory.mktemp("catalog"), 1)


@pytest.fixture(scope="session")
def v2(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return build_version(tmp_path_factory.mktemp("catalog"), 2)


@pytest.fixture(scope="session")
def originals(
    v1: Catalog, tmp_path_factory: pytest.TempPathFactory, jinja_cache: Path
) -> dict[bool, Path]:
    """A version 1 project with git and one without, generated once; tests get copies."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        patch.setenv("SCAFFOLD_CACHE_DIR", str(jinja_cache))
        for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME"):
            patch.delenv(name, raising=False)
        patch.delenv("GIT_COMMITTER_EMAIL", raising=False)
        spec = v1.resolve("demo", "demo-app", framework="alpha")
        base = tmp_path_factory.mktemp("originals")
        return {
            with_git: generate(
                spec, base / str(with_git) / "demo-app", catalog=v1, git=with_git
            ).path
            for with_git in (True, False)
        }


def copy_project(original: Path, tmp_path: Path) -> Path:
    """A fresh copy of a generated project (its repository included) for one test."""
    return Path(shutil.copytree(original, tmp_path / "work" / "demo-app", symlinks=True))
