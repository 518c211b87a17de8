"""An index for the capped total of the product list (docs/list-indexes.md).

Revision ID: 0004_count_indexes
Revises: users_0002_token_epoch (the shared users revision that follows 0003)
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004_count_indexes"
down_revision: str | None = "users_0002_token_epoch"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Products by category and status, in SKU order: the total of a category's active (or
# retired) products is read from it alone, up to its cap, and their page by cursor is
# one range of it. A plain index, on every database.
INDEXES = {"ix_products_category_active": ["category", "is_active", "sku"]}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "products", columns)


def downgrade() -> None:
    for name in reversed(INDEXES):
        op.drop_index(name, table_name="products")
