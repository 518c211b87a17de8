"""Trigram indexes for the product search q (docs/list-indexes.md).

PostgreSQL only, as services.py spells the search: LOWER(column) LIKE '%...%', which
pg_trgm's GIN indexes serve. The other databases search as before.
"""

from typing import Any

from django.db import migrations

POSTGRESQL_INDEXES = {
    "ix_products_sku_trgm": "USING gin (LOWER(sku) gin_trgm_ops)",
    "ix_products_name_trgm": "USING gin (LOWER(name) gin_trgm_ops)",
}


def create_indexes(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, how in POSTGRESQL_INDEXES.items():
            schema_editor.execute(f"CREATE INDEX {name} ON products {how}")


def drop_indexes(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for name in POSTGRESQL_INDEXES:
            schema_editor.execute(f"DROP INDEX {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
