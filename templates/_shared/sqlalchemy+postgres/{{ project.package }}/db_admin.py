"""Create and drop PostgreSQL databases (``manage create-database``, the tests)."""

from .db_server import DatabaseServer

NEEDS_SERVER = True

SERVER = DatabaseServer(
    maintenance_database="postgres",
    exists="SELECT 1 FROM pg_database WHERE datname = :name",
    create='CREATE DATABASE "{name}"',
    # FORCE closes the database's connections first (PostgreSQL 13+).
    drop='DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
    max_name_length=63,
)
create_database = SERVER.create_database
drop_database = SERVER.drop_database
