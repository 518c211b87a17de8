"""The Node frameworks: lock files that match package.json, npm-safe project names,
prettier-clean projects under every name."""

import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path, PurePosixPath

import pytest

from toolkit import Catalog, Combination, InvalidNameError, render
from toolkit.errors import UsageError

from .test_render import LONG_NAME, VARIED_NAMES

NODE_CELLS = [
    ("express", database) for database in ("sqlite", "postgres", "mysql")
]  # fmt: skip
# Features whose layers add npm dependencies: each choice of them has its own lock.
#: Every choice of the features that add npm dependencies (metrics, queue; cache, queue
#: and ratelimit through express+redis) that some kind offers together (cache and queue:
#: none).
LOCK_FEATURES: list[tuple[str, ...]] = [
    choice
    for size in range(5)
    for choice in itertools.combinations(("cache", "metrics", "queue", "ratelimit"), size)
    if not {"cache", "queue"} <= set(choice)
]


def offering(
    catalog: Catalog, framework: str, features: tuple[str, ...] = ()
) -> tuple[Catalog, str]:
    """The catalog with a kind offering ``framework`` on every database.

    The first kind that each of ``features`` is offered on (auth-service has no cache,
    blog-api no queue).
    """
    kind = next(
        kind
        for kind in catalog.kinds.values()
        if all(kind.id not in catalog.features[f].not_offered.get("kind", {}) for f in features)
    )
    offered = {**kind.offered, framework: tuple(catalog.databases)}
    return replace(
        catalog, kinds={**catalog.kinds, kind.id: replace(kind, offered=offered)}
    ), kind.id


def rendered(
    catalog: Catalog, framework: str, database: str, name: str, features: tuple[str, ...] = ()
) -> dict[str, str]:
    patched, kind = offering(catalog, framework, features)
    spec = patched.resolve(kind, name, framework=framework, database=database, features=features)
    project = render(spec, catalog=patched)
    return {str(path): file.content.decode() for path, file in project.files.items()}


@pytest.mark.parametrize("features", LOCK_FEATURES, ids=lambda f: "+".join(f) or "none")
@pytest.mark.parametrize(("framework", "database"), NODE_CELLS)
def test_each_lock_pins_exactly_what_package_json_asks_for(
    catalog: Catalog, framework: str, database: str, features: tuple[str, ...]
) -> None:
    files = rendered(catalog, framework, database, "lock-check", features)
    package = json.loads(files["package.json"])
    lock = json.loads(files["package-lock.json"])
    root = lock["packages"][""]
    assert lock["name"] == root["name"] == package["name"] == "lock-check"
    assert root.get("dependencies") == package["dependencies"], "run scripts/node_locks.py"
    assert root.get("devDependencies") == package["devDependencies"], "run scripts/node_locks.py"
    for name in [*package["dependencies"], *package["devDependencies"]]:
        assert f"node_modules/{name}" in lock["packages"], name


def test_the_lock_script_agrees(catalog: Catalog) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    try:
        import node_locks
    finally:
        sys.path.pop(0)
    cells = node_locks.node_cells(catalog)
    covered = {node_locks.lock_tokens(catalog, fw, features) for fw, _, features in cells}
    for choice in LOCK_FEATURES:
        assert node_locks.lock_tokens(catalog, "express", choice) in covered, choice
    for framework, database, features in cells:
        package_json, lock = node_locks.rendered_package(catalog, framework, database, features)
        assert lock is not None and node_locks.lock_matches(package_json, lock)
        assert ('"prom-client"' in package_json) == ("metrics" in features)
        assert ('"bullmq"' in package_json) == ("queue" in features)


@pytest.mark.parametrize("name", ["http", "events", "child-process", "node-modules", "npm"])
def test_node_projects_refuse_core_module_names(catalog: Catalog, name: str) -> None:
    patched, kind = offering(catalog, "express")
    with pytest.raises(InvalidNameError, match="invalid project name"):
        patched.resolve(kind, name, framework="express")


