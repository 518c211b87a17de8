"""The outbox's sending (feature "queue"): status, attempts, due time, claim, sent time, error.

Revision ID: auth_0003_outbox_sending
Revises: users_0002_token_epoch
Create Date: 2026-12-07

Additive: messages already in the outbox become pending and due at their creation, so
the worker's first sweep sends them once SMTP_URL is set (a reset token among them may
have expired meanwhile; it then answers 422 as any expired token).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "auth_0003_outbox_sending"
down_revision: str | None = "users_0002_token_epoch"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# UTC timestamps, with microseconds on MySQL too (DATETIME(6)), as db.UTCDateTime.
TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql")
INDEX = "ix_outbox_status_next_attempt_at"


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(
            sa.Column("status", sa.String(length=10), server_default="pending", nullable=False)
        )
        batch.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("next_attempt_at", TIMESTAMP, nullable=True))
        batch.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("sent_at", TIMESTAMP, nullable=True))
        batch.add_column(sa.Column("last_error", sa.Text(), nullable=True))
    op.execute("UPDATE outbox SET next_attempt_at = created_at")
    with op.batch_alter_table("outbox") as batch:
        batch.alter_column("next_attempt_at", existing_type=TIMESTAMP, nullable=False)
    op.create_index(INDEX, "outbox", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        for column in ("last_error", "sent_at", "claim_token", "next_attempt_at", "attempts"):
            batch.drop_column(column)
        batch.drop_column("status")
