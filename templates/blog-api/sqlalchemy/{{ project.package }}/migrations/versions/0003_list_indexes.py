"""Indexes for the post list's order and its text search (docs/list-indexes.md).

Revision ID: 0003_list_indexes
Revises: 0002_blog
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_list_indexes"
down_revision: str | None = "0002_blog"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# PostgreSQL only, as models.posts declares them: the order of the list within a
# status, and trigram indexes (pg_trgm) for q's lower(...) LIKE '%...%'. The other
# databases filter and sort those pages as before.


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
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
    for column in ("title", "body"):
        op.create_index(
            f"ix_posts_{column}_trgm",
            "posts",
            [sa.text(f"lower({column}) gin_trgm_ops")],
            postgresql_using="gin",
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in ("body", "title"):
        op.drop_index(f"ix_posts_{column}_trgm", table_name="posts")
    op.drop_index("ix_posts_status_published_order", table_name="posts")
