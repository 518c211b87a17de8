"""Create and drop PostgreSQL databases (``manage create-database``, the tests)."""

import re

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

NEEDS_SERVER = True
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


def _database_name(url: str) -> str:
    name = make_url(url).database or ""
    if not _NAME.fullmatch(name):
        raise ValueError(f"refusing an unusual database name: {name!r}")
    return name


def _server(url: str) -> Engine:
    # Connect to the maintenance database: one cannot create or drop the one in use.
    maintenance = make_url(url).set(database="postgres")
    return create_engine(maintenance, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def create_database(url: str) -> bool:
    """Create the database named in ``url`` unless it exists; tell whether it was created."""
    name = _database_name(url)
    engine = _server(url)
    try:
        with engine.connect() as connection:
            query = text("SELECT 1 FROM pg_database WHERE datname = :name")
            if connection.scalar(query, {"name": name}):
                return False
            connection.execute(text(f'CREATE DATABASE "{name}"'))
            return True
    finally:
        engine.dispose()


def drop_database(url: str) -> None:
    """Drop the database named in ``url``, closing its connections first."""
    name = _database_name(url)
    engine = _server(url)
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()
