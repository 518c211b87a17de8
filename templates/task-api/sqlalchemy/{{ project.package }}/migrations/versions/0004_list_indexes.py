"""Indexes for every sort of the task list (docs/list-indexes.md).

Revision ID: 0004_list_indexes
Revises: 0003_collaboration
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_list_indexes"
down_revision: str | None = "0003_collaboration"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The sorts by expression, as models.tasks writes them, are indexed on PostgreSQL only
# (the other databases sort those pages as before).


def upgrade() -> None:
    op.create_index(op.f("ix_tasks_title"), "tasks", ["title"])
    op.create_index(op.f("ix_tasks_updated_at"), "tasks", ["updated_at"])
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_tasks_priority_rank",
            "tasks",
            [sa.text("(priority = 'high')"), sa.text("(priority = 'medium')"), "id"],
        )
        op.create_index(
            "ix_tasks_due_date_nulls_last",
            "tasks",
            [sa.text("(due_date IS NULL)"), "due_date", "id"],
        )
        op.create_index(
            "ix_tasks_due_date_desc_nulls_last",
            "tasks",
            [sa.text("(due_date IS NULL)"), sa.text("due_date DESC"), sa.text("id DESC")],
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_tasks_due_date_desc_nulls_last", table_name="tasks")
        op.drop_index("ix_tasks_due_date_nulls_last", table_name="tasks")
        op.drop_index("ix_tasks_priority_rank", table_name="tasks")
    op.drop_index(op.f("ix_tasks_updated_at"), table_name="tasks")
    op.drop_index(op.f("ix_tasks_title"), table_name="tasks")
