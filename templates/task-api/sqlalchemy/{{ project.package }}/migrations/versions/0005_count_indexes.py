"""Indexes for the capped totals of the task list (docs/list-indexes.md).

Revision ID: 0005_count_indexes
Revises: users_0002_token_epoch (the shared users revision that follows 0004)
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005_count_indexes"
down_revision: str | None = "users_0002_token_epoch"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A user's tasks by status and priority, owned or assigned (the assignee's with the
# owner, to leave out their own tasks), and every task by status and priority in the
# list's order: the total is read from these indexes alone, up to its cap.
INDEXES = {
    "ix_tasks_owner_status": ["owner_id", "status", "priority"],
    "ix_tasks_assignee_status": ["assignee_id", "status", "priority", "owner_id"],
    "ix_tasks_status_priority_time": ["status", "priority", "created_at", "id"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "tasks", columns)


def downgrade() -> None:
    for name in reversed(INDEXES):
        op.drop_index(name, table_name="tasks")
