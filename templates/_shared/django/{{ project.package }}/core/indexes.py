"""Indexes that only PostgreSQL gets, made by a migration (docs/list-indexes.md).

Expression and trigram (pg_trgm) indexes, as the services' queries are spelled there.
On the other databases the operation does nothing, and those lists are served as before.
"""

from typing import Any

from django.db import migrations


def postgresql_indexes(table: str, indexes: dict[str, str]) -> migrations.RunPython:
    """A migration's operation: ``indexes`` on ``table``, on PostgreSQL only.

    ``indexes`` gives each index's name and what follows ``ON table``; the extension
    pg_trgm is made first where one of them needs it.
    """

    def create(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            if any("gin_trgm_ops" in how for how in indexes.values()):
                schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for name, how in indexes.items():
                schema_editor.execute(f"CREATE INDEX {name} ON {table} {how}")

    def drop(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for name in indexes:
                schema_editor.execute(f"DROP INDEX {name}")

    return migrations.RunPython(create, drop)
