"""Create and drop SQLite databases (``manage create-database``, the tests).

SQLite needs no server: a database is a file, created on first connection.
"""

from pathlib import Path

from sqlalchemy.engine import make_url

NEEDS_SERVER = False


def _path(url: str) -> Path | None:
    database = make_url(url).database
    return Path(database) if database and database != ":memory:" else None


def create_database(url: str) -> bool:
    """Make the folder of the database file; tell whether the file is new."""
    path = _path(url)
    if path is None:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    return not path.exists()


def drop_database(url: str) -> None:
    """Delete the database file and its journal files."""
    path = _path(url)
    if path is not None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
