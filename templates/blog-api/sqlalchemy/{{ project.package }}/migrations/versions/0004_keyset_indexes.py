"""Indexes for the post list's cursor pages and capped totals (docs/pagination.md).

Revision ID: 0004_keyset_indexes
Revises: users_0002_token_epoch (the shared users revision that follows 0003)
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_keyset_indexes"
down_revision: str | None = "users_0002_token_epoch"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# PostgreSQL only, as models.posts declares them: the list's keys (published_at IS NOT
# NULL, published_at, id) within a status, and within an author's posts of a status, so
# that a page after a cursor and the total up to its cap are each one range of an index.
# They replace 0003's ix_posts_status_published_order (the order's former spelling).
INDEXES = {
    "ix_posts_status_keyset": ["status"],
    "ix_posts_author_keyset": ["author_id", "status"],
}
KEYS = ["(published_at IS NOT NULL)", "published_at", "id"]
# The slugs that start with a title's slug and "-", read by each create for the next
# free number (slug LIKE 'base-%'): the unique index follows the database's collation,
# which LIKE cannot take as a range; this one compares bytes.
SLUG_PREFIX = "ix_posts_slug_prefix"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, columns in INDEXES.items():
        op.create_index(name, "posts", [*columns, *(sa.text(key) for key in KEYS)])
    op.create_index(SLUG_PREFIX, "posts", ["slug"], postgresql_ops={"slug": "varchar_pattern_ops"})
    op.drop_index("ix_posts_status_published_order", table_name="posts")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_index(
        "ix_posts_status_published_order",
        "posts",
        [
            "status",
            sa.text("(published_at IS NULL)"),
            sa.text("published_at DESC"),
            sa.text("id DESC"),
        ],
    )
    op.drop_index(SLUG_PREFIX, table_name="posts")
    for name in reversed(INDEXES):
        op.drop_index(name, table_name="posts")
