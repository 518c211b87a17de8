"""Indexes for the post list's cursor pages and capped totals (docs/pagination.md).

PostgreSQL only, as services.py spells the keys (published_at IS NOT NULL,
published_at, id): within a status, and within an author's posts of a status, so that a
page after a cursor and the total up to its cap are each one range of an index. They
replace 0002's ix_posts_status_published_order (the order's former spelling). And the
slugs by bytes: each create reads those that start with its title's slug and "-" for the
next free number (LIKE 'base-%'), which the unique index, in the database's collation,
cannot serve as a range.
"""

from django.db import migrations

from ...core.indexes import postgresql_indexes

KEYS = "(published_at IS NOT NULL), published_at, id"
FORMER = postgresql_indexes(
    "posts",
    {"ix_posts_status_published_order": "(status, published_at DESC NULLS LAST, id DESC)"},
)


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0002_list_indexes"),
    ]

    operations = [
        postgresql_indexes(
            "posts",
            {
                "ix_posts_status_keyset": f"(status, {KEYS})",
                "ix_posts_author_keyset": f"(author_id, status, {KEYS})",
                "ix_posts_slug_prefix": "(slug varchar_pattern_ops)",
            },
        ),
        # The former index dropped (made again on the way back).
        migrations.RunPython(FORMER.reverse_code or migrations.RunPython.noop, FORMER.code),
    ]
