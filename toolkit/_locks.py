"""Lock files of Python projects: uv.lock assembled from a shared store of locked entries.

A ``uv.lock`` is made for one exact set of dependencies and names the project itself, so
it cannot be a plain template. ``scripts/python_locks.py`` runs ``uv lock`` once for every
set of dependencies that an offered combination (with any features) can have, with a
placeholder project name, and splits each lock into its entries: the header and one
``[[package]]`` table per locked package. A layer's lock store keeps every distinct entry
once (``packages.lock.partial``, entries shared between locks) and, per set, which
entries its lock is made of (``index.toml.partial``). The :class:`Locks` contributor
finds the set of the project's model there and writes the lock with the project's name,
in the order ``uv lock`` writes it; a set with no stored lock is an error that names
the command to run.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ._cache import read_toml
from ._spec import ProjectSpec
from .errors import InvalidNameError, TemplateError

if TYPE_CHECKING:
    from ._render import Build

#: The project name the stored locks were made with; a project's own replaces it.
PLACEHOLDER = "scaffold-lock-name"
INDEX_FILE = "index.toml.partial"
ENTRIES_FILE = "packages.lock.partial"
#: What to run when a set of dependencies has no stored lock, or a stale one.
REFRESH_COMMAND = ".venv/bin/python scripts/python_locks.py"

_PACKAGE = "[[package]]\n"
_ENTRY_MARK = "# entry "
_NAME = re.compile(r'^name = "([^"]+)"$', re.MULTILINE)
_PROJECT_SOURCE = 'source = { editable = "." }'


def dependency_key(runtime: list[str], dev: list[str]) -> str:
    """Return the key of a set of dependencies: a digest of both lists, sorted."""
    text = "\n".join(sorted(runtime)) + "\n\n" + "\n".join(sorted(dev))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def entry_id(text: str) -> str:
    """Return the id of one stored entry: a digest of its text."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def split_lock(text: str) -> list[str]:
    """Split a ``uv.lock`` into its header and its ``[[package]]`` tables, in order.

    :func:`join_lock` puts them together again, byte for byte.
    """
    header, *packages = text.rstrip("\n").split("\n\n" + _PACKAGE)
    return [header, *(_PACKAGE + body for body in packages)]


def join_lock(entries: list[str]) -> str:
    """Return the ``uv.lock`` made of a header and package tables (see :func:`split_lock`)."""
    return "\n\n".join(entries) + "\n"


@dataclass(frozen=True, slots=True)
class StoredLock:
    """The lock of one set of dependencies.

    Attributes:
        runtime: The runtime dependencies it was made for, sorted.
        dev: The ``dev`` extra's dependencies, sorted.
        entries: The ids of its entries in ``uv lock``'s order (the header first).
    """

    runtime: tuple[str, ...]
    dev: tuple[str, ...]
    entries: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LockStore:
    """A layer's stored locks: every distinct entry once, and which entries each lock has.

    Attributes:
        folder: Where the store lives.
        uv_version: The uv that made the locks.
        locks: The lock of each set of dependencies, by :func:`dependency_key`.
        entries: The text of each entry, by :func:`entry_id`.
    """

    folder: Path
    uv_version: str
    locks: dict[str, StoredLock]
    entries: dict[str, str]

    def lock_text(self, key: str, name: str) -> str:
        """Return the ``uv.lock`` of the set ``key`` for a project called ``name``.

        Raises:
            TemplateError: No lock is stored for ``key``, or one of its entries is missing.
            InvalidNameError: ``name`` is also the name of a package in the lock.
        """
        stored = self.locks.get(key)
        if stored is None:
            raise TemplateError(
                f"no uv.lock is stored for these dependencies (set {key}) in {self.folder}; "
                f"run {REFRESH_COMMAND}"
            )
        missing = [i for i in stored.entries if i not in self.entries]
        if missing:
            raise TemplateError(
                f"{self.folder / ENTRIES_FILE} lacks entries {missing}; run {REFRESH_COMMAND}"
            )
        header, *packages = (self.entries[i] for i in stored.entries)
        mine = next(i for i, p in enumerate(packages) if _PROJECT_SOURCE in p)
        project, others = packages[mine], packages[:mine] + packages[mine + 1 :]
        names = [package_name(p) for p in others]
        if name in names:
            raise InvalidNameError(
                f"invalid project name {name!r}: the project depends on a package of that name"
            )
        # uv writes the packages sorted by name: the project's own goes where its name sorts.
        at = sum(1 for other in names if other < name)
        own = project.replace(f'name = "{PLACEHOLDER}"', f'name = "{name}"', 1)
        return join_lock([header, *others[:at], own, *others[at:]])


def package_name(entry: str) -> str:
    """Return the name of a ``[[package]]`` entry."""
    found = _NAME.search(entry)
    if found is None:
        raise TemplateError(f"a stored lock entry has no name: {entry[:80]!r}")
    return found.group(1)


def read_entries(text: str) -> dict[str, str]:
    """Parse ``packages.lock.partial``: entries, each after a ``# entry <id>`` line."""
    entries: dict[str, str] = {}
    for chunk in text.split("\n" + _ENTRY_MARK)[1:]:
        ident, _, body = chunk.partition("\n")
        entries[ident.strip()] = body.strip("\n")
    return entries


def write_entries(entries: dict[str, str], preamble: str) -> str:
    """Return ``packages.lock.partial`` holding ``entries`` (see :func:`read_entries`)."""
    blocks = [f"{_ENTRY_MARK}{ident}\n{text}" for ident, text in entries.items()]
    return preamble.rstrip("\n") + "\n\n" + "\n\n".join(blocks) + "\n"


def load_store(folder: Path) -> LockStore:
    """Read the lock store in ``folder`` (cached while its files are unchanged)."""
    index, entries = folder / INDEX_FILE, folder / ENTRIES_FILE
    stamps = tuple((os.stat(p).st_mtime_ns, os.stat(p).st_size) for p in (index, entries))
    return _load_store(folder, stamps)


@cache
def _load_store(folder: Path, stamps: tuple[tuple[int, int], ...]) -> LockStore:
    del stamps  # part of the cache key only
    raw = read_toml(folder / INDEX_FILE)
    locks = {
        key: StoredLock(tuple(value["runtime"]), tuple(value["dev"]), tuple(value["entries"]))
        for key, value in raw.get("locks", {}).items()
    }
    entries = read_entries((folder / ENTRIES_FILE).read_text(encoding="utf-8"))
    return LockStore(folder, str(raw.get("uv", "")), locks, entries)


class Locks:
    """Write the lock file of projects whose layers name a lock store (``[vars] lock_store``).

    The store is a folder of a layer (``_shared/python/locks``), so its files count in
    the layer's template fingerprint, and ``scaffold check`` sees a refreshed lock.
    """

    order = 10
    local = False

    def applies(self, spec: ProjectSpec) -> bool:
        """Any project may have one; :meth:`contribute` looks at the model."""
        return True

    def contribute(self, build: Build) -> None:
        """Add the lock file of the model's dependencies."""
        where = build.model.vars.get("lock_store")
        if where is None:
            return
        store = load_store(build.catalog.root / where)
        key = dependency_key(build.model.dependencies, build.model.dev_dependencies)
        text = store.lock_text(key, build.spec.name)
        build.add(build.model.vars.get("lock_file", "uv.lock"), text, source="contributor:locks")
