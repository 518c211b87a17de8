"""SQLite: a database is a file, created on first connection; no server needed."""

from pathlib import Path
from typing import Any

NEEDS_SERVER = False


def ready() -> None:
    """Nothing to set up once the apps are loaded on SQLite."""


def configure(entry: dict[str, Any]) -> dict[str, Any]:
    """Wait for locks instead of failing, write-ahead logging, and writes that queue up."""
    options = entry.setdefault("OPTIONS", {})
    options.setdefault("timeout", 20)
    # IMMEDIATE: a transaction takes the write lock when it starts, so two writers
    # wait for each other instead of one failing with "database is locked".
    options.setdefault("transaction_mode", "IMMEDIATE")
    options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    return entry


def _path(entry: dict[str, Any]) -> Path | None:
    name = str(entry.get("NAME") or "")
    return Path(name) if name and name != ":memory:" else None


def create_database(entry: dict[str, Any]) -> bool:
    """Make the folder of the database file; tell whether the file is new."""
    path = _path(entry)
    if path is None:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    return not path.exists()


def drop_database(entry: dict[str, Any]) -> None:
    """Delete the database file and its journal files."""
    path = _path(entry)
    if path is not None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
