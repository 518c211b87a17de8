"""Lock every set of dependencies a Python project can have, into the layers' lock stores.

Generation stays offline: a Python project's ``uv.lock`` is assembled from the store of
the layer that names it (``[vars] lock_store``, see toolkit/_locks.py). Every offered
combination, with every choice of features, has a set of dependencies; this script makes
a lock for each set that has none (or a stale one) with ``uv lock`` and the registry,
keeps the current ones as they are, and drops what no set uses. Run it after changing a
dependency in a layer.toml (a fast test names it when a lock is missing or stale)::

    .venv/bin/python scripts/python_locks.py            # lock what is missing or stale
    .venv/bin/python scripts/python_locks.py --upgrade  # lock every set anew, newest versions
    .venv/bin/python scripts/python_locks.py --check    # only tell what is missing or stale

A new lock starts from the stored lock closest to it (uv keeps the versions it finds
there), so that locks share their entries and the store stays small.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit import Catalog, ScaffoldError, UsageError, load_catalog  # noqa: E402
from toolkit._locks import (  # noqa: E402
    ENTRIES_FILE,
    INDEX_FILE,
    PLACEHOLDER,
    REFRESH_COMMAND,
    LockStore,
    dependency_key,
    entry_id,
    join_lock,
    load_store,
    package_name,
    split_lock,
    write_entries,
)
from toolkit._model import build_model  # noqa: E402
from toolkit._render import Build, TemplateLayers, template_context  # noqa: E402

#: Locks name PyPI, whatever index the machine that made them is configured with.
DEFAULT_INDEX = "https://pypi.org/simple"
_UV_SETTINGS = ("UV_INDEX", "UV_INDEX_URL", "UV_DEFAULT_INDEX", "UV_EXTRA_INDEX_URL")


@dataclass(frozen=True)
class DependencySet:
    """What one lock is made for: the dependencies, and a pyproject.toml that asks for them."""

    store: Path
    runtime: tuple[str, ...]
    dev: tuple[str, ...]
    pyproject: str
    example: str  # a combination that has it, for messages

    @property
    def key(self) -> str:
        """The set's key in the store (toolkit._locks.dependency_key)."""
        return dependency_key(list(self.runtime), list(self.dev))


def feature_choices(catalog: Catalog) -> list[tuple[str, ...]]:
    """Every choice of features: each subset of the catalog's features."""
    ids = sorted(catalog.features)
    return [c for n in range(len(ids) + 1) for c in itertools.combinations(ids, n)]


def dependency_sets(catalog: Catalog) -> dict[str, DependencySet]:
    """Every set of dependencies an offered combination can have, by key."""
    found: dict[str, DependencySet] = {}
    for cell, features in itertools.product(catalog.combinations(), feature_choices(catalog)):
        try:
            spec = catalog.resolve(
                cell.kind, PLACEHOLDER, framework=cell.framework, database=cell.database,
                features=features,
            )  # fmt: skip
        except UsageError:  # a choice of features that is not offered here (k8s on sqlite)
            continue
        layers = catalog.layers(spec)
        model = build_model(layer.path for layer in layers)
        where = model.vars.get("lock_store")
        if where is None:
            continue
        key = dependency_key(model.dependencies, model.dev_dependencies)
        if key in found:
            continue
        # The layers' files alone (no lock yet): what pyproject.toml asks for.
        build = Build(spec, catalog, layers, model, template_context(spec, catalog, model), str)
        TemplateLayers().contribute(build)
        pyproject = build.files[PurePosixPath("pyproject.toml")].content.decode()
        found[key] = DependencySet(
            catalog.root / where,
            tuple(sorted(model.dependencies)),
            tuple(sorted(model.dev_dependencies)),
            pyproject,
            f"{cell}+{','.join(features) or 'no features'}",
        )
    return found


def uv_command() -> str:
    """The uv installed with the toolkit, else the one on PATH."""
    local = Path(sys.executable).parent / "uv"
    return str(local) if local.exists() else "uv"


def uv_env() -> dict[str, str]:
    """The environment of uv: no index of this machine's configuration, no downloads."""
    env = {k: v for k, v in os.environ.items() if k not in _UV_SETTINGS}
    env["UV_PYTHON_DOWNLOADS"] = "never"
    return env


def uv_version() -> str:
    """The version of the uv that makes the locks."""
    out = subprocess.run([uv_command(), "--version"], capture_output=True, text=True, check=True)
    return out.stdout.split()[1]


def is_current(stored: str, wanted: DependencySet) -> bool:
    """Whether uv finds a stored lock (with the placeholder name) in sync with the set."""
    with tempfile.TemporaryDirectory(prefix="scaffold-lock-") as folder:
        Path(folder, "pyproject.toml").write_text(wanted.pyproject)
        Path(folder, "uv.lock").write_text(stored)
        checked = subprocess.run(
            [uv_command(), "lock", "--check", "--offline", "--no-config", "-q"],
            cwd=folder, env=uv_env(), capture_output=True, check=False,
        )  # fmt: skip
    return checked.returncode == 0


