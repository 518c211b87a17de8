"""Trigram indexes for the product search q (docs/list-indexes.md).

PostgreSQL only, as services.py spells the search: LOWER(column) LIKE '%...%', which
pg_trgm's GIN indexes serve. The other databases search as before.
"""

from django.db import migrations

from ...core.indexes import postgresql_indexes

POSTGRESQL_INDEXES = {
    "ix_products_sku_trgm": "USING gin (LOWER(sku) gin_trgm_ops)",
    "ix_products_name_trgm": "USING gin (LOWER(name) gin_trgm_ops)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0001_initial"),
    ]

    operations = [
        postgresql_indexes("products", POSTGRESQL_INDEXES),
    ]
