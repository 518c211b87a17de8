"""Rewrite the package-lock.json templates of the Node frameworks from their package.json.

Generation stays offline: each Node framework's last layer ships, per database, a
``package-lock.json.jinja`` that pins what its rendered ``package.json`` asks for. A
feature whose layer adds npm dependencies (``express+metrics``), or the block it uses
(``express+redis``: ioredis, for cache and ratelimit), changes that set, so the database
layer also keeps the lock of each such set, ``package-lock+<token>[+<token>].json.partial``
(``+metrics+redis``), which ``_shared/express/package-lock.json.partial`` picks.
Run this after changing a dependency in a layer.toml (it needs npm and the registry)::

    .venv/bin/python scripts/node_locks.py            # every Node framework and database
    .venv/bin/python scripts/node_locks.py --check    # only tell which locks are stale

Locks omit the registry URLs (``resolved``), so that ``npm ci`` uses whichever registry
or mirror the user's npm is configured with; integrity hashes are kept.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit import Catalog, load_catalog, render  # noqa: E402

PLACEHOLDER = "scaffold-lock-name"
LOCK = "package-lock.json"


def node_cells(catalog: Catalog) -> list[tuple[str, str, tuple[str, ...]]]:
    """Every (framework, database, features) of a Node framework that has a lock of its own.

    ``features`` is a choice among the features that add npm dependencies (none: the
    database layer's own lock); other features leave package.json as it is.
    """
    cells = []
    for fw in catalog.frameworks.values():
        if fw.language != "node":
            continue
        adding = [
            feature
            for feature in dependency_features(catalog, fw.layers)
            if fw.id not in catalog.features[feature].not_offered.get("framework", {})
        ]
        choices = [
            choice for size in range(len(adding) + 1)
            for choice in itertools.combinations(adding, size)
        ]  # fmt: skip
        seen: set[tuple[str, ...]] = set()
        for choice in choices:
            tokens = lock_tokens(catalog, fw.id, choice)
            # One lock per set of tokens (cache and ratelimit share +redis), and only
            # for choices some kind offers together (cache and queue: none).
            if tokens in seen or offering_kind(catalog, choice) is None:
                continue
            seen.add(tokens)
            cells += [(fw.id, db, choice) for db in catalog.databases]
    return cells


def offering_kind(catalog: Catalog, features: tuple[str, ...]) -> str | None:
    """The first kind on which each of ``features`` is offered, or None."""
    for kind in catalog.kinds.values():
        if all(kind.id not in catalog.features[f].not_offered.get("kind", {}) for f in features):
            return kind.id
    return None


def dependency_features(catalog: Catalog, layers: tuple[str, ...]) -> list[str]:
    """The features (sorted) whose ``<layer>+<feature>`` folders add npm dependencies.

    Or whose ``<layer>+<use>`` folders do, for what they use (``redis``: ioredis).
    """
    found = []
    for feature in sorted(catalog.features):
        tokens = (feature, *catalog.features[feature].uses)
        for layer, token in itertools.product(layers, tokens):
            toml = catalog.root / "_shared" / f"{layer}+{token}" / "layer.toml"
            if toml.is_file() and tomllib.loads(toml.read_text()).get("dependencies"):
                found.append(feature)
                break
    return found


def with_everything_offered(
    catalog: Catalog, framework: str, features: tuple[str, ...] = ()
) -> tuple[Catalog, str]:
    """A catalog where a kind offers ``framework`` on every database (to render).

    The first kind that each of ``features`` is offered on (auth-service has no cache).
    """
    kind = offering_kind(catalog, features)
    if kind is None:
        raise ValueError(f"no kind offers {' and '.join(features)} together")
    offered = {**catalog.kinds[kind].offered, framework: tuple(catalog.databases)}
    kinds = {**catalog.kinds, kind: replace(catalog.kinds[kind], offered=offered)}
    return replace(catalog, kinds=kinds), kind


def rendered_package(
    catalog: Catalog, framework: str, database: str, features: tuple[str, ...] = ()
) -> tuple[str, str | None]:
    """The package.json and package-lock.json a project of this cell gets.

    Only ``features`` among those that add dependencies are chosen, the others not.
    """
    patched, kind = with_everything_offered(catalog, framework, features)
    others = set(dependency_features(catalog, catalog.frameworks[framework].layers))
    spec = patched.resolve(
        kind, PLACEHOLDER, framework=framework, database=database,
        features=features, without=others - set(features),
    )  # fmt: skip
    project = render(spec, catalog=patched)
    files = {str(path): file.content.decode() for path, file in project.files.items()}
    return files["package.json"], files.get(LOCK)


def lock_tokens(catalog: Catalog, framework: str, features: tuple[str, ...]) -> tuple[str, ...]:
    """What adds npm dependencies to a cell (sorted), the names of its lock partial.

    The chosen features whose own ``<layer>+<feature>`` folder does (``metrics``), and
    what they use whose ``<layer>+<use>`` folder does (``redis``, once however many
    features use it).
    """
    layers = catalog.frameworks[framework].layers
    tokens = set()
    for feature in features:
        for token in (feature, *catalog.features[feature].uses):
            for layer in layers:
                toml = catalog.root / "_shared" / f"{layer}+{token}" / "layer.toml"
                if toml.is_file() and tomllib.loads(toml.read_text()).get("dependencies"):
                    tokens.add(token)
    return tuple(sorted(tokens))


def lock_template_path(
    catalog: Catalog, framework: str, database: str, features: tuple[str, ...] = ()
) -> Path:
    """Where the lock template of a cell lives: the framework's last layer, + database.

    With features that add dependencies: ``package-lock+<token>[+<token>].json.partial``
    beside it (tokens: :func:`lock_tokens`, so cache and ratelimit share ``+redis``),
    which ``_shared/express/package-lock.json.partial`` picks.
    """
    layer = catalog.frameworks[framework].layers[-1]
    folder = catalog.root / "_shared" / f"{layer}+{database}"
    tokens = lock_tokens(catalog, framework, features)
    if tokens:
        return folder / f"package-lock+{'+'.join(tokens)}.json.partial"
    return folder / f"{LOCK}.jinja"


def make_lock(package_json: str) -> str:
    """Resolve a package.json with npm and return its lock, with the name templated."""
    with tempfile.TemporaryDirectory(prefix="scaffold-lock-") as folder:
        Path(folder, "package.json").write_text(package_json)
        subprocess.run(
            [
                "npm", "install", "--package-lock-only", "--ignore-scripts", "--no-audit",
                "--no-fund", "--omit-lockfile-registry-resolved",
            ],
            cwd=folder, check=True,
        )  # fmt: skip
        lock = Path(folder, LOCK).read_text()
    return lock.replace(f'"name": "{PLACEHOLDER}"', '"name": "{{ project.name }}"')


def lock_matches(package_json: str, lock_text: str) -> bool:
    """Whether a lock's root entry asks for exactly what package.json asks for."""
    package = json.loads(package_json)
    root = json.loads(lock_text).get("packages", {}).get("")
    if root is None:
        return False
    return all(
        root.get(key, {}) == package.get(key, {}) for key in ("dependencies", "devDependencies")
    )


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or check) every lock template; exit 1 if --check finds a stale one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale locks, write nothing")
    args = parser.parse_args(argv)
    catalog = load_catalog()
    stale = []
    for framework, database, features in node_cells(catalog):
        cell = "+".join((framework, database, *features))
        target = lock_template_path(catalog, framework, database, features)
        if not target.exists():
            if args.check:
                stale.append(cell)
                continue
            target.write_text("{}\n")  # for the feature layer's include; replaced below
        package_json, lock = rendered_package(catalog, framework, database, features)
        if lock is not None and lock_matches(package_json, lock):
            print(f"{cell}: up to date")
            continue
        if args.check:
            stale.append(cell)
            continue
        target.write_text(make_lock(package_json))
        print(f"{cell}: wrote {target.relative_to(ROOT)}")
    if stale:
        print(f"stale: {', '.join(stale)}; run scripts/node_locks.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
