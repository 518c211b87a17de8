"""Layer packs: template folders that other packages (entry points) or folders add to the catalog.

A pack has the layout of ``templates/``: a ``catalog.toml`` fragment (``[pack]``,
``[frameworks.x]``, ``[databases.x]``, ``[features.x]``), ``_shared/<layer>`` folders,
``<kind>/kind.toml`` with the kind's layers, and ``contracts/<kind>/`` (its contract
suite). A package declares one with an entry point in the group ``scaffold.templates``
whose value names a package (its folder is the pack) or a ``module:attribute`` that is
(or returns) the folder; ``SCAFFOLD_TEMPLATES`` (``--templates``) names folders.

Looking entry points up costs a fresh process about 65 ms (``importlib.metadata`` and
a scan of every installed distribution), a quarter of ``scaffold new``: the result is
kept in scaffold's cache, keyed on the modification times of the folders of
``sys.path``, which every install or removal of a distribution changes.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ._cache import cache_folder, read_toml
from ._catalog import CATALOG_FILE, KIND_FILE, SHARED_DIR, Database, Feature, Source
from .errors import PackError

#: The entry point group a package declares its pack in.
ENTRY_POINT_GROUP = "scaffold.templates"
#: Folders of packs to use, separated like PATH (what ``--templates`` sets).
TEMPLATES_ENV = "SCAFFOLD_TEMPLATES"
_KIND_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_PACK_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
#: One row per entry point: name, value, distribution, its version, the pack's folder.
_Row = tuple[str, str, str, str, str]


def discover_packs() -> tuple[Source, ...]:
    """Return the packs to use: installed ones (entry points), then ``SCAFFOLD_TEMPLATES``'s."""
    found = [
        _entry_point_source(name, dist, version, Path(folder))
        for name, _value, dist, version, folder in _entry_point_rows()
    ]
    for entry in os.environ.get(TEMPLATES_ENV, "").split(os.pathsep):
        if entry:
            found.append(folder_pack(Path(entry)))
    return tuple(found)


def folder_pack(folder: Path) -> Source:
    """Return the pack in ``folder`` (``--templates``): its name and version from ``[pack]``.

    Raises:
        PackError: There is no such folder, or it has no ``catalog.toml``.
    """
    root = Path(os.path.abspath(folder))
    where = f"folder {root}"
    table = _pack_table(root, where)
    name = str(table.get("name", root.name))
    version = table.get("version")
    return _source(name, root, None if version is None else str(version), where)


def _entry_point_source(name: str, dist: str, version: str, folder: Path) -> Source:
    origin = f"entry point {name!r} of {dist} {version}".rstrip()
    table = _pack_table(folder, origin)
    return _source(str(table.get("name", name)), folder, version or None, origin)


def _source(name: str, root: Path, version: str | None, origin: str) -> Source:
    if not _PACK_NAME.fullmatch(name):
        raise PackError(f"{origin}: {name!r} is not a usable pack name (letters, digits, . _ -)")
    return Source(name, root, version, origin)


def _pack_table(root: Path, where: str) -> Mapping[str, Any]:
    if not root.is_dir():
        raise PackError(f"the layer pack at {where} is not a folder")
    path = root / CATALOG_FILE
    if not path.is_file():
        raise PackError(
            f"the layer pack at {where} has no {CATALOG_FILE} (a pack has the layout of "
            "scaffold's templates/ folder)"
        )
    try:
        table = read_toml(path).get("pack", {})
    except (OSError, ValueError) as exc:
        raise PackError(f"the layer pack at {where}: cannot read {path}: {exc}") from exc
    if not isinstance(table, dict):
        raise PackError(f"the layer pack at {where}: [pack] in {path} is not a table")
    return table


# -- entry points --------------------------------------------------------------------------


def _entry_point_rows() -> list[_Row]:
    """Return the installed packs' entry points, from the cache when nothing was installed since."""
    folder = cache_folder("packs")
    entry = None
    if folder is not None:
        key = hashlib.sha1(_path_key().encode(errors="surrogateescape")).hexdigest()
        entry = folder / f"{key}.marshal"
        with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
            cached = marshal.loads(entry.read_bytes())
            if isinstance(cached, list):
                return [tuple(row) for row in cached]
    rows = _scan_entry_points()
    if entry is not None:
        from ._cache import _write_atomically

        _write_atomically(entry, marshal.dumps([list(row) for row in rows]))
    return rows


def _path_key() -> str:
    """What the installed distributions depend on: the interpreter and the folders of sys.path.

    The current folder (``''``, or the folder of ``python -m``) is left out: projects are
    generated in it, which changes its time on every run, and it holds no distributions.
    """
    cwd = os.getcwd()
    parts = [sys.executable]
    for entry in sys.path:
        if not entry or entry == cwd:
            continue
        try:
            stamp = str(os.stat(entry).st_mtime_ns)
        except OSError:
            stamp = "-"
        parts.append(f"{entry}\0{stamp}")
    return "\n".join(parts)


