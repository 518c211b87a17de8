"""Trigram indexes for the product search q (docs/list-indexes.md).

Revision ID: 0003_list_indexes
Revises: 0002_inventory
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_list_indexes"
down_revision: str | None = "0002_inventory"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# PostgreSQL only, as models.products declares them (db.trigram_indexes): pg_trgm
# serves q's lower(...) LIKE '%...%'. The other databases search as before.


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in ("sku", "name"):
        op.create_index(
            f"ix_products_{column}_trgm",
            "products",
            [sa.text(f"lower({column}) gin_trgm_ops")],
            postgresql_using="gin",
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in ("name", "sku"):
        op.drop_index(f"ix_products_{column}_trgm", table_name="products")
