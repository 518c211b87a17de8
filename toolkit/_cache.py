"""What scaffold keeps between runs: the templates' parsed TOML and Jinja's compiled templates.

Entries are keyed on the content they were made from, so an edited file is read again.
``SCAFFOLD_CACHE_DIR`` moves the cache (default: ``$XDG_CACHE_HOME/scaffold``, else
``~/.cache/scaffold``); an empty value turns it off. A cache that cannot be written is
skipped, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any

from ._version import __version__


def cache_folder(name: str) -> Path | None:
    """Return the folder of one sort of entries, made if missing; ``None`` when there is none."""
    configured = os.environ.get("SCAFFOLD_CACHE_DIR")
    if configured == "":
        return None
    if configured is None:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        configured = os.path.join(base, "scaffold")
    folder = Path(configured) / f"{name}-{__version__}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def read_toml(path: Path) -> dict[str, Any]:
    """Return the parsed content of a TOML file, from the cache when it was parsed before.

    tomllib is pure Python: importing it and parsing the catalog, a kind and a
    project's ``layer.toml`` files cost ``scaffold new`` about half as much as rendering
    the project; reading them back with marshal costs a small part of that.

    Raises:
        tomllib.TOMLDecodeError: The file is no valid TOML.
        UnicodeDecodeError: The file is not UTF-8.
        OSError: The file cannot be read.
    """
    source = path.read_bytes()
    # marshal's format may change with Python's version: one folder per version.
    folder = cache_folder(f"toml-{sys.implementation.cache_tag}")
    if folder is None:
        return _parse(source)
    entry = folder / f"{hashlib.sha1(source).hexdigest()}.marshal"
    try:
        cached = marshal.loads(entry.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass  # not there yet, or damaged: parse again and replace it
    else:
        if isinstance(cached, dict):
            return cached
    parsed = _parse(source)
    try:
        data = marshal.dumps(parsed)
    except ValueError:  # TOML dates and times have no marshal form: not cached
        return parsed
    _write_atomically(entry, data)
    return parsed


def _parse(source: bytes) -> dict[str, Any]:
    import tomllib  # only when the cache cannot answer

    return tomllib.loads(source.decode())


def _write_atomically(target: Path, data: bytes) -> None:
    """Write ``target`` whole or not at all, so that runs side by side never read half of it."""
    import tempfile  # only on a miss; `list` and `info` need it for nothing else

    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
