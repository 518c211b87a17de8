"""The Node frameworks: lock files that match package.json, npm-safe project names."""

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from toolkit import Catalog, InvalidNameError, render

NODE_CELLS = [
    ("express", database) for database in ("sqlite", "postgres", "mysql")
]  # fmt: skip
# Features whose layers add npm dependencies: each choice of them has its own lock.
LOCK_FEATURES: list[tuple[str, ...]] = [(), ("metrics",)]


def offering(catalog: Catalog, framework: str) -> tuple[Catalog, str]:
    """The catalog with the first kind offering ``framework`` on every database."""
    kind = next(iter(catalog.kinds.values()))
    offered = {**kind.offered, framework: tuple(catalog.databases)}
    return replace(
        catalog, kinds={**catalog.kinds, kind.id: replace(kind, offered=offered)}
    ), kind.id


def rendered(
    catalog: Catalog, framework: str, database: str, name: str, features: tuple[str, ...] = ()
) -> dict[str, str]:
    patched, kind = offering(catalog, framework)
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
    assert {features for _, _, features in cells} == set(LOCK_FEATURES)
    for framework, database, features in cells:
        package_json, lock = node_locks.rendered_package(catalog, framework, database, features)
        assert lock is not None and node_locks.lock_matches(package_json, lock)
        assert ('"prom-client"' in package_json) == ("metrics" in features)


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
