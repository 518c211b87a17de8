"""Create and drop MySQL / MariaDB databases (``manage create-database``, the tests)."""

import re

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

NEEDS_SERVER = True
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


def _database_name(url: str) -> str:
    name = make_url(url).database or ""
    if not _NAME.fullmatch(name):
        raise ValueError(f"refusing an unusual database name: {name!r}")
    return name


def _server(url: str) -> Engine:
    server = make_url(url).set(database="")
    return create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def create_database(url: str) -> bool:
    """Create the database named in ``url`` unless it exists; tell whether it was created."""
    name = _database_name(url)
    engine = _server(url)
    try:
        with engine.connect() as connection:
            query = text("SELECT 1 FROM information_schema.schemata WHERE schema_name = :name")
            if connection.scalar(query, {"name": name}):
                return False
            connection.execute(
                text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
            )
            return True
    finally:
        engine.dispose()


def drop_database(url: str) -> None:
    """Drop the database named in ``url``."""
    name = _database_name(url)
    engine = _server(url)
    try:
        with engine.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
    finally:
        engine.dispose()