def make_lock(wanted: DependencySet, seed: str | None, *, upgrade: bool) -> str:
    """Lock a set with uv; ``seed`` is a lock whose versions uv keeps where it can."""
    with tempfile.TemporaryDirectory(prefix="scaffold-lock-") as folder:
        Path(folder, "pyproject.toml").write_text(wanted.pyproject)
        if seed is not None and not upgrade:
            Path(folder, "uv.lock").write_text(seed)
        argv = [uv_command(), "lock", "--no-config", "-q", "--default-index", DEFAULT_INDEX]
        subprocess.run([*argv, *(["--upgrade"] if upgrade else [])], cwd=folder, env=uv_env(),
                       check=True)  # fmt: skip
        return Path(folder, "uv.lock").read_text()


def closest(wanted: DependencySet, current: dict[str, tuple[DependencySet, str]]) -> str | None:
    """The current lock whose dependencies overlap most with ``wanted``'s."""
    mine = set(wanted.runtime + wanted.dev)
    best = max(current.values(), key=lambda c: len(mine & set(c[0].runtime + c[0].dev)),
               default=None)  # fmt: skip
    return None if best is None else best[1]


def stored_text(store: LockStore, key: str) -> str | None:
    """A stored lock with the placeholder name, or None when it cannot be assembled."""
    try:
        return store.lock_text(key, PLACEHOLDER)
    except ScaffoldError:  # an entry missing from the store: the lock is stale
        return None


def toml_list(values: tuple[str, ...] | list[str]) -> str:
    """A TOML array of strings, one a line."""
    return "[\n" + "".join(f"    {json.dumps(v)},\n" for v in values) + "]"


def write_store(folder: Path, locks: dict[str, tuple[DependencySet, str]], version: str) -> int:
    """Write a store of ``locks`` (the set and its uv.lock); return its size in bytes."""
    entries: dict[str, str] = {}
    index = [
        "# Which entries of packages.lock.partial make the uv.lock of each set of",
        f"# dependencies. Written by {REFRESH_COMMAND}; do not edit.",
        f'uv = "{version}"',
    ]
    for key, (wanted, text) in sorted(locks.items()):
        parts = split_lock(text)
        if join_lock(parts) != text:
            raise SystemExit(f"{wanted.example}: uv.lock does not split into entries and back")
        own = [p for p in parts[1:] if package_name(p) == PLACEHOLDER]
        if len(own) != 1:
            raise SystemExit(f"{wanted.example}: the lock has no single entry of the project")
        ids = [entry_id(part) for part in parts]
        entries.update(zip(ids, parts, strict=True))
        index += [
            "", f"[locks.{key}]", f"# {wanted.example}",
            f"runtime = {toml_list(wanted.runtime)}", f"dev = {toml_list(wanted.dev)}",
            f"entries = {toml_list(ids)}",
        ]  # fmt: skip
    ordered = dict(sorted(entries.items(), key=lambda e: (_sort_name(e[1]), e[0])))
    preamble = (
        "# Every entry of the stored uv.lock files once: headers and [[package]] tables, each\n"
        f"# after its id. Written by {REFRESH_COMMAND}; do not edit."
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / INDEX_FILE).write_text("\n".join(index) + "\n")
    (folder / ENTRIES_FILE).write_text(write_entries(ordered, preamble))
    return sum((folder / name).stat().st_size for name in (INDEX_FILE, ENTRIES_FILE))


def _sort_name(entry: str) -> str:
    return "" if not entry.startswith("[[package]]") else package_name(entry)


def main(argv: list[str] | None = None) -> int:
    """Lock (or check) every set; exit 1 if --check finds a missing or stale lock."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report, write nothing")
    parser.add_argument("--upgrade", action="store_true", help="lock every set anew")
    args = parser.parse_args(argv)
    catalog = load_catalog()
    wanted_sets = dependency_sets(catalog)
    problems: list[str] = []
    for folder in sorted({s.store for s in wanted_sets.values()}):
        wanted = {k: s for k, s in wanted_sets.items() if s.store == folder}
        store = load_store(folder) if (folder / INDEX_FILE).exists() else None
        current: dict[str, tuple[DependencySet, str]] = {}
        for key, dependency_set in wanted.items():
            text = None if store is None else stored_text(store, key)
            if text is not None and not args.upgrade and is_current(text, dependency_set):
                current[key] = (dependency_set, text)
        unused = sorted(set(store.locks) - set(wanted)) if store else []
        missing = sorted(set(wanted) - set(current))
        where = folder.relative_to(ROOT)
        if args.check:
            problems += [f"{where}: no current lock for {wanted[k].example} ({k})" for k in missing]
            problems += [f"{where}: lock {k} is used by no combination" for k in unused]
            continue
        for key in missing:
            seed = closest(wanted[key], current)
            current[key] = (wanted[key], make_lock(wanted[key], seed, upgrade=args.upgrade))
            print(f"{where}: locked {wanted[key].example} ({key})")
        size = write_store(folder, current, uv_version())
        print(f"{where}: {len(current)} locks in {size / 1024:.0f} KiB ({len(unused)} dropped)")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(f"run {REFRESH_COMMAND}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
