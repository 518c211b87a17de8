"""Indexes for the post list's order and its text search (docs/list-indexes.md).

PostgreSQL only, as services.py spells the expressions: the order of the list within
a status (newest published first, never published drafts last), and trigram indexes
(pg_trgm) for q, which Django writes UPPER(column::text) LIKE UPPER(...). The other
databases filter and sort those pages as before.
"""

from django.db import migrations

from ...core.indexes import postgresql_indexes

POSTGRESQL_INDEXES = {
    "ix_posts_status_published_order": "(status, published_at DESC NULLS LAST, id DESC)",
    "ix_posts_title_trgm": "USING gin (UPPER(title::text) gin_trgm_ops)",
    "ix_posts_body_trgm": "USING gin (UPPER(body::text) gin_trgm_ops)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0001_initial"),
    ]

    operations = [
        postgresql_indexes("posts", POSTGRESQL_INDEXES),
    ]