def test_python_projects_keep_their_own_rules(catalog: Catalog) -> None:
    patched, kind = offering(catalog, "express")
    assert patched.resolve(kind, "events", framework="fastapi").name == "events"
    with pytest.raises(InvalidNameError):
        patched.resolve(kind, "class", framework="express")


# prettier's own files in every Node project: its settings and what it leaves alone.
PRETTIER_FILES = (".prettierrc.json", ".prettierignore", ".editorconfig")
# Installed tools outlive a test run (captured at import, before HOME is a temporary folder).
TOOLS_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "scaffold-tests"


def prettier_install(version: str) -> Path:
    """prettier ``version``, installed once into a cache folder; its command."""
    from tests.test_matrix import skip_or_fail

    folder = TOOLS_CACHE / f"prettier-{version}"
    command = folder / "node_modules" / ".bin" / "prettier"
    if command.exists():
        return command
    if shutil.which("npm") is None:
        skip_or_fail("node and npm are not installed")
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f"{folder.name}-", dir=folder.parent))
    done = subprocess.run(
        ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--no-package-lock",
         "--prefix", str(scratch), f"prettier@{version}"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        shutil.rmtree(scratch, ignore_errors=True)
        skip_or_fail(f"npm could not install prettier@{version}: {done.stderr[-2000:]}")
    try:
        scratch.rename(folder)  # whole or not at all, should two runs race
    except OSError:
        shutil.rmtree(scratch, ignore_errors=True)
    return command


def every_offered_feature(catalog: Catalog, cell: Combination) -> list[str]:
    """The features a project of ``cell`` may have, all at once."""
    chosen: list[str] = []
    for feature in catalog.features:  # in the catalog's order: a feature after those it needs
        try:
            catalog.resolve(
                cell.kind, "probe", framework=cell.framework, database=cell.database,
                features=[*chosen, feature],
            )  # fmt: skip
        except UsageError:  # not offered here, or excluded by a feature chosen before
            continue
        chosen.append(feature)
    return chosen


def test_every_node_project_is_prettier_clean_under_every_name(
    catalog: Catalog, tmp_path: Path
) -> None:
    """`prettier --check .` passes on every Node kind and database under the varied names.

    No file's layout may depend on the name (the matrix meets a cell under one name
    only): each cell is rendered with every feature under every varied name (the
    longest allowed too), and without features under the longest. Each distinct file is
    checked once, in the folder of the first project that had it, under the settings
    every project shares (prettier installed once, at the version the locks pin).
    """
    cells = [
        c for c in catalog.combinations() if catalog.frameworks[c.framework].language == "node"
    ]
    assert cells
    distinct: dict[tuple[str, bytes], str] = {}  # prettier picks its parser by file name
    shared: dict[str, set[bytes]] = {name: set() for name in PRETTIER_FILES}
    versions = set()
    for cell in cells:
        every = every_offered_feature(catalog, cell)
        runs = [(name, every) for name in VARIED_NAMES] + [(LONG_NAME, [])]
        for name, features in runs:
            spec = catalog.resolve(
                cell.kind, name, framework=cell.framework, database=cell.database,
                features=features,
            )  # fmt: skip
            files = render(spec, catalog=catalog).files
            lock = json.loads(files[PurePosixPath("package-lock.json")].content)
            versions.add(lock["packages"]["node_modules/prettier"]["version"])
            for path, file in files.items():
                if str(path) in shared:
                    shared[str(path)].add(file.content)
                where = f"{cell}-{name}-{len(features)}/{path}"
                distinct.setdefault((path.name, file.content), where)
    assert len(versions) == 1, versions
    assert all(len(contents) == 1 for contents in shared.values()), "settings differ"
    for (_, content), where in distinct.items():  # under the first project that had it
        target = tmp_path / where.replace("/", "-", 2)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    for name, [content] in shared.items():
        (tmp_path / name).write_bytes(content)
    prettier = prettier_install(versions.pop())
    checked = subprocess.run(
        [str(prettier), "--check", "."], cwd=tmp_path, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert checked.returncode == 0, f"{checked.stdout}{checked.stderr}"
