"""Indexes of the payment list, one per filter in its order (docs/pagination.md).

Revision ID: 0003_list_indexes
Revises: users_0002_token_epoch (the shared users revision that follows 0002)
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003_list_indexes"
down_revision: str | None = "users_0002_token_epoch"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# GET /payments sorts newest first, (created_at, id) descending. Each index holds a
# filter (a merchant's own payments, a status, a currency, a customer, or none for an
# admin) followed by that order: the page is one range of it, also after a cursor at any
# depth, and the total reads it alone up to its cap. Plain indexes, on every database. The
# status indexes end with the currency: status and currency together are counted from
# the index alone too.
INDEXES = {
    "ix_payments_created_id": ["created_at", "id"],
    "ix_payments_owner_created": ["owner_id", "created_at", "id"],
    "ix_payments_status_created": ["status", "created_at", "id", "currency"],
    "ix_payments_owner_status": ["owner_id", "status", "created_at", "id", "currency"],
    "ix_payments_currency_created": ["currency", "created_at", "id"],
    "ix_payments_owner_currency": ["owner_id", "currency", "created_at", "id"],
    "ix_payments_customer_created": ["customer_id", "created_at", "id"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "payments", columns)


def downgrade() -> None:
    for name in reversed(INDEXES):
        op.drop_index(name, table_name="payments")
