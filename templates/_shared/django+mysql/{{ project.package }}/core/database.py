"""MySQL / MariaDB with PyMySQL: the driver, and creating and dropping databases."""

import re
from typing import Any

import pymysql

NEEDS_SERVER = True
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")

# Django's MySQL backend imports MySQLdb (mysqlclient, which needs a compiler and the
# client library); PyMySQL stands in for it.
pymysql.install_as_MySQLdb()


def ready() -> None:
    """Nothing to set up once the apps are loaded on MySQL."""


def configure(entry: dict[str, Any]) -> dict[str, Any]:
    """Full Unicode, strict mode (no silent truncation), connections reused for a minute."""
    options = entry.setdefault("OPTIONS", {})
    options.setdefault("charset", "utf8mb4")
    options.setdefault("init_command", "SET sql_mode='STRICT_TRANS_TABLES'")
    entry.setdefault("CONN_MAX_AGE", 60)
    entry.setdefault("CONN_HEALTH_CHECKS", True)
    return entry


def _database_name(entry: dict[str, Any]) -> str:
    name = str(entry.get("NAME") or "")
    if not _NAME.fullmatch(name):
        raise ValueError(f"refusing an unusual database name: {name!r}")
    return name


def _connect(entry: dict[str, Any]) -> Any:
    from django.db.utils import OperationalError

    try:
        return pymysql.connect(
            user=entry.get("USER") or "root",
            password=entry.get("PASSWORD") or "",
            host=entry.get("HOST") or "localhost",
            port=int(entry.get("PORT") or 3306),
            charset="utf8mb4",
            autocommit=True,
        )
    # pymysql.OperationalError, not pymysql.err.OperationalError: once Django's backend
    # imports MySQLdb.err (PyMySQL under its other name), the package's ``err`` attribute
    # is that second copy of the module, whose classes the driver never raises.
    except pymysql.OperationalError as exc:  # as Django's own queries raise it
        raise OperationalError(str(exc)) from exc


def create_database(entry: dict[str, Any]) -> bool:
    """Create the database unless it exists; tell whether it was created."""
    name = _database_name(entry)
    connection = _connect(entry)
    try:
        with connection.cursor() as cursor:
            query = "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s"
            if cursor.execute(query, (name,)):
                return False
            cursor.execute(
                f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            )
            return True
    finally:
        connection.close()


def drop_database(entry: dict[str, Any]) -> None:
    """Drop the database."""
    name = _database_name(entry)
    connection = _connect(entry)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
    finally:
        connection.close()
