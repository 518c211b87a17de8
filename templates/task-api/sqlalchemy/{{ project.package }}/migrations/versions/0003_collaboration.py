"""Projects, assignees and comments.

Revision ID: 0003_collaboration
Revises: 0002_tasks
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0003_collaboration"
down_revision: str | None = "0002_tasks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# UTC timestamps, with microseconds on MySQL too (DATETIME(6)), as db.UTCDateTime.
TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql")
# Project names compare exactly on MySQL too, as models.projects.NAME.
NAME = sa.String(length=100).with_variant(mysql.VARCHAR(100, collation="utf8mb4_bin"), "mysql")


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", NAME, nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_projects_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        # Leads with owner_id, so it is the index of that foreign key too.
        sa.UniqueConstraint("owner_id", "name", name=op.f("uq_projects_owner_id")),
    )
    # Batch mode: SQLite cannot add a foreign key to an existing table, so Alembic
    # copies the table there; the other databases get plain ALTER TABLEs.
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("project_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        # The indexes first, so that MySQL uses them for the foreign keys instead of
        # adding indexes of its own.
        batch.create_index(op.f("ix_tasks_project_id"), ["project_id"])
        batch.create_index(op.f("ix_tasks_assignee_id"), ["assignee_id"])
        batch.create_foreign_key(
            op.f("fk_tasks_project_id_projects"),
            "projects",
            ["project_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_foreign_key(
            op.f("fk_tasks_assignee_id_users"),
            "users",
            ["assignee_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_comments_task_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_comments_author_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    op.create_index(op.f("ix_comments_task_id"), "comments", ["task_id"])
    op.create_index(op.f("ix_comments_author_id"), "comments", ["author_id"])


def downgrade() -> None:
    # New tables go whole (with their indexes). On tasks, each foreign key goes before
    # its index: MySQL refuses to drop an index a foreign key needs.
    op.drop_table("comments")
    with op.batch_alter_table("tasks") as batch:
        batch.drop_constraint(op.f("fk_tasks_assignee_id_users"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_tasks_project_id_projects"), type_="foreignkey")
        batch.drop_index(op.f("ix_tasks_assignee_id"))
        batch.drop_index(op.f("ix_tasks_project_id"))
        batch.drop_column("assignee_id")
        batch.drop_column("project_id")
    op.drop_table("projects")