def _scan_entry_points() -> list[_Row]:
    from importlib.metadata import entry_points

    rows: list[_Row] = []
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        dist = point.dist
        dist_name = dist.name if dist is not None else ""
        version = dist.version if dist is not None else ""
        folder = _entry_point_folder(point.name, point.value, dist_name)
        rows.append((point.name, point.value, dist_name, version, str(folder)))
    return rows


def _entry_point_folder(name: str, value: str, dist: str) -> Path:
    """Find the folder an entry point names: a package's own, or what ``module:attr`` gives."""
    import importlib
    import importlib.util

    where = f"entry point {name!r} ({value}) of {dist or 'an unknown distribution'}"
    module, _, attribute = value.partition(":")
    try:
        if not attribute:
            spec = importlib.util.find_spec(module.strip())
            locations = None if spec is None else spec.submodule_search_locations
            if not locations:
                raise PackError(f"{where}: {module} is not a package (its folder is the pack)")
            return Path(next(iter(locations)))
        target: Any = importlib.import_module(module.strip())
        for part in attribute.strip().split("."):
            target = getattr(target, part)
        if callable(target):
            target = target()
        return Path(os.fspath(target))
    except PackError:
        raise
    except Exception as exc:  # whatever importing someone else's package raises
        raise PackError(f"{where} cannot be loaded: {exc}") from exc


# -- what a pack may add -------------------------------------------------------------------


def check_pack_layers(
    sources: tuple[Source, ...],
    kinds: Mapping[str, tuple[Path, Source]],
    features: Mapping[str, Feature],
    databases: Mapping[str, Database],
) -> None:
    """Refuse a pack whose folders would change what other sources generate.

    A pack's ``_shared/<name>`` must be new (no other source has a folder of that name),
    and must involve something of the pack's own: a layer no earlier source has
    (``_shared/litestar``), or ``<layer>+<token>`` where the token is one of its own
    databases, features or kinds' ``uses``. ``_shared/fastapi+sqlite`` in a pack would
    change every built-in FastAPI project on SQLite without a word. Its kinds need a
    kind id that cannot be mistaken for a path, combinations of known frameworks and
    databases, and a contract suite.
    """
    seen: dict[str, Source] = {}
    for source in sources:
        names = _shared_names(source)
        if not source.builtin:
            _check_shared(source, names, seen, kinds, features, databases)
        for name in names:
            seen.setdefault(name, source)
    for kind_id, (path, source) in kinds.items():
        if not source.builtin:
            _check_kind(kind_id, path, source)


def _shared_names(source: Source) -> list[str]:
    shared = source.root / SHARED_DIR
    if not shared.is_dir():
        return []
    return sorted(path.name for path in shared.iterdir() if path.is_dir())


def _check_shared(
    source: Source,
    names: list[str],
    seen: Mapping[str, Source],
    kinds: Mapping[str, tuple[Path, Source]],
    features: Mapping[str, Feature],
    databases: Mapping[str, Database],
) -> None:
    own_tokens = {
        key
        for entries in (features, databases)
        for key, entry in entries.items()
        if entry.source is not None and entry.source.root == source.root
    }
    for path, owner in kinds.values():
        if owner.root == source.root:
            uses = read_toml(path / KIND_FILE).get("uses", ())
            own_tokens.update(str(u) for u in uses if not any(n.endswith(f"+{u}") for n in seen))
    for name in names:
        if name in seen:
            raise PackError(
                f"the layer folder {SHARED_DIR}/{name} is defined twice: by "
                f"{seen[name].describe()} and by {source.describe()}; a pack cannot replace "
                "another source's layers (name the pack's folder after its own features)"
            )
        base, _, token = name.partition("+")
        own_base = not any(n == base or n.startswith(f"{base}+") for n in seen)
        if not own_base and token not in own_tokens:
            raise PackError(
                f"{source.describe()}: {SHARED_DIR}/{name} would change projects that do "
                f"not use the pack ({base!r} and {token!r} are not its own); a pack's "
                "layer folders must involve one of its own layers, databases, features or "
                "kinds' uses"
            )


def _check_kind(kind_id: str, path: Path, source: Source) -> None:
    if not _KIND_ID.fullmatch(kind_id):
        raise PackError(
            f"{source.describe()}: kind {kind_id!r} needs an id of lowercase letters, "
            "digits and dashes (it must not look like a path or a URL)"
        )
    suite = source.root / "contracts" / kind_id.replace("-", "_")
    if not suite.is_dir():
        raise PackError(
            f"{source.describe()}: kind {kind_id!r} has no contract suite "
            f"(contracts/{suite.name}/); every offered combination is proven by one"
        )


__all__ = [
    "ENTRY_POINT_GROUP",
    "TEMPLATES_ENV",
    "check_pack_layers",
    "discover_packs",
    "folder_pack",
]
