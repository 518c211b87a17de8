"""Python lock files: one current uv.lock for every set of dependencies a project can have."""

import re
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from toolkit import Catalog, InvalidNameError, TemplateError, render
from toolkit import _render as render_module
from toolkit._locks import PLACEHOLDER, REFRESH_COMMAND, load_store, read_entries
from toolkit._model import ProjectModel

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


@pytest.fixture(scope="module")
def python_locks() -> ModuleType:
    sys.path.insert(0, str(SCRIPTS))
    try:
        import python_locks
    finally:
        sys.path.pop(0)
    return python_locks


@pytest.fixture(scope="module")
def sets(python_locks: ModuleType) -> dict[str, Any]:
    """Every set of dependencies of an offered combination with any choice of features."""
    from toolkit import load_catalog

    found: dict[str, Any] = python_locks.dependency_sets(load_catalog())
    assert len(found) > 10
    return found


def test_every_combination_and_choice_of_features_has_a_stored_lock(sets: dict[str, Any]) -> None:
    for key, wanted in sets.items():
        store = load_store(wanted.store)
        assert key in store.locks, f"no lock for {wanted.example}: run {REFRESH_COMMAND}"
        stored = store.locks[key]
        assert (stored.runtime, stored.dev) == (wanted.runtime, wanted.dev)


def test_the_stores_keep_no_lock_and_no_entry_that_nothing_uses(sets: dict[str, Any]) -> None:
    for folder in {wanted.store for wanted in sets.values()}:
        store = load_store(folder)
        unused = set(store.locks) - set(sets)
        assert not unused, f"locks no combination has: run {REFRESH_COMMAND}"
        used = {i for lock in store.locks.values() for i in lock.entries}
        assert used == set(store.entries), f"entries no lock uses or lacks: run {REFRESH_COMMAND}"
        text = (folder / "packages.lock.partial").read_text()
        assert len(read_entries(text)) == text.count("\n# entry "), "an entry is stored twice"


REQUIREMENT = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)(?:\[(?P<extras>[^\]]+)\])?(?P<spec>.*)$")


def requirement(text: str, extra: str | None) -> tuple[str, tuple[str, ...], str, str]:
    """A layer's requirement as uv records it in requires-dist (normalized name, sorted)."""
    text, _, marker = text.partition(";")
    found = REQUIREMENT.match(text.strip())
    assert found, text
    name = re.sub(r"[-_.]+", "-", found["name"]).lower()
    extras = (
        tuple(sorted((found["extras"] or "").replace(" ", "").split(",")))
        if found["extras"]
        else ()
    )
    spec = ",".join(sorted(found["spec"].replace(" ", "").split(",")))
    markers = [m for m in (marker.strip(), f"extra == '{extra}'" if extra else "") if m]
    return name, extras, spec, " and ".join(markers)


def recorded(entry: dict[str, Any]) -> tuple[str, tuple[str, ...], str, str]:
    spec = ",".join(sorted(entry.get("specifier", "").replace(" ", "").split(",")))
    return entry["name"], tuple(sorted(entry.get("extras", ()))), spec, entry.get("marker", "")


def test_each_lock_records_exactly_what_its_layers_ask_for(sets: dict[str, Any]) -> None:
    """The project's requires-dist in the lock is the model's runtime and dev lists."""
    for key, wanted in sets.items():
        lock = tomllib.loads(load_store(wanted.store).lock_text(key, "lock-check"))
        own = next(p for p in lock["package"] if p["name"] == "lock-check")
        asked = {requirement(r, None) for r in wanted.runtime}
        asked |= {requirement(r, "dev") for r in wanted.dev}
        got = {recorded(r) for r in own["metadata"]["requires-dist"]}
        assert got == asked, f"{wanted.example}: stale lock, run {REFRESH_COMMAND}"
        assert own["metadata"].get("provides-extras", ["dev"]) == ["dev"]
        names = {p["name"] for p in lock["package"]}
        for package in lock["package"]:  # every package a locked one depends on is locked
            for dependency in package.get("dependencies", []):
                assert dependency["name"] in names, (wanted.example, dependency)


def test_uv_finds_the_stored_locks_in_sync_with_their_pyproject(
    sets: dict[str, Any], python_locks: ModuleType
) -> None:
    """`uv lock --check --offline` on one set per framework (its pyproject.toml and lock).

    What differs between the sets, their dependencies, the test above checks for each;
    uv checks the rest of pyproject.toml (requires-python, the extra), the same in all.
    """
    one_each = {wanted.example.split("/")[1]: key for key, wanted in sets.items()}

    def stale(key: str) -> str | None:
        wanted = sets[key]
        text = load_store(wanted.store).lock_text(key, PLACEHOLDER)
        return None if python_locks.is_current(text, wanted) else wanted.example

    with ThreadPoolExecutor(max_workers=3) as pool:
        found = [example for example in pool.map(stale, one_each.values()) if example]
    assert len(one_each) == 3
    assert not found, f"uv finds these locks stale: {found}; run {REFRESH_COMMAND}"


@pytest.mark.parametrize("name", ["aaa-first", "users", "zzz-last", "team42-v2"])
def test_a_projects_lock_names_it_where_uv_sorts_it(catalog: Catalog, name: str) -> None:
    spec = catalog.resolve("task-api", name, framework="flask", database="postgres")
    files = render(spec, catalog=catalog).files
    text = next(f.content.decode() for p, f in files.items() if str(p) == "uv.lock")
    names = [p["name"] for p in tomllib.loads(text)["package"]]
    assert name in names and PLACEHOLDER not in text
    assert names == sorted(names)


def test_express_projects_get_no_uv_lock(catalog: Catalog) -> None:
    spec = catalog.resolve("task-api", "no-uv", framework="express")
    assert "uv.lock" not in {str(p) for p in render(spec, catalog=catalog).files}


def test_a_project_named_like_one_of_its_packages_is_refused(catalog: Catalog) -> None:
    """`click` passes the name rules but is a package of every Flask project's lock."""
    spec = catalog.resolve("task-api", "click", framework="flask")
    with pytest.raises(InvalidNameError, match="depends on a package of that name"):
        render(spec, catalog=catalog)


def test_a_dependency_with_no_stored_lock_fails_and_names_the_command(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A layer that gains a dependency without a new lock cannot generate silently."""
    real = render_module.build_model

    def with_one_more(layers: Any) -> ProjectModel:
        model = real(layers)
        model.dependencies.append("humanize>=4")
        return model

    monkeypatch.setattr(render_module, "build_model", with_one_more)
    spec = catalog.resolve("task-api", "more-deps", framework="fastapi")
    with pytest.raises(TemplateError, match=re.escape(REFRESH_COMMAND)):
        render(spec, catalog=catalog)
